-- One row: whether the optional maturity self-assessment was supplied (available).
-- No parameters.
select count(*) > 0 as available
from maturity
