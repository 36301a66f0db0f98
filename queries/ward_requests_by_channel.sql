-- One row per channel used in the borough: requests from one ward ($ward_code) and from the whole
-- borough (every row, mapped or not), most used in the ward first.
-- $ward_code: the ward's code. $date_from $date_to $directorates $services $channels $wards: the
-- shared filters.
with requests as (
    select channel, ward_code is not distinct from $ward_code as in_ward
    from filtered_requests($date_from, $date_to, $directorates, $services, $channels, $wards)
)

select
    channel,
    count(*) filter (where in_ward) as ward_requests,
    count(*) as borough_requests
from requests
group by channel
order by ward_requests desc, borough_requests desc, channel
