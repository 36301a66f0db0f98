-- One row per saved view, by name (case-insensitive order): name, page, query (JSON), saved_at.
-- $name: one view's name, or null for every view.
select name, page, query, saved_at
from saved_views
where $name is null or name = $name
order by name collate nocase
