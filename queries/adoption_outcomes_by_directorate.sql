-- One row per directorate named by the chosen requests or ratings: its services' requests and how
-- many came through online or app (GOV.UK digital take-up), and its ratings on the 5-point scale
-- and how many were 4–5 (user satisfaction). Feedback finds its directorate through the services
-- table. Counts only; the page publishes the rates through the disclosure gate.
-- $date_from $date_to $directorates $services $channels $wards: the shared filters.
with requests as (
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
        count(*) filter (where rating between 4 and 5) as satisfied
    from filtered_feedback($date_from::date, $date_to::date, $directorates, $services, $channels, $wards)
    where directorate is not null
    group by directorate
)
select
    directorate,
    coalesce(requests.requests, 0) as requests,
    coalesce(requests.digital_requests, 0) as digital_requests,
    coalesce(ratings.ratings, 0) as ratings,
    coalesce(ratings.satisfied, 0) as satisfied
from requests
full join ratings using (directorate)
order by directorate
