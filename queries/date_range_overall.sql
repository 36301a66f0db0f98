-- One row: the first and last day with data in any dated source — service requests, feedback,
-- adoption months (a month runs from its first day to its last) and KPI values reported by hand — so that
-- every source's dates can be chosen; how many service requests there are; and whether the data
-- is synthetic. Events are left out: they may be planned beyond the data. No parameters.
with spans as (
    select min(created_at)::date as first_day, max(created_at)::date as last_day
    from service_requests
    union all
    select min(submitted_at)::date, max(submitted_at)::date
    from feedback
    union all
    select min(month), (max(month) + interval 1 month - interval 1 day)::date
    from adoption
    union all
    select min(period), max(period)
    from kpi_values
)

select
    (select min(first_day) from spans) as min_date,
    (select max(last_day) from spans) as max_date,
    (select count(*) from service_requests) as requests,
    coalesce((select value = 'true' from meta where key = 'synthetic'), false) as synthetic
