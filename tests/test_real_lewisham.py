"""The real London Borough of Lewisham exports, loaded the way a council analyst would load them."""

from __future__ import annotations

import duckdb
import geopandas as gpd
import pandas as pd
import pytest

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
def test_every_in_borough_point_is_in_the_right_ward(loaded, boundaries, real_lewisham):
    con = loaded[boundaries]
    got = con.execute("select request_id, ward_code from service_requests").df().set_index("request_id")
    # An independent oracle: geopandas' own spatial join against ONS's WGS84 boundaries.
    reports = pd.read_csv(real_lewisham / "fixmystreet_open311_reports.csv", dtype={"service_request_id": str})
    points = gpd.GeoDataFrame(reports, geometry=gpd.points_from_xy(reports["long"], reports["lat"]), crs=4326)
    wards = gpd.read_file(real_lewisham / "wards_2022.geojson")[["WD22CD", "geometry"]]
    joined = gpd.sjoin(points, wards, predicate="within", how="left").drop_duplicates("service_request_id")
    expected = joined.set_index("service_request_id")["WD22CD"]
    inside = expected.notna()
    assert (got.loc[expected.index[inside], "ward_code"] == expected[inside]).all()
    assert got.loc[expected.index[~inside], "ward_code"].isna().all()
    assert int((~inside).sum()) == 19


def test_both_boundary_files_give_the_same_ward_counts(loaded):
    counts = {
        name: con.execute("select coalesce(ward_code, '-') as ward, count(*) from service_requests "
                          "group by 1 order by 1").fetchall()
        for name, con in loaded.items()
    }
    assert counts["geojson"] == counts["shapefile"]
    assert dict(counts["geojson"])["-"] == 19
    assert sum(n for _, n in counts["geojson"]) == 14884


def test_points_outside_every_ward_are_loaded_and_counted(loaded):
    con = loaded["geojson"]
    assert con.execute("select unmatched_wards, no_ward from sources where table_name = 'service_requests'"
                       ).fetchone() == (19, 19)
    assert con.execute("select count(*) from service_requests where ward_match = 'outside'").fetchone() == (19,)


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
    assert con.execute("select rows_read from sources where table_name = 'deprivation' order by source_file"
                       ).fetchall() == [(169,), (169,)]
