-- One row per month requests were closed in: resolved within target = requests closed by their
-- due_at ÷ requests closed that had a due_at. Months are those of closing, not of making, so the
-- latest month is not flattered by counting only the requests quick enough to be closed already;
-- the date range therefore selects requests closed in it.
-- The series starts at the first complete month ($complete_from, see closure_complete_from in
-- macros.sql): in the data's first weeks only quick requests can close, as the slow ones were
-- made before the data began, so those months would look better than they were.
-- $date_from $date_to $directorates $services $channels $wards: the shared filters.
-- $complete_from: queries/closure_complete_from.sql for the same filters (pulse.db supplies it).
with closed as (
    select closed_month as period, closed_at, due_at
    from closed_requests($date_from, $date_to, $directorates, $services, $channels, $wards)
    where due_at is not null and closed_at >= $complete_from
)
select
    period,
    count(*) filter (where closed_at <= due_at) as numerator,
    count(*) as denominator,
    numerator / denominator as value
from closed
group by period
order by period
