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

-- One row per repeat contact: a request made within 7 days (7 × 24 hours) after an earlier request
-- from the same customer_ref about the same service. Of two made at the same moment the one with
-- the later request_id is the repeat. Done once at load: it needs the whole history, and the KPI
-- query then only has to look requests up in it.
create table repeat_contacts as
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
where previous_at >= created_at - interval 7 day;
