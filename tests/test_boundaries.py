"""pulse.ingest.boundaries: reading ward boundaries in every format and CRS, and refusing unusable files."""

from __future__ import annotations

import json
import pickle
import shutil
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely

from pulse import geo
from pulse.ingest.boundaries import BoundaryError, read_boundaries
from tests.conftest import REAL

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "geo"
GEOJSON = REAL / "wards_2022.geojson"
SHAPEFILE = REAL / "wards_2022_bng_shapefile" / "wards_2022.shp"

LEWISHAM_CODES = [f"E050137{n}" for n in range(14, 33)]
LEWISHAM_NAMES = [
    "Bellingham", "Blackheath", "Brockley", "Catford South", "Crofton Park", "Deptford", "Downham",
    "Evelyn", "Forest Hill", "Grove Park", "Hither Green", "Ladywell", "Lee Green", "Lewisham Central",
    "New Cross Gate", "Perry Vale", "Rushey Green", "Sydenham", "Telegraph Hill",
]  # fmt: skip

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


def write_geojson(path: Path, features: list[tuple[dict, object]], crs: str | None = None) -> Path:
    """A FeatureCollection from (properties, shapely geometry or None) pairs, crs member optional."""
    doc: dict = {"type": "FeatureCollection", "features": []}
    if crs:
        doc["crs"] = {"type": "name", "properties": {"name": crs}}
    for props, geom in features:
        g = None if geom is None else json.loads(shapely.to_geojson(geom))
        doc["features"].append({"type": "Feature", "properties": props, "geometry": g})
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def box_ward(code: str, name: str, minx: float, miny: float, maxx: float, maxy: float) -> tuple[dict, object]:
    return {"WD22CD": code, "WD22NM": name}, shapely.box(minx, miny, maxx, maxy)


def max_offset_m(a: gpd.GeoDataFrame, b: gpd.GeoDataFrame) -> float:
    """Largest Hausdorff distance in metres between matching wards of two frames."""
    pa, pb = a.to_crs(geo.BNG).geometry.values, b.to_crs(geo.BNG).geometry.values
    return float(max(shapely.hausdorff_distance(pa, pb)))


# --- the real Lewisham wards in every format ------------------------------------------------


@needs_real
def test_geojson_reads_19_lewisham_wards(lewisham):
    assert list(lewisham.columns) == ["ward_code", "ward_name", "geometry"]
    assert lewisham.crs.to_epsg() == 4326
    assert lewisham["ward_code"].tolist() == LEWISHAM_CODES
    assert lewisham["ward_name"].tolist() == LEWISHAM_NAMES
    assert lewisham.attrs["code_field"] == "WD22CD"
    assert lewisham.attrs["name_field"] == "WD22NM"
    assert lewisham.attrs["repaired"] == 0
    assert lewisham.attrs["dropped_empty"] == 0
    assert lewisham.attrs["notes"] == []


@needs_real
def test_bng_shapefile_gives_the_same_wards(lewisham, lewisham_shp):
    assert lewisham_shp["ward_code"].tolist() == LEWISHAM_CODES
    assert lewisham_shp["ward_name"].tolist() == LEWISHAM_NAMES
    assert lewisham_shp.crs.to_epsg() == 4326
    assert lewisham_shp.attrs["source_crs"] == "EPSG:27700"
    # The published GeoJSON was converted with OSTN15; without that grid pyproj uses the
    # Helmert transformation, good to about 2 m, so the two versions sit ~1.8 m apart.
    assert max_offset_m(lewisham, lewisham_shp) < 2.5


