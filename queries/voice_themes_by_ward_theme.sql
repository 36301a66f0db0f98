-- One row per ward × theme that ward's comments mention (Other: comments no rule caught), for a
-- ward's top themes: ward_code, ward_name, theme, position (the rules' order), comments,
-- ward_comments (all comments from the ward; a comment with several themes counts once),
-- mean_sentiment, scale_ratings and satisfied (4–5) of the theme's comments. Feedback with no
-- ward is left out. Most mentioned first within each ward. Counts only.
-- $date_from $date_to $directorates $services $channels $wards: the shared filters.
with commented as (
    select feedback_id, ward_code, rating, sentiment
    from filtered_feedback($date_from, $date_to, $directorates, $services, $channels, $wards)
    where comment is not null
        and ward_code is not null
),
tagged as (
    select commented.*, coalesce(feedback_themes.theme, 'Other') as theme
    from commented
    left join feedback_themes using (feedback_id)
),
catalogue as (
    select theme, position from themes
    union all
    select 'Other', (select coalesce(max(position), 0) + 1 from themes)
),
totals as (
    select ward_code, count(*) as ward_comments
    from commented
    group by ward_code
)
select
    tagged.ward_code,
    any_value(wards.ward_name) as ward_name,
    tagged.theme,
    any_value(catalogue.position) as position,
    count(*) as comments,
    any_value(totals.ward_comments) as ward_comments,
    avg(tagged.sentiment) as mean_sentiment,
    count(tagged.rating) as scale_ratings,
    count(*) filter (where tagged.rating >= 4) as satisfied
from tagged
join catalogue using (theme)
join totals using (ward_code)
left join wards using (ward_code)
group by tagged.ward_code, tagged.theme
order by tagged.ward_code, comments desc, position
