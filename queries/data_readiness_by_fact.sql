-- One row per fact the KPI page checks before it judges a KPI (pulse.metrics.readiness): fact, value.
-- On everything loaded, whatever the filters: '<table>' is the rows loaded, '<table>.<column>' the rows
-- where that column has a value (a rating given as a word counts as a rating).
-- Under the shared filters: digital_requests and assisted_requests (made online or by app, and through
-- any other channel), channel_costs (how many different unit costs the costed requests carry) and
-- rating_values (how many different ratings were given).
-- $date_from $date_to $directorates $services $channels $wards: the shared filters.
-- $cost_channels $cost_values: unit costs as two lists (channel, £ per transaction).
with unit_costs as (
    select unnest($cost_channels::varchar[]) as channel, unnest($cost_values::double[]) as cost_gbp
),

loaded_requests as (
    select
        count(*) as "service_requests",
        count(channel) as "service_requests.channel",
        count(closed_at) as "service_requests.closed_at",
        count(outcome) as "service_requests.outcome",
        count(due_at) as "service_requests.due_at",
        count(resolved_first_contact) as "service_requests.resolved_first_contact",
        count(customer_ref) as "service_requests.customer_ref"
    from service_requests
),

loaded_feedback as (
    select
        count(*) as "feedback",
        count(coalesce(rating::varchar, rating_band)) as "feedback.rating"
    from feedback
),

loaded_population as (
    select count(*) as "ward_population", count(population) as "ward_population.population"
    from ward_population
),

requests_in_view as (
    select
        count(*) filter (where r.channel in ('online', 'app')) as digital_requests,
        count(*) filter (where r.channel not in ('online', 'app')) as assisted_requests,
        count(distinct unit_costs.cost_gbp) as channel_costs
    from filtered_requests($date_from, $date_to, $directorates, $services, $channels, $wards) as r
    left join unit_costs using (channel)
),

ratings_in_view as (
    select count(distinct coalesce(rating::varchar, rating_band)) as rating_values
    from filtered_feedback($date_from, $date_to, $directorates, $services, $channels, $wards)
),

facts as (
    select *
    from loaded_requests, loaded_feedback, loaded_population, requests_in_view, ratings_in_view
)

unpivot facts on columns(*) into name fact value value
order by fact
