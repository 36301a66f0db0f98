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

-- One row per request with a customer_ref: when the same customer last contacted about the same
-- service (null for a first contact). Done once at load: repeat contact needs the whole history.
create table contact_history as
select
    request_id,
    lag(created_at) over (partition by customer_ref, service order by created_at, request_id) as previous_at
from service_requests
where customer_ref is not null;
