-- One row per file × kind of reason: its table, the file, the kind of reason and how many of the
-- file's rows were rejected for it. The kind is the reason with quoted values and line numbers
-- blanked, so that "unknown channel 'Fax'" and "unknown channel 'Telex'" count together and no
-- value from a row is repeated. No parameters.
select
    table_name,
    source_file,
    regexp_replace(regexp_replace(reason, '''[^'']*''', '''…''', 'g'), 'line [0-9]+', 'line …', 'g') as reason,
    count(*) as rows
from rejected_rows
group by all
order by table_name, source_file, rows desc, reason
