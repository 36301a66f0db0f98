"""Ward geometry: CRS conversion, points and names to wards, storage, simplification for drawing.

Reading boundary files lives with the other readers, in pulse.ingest.boundaries.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from convertbng.cutil import convert_bng, convert_lonlat
from pyproj import CRS

WGS84 = "EPSG:4326"
BNG = "EPSG:27700"
COLUMNS = ["ward_code", "ward_name", "geometry"]


def to_wgs84(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Reproject to WGS84; British National Grid goes through Ordnance Survey's OSTN15 transform."""
    if gdf.crs is None or not gdf.crs.equals(CRS.from_user_input(BNG)):
        return gdf.to_crs(WGS84)
    # PROJ without its network grids is ~2 m off for BNG, enough to put border points in the
    # wrong ward; convertbng carries OSTN15 itself, so the result matches ONS's WGS84 files.
    def ostn15(xy: np.ndarray) -> np.ndarray:
        lon, lat = convert_lonlat(np.ascontiguousarray(xy[:, 0]), np.ascontiguousarray(xy[:, 1]))
        return np.column_stack([lon, lat])

    geoms = shapely.transform(np.asarray(gdf.geometry.values, dtype=object), ostn15)
    if not shapely.is_valid_input(geoms).all() or np.isnan(shapely.bounds(geoms)).any():
        return gdf.to_crs(WGS84)  # outside OSTN15's extent: PROJ's approximation is all there is
    return gpd.GeoDataFrame(gdf.drop(columns=gdf.geometry.name), geometry=geoms, crs=WGS84)


