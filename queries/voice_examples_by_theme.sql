-- One row per example comment: up to $per_theme comments for each theme (and Other), the most
-- recent first (ties by feedback_id), so the choice is the same on every run. The comment was
-- redacted at load. service, channel and ward_code are those of the linked request (request_id)
-- when there is one, else the feedback's own; linked says which. theme_comments = all comments of
-- the theme in view, so the disclosure gate can hold back examples from small groups.
-- $per_theme: examples per theme. $date_from $date_to $directorates $services $channels $wards:
-- the shared filters. The examples are chosen on ids and dates alone, and only theirs are read
-- in full (a comment's text and its linked request), not every comment's.
with commented as (
    select feedback_id, submitted_at
    from filtered_feedback($date_from, $date_to, $directorates, $services, $channels, $wards)
    where comment is not null
),
tagged as (
    select commented.feedback_id, commented.submitted_at, coalesce(feedback_themes.theme, 'Other') as theme
    from commented
    left join feedback_themes using (feedback_id)
),
catalogue as (
    select theme, position from themes
    union all
    select 'Other', (select coalesce(max(position), 0) + 1 from themes)
),
ranked as (
    select
        theme,
        feedback_id,
        row_number() over (partition by theme order by submitted_at desc, feedback_id) as example,
        count(*) over (partition by theme) as theme_comments
    from tagged
    qualify example <= $per_theme
)
select
    ranked.theme,
    catalogue.position,
    ranked.example,
    ranked.theme_comments,
    ranked.feedback_id,
    feedback.submitted_at,
    feedback.rating,
    feedback.sentiment_label,
    feedback.comment,
    feedback.request_id,
    service_requests.request_id is not null as linked,
    coalesce(service_requests.service, feedback.service) as service,
    coalesce(service_requests.channel, feedback.channel) as channel,
    coalesce(service_requests.ward_code, feedback.ward_code) as ward_code,
    wards.ward_name
from ranked
join catalogue using (theme)
join feedback using (feedback_id)
left join service_requests on service_requests.request_id = feedback.request_id
left join wards on wards.ward_code = coalesce(service_requests.ward_code, feedback.ward_code)
order by catalogue.position, ranked.example
