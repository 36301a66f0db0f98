-- One row per file with map points: how many points lay just outside every ward and were given
-- the nearest ward within the file's tolerance (snapped), and that tolerance in metres
-- (snap_metres; set by snap_metres in pulse.toml). Points farther out stay 'outside', with no
-- ward. No parameters.
select table_name, source_file, snapped, snap_metres
from sources
where snap_metres is not null
order by table_name, source_file
