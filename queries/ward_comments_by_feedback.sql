-- One row per feedback comment from one ward ($ward_code): the comment (redacted at load) and
-- its rating, for counting themes. Comments never leave the server; only theme counts do.
-- $ward_code: the ward's code. $date_from $date_to $directorates $services $channels $wards: the
-- shared filters.
select feedback_id, rating, comment
from filtered_feedback($date_from, $date_to, $directorates, $services, $channels, $wards)
where ward_code = $ward_code
    and comment is not null
    and trim(comment) <> ''
order by feedback_id
