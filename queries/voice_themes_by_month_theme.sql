-- One row per month × theme, for the themes' trend: every month from the first to the last
-- comment in view, every theme (and Other, for comments no rule caught), zeros included.
-- comments = comments of that theme that month; month_comments = all comments that month (a
-- comment with several themes counts once there); mean_sentiment of the theme's comments.
-- $date_from $date_to $directorates $services $channels $wards: the shared filters.
with commented as (
    select feedback_id, date_trunc('month', submitted_at)::date as period, sentiment
    from filtered_feedback($date_from, $date_to, $directorates, $services, $channels, $wards)
    where comment is not null
),
tagged as (
    select commented.period, coalesce(feedback_themes.theme, 'Other') as theme, commented.sentiment
    from commented
    left join feedback_themes using (feedback_id)
),
months as (
    select unnest(generate_series(min(period), max(period), interval 1 month))::date as period
    from commented
),
catalogue as (
    select theme, position from themes
    union all
    select 'Other', (select coalesce(max(position), 0) + 1 from themes)
),
totals as (
    select period, count(*) as month_comments
    from commented
    group by period
)
select
    months.period,
    catalogue.theme,
    catalogue.position,
    count(tagged.theme) as comments,
    coalesce(any_value(totals.month_comments), 0) as month_comments,
    avg(tagged.sentiment) as mean_sentiment
from months
cross join catalogue
left join tagged on tagged.period = months.period and tagged.theme = catalogue.theme
left join totals on totals.period = months.period
group by months.period, catalogue.theme, catalogue.position
order by months.period, catalogue.position
