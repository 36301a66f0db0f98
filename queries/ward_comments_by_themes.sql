-- The comments of one ward ($ward_code) by the set of themes each touches, for the ward profile:
-- the themes found at load time from the editable rules (pulse.metrics.themes, stored in
-- feedback_themes), the same ones the Resident voice page counts. themes = the comment's themes
-- in the rules' order, joined by the ASCII record separator (chr(30)); empty when no rule caught
-- it. comments = how many. The comments themselves never leave the server.
-- $ward_code: the ward's code. $date_from $date_to $directorates $services $channels $wards: the
-- shared filters.
with commented as (
    select feedback_id
    from filtered_feedback($date_from, $date_to, $directorates, $services, $channels, $wards)
    where ward_code = $ward_code
        and comment is not null
        and trim(comment) <> ''
)
select coalesce(themed.themes, '') as themes, count(*) as comments
from commented
left join comment_theme_sets() as themed using (feedback_id)
group by 1
order by 1
