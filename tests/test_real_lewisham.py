"""The real London Borough of Lewisham exports, loaded the way a council analyst would load them."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb
import geopandas as gpd
import pandas as pd
import pytest

from pulse.ingest import ingest

NOW = datetime(2026, 11, 29, 12, 0)
BOUNDARIES = {
    "geojson": "wards_2022.geojson",
    "shapefile": "wards_2022_bng_shapefile/wards_2022.shp",
}


def mapping(boundaries: str) -> str:
    return f"""
[service_requests]
files = ["fixmystreet_open311_reports.csv"]

[wards]
files = ["{boundaries}"]

[ward_population]
files = ["ward_population_2020.csv"]
[ward_population.columns]
ward_code = "WD22CD_proposed"
population = "Total"

[deprivation]
files = ["imd2019_lsoa11.csv"]
lookup = "lookup_lsoa11_to_ward2022.csv"
"""


def load(real: Path, tmp_path: Path, boundaries: str) -> duckdb.DuckDBPyConnection:
    folder = tmp_path / "lewisham"
    folder.mkdir()
    for item in real.iterdir():
        (folder / item.name).symlink_to(item)
    (folder / "pulse.toml").write_text(mapping(BOUNDARIES[boundaries]))
    ingest(folder, tmp_path / "pulse.duckdb", now=NOW)
    return duckdb.connect(str(tmp_path / "pulse.duckdb"), read_only=True)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory) -> dict[str, duckdb.DuckDBPyConnection]:
    real = Path(__file__).resolve().parent.parent.parent / "shared" / "real" / "lewisham"
    if not real.is_dir():
        pytest.skip(f"real data folder {real} is absent")
    return {name: load(real, tmp_path_factory.mktemp(name), name) for name in BOUNDARIES}


@pytest.mark.parametrize("boundaries", BOUNDARIES)
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


@pytest.mark.parametrize("boundaries", BOUNDARIES)
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
