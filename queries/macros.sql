-- Table macros that apply the shared filters, so every query file filters the same way.
-- Created by the ingest (a read-only database cannot create them later).
-- Arguments: date_from, date_to (dates, inclusive; null = open), and lists of directorates,
-- services, channels and ward codes (null = all).

create or replace macro filtered_requests(date_from, date_to, directorates, services, channels, wards) as table
select *
from service_requests
where (date_from is null or created_at >= date_from::date)
    and (date_to is null or created_at < date_to::date + interval 1 day)
    and (directorates is null or list_contains(directorates, directorate))
    and (services is null or list_contains(services, service))
    and (channels is null or list_contains(channels, channel))
    and (wards is null or list_contains(wards, ward_code));

create or replace macro filtered_feedback(date_from, date_to, directorates, services, channels, wards) as table
select feedback.*, services.directorate
from feedback
left join services using (service)
where (date_from is null or submitted_at >= date_from::date)
    and (date_to is null or submitted_at < date_to::date + interval 1 day)
    and (directorates is null or list_contains(directorates, services.directorate))
    and (services is null or list_contains(services, feedback.service))
    and (channels is null or list_contains(channels, feedback.channel))
    and (wards is null or list_contains(wards, feedback.ward_code));

create or replace macro filtered_adoption(date_from, date_to, directorates) as table
select *
from adoption
where (date_from is null or month >= date_trunc('month', date_from::date))
    and (date_to is null or month <= date_to::date)
    and (directorates is null or list_contains(directorates, directorate));

-- Requests closed between the dates (not made between them), for the closure KPIs: counting by
-- month closed keeps the latest month from being flattered by the slow requests still open.
create or replace macro filtered_closed_requests(date_from, date_to, directorates, services, channels, wards) as table
select *
from filtered_requests(null, null, directorates, services, channels, wards)
where closed_at is not null
    and (date_from is null or closed_at >= date_from::date)
    and (date_to is null or closed_at < date_to::date + interval 1 day);
