-- One row per value a shared filter can take: dimension (directorate, service, channel, ward),
-- value (what the filter matches) and label (what the reader sees). Directorates come from the
-- services and from the staff adoption records, so a directorate with staff but no services (or a
-- council that loads only an adoption export) can still be chosen. No parameters.
select 'directorate' as dimension, directorate as value, directorate as label
from (
    select directorate from services
    union
    select directorate from adoption
)
where directorate is not null
group by all
union all
select 'service', service, service
from services
union all
select 'channel', channel, channel
from (select distinct channel from service_requests)
union all
select 'ward', ward_code, coalesce(ward_name, ward_code)
from wards
order by dimension, label
