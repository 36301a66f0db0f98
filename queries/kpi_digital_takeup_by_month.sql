-- One row per month (period = first day): digital take-up (GOV.UK) = requests through online or
-- app ÷ requests through all channels; numerator and denominator are the two counts.
-- $date_from $date_to $directorates $services $channels $wards: the shared filters.
with requests as (
    select created_month as period, channel
    from filtered_requests($date_from, $date_to, $directorates, $services, $channels, $wards)
)
select
    period,
    count(*) filter (where channel in ('online', 'app')) as numerator,
    count(*) as denominator,
    numerator / denominator as value
from requests
group by period
order by period
