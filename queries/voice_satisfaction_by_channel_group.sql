-- One row per channel group: digital (online, app), assisted (any other channel) and, when some
-- feedback names no channel, not known. responses, scale_ratings, satisfied (4–5), good, average,
-- poor and comments as in voice_satisfaction_by_month.sql. Counts only.
-- $date_from $date_to $directorates $services $channels $wards: the shared filters.
select
    case when channel in ('online', 'app') then 'digital' when channel is not null then 'assisted'
        else 'not known' end as channel_group,
    count(*) filter (where rating_band is not null) as responses,
    count(rating) as scale_ratings,
    count(*) filter (where rating >= 4) as satisfied,
    count(*) filter (where rating_band = 'good') as good,
    count(*) filter (where rating_band = 'average') as average,
    count(*) filter (where rating_band = 'poor') as poor,
    count(comment) as comments
from filtered_feedback($date_from, $date_to, $directorates, $services, $channels, $wards)
group by channel_group
order by case channel_group when 'digital' then 1 when 'assisted' then 2 else 3 end
