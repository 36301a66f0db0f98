-- One row per month with requests or feedback: the counts behind digital take-up and user
-- satisfaction for one ward ($ward_code) and for the whole borough (every row, mapped or not).
-- $ward_code: the ward's code. $date_from $date_to $directorates $services $channels $wards: the
-- shared filters.
with requests as (
    select
        date_trunc('month', created_at)::date as period,
        ward_code is not distinct from $ward_code as in_ward,
        channel in ('online', 'app') as digital
    from filtered_requests($date_from, $date_to, $directorates, $services, $channels, $wards)
),

feedback as (
    select
        date_trunc('month', submitted_at)::date as period,
        ward_code is not distinct from $ward_code as in_ward,
        rating
    from filtered_feedback($date_from, $date_to, $directorates, $services, $channels, $wards)
),

request_counts as (
    select
        period,
        count(*) filter (where in_ward) as ward_requests,
        count(*) filter (where in_ward and digital) as ward_digital,
        count(*) as borough_requests,
        count(*) filter (where digital) as borough_digital
    from requests
    group by period
),

feedback_counts as (
    select
        period,
        count(rating) filter (where in_ward) as ward_ratings,
        count(*) filter (where in_ward and rating >= 4) as ward_satisfied,
        count(rating) as borough_ratings,
        count(*) filter (where rating >= 4) as borough_satisfied
    from feedback
    group by period
)

select
    period,
    coalesce(ward_requests, 0) as ward_requests,
    coalesce(ward_digital, 0) as ward_digital,
    coalesce(borough_requests, 0) as borough_requests,
    coalesce(borough_digital, 0) as borough_digital,
    coalesce(ward_ratings, 0) as ward_ratings,
    coalesce(ward_satisfied, 0) as ward_satisfied,
    coalesce(borough_ratings, 0) as borough_ratings,
    coalesce(borough_satisfied, 0) as borough_satisfied
from request_counts
full join feedback_counts using (period)
order by period
