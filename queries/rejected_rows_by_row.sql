-- One row per rejected input row: its table, file, line, reason and the raw row as read.
-- $table_name: one table, or null for all.
select table_name, source_file, line, reason, raw
from rejected_rows
where $table_name is null or table_name = $table_name
order by table_name, source_file, line
