-- One row per month requests were made in: first-contact resolution = requests resolved at the
-- first contact ÷ requests for which resolved_first_contact was recorded (true or false); a
-- request with nothing recorded (often a web form) is left out rather than counted as a failure.
-- $date_from $date_to $directorates $services $channels $wards: the shared filters.
with recorded as (
    select created_month as period, resolved_first_contact
    from filtered_requests($date_from, $date_to, $directorates, $services, $channels, $wards)
    where resolved_first_contact is not null
)
select
    period,
    count(*) filter (where resolved_first_contact) as numerator,
    count(*) as denominator,
    numerator / denominator as value
from recorded
group by period
order by period
