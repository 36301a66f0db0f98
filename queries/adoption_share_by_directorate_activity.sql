-- One row per directorate × activity × role group (leaders = executive and senior_leader; staff)
-- in the latest month of the chosen period that has any records: the people with a record that
-- month, how many were active (value > 0) and the share active. Each adoption row is one person,
-- month and activity (the ingest rejects repeats). Managers are in neither group. Every
-- directorate is its own row, so no figure here is a total a smaller group could be taken from.
-- $date_from $date_to $directorates: the shared filters.
with chosen as (
    select *
    from filtered_adoption($date_from::date, $date_to::date, $directorates)
    where role_level in ('executive', 'senior_leader', 'staff')
),
latest as (
    select max(month) as month
    from chosen
)
select
    month,
    directorate,
    activity,
    case when role_level = 'staff' then 'staff' else 'leaders' end as role_group,
    count(*) as people,
    count(*) filter (where value > 0) as active,
    count(*) filter (where value > 0) / count(*) as share
from chosen
join latest using (month)
group by month, directorate, activity, role_group
order by directorate, activity, role_group
