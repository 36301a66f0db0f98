-- One row per table × kind of reason: how many rows were rejected for it. The kind is the
-- reason with quoted values and line numbers blanked, so that "unknown channel 'Fax'" and
-- "unknown channel 'Telex'" count together. No parameters.
select
    table_name,
    regexp_replace(regexp_replace(reason, '''[^'']*''', '''…''', 'g'), 'line [0-9]+', 'line …', 'g') as reason,
    count(*) as rows
from rejected_rows
group by all
order by table_name, rows desc, reason
