-- One row per rating value of the rated responses in view, by each grain the Resident voice page
-- shows them at: grain = 'month' (period set), 'service' (service and its directorate set),
-- 'channel' (channel set) or 'ward' (ward_code set); the other grains' columns are null, and a null
-- in the grain's own column means not given on the feedback. value is '1' to '5' on the 5-point
-- scale, or 'good', 'average' or 'poor' for a response given only as a band. responses = how many.
-- Each grain adds up to the same responses: the disclosure gate protects each grain's table with
-- the distribution of values they share.
-- $date_from $date_to $directorates $services $channels $wards: the shared filters.
with rated as (
    select
        date_trunc('month', submitted_at)::date as period,
        service,
        directorate,
        channel,
        ward_code,
        coalesce(rating::varchar, rating_band) as value
    from filtered_feedback($date_from, $date_to, $directorates, $services, $channels, $wards)
    where rating_band is not null
)
select
    case
        when grouping(period) = 0 then 'month'
        when grouping(service) = 0 then 'service'
        when grouping(channel) = 0 then 'channel'
        else 'ward'
    end as grain,
    period,
    service,
    any_value(directorate) as directorate,
    channel,
    ward_code,
    value,
    count(*) as responses
from rated
group by grouping sets ((period, value), (service, value), (channel, value), (ward_code, value))
order by grain, period, service nulls last, channel nulls last, ward_code nulls last, value
