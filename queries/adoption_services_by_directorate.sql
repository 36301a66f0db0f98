-- One row per directorate with staff records in the chosen period: its leaders' adoption over
-- the period against the digital take-up and user satisfaction of its services.
-- Leader adoption = active person-activity-month records ÷ all of them, over every activity that
-- is not training, for executive and senior_leader (each adoption row is one person, month and
-- activity: the ingest rejects repeats). fewest_leaders is the smallest number of leaders in any
-- month (the most on any one activity that month): the group size suppression needs.
-- Digital take-up (GOV.UK) = requests through online or app ÷ all requests; satisfaction =
-- ratings of 4–5 ÷ all ratings, for the services whose requests name that directorate (feedback
-- via the services table).
-- $date_from $date_to $directorates $services $channels $wards: the shared filters.
with leader_activities as (
    select
        directorate,
        month,
        activity,
        count(*) as leaders,
        count(*) filter (where value > 0) as active
    from filtered_adoption($date_from::date, $date_to::date, $directorates)
    where role_level in ('executive', 'senior_leader')
        and not activity ilike '%training%'
    group by directorate, month, activity
),
leader_months as (
    select directorate, month, max(leaders) as leaders, sum(leaders) as records, sum(active) as active
    from leader_activities
    group by directorate, month
),
leader_period as (
    select
        directorate,
        count(*) as months,
        min(leaders) as fewest_leaders,
        sum(active) / sum(records) as leader_adoption
    from leader_months
    group by directorate
),
requests as (
    select
        directorate,
        count(*) as requests,
        count(*) filter (where channel in ('online', 'app')) as digital_requests
    from filtered_requests($date_from::date, $date_to::date, $directorates, $services, $channels, $wards)
    where directorate is not null
    group by directorate
),
ratings as (
    select
        directorate,
        count(*) filter (where rating between 1 and 5) as ratings,
        count(*) filter (where rating >= 4) as satisfied
    from filtered_feedback($date_from::date, $date_to::date, $directorates, $services, $channels, $wards)
    where directorate is not null
    group by directorate
)
select
    leader_period.directorate,
    leader_period.months,
    leader_period.fewest_leaders,
    leader_period.leader_adoption,
    coalesce(requests.requests, 0) as requests,
    coalesce(requests.digital_requests, 0) as digital_requests,
    requests.digital_requests / requests.requests as digital_takeup,
    coalesce(ratings.ratings, 0) as ratings,
    coalesce(ratings.satisfied, 0) as satisfied,
    ratings.satisfied / nullif(ratings.ratings, 0) as satisfaction
from leader_period
left join requests using (directorate)
left join ratings using (directorate)
order by leader_period.directorate
