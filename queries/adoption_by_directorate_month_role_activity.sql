-- One row per directorate × month × role level × activity: the people with a record (people) and
-- how many of them were active (value > 0). This is the finest grain the page's filters can
-- reach, so pulse.disclosure.staff can take out every group under the minimum here, before
-- anything is added up. Each adoption row is one person, month and activity (the ingest rejects
-- repeats), so counting rows counts people once. Counts only: no person id leaves the database.
-- A month with no records has no row (a gap, not a zero).
-- $date_from $date_to $directorates: the shared filters (service, channel and ward are not staff filters).
select
    directorate,
    month,
    role_level,
    activity,
    count(*) as people,
    count(*) filter (where value > 0) as active
from filtered_adoption($date_from::date, $date_to::date, $directorates)
group by directorate, month, role_level, activity
order by directorate, month, list_position(['executive', 'senior_leader', 'manager', 'staff'], role_level), activity
