-- One row per month requests were closed in: completion rate (GOV.UK) = requests closed with a
-- successful outcome (completed, or told they are not eligible) ÷ requests closed. Months are those
-- of closing, as for the other closure KPIs, so the latest month is not flattered by counting only
-- the requests quick enough to be closed already; the date range selects requests closed in it.
-- The series starts at the first complete month ($complete_from, see closure_complete_from in
-- macros.sql): in the data's first weeks only quick requests can close, as the slow ones were
-- made before the data began, so those months would look better than they were.
-- $date_from $date_to $directorates $services $channels $wards: the shared filters.
-- $complete_from: queries/closure_complete_from.sql for the same filters (pulse.db supplies it).
with closed as (
    select closed_month as period, outcome
    from closed_requests($date_from, $date_to, $directorates, $services, $channels, $wards)
    where closed_at >= $complete_from
)
select
    period,
    count(*) filter (where outcome in ('completed', 'not_eligible')) as numerator,
    count(*) as denominator,
    numerator / denominator as value
from closed
group by period
order by period