@needs_real
def test_zipped_shapefile_reads_like_the_shapefile(tmp_path, lewisham_shp):
    archive = tmp_path / "wards.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for part in SHAPEFILE.parent.iterdir():
            zf.write(part, f"Wards_December_2022/{part.name}")
        zf.writestr("__MACOSX/Wards_December_2022/._wards_2022.shp", b"\0\5\26\7")
        zf.writestr("README.txt", "Contains OS data")
    wards = read_boundaries(archive)
    assert wards["ward_code"].tolist() == LEWISHAM_CODES
    assert wards["ward_name"].tolist() == LEWISHAM_NAMES
    assert wards.geometry.geom_equals_exact(lewisham_shp.geometry, 0).all()


@needs_real
def test_zipped_geojson(tmp_path, lewisham):
    archive = tmp_path / "wards.zip"
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.write(GEOJSON, "wards.geojson")
    wards = read_boundaries(archive)
    assert wards["ward_code"].tolist() == LEWISHAM_CODES
    assert wards.geometry.geom_equals_exact(lewisham.geometry, 0).all()


@needs_real
def test_geojson_in_bng_without_crs_member_is_read_as_bng(tmp_path, lewisham):
    source = geo.to_bng(gpd.read_file(GEOJSON))
    path = write_geojson(
        tmp_path / "bng.geojson", [(r.drop("geometry").to_dict(), r.geometry) for _, r in source.iterrows()]
    )
    assert b'"crs"' not in path.read_bytes()
    wards = read_boundaries(path)
    assert wards["ward_code"].tolist() == LEWISHAM_CODES
    assert wards.attrs["assumed_crs"] == "EPSG:27700"
    assert wards.attrs["notes"] == ["no coordinate reference system given; read as EPSG:27700"]
    # There and back through OSTN15 (whose inverse is iterative, not exact): within a cm.
    assert max_offset_m(lewisham, wards) < 0.01


@needs_real
def test_geopackage_in_web_mercator_with_other_field_names(tmp_path, lewisham):
    source = gpd.read_file(GEOJSON)[["WD22CD", "WD22NM", "geometry"]]
    source = source.rename(columns={"WD22CD": "GSS_Code", "WD22NM": "Area_Name"}).to_crs("EPSG:3857")
    path = tmp_path / "wards.gpkg"
    pyogrio.write_dataframe(source, path, layer="electoral_wards")
    wards = read_boundaries(path)
    assert wards.attrs["code_field"] == "GSS_Code"
    assert wards.attrs["name_field"] == "Area_Name"
    assert wards["ward_code"].tolist() == LEWISHAM_CODES
    assert wards["ward_name"].tolist() == LEWISHAM_NAMES
    assert max_offset_m(lewisham, wards) < 0.001


@needs_real
def test_named_fields_are_used_and_a_missing_one_is_an_error(tmp_path):
    wards = read_boundaries(GEOJSON, code_field="wd22cd", name_field="LAD22NM")
    assert wards["ward_name"].unique().tolist() == ["Lewisham"]
    with pytest.raises(BoundaryError) as err:
        read_boundaries(GEOJSON, code_field="WARD_ID")
    message = str(err.value)
    assert message.startswith(f"{GEOJSON}: has no property 'WARD_ID' for the ward code; available: WD22NM, WD22CD")
    assert "\n" not in message


# --- other formats and awkward files --------------------------------------------------------


def test_topojson_fixture_picks_the_wards_object():
    wards = read_boundaries(FIXTURES / "two_wards.topojson")
    assert wards["ward_code"].tolist() == ["E05000001", "E05000002"]
    assert wards["ward_name"].tolist() == ["South", "North Ward"]
    assert wards.attrs["layer"] == "wards"
    assert wards.attrs["assumed_crs"] is None
    # Quantised, delta-encoded arcs decoded: South is (-0.05..-0.03, 51.40..51.41), North above it.
    assert wards.geometry[0].equals_exact(shapely.box(-0.05, 51.40, -0.03, 51.41), 1e-9, normalize=True)
    assert wards.geometry[1].equals_exact(shapely.box(-0.05, 51.41, -0.03, 51.42), 1e-9, normalize=True)


