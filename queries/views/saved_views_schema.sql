-- The saved views table, created when missing: one row per saved view (a name for a set of filters
-- and a page). SQLite, in the small state database beside the analytic one.
-- No parameters.
create table if not exists saved_views (
    name text primary key collate nocase,  -- "Bins in Ashby Green" and "bins in ashby green" are one view
    page text not null,  -- the page's url_path: "" for the Overview, "kpis", "wards", …
    query text not null,  -- the view's URL parameters as JSON: {"ward": ["E05900011"], "public": ["1"]}
    saved_at text not null  -- ISO 8601, UTC
)
