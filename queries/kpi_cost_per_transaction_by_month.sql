-- One row per month: cost per transaction = Σ requests × unit cost of their channel ÷ requests,
-- over requests whose channel has a unit cost (numerator: total £; denominator: those requests;
-- uncosted: requests through channels with no unit cost, left out and reported).
-- $date_from $date_to $directorates $services $channels $wards: the shared filters.
-- $cost_channels $cost_values: unit costs as two lists (channel, £ per transaction); the page passes
-- the loaded unit_costs table, or a reader's own figures for their session.
with unit_costs as (
    select unnest($cost_channels::varchar[]) as channel, unnest($cost_values::double[]) as cost_gbp
),

requests as (
    select created_month as period, unit_costs.cost_gbp
    from filtered_requests($date_from, $date_to, $directorates, $services, $channels, $wards) as r
    left join unit_costs using (channel)
)

select
    period,
    sum(cost_gbp) as numerator,
    count(cost_gbp) as denominator,
    numerator / nullif(denominator, 0) as value,
    count(*) - count(cost_gbp) as uncosted
from requests
group by period
order by period
