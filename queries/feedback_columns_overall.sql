-- One row: what the loaded exports give the Resident voice page, whatever the filters, so that it
-- can say plainly what another export would add. responses = feedback rows; comments, services,
-- channels and wards = how many of them have a comment, a service, a channel and a ward; linked =
-- whether any has a request_id that matches a loaded service request; boundaries = wards with
-- boundaries loaded; actions = "you said, we did" rows loaded. No parameters.
select
    (select count(*) from feedback) as responses,
    (select count(comment) from feedback) as comments,
    (select count(service) from feedback) as services,
    (select count(channel) from feedback) as channels,
    (select count(ward_code) from feedback) as wards,
    exists (
        select 1 from feedback join service_requests using (request_id) where feedback.request_id is not null
    ) as linked,
    (select count(*) from wards) as boundaries,
    (select count(*) from actions) as actions
