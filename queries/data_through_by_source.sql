-- One row per source a KPI can be computed from: source (service_requests, feedback) and
-- last_date, the last day with a record under the filters, so a KPI card can say how fresh it is.
-- $date_from $date_to $directorates $services $channels $wards: the shared filters.
select 'service_requests' as source, max(created_at)::date as last_date
from filtered_requests($date_from, $date_to, $directorates, $services, $channels, $wards)
union all
select 'feedback', max(submitted_at)::date
from filtered_feedback($date_from, $date_to, $directorates, $services, $channels, $wards)
order by source
