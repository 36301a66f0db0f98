-- One row per note about a loaded file that is not one row's rejection: dates written day first or
-- in an order that cannot be told (kind 'date_order'), outcomes that hold statuses
-- ('outcome_status'), how ward deprivation was derived ('deprivation'). Columns: table_name,
-- source_file, column_name (or null), kind, note (one sentence, with the pulse.toml line to add
-- where there is one). No parameters.
select table_name, source_file, column_name, kind, note
from source_notes
order by table_name, source_file, column_name, kind
