-- One row per month feedback was given in: how residents rated us. responses = every rated
-- response; scale_ratings = those on the 5-point scale, of which satisfied = 4 or 5 (user
-- satisfaction = satisfied ÷ scale_ratings); good, average, poor = GovMetric bands (4–5, 3, 1–2,
-- or as given; net satisfaction = (good − poor) ÷ responses); comments = responses with a comment.
-- Counts only: small numbers are hidden later, by the disclosure gate.
-- $date_from $date_to $directorates $services $channels $wards: the shared filters.
select
    date_trunc('month', submitted_at)::date as period,
    count(*) filter (where rating_band is not null) as responses,
    count(rating) as scale_ratings,
    count(*) filter (where rating >= 4) as satisfied,
    count(*) filter (where rating_band = 'good') as good,
    count(*) filter (where rating_band = 'average') as average,
    count(*) filter (where rating_band = 'poor') as poor,
    count(comment) as comments
from filtered_feedback($date_from, $date_to, $directorates, $services, $channels, $wards)
group by period
order by period
