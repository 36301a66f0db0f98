-- One row per month × activity × role level (executive, senior_leader, manager, staff) across the
-- chosen directorates: the people with a record that month (people), how many were active
-- (value > 0) and the share active. Each row of the adoption table is one person, month and
-- activity (the ingest rejects a second row for the same three), so counting rows counts people
-- once; a month with no records has no row (a gap, not a zero).
-- For suppression, which must stop a small group being recovered by subtracting one selection's
-- figure from another's: people_elsewhere = the same role level in the directorates left out, and
-- smallest_directorate = the fewest people this role level has in any one directorate that month.
-- $date_from $date_to $directorates: the shared filters (service, channel and ward are not staff filters).
with by_directorate as (
    select
        month,
        activity,
        role_level,
        directorate,
        $directorates is null or list_contains($directorates, directorate) as chosen,
        count(*) as people,
        count(*) filter (where value > 0) as active
    from filtered_adoption($date_from::date, $date_to::date, null)
    group by month, activity, role_level, directorate
),
groups as (
    select
        month,
        activity,
        role_level,
        coalesce(sum(people) filter (where chosen), 0)::bigint as people,
        coalesce(sum(active) filter (where chosen), 0)::bigint as active,
        coalesce(sum(people) filter (where not chosen), 0)::bigint as people_elsewhere,
        min(people) as smallest_directorate
    from by_directorate
    group by month, activity, role_level
)
select
    month,
    activity,
    role_level,
    people,
    active,
    active / people as share,
    people_elsewhere,
    smallest_directorate
from groups
where people > 0
order by month, activity, list_position(['executive', 'senior_leader', 'manager', 'staff'], role_level)
