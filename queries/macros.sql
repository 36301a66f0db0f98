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

-- Requests closed between the dates (not made between them): counting by month closed keeps the
-- latest month from being flattered by the slow requests still open.
create or replace macro closed_requests(date_from, date_to, directorates, services, channels, wards) as table
select *
from filtered_requests(null, null, directorates, services, channels, wards)
where closed_at is not null
    and (date_from is null or closed_at >= date_from::date)
    and (date_to is null or closed_at < date_to::date + interval 1 day);

-- The closure KPIs start at the first complete month. The data begins at its first request; a
-- request made before then is missing, and it would have been closed in the data's first months, so
-- those months count only the quick requests. A month is complete when it starts at least as long
-- after the data began as 99 in 100 of the requests in view took to close (their own resolution
-- times, shared filters applied but not the dates), so at most about 1 in 100 of its closures can be
-- missing. complete_from is the first day of that month: the first month start at or after the
-- moment the data has run for the 99th-percentile resolution time (exact, so the same data always
-- gives the same month). The built-in closure KPIs take it as a parameter ($complete_from, worked
-- out once per filters by queries/closure_complete_from.sql) rather than from the macro below, so
-- that the percentile over every closed request is not worked out again by each of them.
create or replace macro closure_complete_from(directorates, services, channels, wards) as table
select date_trunc('month', data_from + to_microseconds(slowest) - interval 1 microsecond)
    + interval 1 month as complete_from
from (select min(created_at) as data_from from service_requests),
    (select quantile_disc(epoch_us(closed_at - created_at), 0.99) as slowest
     from closed_requests(null, null, directorates, services, channels, wards));

-- closed_requests with complete_from on every row, for a council's own closure KPI query.
create or replace macro filtered_closed_requests(date_from, date_to, directorates, services, channels, wards) as table
select closed.*, completeness.complete_from::date as complete_from
from closed_requests(date_from, date_to, directorates, services, channels, wards) as closed,
    closure_complete_from(directorates, services, channels, wards) as completeness;

-- Each comment's themes (found at load time, pulse.metrics.themes) as one value: the theme names in
-- the rules' order, joined by the ASCII record separator chr(30), which no theme name holds. One
-- row per feedback_id that has a theme; a comment no rule caught has no row.
create or replace macro comment_theme_sets() as table
select
    feedback_themes.feedback_id,
    string_agg(feedback_themes.theme, chr(30) order by themes.position) as themes
from feedback_themes
join themes using (theme)
group by feedback_themes.feedback_id;
