-- One row per quarter and kind of answer with feedback in the borough, split by whether it came
-- from one ward ($ward_code): rated (on the 5-point scale) and satisfied (4 or 5). The cells of that
-- ward's quarterly satisfaction and of the whole borough's, which every response counts in.
-- $ward_code: the ward's code. $date_from $date_to $directorates $services $channels $wards: the
-- shared filters.
select
    coalesce(ward_code = $ward_code, false) as in_ward,
    date_trunc('quarter', submitted_at)::date as quarter,
    rating is not null as rated,
    coalesce(rating >= 4, false) as satisfied,
    count(*) as responses
from filtered_feedback($date_from, $date_to, $directorates, $services, $channels, $wards)
group by all
order by in_ward desc, quarter, rated, satisfied
