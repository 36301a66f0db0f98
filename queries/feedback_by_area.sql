-- One row per place feedback is counted and kind of answer: each ward on the map (ward_code), and the
-- responses no ward on the map holds (ward_code null) by how ('unmatched' with ward_given as
-- written, 'outside', 'none'); rated (a rating on the 5-point scale) and satisfied (a rating of 4
-- or 5). Responses given in the date range.
-- $date_from $date_to $directorates $services $channels $wards: the shared filters.
select
    ward_code,
    case when ward_code is null then coalesce(ward_match, 'none') end as how,
    case when ward_code is null and ward_match = 'unmatched' then ward_given end as ward_given,
    rating is not null as rated,
    coalesce(rating >= 4, false) as satisfied,
    count(*) as responses
from filtered_feedback($date_from, $date_to, $directorates, $services, $channels, $wards)
group by all
order by ward_code nulls last, how, ward_given, rated, satisfied