def to_bng(gdf: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Reproject WGS84 to British National Grid through OSTN15 (the inverse of to_wgs84)."""
    def ostn15(xy: np.ndarray) -> np.ndarray:
        east, north = convert_bng(np.ascontiguousarray(xy[:, 0]), np.ascontiguousarray(xy[:, 1]))
        return np.column_stack([east, north])

    wgs = gdf.to_crs(WGS84)
    geoms = shapely.transform(np.asarray(wgs.geometry.values, dtype=object), ostn15)
    return gpd.GeoDataFrame(wgs.drop(columns=wgs.geometry.name), geometry=geoms, crs=BNG)


# ---------------------------------------------------------------------------------------------
# Points to wards


def assign_wards(
    longitude: Sequence[float] | np.ndarray | pd.Series,
    latitude: Sequence[float] | np.ndarray | pd.Series,
    wards: gpd.GeoDataFrame,
    chunk_size: int = 1_000_000,
) -> np.ndarray:
    """The ward_code each WGS84 point falls in (None outside every ward or for NaN)."""
    x = np.asarray(longitude, dtype="float64").ravel()
    y = np.asarray(latitude, dtype="float64").ravel()
    if x.shape != y.shape:
        raise ValueError(f"longitude has {x.size} values but latitude has {y.size}")
    if wards.crs is not None and wards.crs.to_epsg() != 4326:
        wards = wards.to_crs(WGS84)
    # Ties on a shared border go to the lowest code: test wards in code order, first hit wins.
    order = np.argsort(wards["ward_code"].to_numpy(str), kind="stable")
    codes = wards["ward_code"].to_numpy(object)[order]
    geoms = np.array(wards.geometry.values, dtype=object)[order]
    shapely.prepare(geoms)  # prepared polygons answer point queries from an index, not a scan
    boxes = shapely.bounds(geoms)
    found = np.full(x.size, -1, dtype=np.int32)
    for start in range(0, x.size, chunk_size):
        stop = min(start + chunk_size, x.size)
        found[start:stop] = _assign_chunk(x[start:stop], y[start:stop], geoms, boxes)
    out = np.full(x.size, None, dtype=object)
    hit = found >= 0
    out[hit] = codes[found[hit]]
    return out


def _assign_chunk(x: np.ndarray, y: np.ndarray, geoms: np.ndarray, boxes: np.ndarray) -> np.ndarray:
    """Ward index per point of one chunk; sorting by x turns each ward's box into a slice."""
    result = np.full(x.size, -1, dtype=np.int32)
    usable = np.flatnonzero(np.isfinite(x) & np.isfinite(y))
    by_x = usable[np.argsort(x[usable], kind="stable")]
    sx, sy = x[by_x], y[by_x]
    res = np.full(by_x.size, -1, dtype=np.int32)
    for k, (minx, miny, maxx, maxy) in enumerate(boxes):
        lo, hi = np.searchsorted(sx, minx, "left"), np.searchsorted(sx, maxx, "right")
        if lo == hi:
            continue
        ys = sy[lo:hi]
        cand = np.flatnonzero((ys >= miny) & (ys <= maxy) & (res[lo:hi] < 0)) + lo
        if cand.size:
            inside = shapely.intersects_xy(geoms[k], sx[cand], sy[cand])
            res[cand[inside]] = k
    result[by_x] = res
    return result


def nearest_wards(
    longitude: Sequence[float] | np.ndarray | pd.Series,
    latitude: Sequence[float] | np.ndarray | pd.Series,
    wards: gpd.GeoDataFrame,
    max_metres: float,
) -> np.ndarray:
    """The ward_code of the ward nearest each WGS84 point, if within max_metres of it (else None)."""
    x = np.asarray(longitude, dtype="float64").ravel()
    y = np.asarray(latitude, dtype="float64").ravel()
    out = np.full(x.size, None, dtype=object)
    usable = np.flatnonzero(np.isfinite(x) & np.isfinite(y))
    if usable.size == 0 or max_metres <= 0 or len(wards) == 0:
        return out
    # Distances in metres: both sides go to British National Grid by the same transformation, so
    # PROJ's ~2 m grid-less offset moves points and wards alike and leaves the distance true.
    points = gpd.GeoDataFrame({"point": usable}, geometry=gpd.points_from_xy(x[usable], y[usable]), crs=WGS84)
    metric = wards[["ward_code", wards.geometry.name]].to_crs(BNG)
    joined = gpd.sjoin_nearest(points.to_crs(BNG), metric, how="inner", max_distance=max_metres)
    # A point equally near two wards gets the lowest code, as on a shared border.
    joined = joined.sort_values(["point", "ward_code"], kind="stable").drop_duplicates("point")
    out[joined["point"].to_numpy()] = joined["ward_code"].to_numpy(object)
    return out


# ---------------------------------------------------------------------------------------------
# Names to wards

_APOSTROPHES = str.maketrans("", "", "'’‘`´")
_NON_WORD = re.compile(r"[^0-9a-z]+")


def normalise_ward_name(name: str) -> str:
    """A ward name reduced to a matching key: 'St. Andrew's & Park Ward' → 'st andrews and park'."""
    text = unicodedata.normalize("NFKD", str(name))
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.replace("&", " and ").translate(_APOSTROPHES)
    words = _NON_WORD.sub(" ", text).split()
    words = ["st" if w == "saint" else w for w in words if w != "ward"]
    return " ".join(words)


def match_ward_names(names: Iterable[object], wards: gpd.GeoDataFrame) -> np.ndarray:
    """The ward_code for each name (or code) given, None when it matches no ward or several."""
    lookup: dict[str, str | None] = {}
    for code, name in zip(wards["ward_code"], wards["ward_name"]):
        for key in {normalise_ward_name(name), normalise_ward_name(code)}:
            # Two wards reducing to one key cannot be told apart; refuse rather than guess.
            lookup[key] = code if lookup.get(key, code) == code else None
    values = pd.Series(list(names) if not isinstance(names, (pd.Series, np.ndarray)) else names, dtype=object)
    out = np.full(len(values), None, dtype=object)
    present = values.notna().to_numpy()
    if present.any():
        uniques = pd.unique(values[present].astype(str))
        keyed = {u: lookup.get(normalise_ward_name(u)) for u in uniques}
        out[present] = [keyed[v] for v in values[present].astype(str)]
    return out


# ---------------------------------------------------------------------------------------------
# Storage


def wards_to_frame(gdf: gpd.GeoDataFrame) -> pd.DataFrame:
    """Wards as plain columns for DuckDB: WKB geometry, area in km², an inside point."""
    wgs = gdf.to_crs(WGS84) if gdf.crs is not None and not gdf.crs.equals(CRS.from_user_input(WGS84)) else gdf
    geoms = np.asarray(wgs.geometry.values, dtype=object)
    # Degrees have no area. BNG's scale error is under 0.1% across Great Britain, and ONS
    # computes its published ward areas in BNG too, so ours agree with theirs.
    area = gpd.GeoSeries(geoms, crs=WGS84).to_crs(BNG).area.to_numpy() / 1e6
    # A representative point is always inside the ward, unlike a centroid of a crescent.
    inside = shapely.point_on_surface(geoms)
    return pd.DataFrame(
        {
            "ward_code": wgs["ward_code"].astype(str).to_numpy(object),
            "ward_name": wgs["ward_name"].astype(str).to_numpy(object),
            "geometry": shapely.to_wkb(geoms, output_dimension=2),
            "area_km2": area,
            "centroid_lon": shapely.get_x(inside),
            "centroid_lat": shapely.get_y(inside),
        }
    )


def wards_from_frame(df: pd.DataFrame) -> gpd.GeoDataFrame:
    """Wards back from a wards_to_frame table (WKB geometry) as a WGS84 GeoDataFrame."""
    blobs = [None if b is None or (isinstance(b, float) and math.isnan(b)) else bytes(b) for b in df["geometry"]]
    rest = [c for c in df.columns if c not in COLUMNS]
    out = gpd.GeoDataFrame(
        {"ward_code": df["ward_code"].to_numpy(object), "ward_name": df["ward_name"].to_numpy(object)},
        geometry=shapely.from_wkb(np.array(blobs, dtype=object)),
        crs=WGS84,
    )
    for c in rest:
        out[c] = df[c].to_numpy()
    return out.sort_values("ward_code", kind="stable").reset_index(drop=True)


# ---------------------------------------------------------------------------------------------
# Drawing


def simplify_for_drawing(gdf: gpd.GeoDataFrame, tolerance_m: float = 15.0) -> gpd.GeoDataFrame:
    """Wards simplified in metres with shared borders kept shared, coordinates to 5 decimals."""
    projected = gdf.to_crs(BNG)
    geoms = np.asarray(projected.geometry.values, dtype=object)
    method = "coverage"
    if not shapely.coverage_is_valid(geoms):
        # Borders digitised twice never quite match; simplifying each copy on its own would
        # open slivers between neighbours, so first make every shared border one exact edge.
        geoms = shapely.coverage_clean(geoms, gap_width=1.0)
        method = "cleaned coverage"
    if shapely.coverage_is_valid(geoms) and shapely.is_valid(geoms).all():
        # GEOS simplifies each shared edge once (Visvalingam-Whyatt), so neighbours stay
        # gap-free; the tolerance is roughly the square root of the triangle areas removed.
        simple = shapely.coverage_simplify(geoms, tolerance_m)
    else:
        simple = shapely.simplify(geoms, tolerance_m, preserve_topology=True)
        method = "per polygon"
    back = gpd.GeoSeries(simple, crs=BNG).to_crs(WGS84).to_numpy()
    # 5 decimals is about a metre: invisible on a ward map, and it halves the size of the JSON.
    back = shapely.remove_repeated_points(shapely.transform(back, lambda c: np.round(c, 5)))
    out = gdf.to_crs(WGS84).copy()
    out = out.set_geometry(gpd.GeoSeries(back, index=out.index, crs=WGS84))
    out.attrs["simplify_method"] = method
    return out


def to_geojson_features(gdf: gpd.GeoDataFrame, properties: list[str]) -> dict:
    """A GeoJSON FeatureCollection dict of the wards with the named properties, for pydeck."""
    missing = [p for p in properties if p not in gdf.columns]
    if missing:
        raise KeyError(f"no column {', '.join(missing)}; available: {', '.join(map(str, gdf.columns))}")
    wgs = gdf.to_crs(WGS84) if gdf.crs is not None and not gdf.crs.equals(CRS.from_user_input(WGS84)) else gdf
    geometries = shapely.to_geojson(np.asarray(wgs.geometry.values, dtype=object))
    features = []
    for i, geometry in enumerate(geometries):
        props = {p: _json_value(wgs[p].iloc[i]) for p in properties}
        shape = json.loads(geometry) if geometry else None
        features.append({"type": "Feature", "geometry": shape, "properties": props})
    return {"type": "FeatureCollection", "features": features}


def _json_value(value: object) -> object:
    """Plain JSON types: numpy scalars unwrapped, NaN and NA to None."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (pd.Timestamp,)):
        return value.isoformat()
    return value
