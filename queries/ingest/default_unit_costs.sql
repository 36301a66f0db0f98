-- One default unit cost per channel, used when the council supplies no unit_costs file.
-- $channel, $cost_gbp, $source, $year
insert into unit_costs (channel, cost_gbp, source, year, source_file, source_line)
values ($channel, $cost_gbp, $source, $year, null, null)
