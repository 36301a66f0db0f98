-- One row per key of the chunk that was already loaded: where its first copy came from.
-- Reads the registered frame chunk_keys(key, line).
-- $table_name: the canonical table being loaded.
select chunk_keys.key, seen_keys.source_file, seen_keys.line
from chunk_keys
join seen_keys
    on seen_keys.table_name = $table_name
    and seen_keys.key = chunk_keys.key
