-- One row: complete_from, the first day of the first month whose closures are complete under the
-- shared filters (the dates aside): the rule is closure_complete_from's, in queries/macros.sql. The
-- closure KPIs' queries take it as $complete_from; pulse.db works it out (once per filters, cached)
-- for any query that asks for it.
-- $directorates $services $channels $wards: the shared filters.
select complete_from::date as complete_from
from closure_complete_from($directorates, $services, $channels, $wards)
