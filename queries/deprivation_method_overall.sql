-- One row per way the wards' deprivation deciles were made (supplied by the council, or derived
-- from IMD by LSOA), with how many wards it covers. No parameters.
select imd_method as method, count(*) as wards
from ward_population
where imd_method is not null
group by all
order by wards desc, method
