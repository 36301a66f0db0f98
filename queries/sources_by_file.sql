-- One row per source file loaded: rows read, loaded and rejected, date range, rows without a
-- ward, rows whose ward matched no boundary (with the commonest unmatched codes), when loaded.
-- No parameters.
select
    table_name,
    source_file,
    rows_read,
    rows_loaded,
    rows_rejected,
    min_date::date as first_date,
    max_date::date as last_date,
    no_ward,
    unmatched_wards,
    unmatched_codes,
    file_modified,
    loaded_at
from sources
order by table_name, source_file
