-- One row per ward with a boundary that the ward filter allows: its name and its deprivation decile
-- (imd_decile, 1 = the most deprived tenth of England; null when no deprivation was loaded).
-- $wards: the shared ward filter.
select wards.ward_code, wards.ward_name, ward_population.imd_decile
from wards
left join ward_population using (ward_code)
where $wards is null or list_contains($wards, wards.ward_code)
order by wards.ward_code
