-- One row per month × channel: the number of service requests made.
-- $date_from $date_to $directorates $services $channels $wards: the shared filters.
select
    created_month as period,
    channel,
    count(*) as requests
from filtered_requests($date_from, $date_to, $directorates, $services, $channels, $wards)
group by all
order by period, channel
