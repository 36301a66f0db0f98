-- One row per LSOA named by the [deprivation] files that counts towards no ward's decile: an LSOA
-- with no IMD decile (problem 'no IMD decile'; ward_code is its ward in the lookup) or with no ward
-- in the lookup ('no ward in the lookup'; imd_decile is its decile). Columns: lsoa_code, ward_code,
-- imd_decile, problem. No parameters.
select lsoa_code, ward_code, imd_decile, problem
from deprivation_lsoas
where problem is not null
order by problem, ward_code, lsoa_code
