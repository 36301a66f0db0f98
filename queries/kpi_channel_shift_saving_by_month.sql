-- One row per month: channel-shift saving = what the month's requests would have cost at the
-- baseline period's channel mix − what they cost at the actual mix (numerator, £), over requests
-- whose channel has a unit cost (denominator); value is the saving per request, so that months
-- of high and low demand compare fairly. baseline_cost is £ per request at the baseline mix;
-- uncosted counts requests through channels with no unit cost, left out.
-- $date_from $date_to $directorates $services $channels $wards: the shared filters.
-- $baseline_from $baseline_to: the baseline period (dates, inclusive), under the same filters.
-- $cost_channels $cost_values: unit costs as two lists (channel, £ per transaction).
with unit_costs as (
    select unnest($cost_channels::varchar[]) as channel, unnest($cost_values::double[]) as cost_gbp
),

baseline as (
    select sum(unit_costs.cost_gbp) / nullif(count(unit_costs.cost_gbp), 0) as cost_per_request
    from filtered_requests($baseline_from, $baseline_to, $directorates, $services, $channels, $wards) as r
    left join unit_costs using (channel)
),

requests as (
    select created_month as period, unit_costs.cost_gbp
    from filtered_requests($date_from, $date_to, $directorates, $services, $channels, $wards) as r
    left join unit_costs using (channel)
)

select
    period,
    count(cost_gbp) * any_value(baseline.cost_per_request) - sum(cost_gbp) as numerator,
    count(cost_gbp) as denominator,
    numerator / nullif(denominator, 0) as value,
    any_value(baseline.cost_per_request) as baseline_cost,
    count(*) - count(cost_gbp) as uncosted
from requests
cross join baseline
group by period
order by period
