"""The real London Borough of Lewisham exports, loaded the way a council analyst would load them."""

from __future__ import annotations

import duckdb
import geopandas as gpd
import pandas as pd
import pytest

from pulse.config import QUERIES_DIR
from tests.conftest import LEWISHAM_BOUNDARIES, REAL, lewisham_database


@pytest.fixture(scope="module")
def loaded(tmp_path_factory) -> dict[str, duckdb.DuckDBPyConnection]:
    """The real exports loaded once with each boundary file, through a pulse.toml."""
    if not REAL.is_dir():
        pytest.skip(f"real data folder {REAL} is absent")
    return {name: duckdb.connect(str(lewisham_database(REAL, tmp_path_factory.mktemp(name), name)), read_only=True)
            for name in LEWISHAM_BOUNDARIES}


@pytest.mark.parametrize("boundaries", LEWISHAM_BOUNDARIES)
def test_every_report_is_accounted_for(loaded, boundaries):
    con = loaded[boundaries]
    assert con.execute("select rows_read, rows_loaded, rows_rejected from sources "
                       "where table_name = 'service_requests'").fetchall() == [(14884, 14884, 0)]
    assert con.execute("select count(*) from service_requests").fetchone() == (14884,)
    # FixMyStreet's interface_used gives the channel: iOS/Android → app, the rest → online.
    assert dict(con.execute("select channel, count(*) from service_requests group by 1").fetchall()).keys() <= {
        "app", "online"}
    assert con.execute("select count(*) from wards").fetchone() == (19,)
    assert con.execute("select count(*), sum(population) from ward_population").fetchone()[0] == 19


@pytest.mark.parametrize("boundaries", LEWISHAM_BOUNDARIES)
def test_every_point_is_in_the_right_ward_or_snapped_to_the_nearest(loaded, boundaries, real_lewisham):
    con = loaded[boundaries]
    got = con.execute("select request_id, ward_code, ward_match from service_requests").df().set_index("request_id")
    # An independent oracle: geopandas' own spatial join against ONS's WGS84 boundaries.
    reports = pd.read_csv(real_lewisham / "fixmystreet_open311_reports.csv", dtype={"service_request_id": str})
    points = gpd.GeoDataFrame(reports, geometry=gpd.points_from_xy(reports["long"], reports["lat"]), crs=4326)
    wards = gpd.read_file(real_lewisham / "wards_2022.geojson")[["WD22CD", "geometry"]]
    joined = gpd.sjoin(points, wards, predicate="within", how="left").drop_duplicates("service_request_id")
    expected = joined.set_index("service_request_id")["WD22CD"]
    inside = expected.notna()
    assert (got.loc[expected.index[inside], "ward_code"] == expected[inside]).all()
    assert int((~inside).sum()) == 19
    # The 19 just outside: each is given the ward whose polygon is nearest, measured in metres one
    # ward at a time, and none is more than 17 m out.
    stray = points.set_index("service_request_id").loc[expected.index[~inside]].to_crs(27700)
    metric = wards.to_crs(27700)
    metres = pd.DataFrame({code: stray.distance(shape) for code, shape in zip(metric["WD22CD"], metric.geometry)})
    assert metres.min(axis=1).max() < 17
    assert (got.loc[stray.index, "ward_code"] == metres.idxmin(axis=1)).all()
    assert (got.loc[stray.index, "ward_match"] == "snapped").all()


def test_both_boundary_files_give_the_same_ward_counts(loaded):
    counts = {
        name: con.execute("select coalesce(ward_code, '-') as ward, count(*) from service_requests "
                          "group by 1 order by 1").fetchall()
        for name, con in loaded.items()
    }
    assert counts["geojson"] == counts["shapefile"]
    assert "-" not in dict(counts["geojson"])
    assert sum(n for _, n in counts["geojson"]) == 14884


@pytest.mark.parametrize("boundaries", LEWISHAM_BOUNDARIES)
def test_points_just_outside_the_borough_are_snapped_and_counted(loaded, boundaries):
    con = loaded[boundaries]
    assert con.execute("select snapped, snap_metres, unmatched_wards, no_ward from sources "
                       "where table_name = 'service_requests'").fetchone() == (19, 25.0, 0, 0)
    assert con.execute("select ward_match, count(*) from service_requests group by 1 order by 1").fetchall() == [
        ("point", 14865), ("snapped", 19)]
    assert con.execute((QUERIES_DIR / "snapped_by_file.sql").read_text()).fetchall() == [
        ("service_requests", "fixmystreet_open311_reports.csv", 19, 25.0)]


def test_ward_deprivation_is_derived_from_imd_by_lsoa(loaded, real_lewisham):
    con = loaded["geojson"]
    got = dict(con.execute("select ward_code, imd_decile from ward_population").fetchall())
    # Independently: the mean of each ward's LSOA deciles, an exact half going to the more deprived.
    imd = pd.read_csv(real_lewisham / "imd2019_lsoa11.csv")
    lookup = pd.read_csv(real_lewisham / "lookup_lsoa11_to_ward2022.csv")
    means = lookup.merge(imd[["LSOA11CD", "IMD_decile"]], on="LSOA11CD").groupby("WD22CD_proposed")["IMD_decile"].mean()
    expected = {ward: int(-(-(mean - 0.5) // 1)) for ward, mean in means.items()}
    assert got == expected
    methods = {m for (m,) in con.execute("select distinct imd_method from ward_population").fetchall()}
    assert all(m.startswith("mean of ") and "each LSOA counted once" in m for m in methods)
    assert con.execute("select rows_read, rows_loaded, rows_rejected from sources where table_name = 'deprivation' "
                       "order by source_file").fetchall() == [(169, 169, 0), (169, 169, 0)]
    assert con.execute((QUERIES_DIR / "deprivation_gaps_by_lsoa.sql").read_text()).fetchall() == []
    assert con.execute("select note from source_notes where kind = 'deprivation'").fetchall() == [(
        "169 of 169 LSOAs count towards their ward's decile; all 19 ward deciles are unweighted means "
        "(no LSOA population given)",)]
