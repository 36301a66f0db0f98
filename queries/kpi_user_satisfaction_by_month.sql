-- One row per month feedback was given in: user satisfaction (GOV.UK) = ratings of 4 or 5 ÷ all
-- ratings on the 5-point scale (ratings given only as good/average/poor are not counted here).
-- $date_from $date_to $directorates $services $channels $wards: the shared filters.
with rated as (
    select date_trunc('month', submitted_at)::date as period, rating
    from filtered_feedback($date_from, $date_to, $directorates, $services, $channels, $wards)
    where rating is not null
)
select
    period,
    count(*) filter (where rating >= 4) as numerator,
    count(*) as denominator,
    numerator / denominator as value
from rated
group by period
order by period
