-- One row per month requests were made in: completion rate (GOV.UK) = requests closed with a
-- successful outcome (completed, or told they are not eligible) ÷ requests closed.
-- $date_from $date_to $directorates $services $channels $wards: the shared filters.
with closed as (
    select date_trunc('month', created_at)::date as period, outcome
    from filtered_requests($date_from, $date_to, $directorates, $services, $channels, $wards)
    where closed_at is not null
)
select
    period,
    count(*) filter (where outcome in ('completed', 'not_eligible')) as numerator,
    count(*) as denominator,
    numerator / denominator as value
from closed
group by period
order by period
