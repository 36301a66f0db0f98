-- Tables derived once the sources are loaded.

-- One row per service: the directorate most of its requests name (feedback filters by it).
create table services as
with counts as (
    select service, directorate, count(*) as n
    from service_requests
    group by all
)
select service, arg_max(directorate, n) as directorate, sum(n) as requests
from counts
group by service
order by service;

-- Deciles the council supplied say so (derived ones already carry their method).
update ward_population
set imd_method = 'supplied in ' || source_file
where imd_decile is not null
    and imd_method is null;

-- Each request's month of making and of closing (the first day of the month, as
-- date_trunc('month', …)::date gives it), stored once so the monthly queries read a date instead of
-- working it out from every timestamp on every run.
alter table service_requests add column created_month date;
alter table service_requests add column closed_month date;

update service_requests
set created_month = date_trunc('month', created_at)::date,
    closed_month = date_trunc('month', closed_at)::date;

-- Each request's repeat flag: whether it was made within 7 days (7 × 24 hours) after an earlier
-- request from the same customer_ref about the same service. Of two made at the same moment the one
-- with the later request_id is the repeat. Done once at load: it needs the whole history, and the
-- KPI query then only reads the flag (a column, so it reads no other table).
alter table service_requests add column is_repeat boolean default false;

update service_requests
set is_repeat = true
where request_id in (
    with history as (
        select
            request_id,
            created_at,
            lag(created_at) over (partition by customer_ref, service order by created_at, request_id) as previous_at
        from service_requests
        where customer_ref is not null
    )
    select request_id
    from history
    where previous_at >= created_at - interval 7 day
);
