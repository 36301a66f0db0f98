-- One row: the first and last day with a service request, and whether the data is synthetic.
-- With no requests loaded, the span of the feedback instead, and with neither, of the staff adoption
-- months (first day of the first month to last day of the last), so a council that starts with only
-- one of those exports still gets a date filter.
-- No parameters.
with spans as (
    select 1 as preference, min(created_at)::date as min_date, max(created_at)::date as max_date
    from service_requests
    union all
    select 2, min(submitted_at)::date, max(submitted_at)::date
    from feedback
    union all
    select 3, min(month)::date, (max(month) + interval 1 month - interval 1 day)::date
    from adoption
)
select
    arg_min(min_date, preference) filter (where min_date is not null) as min_date,
    arg_min(max_date, preference) filter (where max_date is not null) as max_date,
    (select count(*) from service_requests) as requests,
    coalesce((select value = 'true' from meta where key = 'synthetic'), false) as synthetic
from spans
