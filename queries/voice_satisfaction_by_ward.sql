-- One row per ward (every ward in the boundaries that the ward filter allows, zeros included),
-- then one for feedback with no ward: ward_code, ward_name, responses, scale_ratings, satisfied
-- (4–5), good, average, poor and comments as in voice_satisfaction_by_month.sql. Counts only.
-- $date_from $date_to $directorates $services $channels $wards: the shared filters.
with counts as (
    select
        ward_code,
        count(*) filter (where rating_band is not null) as responses,
        count(rating) as scale_ratings,
        count(*) filter (where rating >= 4) as satisfied,
        count(*) filter (where rating_band = 'good') as good,
        count(*) filter (where rating_band = 'average') as average,
        count(*) filter (where rating_band = 'poor') as poor,
        count(comment) as comments
    from filtered_feedback($date_from, $date_to, $directorates, $services, $channels, $wards)
    group by ward_code
),
shown as (
    select ward_code, ward_name
    from wards
    where $wards is null or list_contains($wards, ward_code)
)
select
    coalesce(shown.ward_code, counts.ward_code) as ward_code,
    shown.ward_name,
    coalesce(counts.responses, 0) as responses,
    coalesce(counts.scale_ratings, 0) as scale_ratings,
    coalesce(counts.satisfied, 0) as satisfied,
    coalesce(counts.good, 0) as good,
    coalesce(counts.average, 0) as average,
    coalesce(counts.poor, 0) as poor,
    coalesce(counts.comments, 0) as comments
from shown
full join counts using (ward_code)
order by ward_code nulls last