def test_topojson_is_detected_by_content_not_extension(tmp_path):
    path = tmp_path / "wards.json"
    shutil.copy(FIXTURES / "two_wards.topojson", path)
    assert read_boundaries(path)["ward_code"].tolist() == ["E05000001", "E05000002"]


def test_topojson_in_bng_without_crs(tmp_path):
    topology = json.loads((FIXTURES / "two_wards.topojson").read_text())
    topology["transform"] = {"scale": [50, 50], "translate": [533000, 171000]}
    path = tmp_path / "bng.topojson"
    path.write_text(json.dumps(topology))
    wards = read_boundaries(path)
    assert wards.attrs["assumed_crs"] == "EPSG:27700"
    south = geo.to_bng(wards).geometry[0]
    assert south.equals_exact(shapely.box(533000, 171000, 534000, 171500), 0.01, normalize=True)


def test_several_polygon_layers_need_one_called_ward(tmp_path):
    frame = gpd.GeoDataFrame({"code": ["E05000001"]}, geometry=[shapely.box(-0.05, 51.4, -0.03, 51.42)], crs=geo.WGS84)
    path = tmp_path / "layers.gpkg"
    pyogrio.write_dataframe(frame, path, layer="parishes")
    pyogrio.write_dataframe(frame, path, layer="divisions")
    pyogrio.write_dataframe(pd.DataFrame({"a": [1]}), path, layer="lookup")
    with pytest.raises(BoundaryError, match=r"several polygon layers \(parishes, divisions\); keep only the wards"):
        read_boundaries(path)
    pyogrio.write_dataframe(frame.assign(code="E05000007"), path, layer="ward_boundaries")
    wards = read_boundaries(path)
    assert (wards.attrs["layer"], wards["ward_code"].tolist()) == ("ward_boundaries", ["E05000007"])
    pyogrio.write_dataframe(frame, path, layer="wards_2024")
    with pytest.raises(BoundaryError, match=r"\(parishes, divisions, ward_boundaries, wards_2024\)"):
        read_boundaries(path)


def test_boundary_error_survives_pickling():
    err = pickle.loads(pickle.dumps(BoundaryError("wards.geojson", "file is\nempty")))
    assert str(err) == "wards.geojson: file is empty"
    assert (err.path, err.problem) == ("wards.geojson", "file is empty")


def test_shapefile_encoding_comes_from_the_cpg(tmp_path):
    frame = gpd.GeoDataFrame(
        {"WD22CD": ["E05000001"], "WD22NM": ["Saint-Rhôde & Café"]},
        geometry=[shapely.box(530000, 170000, 531000, 171000)],
        crs=geo.BNG,
    )
    pyogrio.write_dataframe(frame, tmp_path / "latin.shp", encoding="ISO-8859-1")
    assert (tmp_path / "latin.cpg").read_text() == "ISO-8859-1"
    assert b"Caf\xe9" in (tmp_path / "latin.dbf").read_bytes()
    assert read_boundaries(tmp_path / "latin.shp")["ward_name"].tolist() == ["Saint-Rhôde & Café"]
    with zipfile.ZipFile(tmp_path / "latin.zip", "w") as zf:
        for part in tmp_path.glob("latin.*"):
            if part.suffix != ".zip":
                zf.write(part, part.name)
    assert read_boundaries(tmp_path / "latin.zip")["ward_name"].tolist() == ["Saint-Rhôde & Café"]


def test_geojson_with_byte_order_mark_and_geometry_collection(tmp_path):
    path = write_geojson(
        tmp_path / "bom.geojson",
        [
            (
                {"WD22CD": "E05000001", "WD22NM": "Hill"},
                shapely.GeometryCollection(
                    [
                        shapely.box(-0.04, 51.40, -0.03, 51.41),
                        shapely.box(-0.035, 51.40, -0.02, 51.41),
                        shapely.Point(0, 51),
                    ]
                ),
            )
        ],
    )
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    wards = read_boundaries(path)
    assert wards["ward_name"].tolist() == ["Hill"]
    assert wards.geometry[0].equals(shapely.box(-0.04, 51.40, -0.02, 51.41))  # overlapping parts unioned


