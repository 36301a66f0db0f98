-- One row per theme comments are sorted into, in the order the rules list them: theme, position,
-- rule (the rule in words) and source (the defaults, the council's themes.toml, or both).
-- Comments no rule catches are "Other", which is not a row here. No parameters.
select theme, position, rule, source
from themes
order by position
