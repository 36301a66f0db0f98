-- One row per month with any dated record: how many records of every dated source fall in it —
-- service requests, feedback, staff adoption records and KPI values reported by hand. Used to find
-- the dense recent span of the data for the default date range. No parameters.
with months as (
    select created_month as month from service_requests
    union all
    select date_trunc('month', submitted_at)::date from feedback
    union all
    select month from adoption
    union all
    select date_trunc('month', period)::date from kpi_values
)

select month, count(*) as records
from months
where month is not null
group by month
order by month
