-- One row per month × ward × set of themes × rating of the comments in view: the cells every
-- theme table of the Resident voice page adds up, so that the disclosure gate can protect them
-- together (a comment with several themes is one comment: its set of themes says which it counts
-- in). themes = the comment's themes in the rules' order, joined by the ASCII record separator
-- (chr(30), which no theme name holds; empty: Other, no rule caught it);
-- rated = 'satisfied' (4–5 on the 5-point scale), 'not satisfied' (1–3) or 'not rated' (a band
-- only); ward_code is the feedback's own (null: not given). comments = how many; sentiment_sum =
-- the sum of their sentiment scores (−1 to +1 each), for the mean of a theme.
-- $date_from $date_to $directorates $services $channels $wards: the shared filters.
with commented as (
    select
        feedback_id,
        date_trunc('month', submitted_at)::date as period,
        ward_code,
        case when rating >= 4 then 'satisfied' when rating is not null then 'not satisfied'
            else 'not rated' end as rated,
        sentiment
    from filtered_feedback($date_from, $date_to, $directorates, $services, $channels, $wards)
    where comment is not null
)
select
    commented.period,
    commented.ward_code,
    coalesce(themed.themes, '') as themes,
    commented.rated,
    count(*) as comments,
    sum(commented.sentiment) as sentiment_sum
from commented
left join comment_theme_sets() as themed using (feedback_id)
group by commented.period, commented.ward_code, themes, commented.rated
order by commented.period, commented.ward_code nulls last, themes, commented.rated
