-- One row per theme, in the order the rules list them (themes with no comments included), then
-- Other for comments no rule caught: comments; mean_sentiment of those comments (-1 to +1);
-- positive and negative = comments labelled so; scale_ratings = of them rated on the 5-point
-- scale, satisfied = rated 4 or 5, share_satisfied = satisfied ÷ scale_ratings. A comment with
-- several themes counts in each. Counts and means only: the disclosure gate hides small groups.
-- $date_from $date_to $directorates $services $channels $wards: the shared filters.
with commented as (
    select feedback_id, rating, sentiment, sentiment_label
    from filtered_feedback($date_from, $date_to, $directorates, $services, $channels, $wards)
    where comment is not null
),
tagged as (
    select coalesce(feedback_themes.theme, 'Other') as theme, commented.*
    from commented
    left join feedback_themes using (feedback_id)
),
catalogue as (
    select theme, position from themes
    union all
    select 'Other', (select coalesce(max(position), 0) + 1 from themes)
)
select
    catalogue.theme,
    catalogue.position,
    count(tagged.feedback_id) as comments,
    avg(tagged.sentiment) as mean_sentiment,
    count(*) filter (where tagged.sentiment_label = 'positive') as positive,
    count(*) filter (where tagged.sentiment_label = 'negative') as negative,
    count(tagged.rating) as scale_ratings,
    count(*) filter (where tagged.rating >= 4) as satisfied,
    satisfied / nullif(scale_ratings, 0) as share_satisfied
from catalogue
left join tagged using (theme)
group by catalogue.theme, catalogue.position
order by catalogue.position
