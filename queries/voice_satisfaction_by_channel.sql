-- One row per channel the feedback came through (null: not given), with channel_group digital
-- (online, app) or assisted (any other channel), so the two can be compared: responses,
-- scale_ratings, satisfied (4–5), good, average, poor and comments as in
-- voice_satisfaction_by_month.sql. Digital first, then busiest. Counts only.
-- $date_from $date_to $directorates $services $channels $wards: the shared filters.
select
    channel,
    case when channel in ('online', 'app') then 'digital' when channel is not null then 'assisted' end
        as channel_group,
    count(*) filter (where rating_band is not null) as responses,
    count(rating) as scale_ratings,
    count(*) filter (where rating >= 4) as satisfied,
    count(*) filter (where rating_band = 'good') as good,
    count(*) filter (where rating_band = 'average') as average,
    count(*) filter (where rating_band = 'poor') as poor,
    count(comment) as comments
from filtered_feedback($date_from, $date_to, $directorates, $services, $channels, $wards)
group by channel
order by channel_group = 'assisted', channel_group nulls last, responses desc, channel
