"""Ward boundary files: read GeoJSON, TopoJSON, GeoPackage, Shapefile or a .zip of one, in any CRS.

Choices, so that nothing is lost silently:
- unreadable, empty, non-polygon, codeless or misplaced files raise BoundaryError (one line);
- a feature with empty or missing geometry is dropped and counted (attrs "dropped_empty",
  "dropped_codes"): the file is still usable, and the Data page can show what is missing;
- invalid polygons are repaired with make_valid and counted (attrs "repaired");
- features sharing a code are merged into one ward (attrs "dissolved");
- attrs "notes" holds each of these as a sentence, and any warning GDAL raised while reading.
"""

from __future__ import annotations

import math
import re
import warnings
import zipfile
from pathlib import Path, PurePosixPath

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from pyproj import CRS

from pulse.geo import BNG, COLUMNS, WGS84, to_wgs84

# Everything a UK council could map, Northern Ireland and the Scillies included, with margin.
UK_ENVELOPE = (-11.0, 49.0, 3.0, 61.0)
# British National Grid's false origin puts all of GB at 0..700 km east, 0..1300 km north.
BNG_RANGE = (0.0, 0.0, 700_000.0, 1_300_000.0)

BOUNDARY_SUFFIXES = (".geojson", ".json", ".topojson", ".gpkg", ".shp")
_JSON_SUFFIXES = (".geojson", ".json", ".topojson")

# ONS files name fields by year (WD22CD, WD11NM); others use plain words. Order is preference.
_CODE_PATTERNS = (
    r"wd\d\dcd",
    r"ward_?code",
    r"ward_?cd",
    r"wd_?code",
    r"area_?code",
    r"gss_?code",
    r"gss_?cd",
    r"gss",
    r"code",
    r"wd_?cd",
    r"ons_?code",
)
_NAME_PATTERNS = (
    r"wd\d\dnm",
    r"ward_?name",
    r"ward_?nm",
    r"wd_?name",
    r"area_?name",
    r"name",
    r"ward",
    r"wd_?nm",
    r"label",
)
_GSS = re.compile(r"^[EWSN]\d{8}$")
# Entity codes of electoral wards and divisions: England, Wales, Scotland, Northern Ireland.
_WARD_ENTITIES = ("E05", "W05", "S13", "N08")


class BoundaryError(Exception):
    """A boundary file that cannot be used; the message is one line naming the file."""

    def __init__(self, path: Path | str, problem: str):
        self.path = str(path)
        self.problem = " ".join(str(problem).split())
        super().__init__(f"{self.path}: {self.problem}")

    def __reduce__(self):  # so it survives pickling between test or ingest worker processes
        return (type(self), (self.path, self.problem))