def test_features_sharing_a_code_are_dissolved(tmp_path):
    path = write_geojson(
        tmp_path / "split.geojson",
        [
            box_ward("E05000002", "Riverside", -0.02, 51.40, -0.01, 51.41),
            box_ward("E05000001", "Hill", -0.04, 51.40, -0.03, 51.41),
            box_ward("E05000002", "Riverside", -0.01, 51.40, 0.00, 51.41),
        ],
    )
    wards = read_boundaries(path)
    assert wards["ward_code"].tolist() == ["E05000001", "E05000002"]
    assert wards.attrs["dissolved"] == 1
    assert wards.geometry[1].equals(shapely.box(-0.02, 51.40, 0.00, 51.41))


def test_bow_tie_polygon_is_repaired(tmp_path):
    bow_tie = shapely.Polygon([(-0.02, 51.40), (0.00, 51.42), (0.00, 51.40), (-0.02, 51.42), (-0.02, 51.40)])
    assert not bow_tie.is_valid
    path = write_geojson(
        tmp_path / "bowtie.geojson",
        [({"WD22CD": "E05000001", "WD22NM": "Knot"}, bow_tie), box_ward("E05000002", "Square", 0.0, 51.4, 0.01, 51.41)],
    )
    wards = read_boundaries(path)
    assert wards.attrs["repaired"] == 1
    assert wards.attrs["notes"] == ["1 invalid polygons repaired"]
    knot = wards.geometry[0]
    assert knot.is_valid and knot.geom_type == "MultiPolygon"
    assert len(knot.geoms) == 2
    assert knot.area == pytest.approx(0.02 * 0.02 / 2)  # two triangles, each a quarter of the square


def test_features_without_geometry_are_dropped_and_counted(tmp_path):
    path = write_geojson(
        tmp_path / "holes.geojson",
        [
            box_ward("E05000001", "Hill", -0.04, 51.40, -0.03, 51.41),
            ({"WD22CD": "E05000002", "WD22NM": "Nowhere"}, None),
            ({"WD22CD": "E05000003", "WD22NM": "Void"}, shapely.Polygon()),
        ],
    )
    wards = read_boundaries(path)
    assert wards["ward_code"].tolist() == ["E05000001"]
    assert wards.attrs["dropped_empty"] == 2
    assert wards.attrs["dropped_codes"] == ["E05000002", "E05000003"]


def test_metres_labelled_as_degrees_is_an_error(tmp_path):
    path = write_geojson(
        tmp_path / "mislabelled.geojson",
        [box_ward("E05000001", "Hill", 533916.1, 170156.1, 541861.9, 178958.8)],
        crs="urn:ogc:def:crs:OGC:1.3:CRS84",
    )
    with pytest.raises(BoundaryError) as err:
        read_boundaries(path)
    assert str(err.value) == (
        f"{path}: coordinates look like metres read as degrees (x up to 541862); "
        "the file declares EPSG:4326 (WGS 84)"
    )


def test_degrees_labelled_as_metres_is_an_error(tmp_path):
    frame = gpd.GeoDataFrame({"WD22CD": ["E05000001"]}, geometry=[shapely.box(-0.05, 51.4, -0.03, 51.42)], crs=geo.BNG)
    pyogrio.write_dataframe(frame, tmp_path / "wrong.gpkg")
    with pytest.raises(BoundaryError, match=r"wrong\.gpkg: coordinates look like degrees .* EPSG:27700"):
        read_boundaries(tmp_path / "wrong.gpkg")


