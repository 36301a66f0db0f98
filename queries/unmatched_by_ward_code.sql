-- One row per table and ward given that no ward on the map holds: requests and feedback with an
-- old or unknown ward code or name (how 'unmatched', ward_given the code as written), a point
-- outside every ward (how 'outside') or no ward at all (how 'none'), and the rows. These rows
-- count in every borough total; they just cannot be drawn.
-- $date_from $date_to $directorates $services $channels $wards: the shared filters.
with lost as (
    select 'service_requests' as table_name, ward_match as how, ward_given
    from filtered_requests($date_from, $date_to, $directorates, $services, $channels, $wards)
    where ward_code is null
    union all
    select 'feedback', ward_match, ward_given
    from filtered_feedback($date_from, $date_to, $directorates, $services, $channels, $wards)
    where ward_code is null
)

select
    table_name,
    coalesce(how, 'none') as how,
    case when how = 'unmatched' then ward_given end as ward_given,
    count(*) as rows
from lost
group by all
order by table_name desc, rows desc, how, ward_given
