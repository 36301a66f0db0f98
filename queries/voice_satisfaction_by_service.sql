-- One row per service named on the feedback (null: not given): responses, scale_ratings,
-- satisfied (4–5), good, average, poor and comments, as in voice_satisfaction_by_month.sql.
-- Busiest service first. Counts only.
-- $date_from $date_to $directorates $services $channels $wards: the shared filters.
select
    service,
    any_value(directorate) as directorate,
    count(*) filter (where rating_band is not null) as responses,
    count(rating) as scale_ratings,
    count(*) filter (where rating >= 4) as satisfied,
    count(*) filter (where rating_band = 'good') as good,
    count(*) filter (where rating_band = 'average') as average,
    count(*) filter (where rating_band = 'poor') as poor,
    count(comment) as comments
from filtered_feedback($date_from, $date_to, $directorates, $services, $channels, $wards)
group by service
order by responses desc, service nulls last
