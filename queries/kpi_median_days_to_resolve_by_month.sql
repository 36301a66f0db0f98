-- One row per month requests were closed in: the median number of days (fractional) from a
-- request being made to its being closed. A median has no numerator (null); denominator is the
-- number of requests closed. Months are those of closing, so the latest month is not flattered
-- by the slow requests still open; the date range therefore selects requests closed in it.
-- The series starts at the first complete month ($complete_from, see closure_complete_from in
-- macros.sql): in the data's first weeks only quick requests can close, as the slow ones were
-- made before the data began, so those months would look better than they were.
-- $date_from $date_to $directorates $services $channels $wards: the shared filters.
-- $complete_from: queries/closure_complete_from.sql for the same filters (pulse.db supplies it).
with closed as (
    select
        closed_month as period,
        epoch(closed_at - created_at) / 86400 as days
    from closed_requests($date_from, $date_to, $directorates, $services, $channels, $wards)
    where closed_at >= $complete_from
)
select
    period,
    null::double as numerator,
    count(*) as denominator,
    median(days) as value
from closed
group by period
order by period
