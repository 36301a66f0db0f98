-- One row per fact about the last load: source_dir, loaded_at, synthetic, wards. No parameters.
select key, value
from meta
order by key
