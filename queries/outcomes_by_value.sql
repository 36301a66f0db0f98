-- One row per outcome as written in the exports that matched no canonical outcome and was loaded
-- as 'other' (closed, but not a success): source_value, the loaded requests carrying it (rows) and
-- how many files it came from. A status such as 'Closed' shows up here until the mapping says what
-- it means. No parameters.
select
    source_value,
    sum(rows)::bigint as rows,
    count(distinct source_file) as files
from other_values
where table_name = 'service_requests'
    and column_name = 'outcome'
group by source_value
order by rows desc, source_value