def read_boundaries(
    path: Path, code_field: str | None = None, name_field: str | None = None
) -> gpd.GeoDataFrame:
    """Read ward boundaries from GeoJSON, TopoJSON, GeoPackage, Shapefile or a .zip of one."""
    path = Path(path)
    if not path.exists():
        raise BoundaryError(path, "file not found")
    if path.is_file() and path.stat().st_size == 0:
        raise BoundaryError(path, "file is empty")
    source, raw_json = _locate_source(path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        layer = _pick_layer(path, source)
        try:
            # Shapefile encodings come from the .cpg (GDAL reads it); GeoJSON is UTF-8 by spec.
            frame = pyogrio.read_dataframe(source, layer=layer)
        except Exception as exc:  # pyogrio raises several types; all mean "unreadable"
            raise BoundaryError(path, f"cannot be read as boundaries ({_first_line(exc)})") from exc
    if not isinstance(frame, gpd.GeoDataFrame) or frame.geometry.name not in frame.columns:
        raise BoundaryError(path, "has no geometry; a table of wards without boundaries is not a boundary file")
    if len(frame) == 0:
        raise BoundaryError(path, "contains no features")

    # GDAL's complaints (bad encodings, odd headers) belong with the file; pass on the rest.
    notes: list[str] = [f"GDAL: {_first_line(w.message)}" for w in caught if w.category is RuntimeWarning]
    for w in caught:
        if w.category is not RuntimeWarning:
            warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    properties = [c for c in frame.columns if c != frame.geometry.name]
    code_col = _find_field(path, properties, code_field, "code", frame)
    name_col = _find_field(path, properties, name_field, "name", frame)
    codes = _as_codes(frame[code_col])
    if codes.isna().any():
        raise BoundaryError(path, f"{int(codes.isna().sum())} features have no ward code in {code_col!r}")
    if name_col is None:
        names = codes.copy()
        notes.append("no ward name property found; ward codes are used as names")
    else:
        names = frame[name_col].astype("string").str.strip()
        names = names.mask(names.isna() | (names == ""), codes)

    geoms, repaired, dropped = _clean_geometries(path, np.asarray(frame.geometry.values, dtype=object))
    keep = ~shapely.is_empty(geoms)
    if not keep.any():
        raise BoundaryError(path, "no feature has a usable polygon geometry")
    dropped_codes = sorted(set(codes[~keep]) - set(codes[keep]))
    crs, assumed = _settle_crs(path, frame.crs, geoms[keep], raw_json)
    if assumed:
        notes.append(f"no coordinate reference system given; read as {assumed}")
    if dropped:
        notes.append(
            f"{dropped} features with empty or missing geometry dropped"
            + (f" (wards without a boundary: {', '.join(dropped_codes)})" if dropped_codes else "")
        )
    if repaired:
        notes.append(f"{repaired} invalid polygons repaired")

    wards = pd.DataFrame({"ward_code": codes[keep].to_numpy(object), "ward_name": names[keep].to_numpy(object)})
    wards["geometry"] = geoms[keep]
    wards, dissolved = _dissolve(wards)
    if dissolved:
        notes.append(f"{dissolved} features merged into wards that share a code")

    gdf = to_wgs84(gpd.GeoDataFrame(wards, geometry="geometry", crs=crs))
    _check_envelope(path, gdf)
    gdf = gdf.sort_values("ward_code", kind="stable").reset_index(drop=True)[COLUMNS]
    gdf.attrs.update(
        {
            "source": str(path),
            "layer": layer,
            "code_field": code_col,
            "name_field": name_col,
            "source_crs": crs.to_string(),
            "assumed_crs": assumed,
            "features": len(frame),
            "repaired": repaired,
            "dropped_empty": dropped,
            "dropped_codes": dropped_codes,
            "dissolved": dissolved,
            "notes": notes,
        }
    )
    return gdf


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _locate_source(path: Path) -> tuple[str, bytes | None]:
    """The GDAL path to open, and the raw bytes when the file is JSON (to look for a crs)."""
    suffix = path.suffix.lower()
    if suffix == ".zip":
        return _locate_in_zip(path)
    if suffix not in BOUNDARY_SUFFIXES:
        kinds = ", ".join(BOUNDARY_SUFFIXES)
        raise BoundaryError(path, f"unsupported boundary format {suffix or '(no extension)'}; use {kinds} or .zip")
    raw = path.read_bytes() if suffix in _JSON_SUFFIXES else None
    if raw is not None:
        _check_json(path, raw)
    return str(path), raw


def _locate_in_zip(path: Path) -> tuple[str, bytes | None]:
    try:
        with zipfile.ZipFile(path) as zf:
            members = [
                m
                for m in zf.namelist()
                if PurePosixPath(m).suffix.lower() in BOUNDARY_SUFFIXES
                and not any(part.startswith((".", "__MACOSX")) for part in PurePosixPath(m).parts)
            ]
            if not members:
                raise BoundaryError(path, f"zip holds no boundary file ({', '.join(BOUNDARY_SUFFIXES)})")
            # A download often carries the same wards in several formats; take the richest.
            rank = {s: i for i, s in enumerate((".gpkg", ".shp", ".geojson", ".json", ".topojson"))}
            members.sort(key=lambda m: (rank[PurePosixPath(m).suffix.lower()], m))
            best = members[0]
            same_kind = [m for m in members if PurePosixPath(m).suffix.lower() == PurePosixPath(best).suffix.lower()]
            if len(same_kind) > 1:
                raise BoundaryError(path, f"zip holds several boundary files ({', '.join(same_kind)}); keep one")
            raw = zf.read(best) if PurePosixPath(best).suffix.lower() in _JSON_SUFFIXES else None
    except zipfile.BadZipFile as exc:
        raise BoundaryError(path, f"not a readable zip archive ({_first_line(exc)})") from exc
    if raw is not None:
        _check_json(path, raw)
    return f"/vsizip/{path.resolve()}/{best}", raw


def _check_json(path: Path, raw: bytes) -> None:
    if not raw.strip():
        raise BoundaryError(path, "file is empty")
    # Windows tools like to start UTF-8 with a byte-order mark; GDAL skips it, so do we.
    head = raw.removeprefix(b"\xef\xbb\xbf").lstrip()[:1]
    if head not in (b"{", b"["):
        raise BoundaryError(path, "is not JSON (GeoJSON or TopoJSON expected)")


def _pick_layer(path: Path, source: str) -> str | None:
    """The one polygon layer of a GeoPackage or multi-object TopoJSON; None when there is one layer."""
    try:
        layers = pyogrio.list_layers(source)
    except Exception as exc:
        raise BoundaryError(path, f"cannot be read as boundaries ({_first_line(exc)})") from exc
    if len(layers) == 0:
        raise BoundaryError(path, "contains no layers")
    if len(layers) == 1:
        return None
    # Type None is a plain table; "Unknown" is a layer of mixed or undeclared geometry types.
    polygonal = [str(n) for n, t in layers if t is not None and ("polygon" in str(t).lower() or t == "Unknown")]
    if len(polygonal) == 1:
        return polygonal[0]
    wardish = [n for n in polygonal if "ward" in n.lower()]
    if len(wardish) == 1:
        return wardish[0]
    listed = ", ".join(polygonal or [str(n) for n in layers[:, 0]])
    raise BoundaryError(path, f"holds several polygon layers ({listed}); keep only the wards")


def _find_field(
    path: Path, properties: list[str], given: str | None, kind: str, frame: pd.DataFrame
) -> str | None:
    available = ", ".join(properties) or "none"
    if given is not None:
        by_lower = {p.lower(): p for p in properties}
        if given in properties:
            return given
        if given.lower() in by_lower:
            return by_lower[given.lower()]
        raise BoundaryError(path, f"has no property {given!r} for the ward {kind}; available: {available}")
    patterns = _CODE_PATTERNS if kind == "code" else _NAME_PATTERNS
    for pattern in patterns:
        hits = [p for p in properties if re.fullmatch(pattern, p, flags=re.IGNORECASE)]
        # WD22NMW (the Welsh name) must not beat WD22NM; fullmatch sees to that.
        if hits:
            return hits[0]
    if kind == "code":
        # Unknown field names: take the one property whose values are all ward GSS codes.
        looks = [p for p in properties if _all_ward_codes(frame[p])]
        if len(looks) == 1:
            return looks[0]
        raise BoundaryError(path, f"no ward code property found; available: {available}; name one in the mapping")
    return None


def _all_ward_codes(values: pd.Series) -> bool:
    text = values.dropna().astype(str).str.strip()
    return len(text) > 0 and bool(text.str.match(_GSS).all()) and bool(text.str[:3].isin(_WARD_ENTITIES).all())


def _as_codes(values: pd.Series) -> pd.Series:
    """Codes as stripped strings; whole-number floats lose their '.0'."""
    if pd.api.types.is_float_dtype(values):
        values = values.map(lambda v: None if pd.isna(v) else (str(int(v)) if float(v).is_integer() else str(v)))
    text = values.astype("string").str.strip()
    return text.mask(text == "")


def _clean_geometries(path: Path, geoms: np.ndarray) -> tuple[np.ndarray, int, int]:
    """2D polygonal geometries, invalid ones repaired; returns (geoms, repaired, empty)."""
    missing = pd.isna(geoms)
    geoms = np.where(missing, shapely.Polygon(), geoms)
    geoms = shapely.force_2d(geoms)
    types = shapely.get_type_id(geoms)
    polygonal = np.isin(types, (3, 6))  # Polygon, MultiPolygon
    empty = shapely.is_empty(geoms)
    collections = types == 7
    other = ~polygonal & ~collections & ~empty
    if other.any():
        found = sorted({shapely.get_type_id(g) for g in geoms[other]})
        names = {0: "Point", 1: "LineString", 2: "LinearRing", 4: "MultiPoint", 5: "MultiLineString"}
        raise BoundaryError(
            path, f"has {', '.join(names.get(t, str(t)) for t in found)} geometries; ward boundaries must be polygons"
        )
    invalid = ~empty & ~shapely.is_valid(geoms)
    repaired = int(invalid.sum())
    if repaired:
        geoms[invalid] = shapely.make_valid(geoms[invalid])
    # make_valid can return collections with slivers of line or point; only area belongs to a ward.
    needs_filter = invalid | collections
    for i in np.flatnonzero(needs_filter):
        parts = [p for p in shapely.get_parts(geoms[i]) if shapely.get_type_id(p) in (3, 6)]
        parts = [q for p in parts for q in shapely.get_parts(p)]
        if len(parts) > 1:
            # Parts of a collection may overlap; their union is the ward's area, and valid.
            union = shapely.union_all(parts)
            parts = [q for q in shapely.get_parts(union) if shapely.get_type_id(q) == 3]
        geoms[i] = shapely.MultiPolygon(parts) if len(parts) > 1 else (parts[0] if parts else shapely.Polygon())
    dropped = int(shapely.is_empty(geoms).sum())
    return geoms, repaired, dropped


def _settle_crs(path: Path, crs: CRS | None, geoms: np.ndarray, raw_json: bytes | None) -> tuple[CRS, str | None]:
    """The CRS the coordinates are really in, and the name of one we assumed (or None)."""
    minx, miny, maxx, maxy = shapely.total_bounds(geoms)
    if not all(math.isfinite(v) for v in (minx, miny, maxx, maxy)):
        raise BoundaryError(path, "has coordinates that are not finite numbers")
    in_degrees = -180 <= minx and maxx <= 180 and -90 <= miny and maxy <= 90
    in_bng = BNG_RANGE[0] <= minx and maxx <= BNG_RANGE[2] and BNG_RANGE[1] <= miny and maxy <= BNG_RANGE[3]
    # GDAL labels every GeoJSON WGS84, crs member or not; only an explicit member is a claim.
    declared = crs is not None and (raw_json is None or b'"crs"' in raw_json)
    if not declared:
        if in_degrees:
            return CRS.from_user_input(WGS84), (None if raw_json is not None else WGS84)
        if in_bng:
            return CRS.from_user_input(BNG), BNG
        raise BoundaryError(
            path,
            f"has no coordinate reference system and its coordinates (x {minx:.0f} to {maxx:.0f}, "
            f"y {miny:.0f} to {maxy:.0f}) are neither degrees nor British National Grid metres",
        )
    assert crs is not None
    if crs.is_geographic and not in_degrees:
        raise BoundaryError(
            path,
            f"coordinates look like metres read as degrees (x up to {max(abs(minx), abs(maxx)):.0f}); "
            f"the file declares {_crs_label(crs)}",
        )
    if crs.is_projected and in_degrees:
        raise BoundaryError(
            path,
            f"coordinates look like degrees (x up to {max(abs(minx), abs(maxx)):.4g}) "
            f"but the file declares {_crs_label(crs)}, which is in metres",
        )
    return crs, None


def _crs_label(crs: CRS) -> str:
    epsg = crs.to_epsg()
    return f"EPSG:{epsg} ({crs.name})" if epsg else crs.name


def _check_envelope(path: Path, gdf: gpd.GeoDataFrame) -> None:
    minx, miny, maxx, maxy = gdf.total_bounds
    if not all(math.isfinite(v) for v in (minx, miny, maxx, maxy)):
        raise BoundaryError(path, "coordinates could not be converted to longitude and latitude")
    west, south, east, north = UK_ENVELOPE
    if west <= minx and maxx <= east and south <= miny and maxy <= north:
        return
    where = f"longitude {minx:.3f} to {maxx:.3f}, latitude {miny:.3f} to {maxy:.3f}"
    if west <= miny and maxy <= east and south <= minx and maxx <= north:
        raise BoundaryError(path, f"boundaries lie outside the UK ({where}); latitude and longitude look swapped")
    raise BoundaryError(path, f"boundaries lie outside the UK ({where})")


def _dissolve(wards: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """One row per code: parts sharing a code are unioned; the first name wins."""
    dup = wards["ward_code"].duplicated(keep=False)
    if not dup.any():
        return wards, 0
    merged = []
    for code, group in wards[dup].groupby("ward_code", sort=False):
        union = shapely.union_all(group["geometry"].to_numpy())
        parts = [p for p in shapely.get_parts(union) if shapely.get_type_id(p) == 3]
        geom = parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)
        merged.append({"ward_code": code, "ward_name": group["ward_name"].iloc[0], "geometry": geom})
    out = pd.concat([wards[~dup], pd.DataFrame(merged)], ignore_index=True)
    return out, int(dup.sum()) - len(merged)
