-- One row per place requests are counted and channel: each ward on the map (ward_code), and the
-- requests no ward on the map holds (ward_code null), by how: 'unmatched' (a ward code or name that
-- matches no boundary, ward_given as written), 'outside' (a map point outside every ward) or 'none'
-- (no ward or location). Requests made in the date range. The cells every ward count, the unmapped
-- note and the borough's figures are added up from, so each can be protected with the others.
-- $date_from $date_to $directorates $services $channels $wards: the shared filters.
select
    ward_code,
    case when ward_code is null then coalesce(ward_match, 'none') end as how,
    case when ward_code is null and ward_match = 'unmatched' then ward_given end as ward_given,
    channel,
    count(*) as requests
from filtered_requests($date_from, $date_to, $directorates, $services, $channels, $wards)
group by all
order by ward_code nulls last, how, ward_given, channel
