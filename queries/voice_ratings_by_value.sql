-- One row per rating value: the distribution of ratings. scale is '5-point' (value '1' to '5',
-- always all five rows, zeros included) or 'good/average/poor' for responses given only as a band
-- (those rows only when there are such responses); responses = how many.
-- $date_from $date_to $directorates $services $channels $wards: the shared filters.
with rated as (
    select rating, rating_band
    from filtered_feedback($date_from, $date_to, $directorates, $services, $channels, $wards)
    where rating_band is not null
),
scale as (
    select '5-point' as scale, value::varchar as value, value as position, count(rated.rating) as responses
    from range(1, 6) as points(value)
    left join rated on rated.rating = points.value
    group by value
),
bands as (
    select 'good/average/poor' as scale, rating_band as value,
        case rating_band when 'poor' then 6 when 'average' then 7 else 8 end as position,
        count(*) as responses
    from rated
    where rating is null
    group by rating_band
)
select scale, value, responses
from (select * from scale union all select * from bands)
order by position
