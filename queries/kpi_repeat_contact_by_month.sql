-- One row per month requests were made in: repeat contact = requests made within 7 days (7 × 24
-- hours) after an earlier request from the same customer_ref about the same service ÷ requests
-- with a customer_ref. The earlier request may lie outside the filters (an earlier month, another
-- channel): it is still the contact being repeated. Of two requests made at the same moment the
-- one with the later request_id is the repeat.
-- without_ref counts requests with no customer_ref, left out; when every request lacks one the
-- KPI is not available.
-- Repeats are flagged at load over the whole history (service_requests.is_repeat).
-- $date_from $date_to $directorates $services $channels $wards: the shared filters.
with requests as (
    select
        r.created_month as period,
        r.customer_ref,
        r.is_repeat
    from filtered_requests($date_from, $date_to, $directorates, $services, $channels, $wards) as r
)
select
    period,
    count(*) filter (where is_repeat) as numerator,
    count(customer_ref) as denominator,
    numerator / nullif(denominator, 0) as value,
    count(*) - count(customer_ref) as without_ref
from requests
group by period
order by period
