-- One row per service asked for in the borough: requests from one ward ($ward_code) and from the
-- whole borough (every row, mapped or not), most asked for in the ward first.
-- $ward_code: the ward's code. $date_from $date_to $directorates $services $channels $wards: the
-- shared filters.
with requests as (
    select service, ward_code is not distinct from $ward_code as in_ward
    from filtered_requests($date_from, $date_to, $directorates, $services, $channels, $wards)
)

select
    service,
    count(*) filter (where in_ward) as ward_requests,
    count(*) as borough_requests
from requests
group by service
order by ward_requests desc, borough_requests desc, service
