-- One row per month × activity across the chosen directorates: leaders (executive and
-- senior_leader) against staff (role level staff; managers sit between and are in neither). For
-- each: the people with a record that month, how many were active (value > 0) and the share
-- active; gap = leader share − staff share. Each adoption row is one person, month and activity
-- (the ingest rejects repeats); a month with no records has no row (a gap, not a zero).
-- For suppression (see adoption_share_by_role_month_activity): *_elsewhere = the same group in the
-- directorates left out; *_smallest_directorate = its fewest people in any one directorate.
-- $date_from $date_to $directorates: the shared filters.
with by_directorate as (
    select
        month,
        activity,
        directorate,
        case when role_level = 'staff' then 'staff' else 'leaders' end as role_group,
        $directorates is null or list_contains($directorates, directorate) as chosen,
        count(*) as people,
        count(*) filter (where value > 0) as active
    from filtered_adoption($date_from::date, $date_to::date, null)
    where role_level in ('executive', 'senior_leader', 'staff')
    group by month, activity, directorate, role_group
),
groups as (
    select
        month,
        activity,
        coalesce(sum(people) filter (where chosen and role_group = 'leaders'), 0)::bigint as leaders,
        coalesce(sum(active) filter (where chosen and role_group = 'leaders'), 0)::bigint as leaders_active,
        coalesce(sum(people) filter (where not chosen and role_group = 'leaders'), 0)::bigint as leaders_elsewhere,
        min(people) filter (where role_group = 'leaders') as leaders_smallest_directorate,
        coalesce(sum(people) filter (where chosen and role_group = 'staff'), 0)::bigint as staff,
        coalesce(sum(active) filter (where chosen and role_group = 'staff'), 0)::bigint as staff_active,
        coalesce(sum(people) filter (where not chosen and role_group = 'staff'), 0)::bigint as staff_elsewhere,
        min(people) filter (where role_group = 'staff') as staff_smallest_directorate
    from by_directorate
    group by month, activity
)
select
    month,
    activity,
    leaders,
    leaders_active,
    leaders_active / nullif(leaders, 0) as leader_share,
    staff,
    staff_active,
    staff_active / nullif(staff, 0) as staff_share,
    leader_share - staff_share as gap,
    leaders_elsewhere,
    leaders_smallest_directorate,
    staff_elsewhere,
    staff_smallest_directorate
from groups
where leaders > 0 or staff > 0
order by month, activity
