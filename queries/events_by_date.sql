-- One row per dated event in the date range that applies to what the filters show: events with
-- no scope always, events scoped to a service or ward only when that service or ward is in view.
-- date, label, service, ward_code.
-- $date_from $date_to $directorates $services $wards: the shared filters (channel does not apply).
select events.date, events.label, events.service, events.ward_code
from events
left join services using (service)
where ($date_from is null or events.date >= $date_from)
    and ($date_to is null or events.date <= $date_to)
    and (events.service is null or $services is null or list_contains($services, events.service))
    and (events.service is null or $directorates is null or list_contains($directorates, services.directorate))
    and (events.ward_code is null or $wards is null or list_contains($wards, events.ward_code))
order by events.date, events.label
