-- One row per ward on the map (ward_code; null for requests no ward on the map holds) and kind of
-- closure: with_due (the request had a due date) and on_time (closed by it). Requests closed in the
-- date range, as on the KPI pages.
-- $date_from $date_to $directorates $services $channels $wards: the shared filters.
select
    ward_code,
    due_at is not null as with_due,
    coalesce(closed_at <= due_at, false) as on_time,
    count(*) as closed
from closed_requests($date_from, $date_to, $directorates, $services, $channels, $wards)
group by all
order by ward_code nulls last, with_due, on_time
