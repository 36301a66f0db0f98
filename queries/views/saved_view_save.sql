-- Saves one view, replacing any view of the same name (names are case-insensitive).
-- $name $page $query (JSON of the URL parameters) $saved_at (ISO 8601, UTC).
insert into saved_views (name, page, query, saved_at)
values ($name, $page, $query, $saved_at)
on conflict (name) do update set name = excluded.name, page = excluded.page, query = excluded.query,
    saved_at = excluded.saved_at
