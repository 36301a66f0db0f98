-- Records the keys of a chunk's loaded rows. Reads the registered frame chunk_keys(key, line).
-- $table_name, $source_file: where the rows came from.
insert into seen_keys
select $table_name, key, $source_file, line
from chunk_keys
