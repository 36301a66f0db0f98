-- One row per KPI in the council's catalogue (the kpis table), in the order the file lists them:
-- id, name, challenge, unit, polarity (higher/lower), target, definition (a query name or
-- 'manual'), owner and frequency (weekly/monthly/quarterly). No parameters.
select id, name, challenge, unit, polarity, target, definition, owner, frequency
from kpis
order by source_file, source_line, id
