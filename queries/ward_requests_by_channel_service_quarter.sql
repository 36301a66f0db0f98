-- One row per quarter, channel and service with requests in the borough, split by whether they came
-- from one ward ($ward_code): the cells of that ward's profile (its channel mix, top services and
-- quarterly digital take-up) and of the whole borough's, which every row counts in, mapped or not.
-- $ward_code: the ward's code. $date_from $date_to $directorates $services $channels $wards: the
-- shared filters.
select
    coalesce(ward_code = $ward_code, false) as in_ward,
    date_trunc('quarter', created_at)::date as quarter,
    channel,
    service,
    count(*) as requests
from filtered_requests($date_from, $date_to, $directorates, $services, $channels, $wards)
group by all
order by in_ward desc, quarter, channel, service
