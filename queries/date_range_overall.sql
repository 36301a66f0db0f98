-- One row: the first and last day with a service request, and whether the data is synthetic.
-- No parameters.
select
    min(created_at)::date as min_date,
    max(created_at)::date as max_date,
    count(*) as requests,
    coalesce((select value = 'true' from meta where key = 'synthetic'), false) as synthetic
from service_requests
