-- Deletes one saved view by name (case-insensitive); nothing when there is none.
-- $name: the view's name.
delete from saved_views
where name = $name
