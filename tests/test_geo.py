"""pulse.geo: points to wards, names to wards, storage and drawing."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from pulse import geo
from pulse.ingest.boundaries import read_boundaries
from tests.conftest import REAL

GEOJSON = REAL / "wards_2022.geojson"
SHAPEFILE = REAL / "wards_2022_bng_shapefile" / "wards_2022.shp"
FIXMYSTREET = REAL / "fixmystreet_open311_reports.csv"

LEWISHAM_CODES = [f"E050137{n}" for n in range(14, 33)]

needs_real = pytest.mark.skipif(not GEOJSON.exists(), reason=f"real Lewisham data not found at {REAL}")


@pytest.fixture(scope="module")
def lewisham() -> gpd.GeoDataFrame:
    if not GEOJSON.exists():
        pytest.skip(f"real Lewisham data not found at {REAL}")
    return read_boundaries(GEOJSON)


@pytest.fixture(scope="module")
def lewisham_shp() -> gpd.GeoDataFrame:
    if not SHAPEFILE.exists():
        pytest.skip(f"real Lewisham shapefile not found at {SHAPEFILE.parent}")
    return read_boundaries(SHAPEFILE)


@pytest.fixture(scope="module")
def fixmystreet() -> pd.DataFrame:
    if not FIXMYSTREET.exists():
        pytest.skip(f"real FixMyStreet reports not found at {FIXMYSTREET}")
    return pd.read_csv(FIXMYSTREET, usecols=["lat", "long"])


def max_offset_m(a: gpd.GeoDataFrame, b: gpd.GeoDataFrame) -> float:
    """Largest Hausdorff distance in metres between matching wards of two frames."""
    pa, pb = a.to_crs(geo.BNG).geometry.values, b.to_crs(geo.BNG).geometry.values
    return float(max(shapely.hausdorff_distance(pa, pb)))


# --- points to wards ------------------------------------------------------------------------


@needs_real
def test_fixmystreet_points_by_ward(lewisham, fixmystreet):
    found = geo.assign_wards(fixmystreet["long"], fixmystreet["lat"], lewisham)
    assert found.dtype == object and len(found) == 14_884
    counts = pd.Series(found).value_counts(dropna=False)
    # 19 reports fall outside every ward: all on roads along the borough boundary, within 17 m of it.
    assert counts.pop(None) == 19
    assert counts.sort_index().to_dict() == {
        "E05013714": 526, "E05013715": 682, "E05013716": 1121, "E05013717": 770, "E05013718": 914,
        "E05013719": 476, "E05013720": 1281, "E05013721": 371, "E05013722": 520, "E05013723": 1057,
        "E05013724": 1363, "E05013725": 691, "E05013726": 685, "E05013727": 307, "E05013728": 329,
        "E05013729": 901, "E05013730": 1052, "E05013731": 1090, "E05013732": 729,
    }  # fmt: skip
    # Small chunks give the same answer as one big one.
    assert (geo.assign_wards(fixmystreet["long"], fixmystreet["lat"], lewisham, chunk_size=1000) == found).all()


@needs_real
def test_fixmystreet_geojson_and_shapefile_give_the_same_wards(lewisham, lewisham_shp, fixmystreet):
    # Through OSTN15 the shapefile lands within a centimetre of ONS's WGS84 file, so even the 194
    # reports within 2 m of a ward border (PROJ's grid-less Helmert is ~1.8 m off) agree.
    from_json = geo.assign_wards(fixmystreet["long"], fixmystreet["lat"], lewisham)
    from_shp = geo.assign_wards(fixmystreet["long"], fixmystreet["lat"], lewisham_shp)
    assert pd.isna(pd.Series(from_shp)).sum() == 19
    assert (pd.Series(from_json).fillna("-") == pd.Series(from_shp).fillna("-")).all()
    assert max_offset_m(lewisham, lewisham_shp) < 0.01


@needs_real
def test_known_points_fall_in_their_ward(lewisham):
    inside = lewisham.geometry.representative_point()
    assert geo.assign_wards(inside.x, inside.y, lewisham).tolist() == LEWISHAM_CODES
    # ONS's own LONG/LAT point for each ward, from the file's properties.
    ons = gpd.read_file(GEOJSON, columns=["WD22CD", "LONG", "LAT"], ignore_geometry=True)
    assert geo.assign_wards(ons["LONG"], ons["LAT"], lewisham).tolist() == ons["WD22CD"].tolist()
    # Manchester Town Hall, a NaN and a missing latitude.
    far = geo.assign_wards([-2.2446, np.nan, -0.02], [53.4794, 51.45, np.nan], lewisham)
    assert far.tolist() == [None, None, None]


def test_point_on_a_shared_border_goes_to_the_lowest_code():
    wards = gpd.GeoDataFrame(
        {"ward_code": ["E05000003", "E05000002", "E05000001"], "ward_name": ["C", "B", "A"]},
        geometry=[shapely.box(0, 0, 1, 1), shapely.box(1, 0, 2, 1), shapely.box(0, 1, 2, 2)],
        crs=geo.WGS84,
    )
    found = geo.assign_wards([1.0, 1.0, 0.5, 1.5, 0.5, 1.5, 3.0], [0.5, 1.0, 1.0, 1.0, 0.5, 0.5, 0.5], wards)
    assert found.tolist() == ["E05000002", "E05000001", "E05000001", "E05000001", "E05000003", "E05000002", None]
    assert geo.assign_wards([], [], wards).tolist() == []


# --- names to wards -------------------------------------------------------------------------


def test_normalise_ward_name():
    assert geo.normalise_ward_name("St. Andrew's & Park Ward") == "st andrews and park"
    assert geo.normalise_ward_name("St Andrews and Park") == "st andrews and park"
    assert geo.normalise_ward_name("  SAINT  Andrew’s-Park  ") == "st andrews park"
    assert geo.normalise_ward_name("Ynys Môn (Wards)") == "ynys mon wards"
    assert geo.normalise_ward_name("Strand Ward") == "strand"


@needs_real
def test_match_ward_names_on_lewisham(lewisham):
    given = ["Lewisham Central Ward", "LEWISHAM  CENTRAL", "lee green", "New Cross-Gate", "e05013714", None, "Nowhere"]
    assert geo.match_ward_names(given, lewisham).tolist() == [
        "E05013727", "E05013727", "E05013726", "E05013728", "E05013714", None, None,
    ]  # fmt: skip
    assert geo.match_ward_names(pd.Series(["Downham", pd.NA], dtype="string").to_numpy(), lewisham).tolist() == [
        "E05013720",
        None,
    ]


def test_match_ward_names_refuses_ambiguous_names():
    wards = gpd.GeoDataFrame(
        {"ward_code": ["E05000001", "E05000002", "E05000003"], "ward_name": ["St. Mary's", "St Marys", "Park"]},
        geometry=[shapely.box(0, 0, 1, 1)] * 3,
    )
    assert geo.match_ward_names(["st marys", "Saint Mary's Ward", "Park Ward"], wards).tolist() == [
        None,
        None,
        "E05000003",
    ]


# --- storage and drawing --------------------------------------------------------------------


@needs_real
def test_wards_frame_round_trip(lewisham):
    frame = geo.wards_to_frame(lewisham)
    assert list(frame.columns) == ["ward_code", "ward_name", "geometry", "area_km2", "centroid_lon", "centroid_lat"]
    assert isinstance(frame["geometry"][0], bytes)
    # ONS gives Lewisham's area as 35.15 km²; Lewisham Central is the smallest ward.
    assert frame["area_km2"].sum() == pytest.approx(35.15, abs=0.005)
    assert frame.set_index("ward_code")["area_km2"].round(4)["E05013727"] == 0.6615
    assert geo.assign_wards(frame["centroid_lon"], frame["centroid_lat"], lewisham).tolist() == LEWISHAM_CODES
    back = geo.wards_from_frame(frame)
    assert back["ward_code"].tolist() == LEWISHAM_CODES
    assert back.crs.to_epsg() == 4326
    assert back.geometry.geom_equals_exact(lewisham.geometry, 0).all()
    # DuckDB hands BLOBs back as bytearray; those work too.
    frame["geometry"] = frame["geometry"].map(bytearray)
    assert geo.wards_from_frame(frame).geometry.geom_equals_exact(lewisham.geometry, 0).all()


@needs_real
def test_simplified_lewisham_is_small_and_gap_free(lewisham):
    simple = geo.simplify_for_drawing(lewisham)
    assert simple.attrs["simplify_method"] == "coverage"
    assert simple["ward_code"].tolist() == LEWISHAM_CODES
    geoms = simple.geometry.values
    assert shapely.is_valid(geoms).all()
    assert shapely.coverage_is_valid(geoms)  # shared borders still shared: no slivers, no overlaps
    assert int(shapely.get_num_coordinates(geoms).sum()) == 1477  # from 11,123
    coords = shapely.get_coordinates(geoms)
    assert (np.round(coords, 5) == coords).all()
    area = simple.to_crs(geo.BNG).area / lewisham.to_crs(geo.BNG).area
    assert area.between(0.98, 1.02).all()
    collection = geo.to_geojson_features(simple, ["ward_code", "ward_name"])
    text = json.dumps(collection, separators=(",", ":"))
    assert len(text) < 40_000  # 31.5 kB; the source GeoJSON is 492 kB
    assert collection["features"][0]["properties"] == {"ward_code": "E05013714", "ward_name": "Bellingham"}


def test_simplify_keeps_an_imperfect_coverage_together():
    # Two wards whose shared border has a vertex on one side only: not a clean coverage.
    wavy = [(530000 + x, 170000 + 3 * np.sin(x / 40)) for x in range(0, 1001, 10)]
    north = shapely.Polygon([(530000, 171000), *wavy, (531000, 171000)])
    south = shapely.Polygon([(530000, 169000), (531000, 169000), *wavy[::-1]])
    south = shapely.segmentize(south, 7)  # extra vertices along the border on the south side only
    wards = gpd.GeoDataFrame(
        {"ward_code": ["E05000001", "E05000002"], "ward_name": ["North", "South"]},
        geometry=[north, south],
        crs=geo.BNG,
    ).to_crs(geo.WGS84)
    assert not shapely.coverage_is_valid(wards.to_crs(geo.BNG).geometry.values)
    simple = geo.simplify_for_drawing(wards, 15.0)
    assert simple.attrs["simplify_method"] == "cleaned coverage"
    projected = simple.to_crs(geo.BNG).geometry.values
    assert shapely.is_valid(projected).all()
    assert shapely.coverage_is_valid(projected)  # one shared border: no overlap, no sliver
    assert shapely.get_num_coordinates(projected).tolist() == [13, 13]
    union = shapely.union_all(projected)
    assert union.area == pytest.approx(2_000_000, rel=0.001)  # rounding to 5 decimals costs ~600 m²


def test_to_geojson_features_gives_plain_json():
    wards = gpd.GeoDataFrame(
        {"ward_code": ["E05000001"], "rate": [np.float64("nan")], "count": [np.int64(12)]},
        geometry=[shapely.box(0, 51, 0.5, 51.5)],
        crs=geo.WGS84,
    )
    collection = geo.to_geojson_features(wards, ["ward_code", "rate", "count"])
    assert collection["type"] == "FeatureCollection"
    feature = collection["features"][0]
    assert feature["properties"] == {"ward_code": "E05000001", "rate": None, "count": 12}
    assert feature["geometry"]["type"] == "Polygon"
    json.dumps(collection, allow_nan=False)
    with pytest.raises(KeyError, match="no column population"):
        geo.to_geojson_features(wards, ["population"])


def test_nearest_wards_within_a_distance_in_metres():
    wards = gpd.GeoDataFrame(
        {"ward_code": ["E05000002", "E05000001"], "ward_name": ["B", "A"]},
        geometry=[shapely.box(-0.09, 51.49, -0.08, 51.50), shapely.box(-0.10, 51.49, -0.09, 51.50)],
        crs=geo.WGS84,
    )
    # 0.0001° of latitude is 11.1 m; on the shared border's line both wards are equally near.
    found = geo.nearest_wards([-0.095, -0.085, -0.09, -0.095, np.nan], [51.5001, 51.4898, 51.5001, 51.5003, 51.5],
                              wards, 25)
    assert found.tolist() == ["E05000001", "E05000002", "E05000001", None, None]
    assert geo.nearest_wards([-0.095], [51.5001], wards, 10).tolist() == [None]
    assert geo.nearest_wards([-0.095], [51.5001], wards, 0).tolist() == [None]
    assert geo.nearest_wards([], [], wards, 25).tolist() == []
