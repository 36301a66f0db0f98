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