def test_boundaries_outside_the_uk_are_an_error(tmp_path):
    paris = write_geojson(tmp_path / "paris.geojson", [box_ward("E05000001", "Louvre", 2.33, 48.85, 2.34, 48.87)])
    with pytest.raises(BoundaryError, match=r"paris\.geojson: boundaries lie outside the UK \(longitude 2\.330"):
        read_boundaries(paris)
    swapped = write_geojson(tmp_path / "swapped.geojson", [box_ward("E05000001", "Hill", 51.40, -0.04, 51.41, -0.03)])
    with pytest.raises(BoundaryError, match="latitude and longitude look swapped"):
        read_boundaries(swapped)


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("empty.geojson", b"", "file is empty"),
        ("blank.geojson", b"  \n", "file is empty"),
        ("nothing.geojson", b'{"type": "FeatureCollection", "features": []}', "contains no features"),
        ("corrupt.geojson", b'{"type": "FeatureCollection", "features": [{"type": "Feat', "cannot be read"),
        ("notjson.json", b"ward_code,ward_name\nE05000001,Hill\n", "is not JSON"),
        ("corrupt.shp", b"\x00\x00\x27\x0a" + bytes(range(256)) * 4, "cannot be read"),
        ("corrupt.gpkg", b"SQLite format 3\x00" + b"\xff" * 500, "cannot be read"),
        ("corrupt.zip", b"PK\x03\x04 this is not really a zip", "not a readable zip archive"),
        ("wards.kml", b"<kml/>", "unsupported boundary format .kml"),
    ],
)
def test_unusable_files_raise_one_line_naming_the_file(tmp_path, name, content, problem):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(BoundaryError) as err:
        read_boundaries(path)
    message = str(err.value)
    assert message.startswith(f"{path}: ")
    assert problem in message
    assert "\n" not in message


def test_files_without_usable_geometry_are_errors(tmp_path):
    nulls = write_geojson(
        tmp_path / "nulls.geojson", [({"WD22CD": "E05000001"}, None), ({"WD22CD": "E05000002"}, None)]
    )
    with pytest.raises(BoundaryError, match="no feature has a usable polygon geometry"):
        read_boundaries(nulls)
    table = tmp_path / "table.gpkg"
    pyogrio.write_dataframe(pd.DataFrame({"WD22CD": ["E05000001"]}), table)
    with pytest.raises(BoundaryError, match=r"table\.gpkg: has no geometry"):
        read_boundaries(table)


def test_points_and_missing_codes_are_errors(tmp_path):
    points = write_geojson(tmp_path / "points.geojson", [({"WD22CD": "E05000001"}, shapely.Point(-0.02, 51.4))])
    with pytest.raises(BoundaryError, match="has Point geometries; ward boundaries must be polygons"):
        read_boundaries(points)
    nocode = write_geojson(
        tmp_path / "nocode.geojson",
        [box_ward("E05000001", "Hill", -0.04, 51.40, -0.03, 51.41), box_ward(" ", "Dale", -0.03, 51.40, -0.02, 51.41)],
    )
    with pytest.raises(BoundaryError, match="1 features have no ward code in 'WD22CD'"):
        read_boundaries(nocode)
    unknown = write_geojson(tmp_path / "unknown.geojson", [({"foo": "bar"}, shapely.box(-0.04, 51.4, -0.03, 51.41))])
    with pytest.raises(BoundaryError, match="no ward code property found; available: foo"):
        read_boundaries(unknown)


def test_unfamiliar_code_field_found_by_its_values(tmp_path):
    path = write_geojson(
        tmp_path / "odd.geojson",
        [({"lad": "E09000023", "ref": "E05000001", "nom": "Hill"}, shapely.box(-0.04, 51.4, -0.03, 51.41))],
    )
    wards = read_boundaries(path)
    assert wards.attrs["code_field"] == "ref"
    assert wards["ward_name"].tolist() == ["E05000001"]  # no name property: the code stands in
    assert wards.attrs["notes"] == ["no ward name property found; ward codes are used as names"]
