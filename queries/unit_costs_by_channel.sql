-- One row per channel with a unit cost: £ per transaction, its source and year. No parameters.
select channel, cost_gbp, source, year
from unit_costs
order by cost_gbp desc
