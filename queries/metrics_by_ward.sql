-- One row per ward on the map (level 'ward', every ward, even with no requests), plus one row
-- (level 'unmapped', ward_code null) for rows no ward on the map holds — no ward given, an old or
-- unknown code, a point outside every ward — and one (level 'borough') for every row: the counts
-- behind each ward metric, then the metrics, named as pulse.registry names the measures. Unmapped
-- rows count in the borough row.
--   requests and digital take-up (online or app ÷ requests): requests made in the date range;
--   median days to resolve and resolved within target (closed by due_at ÷ closed with a due_at):
--   requests closed in the date range, as on the KPI pages; user satisfaction: ratings of 4–5 ÷
--   ratings on the 5-point scale; requests per 1,000 residents where population is known.
-- $date_from $date_to $directorates $services $channels $wards: the shared filters.
with made as (
    select
        grouping(ward_code) = 1 as is_borough,
        ward_code,
        count(*) as requests,
        count(*) filter (where channel in ('online', 'app')) as digital_requests
    from filtered_requests($date_from, $date_to, $directorates, $services, $channels, $wards)
    group by grouping sets ((ward_code), ())
),

closed as (
    select
        grouping(ward_code) = 1 as is_borough,
        ward_code,
        count(*) as closed_requests,
        median(epoch(closed_at - created_at) / 86400) as median_days_to_resolve,
        count(due_at) as closed_with_due,
        count(*) filter (where closed_at <= due_at) as closed_within_target
    from closed_requests($date_from, $date_to, $directorates, $services, $channels, $wards)
    group by grouping sets ((ward_code), ())
),

rated as (
    select
        grouping(ward_code) = 1 as is_borough,
        ward_code,
        count(*) as feedback,
        count(rating) as ratings,
        count(*) filter (where rating >= 4) as satisfied
    from filtered_feedback($date_from, $date_to, $directorates, $services, $channels, $wards)
    group by grouping sets ((ward_code), ())
),

mapped as (
    select wards.ward_code, wards.ward_name, wards.area_km2, ward_population.population,
        ward_population.imd_decile
    from wards
    left join ward_population using (ward_code)
    where $wards is null or list_contains($wards, wards.ward_code)
),

levels as (
    select 'ward' as level, false as is_borough, ward_code, ward_name, area_km2, population, imd_decile
    from mapped
    union all
    select 'unmapped', false, null, null, null, null, null
    union all
    select 'borough', true, null, null, sum(area_km2), sum(population), null
    from mapped
),

counts as (
    select
        levels.level,
        levels.ward_code,
        levels.ward_name,
        levels.area_km2,
        levels.population,
        levels.imd_decile,
        coalesce(made.requests, 0) as requests,
        coalesce(made.digital_requests, 0) as digital_requests,
        coalesce(closed.closed_requests, 0) as closed_requests,
        closed.median_days_to_resolve,
        coalesce(closed.closed_with_due, 0) as closed_with_due,
        coalesce(closed.closed_within_target, 0) as closed_within_target,
        coalesce(rated.feedback, 0) as feedback,
        coalesce(rated.ratings, 0) as ratings,
        coalesce(rated.satisfied, 0) as satisfied
    from levels
    left join made
        on made.is_borough = levels.is_borough and made.ward_code is not distinct from levels.ward_code
    left join closed
        on closed.is_borough = levels.is_borough and closed.ward_code is not distinct from levels.ward_code
    left join rated
        on rated.is_borough = levels.is_borough and rated.ward_code is not distinct from levels.ward_code
)

select
    *,
    1000.0 * requests / nullif(population, 0) as requests_per_1000,
    digital_requests / nullif(requests, 0) as digital_takeup,
    satisfied / nullif(ratings, 0) as user_satisfaction,
    closed_within_target / nullif(closed_with_due, 0) as resolved_within_target
from counts
order by level = 'borough', level = 'unmapped', ward_code
