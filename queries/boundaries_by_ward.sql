-- One row per ward on the map: code, name, boundary (WKB, WGS84), area and a point inside it
-- for its label. No parameters.
select ward_code, ward_name, geometry, area_km2, centroid_lon, centroid_lat
from wards
order by ward_code
