-- One row per "you said, we did" action in the date range that applies to what the filters
-- show: actions with no service always, actions about a service only when that service (and its
-- directorate) is in view. date, description, theme, service. Empty when the council supplies no
-- actions file. $date_from $date_to $directorates $services: the shared filters (channel and
-- ward do not apply).
select actions.date, actions.description, actions.theme, actions.service
from actions
left join services using (service)
where ($date_from is null or actions.date >= $date_from)
    and ($date_to is null or actions.date <= $date_to)
    and (actions.service is null or $services is null or list_contains($services, actions.service))
    and (actions.service is null or $directorates is null or list_contains($directorates, services.directorate))
order by actions.date, actions.description
