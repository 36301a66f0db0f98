-- One row: whether the exports the "does it show in services?" comparison needs were loaded at
-- all, whatever the filters: service requests (requests), requests naming a directorate
-- (requests_with_directorate), ratings (ratings) and ratings whose service has a directorate
-- (ratings_with_directorate). Yes or no only, so the page can say which export is missing.
-- No parameters.
select
    (select count(*) > 0 from service_requests) as requests,
    (select count(*) > 0 from service_requests where directorate is not null) as requests_with_directorate,
    (select count(*) > 0 from feedback where rating between 1 and 5) as ratings,
    (select count(*) > 0 from feedback join services using (service)
     where services.directorate is not null and rating between 1 and 5) as ratings_with_directorate
