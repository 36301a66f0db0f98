-- One row per column of every table the load made: table_name, column_name. The Data page asks it
-- which optional tables and columns a database has (a newer ingest adds notes and counts per
-- file), so a section whose table is absent is simply left out. No parameters.
select table_name, column_name
from duckdb_columns()
where database_name = current_database()
    and schema_name = 'main'
order by table_name, column_index
