-- Fills each ward's imd_decile from the deciles derived from IMD by LSOA (the registered frame
-- ward_deprivation(ward_code, imd_decile, method)) where the council's own file left it empty,
-- and records how it was made.
update ward_population
set imd_decile = ward_deprivation.imd_decile,
    imd_method = ward_deprivation.method
from ward_deprivation
where ward_population.ward_code = ward_deprivation.ward_code
    and ward_population.imd_decile is null;
