-- One row per directorate × month: leaders' and staff's adoption and the directorate's training
-- completion. Adoption = active person-activity records ÷ all of them over every activity that is
-- not training (an activity whose name contains "training"); each adoption row is one person,
-- month and activity (the ingest rejects repeats). Leaders = executive and senior_leader, staff =
-- role level staff. Group sizes (leaders, staff) are the most people the group has on any one
-- activity that month. Training completion = training records showing completion (value > 0) ÷
-- all training records, over every role level (with one training activity: people trained ÷
-- people); smallest_group is the smallest non-empty role group (leaders, managers, staff): the
-- training figure covers them all, so it is only shown when none of them is small. A month with
-- no records has no row.
-- $date_from $date_to $directorates: the shared filters.
with by_activity as (
    select
        month,
        directorate,
        activity,
        case
            when role_level in ('executive', 'senior_leader') then 'leaders'
            when role_level = 'manager' then 'managers'
            else 'staff'
        end as role_group,
        activity ilike '%training%' as training,
        count(*) as people,
        count(*) filter (where value > 0) as active
    from filtered_adoption($date_from::date, $date_to::date, $directorates)
    group by month, directorate, activity, role_group
),
groups as (
    select
        month,
        directorate,
        coalesce(max(people) filter (where role_group = 'leaders'), 0) as leaders,
        sum(people) filter (where role_group = 'leaders' and not training) as leader_records,
        sum(active) filter (where role_group = 'leaders' and not training) as leader_active,
        coalesce(max(people) filter (where role_group = 'managers'), 0) as managers,
        coalesce(max(people) filter (where role_group = 'staff'), 0) as staff,
        sum(people) filter (where role_group = 'staff' and not training) as staff_records,
        sum(active) filter (where role_group = 'staff' and not training) as staff_active
    from by_activity
    group by month, directorate
),
training as (
    select month, directorate, sum(people) as training_records, sum(active) as training_completed
    from by_activity
    where training
    group by month, directorate
)
select
    month,
    directorate,
    leaders,
    leader_active / leader_records as leader_adoption,
    staff,
    staff_active / staff_records as staff_adoption,
    training.training_records::bigint as training_records,
    training.training_completed::bigint as training_completed,
    training.training_completed / training.training_records as training_completion,
    list_min(list_filter([leaders, managers, staff], lambda n: n > 0)) as smallest_group
from groups
left join training using (month, directorate)
order by directorate, month
