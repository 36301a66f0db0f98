-- One row per month feedback was given in: net satisfaction (GovMetric) = (good − poor) ÷ all
-- rated responses, from −1 to +1. Bands: 4–5 good, 3 average, 1–2 poor, or as given when the
-- response came as good/average/poor. numerator is good − poor; denominator all rated responses.
-- $date_from $date_to $directorates $services $channels $wards: the shared filters.
with rated as (
    select date_trunc('month', submitted_at)::date as period, rating_band
    from filtered_feedback($date_from, $date_to, $directorates, $services, $channels, $wards)
    where rating_band is not null
)
select
    period,
    count(*) filter (where rating_band = 'good') - count(*) filter (where rating_band = 'poor') as numerator,
    count(*) as denominator,
    numerator / denominator as value
from rated
group by period
order by period
