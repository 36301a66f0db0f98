-- One row per hexagon of a grid laid over the borough (pointy-top, $size metres from centre to
-- corner) and ward on the map whose requests with map coordinates fall in it: its axial grid
-- position (q, r), its centre (lon, lat), the ward and its requests there. Split by ward so that a
-- hexagon's count is protected together with the ward totals beside it; hexagons, not points,
-- leave the server, so no single report's location is sent to the browser.
-- $size: the hexagon size in metres. $metres_per_lon $metres_per_lat: metres in a degree of
-- longitude and of latitude near the borough (a local flat projection is exact enough at this
-- scale). $date_from $date_to $directorates $services $channels $wards: the shared filters.
with located as (
    select ward_code, longitude * $metres_per_lon as x, latitude * $metres_per_lat as y
    from filtered_requests($date_from, $date_to, $directorates, $services, $channels, $wards)
    where longitude is not null
        and latitude is not null
        and ward_code is not null
),

fractional as (
    select ward_code, (sqrt(3) / 3 * x - y / 3) / $size as q, (2 * y / 3) / $size as r
    from located
),

cube as (
    select ward_code, q, r, -q - r as s, round(q) as rq, round(r) as rr, round(-q - r) as rs
    from fractional
),

-- Round to the nearest hexagon: fix the coordinate that rounding moved furthest.
rounded as (
    select
        ward_code,
        case when abs(rq - q) > abs(rr - r) and abs(rq - q) > abs(rs - s) then -rr - rs else rq end as q,
        case
            when abs(rq - q) > abs(rr - r) and abs(rq - q) > abs(rs - s) then rr
            when abs(rr - r) > abs(rs - s) then -rq - rs
            else rr
        end as r
    from cube
)

select
    q::integer as q,
    r::integer as r,
    round($size * sqrt(3) * (q + r / 2) / $metres_per_lon, 6) as lon,
    round($size * 1.5 * r / $metres_per_lat, 6) as lat,
    ward_code,
    count(*) as requests
from rounded
group by q, r, ward_code
order by r, q, ward_code
