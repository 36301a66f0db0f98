"""Shared fixtures: tiny source folders written in each test, and the real Lewisham data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "real" / "lewisham"

# Two adjacent square wards in central London: North above latitude 51.50, South below it.
TINY_WARDS = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"ward_code": code, "ward_name": name},
            "geometry": {
                "type": "Polygon",
                "coordinates": [[[-0.10, lo], [-0.09, lo], [-0.09, lo + 0.01], [-0.10, lo + 0.01], [-0.10, lo]]],
            },
        }
        for code, name, lo in (("E05000001", "North Ward", 51.50), ("E05000002", "South Ward", 51.49))
    ],
}


@pytest.fixture
def real_lewisham() -> Path:
    """The real Lewisham files, or a clear skip when the shared folder is absent."""
    if not REAL.is_dir():
        pytest.skip(f"real data folder {REAL} is absent")
    return REAL


@pytest.fixture
def source(tmp_path: Path):
    """A function that writes files into a fresh source folder and returns the folder."""
    folder = tmp_path / "exports"
    folder.mkdir()

    def write(name: str, content: str | bytes | dict, encoding: str = "utf-8") -> Path:
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, dict):
            content = json.dumps(content)
        path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        return folder

    write.folder = folder
    return write


TINY = ROOT / "tests" / "fixtures" / "tiny"


@pytest.fixture(scope="session")
def tiny_db(tmp_path_factory) -> Path:
    """The hand-written tiny fixture (tests/fixtures/tiny) ingested once per test run."""
    from datetime import datetime

    from pulse.ingest import ingest

    db = tmp_path_factory.mktemp("tiny") / "pulse.duckdb"
    ingest(TINY, db, now=datetime(2026, 11, 29, 12, 0))
    return db


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """A small demo borough (20,000 requests), generated and ingested once per test run."""
    from pulse import demo
    from pulse.ingest import ingest

    folder = tmp_path_factory.mktemp("demo")
    demo.generate(folder / "source", requests=20_000, seed=7)
    ingest(folder / "source", folder / "pulse.duckdb")
    return folder / "pulse.duckdb"


@pytest.fixture
def app(demo_db, monkeypatch):
    """open_app(page=None, **query) → the app on the demo borough, run once (and once more on the page)."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("PULSE_DB", str(demo_db))
    monkeypatch.delenv("PULSE_PUBLIC_SAFE", raising=False)

    def open_app(page: str | None = None, **query: str | list[str]) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        for key, value in query.items():
            at.query_params[key] = value
        at.run()
        if page:
            at.switch_page(page)
            at.run()
        assert not at.exception, at.exception
        return settled(at)

    return open_app


def settled(at):
    """In presentation mode, the app run again once every slide is built (the browser's page redraws itself
    then): the slide count is known and Next stops at the end, as a presenter sees a moment after opening."""
    from pulse.present import registry

    if "p_present" in at.session_state and at.session_state["p_present"]:
        registry.wait_for_all()
        at.run()
    return at


def with_loaded_costs(name: str, params: dict, path: Path) -> dict:
    """The parameters, plus the database's own unit costs when a cost query needs them and none are given."""
    from pulse import db

    if "cost_channels" in db.query_parameters(name) and "cost_channels" not in params:
        costs = db.run("unit_costs_by_channel", path=path)
        params = {**params, "cost_channels": list(costs["channel"]), "cost_values": list(costs["cost_gbp"])}
    return params


@pytest.fixture
def tiny_query(tiny_db):
    """Run a named query on the tiny fixture: tiny_query(name, **params) → DataFrame."""
    from pulse import db
    from pulse.filters import Filters

    def run(name: str, **params):
        return db.run(name, with_loaded_costs(name, {**Filters().params(), **params}, tiny_db), path=tiny_db)

    return run


LEWISHAM_BOUNDARIES = {
    "geojson": "wards_2022.geojson",
    "shapefile": "wards_2022_bng_shapefile/wards_2022.shp",
}


def lewisham_mapping(boundaries: str) -> str:
    """The pulse.toml an analyst would write for the real Lewisham exports (README's worked example)."""
    return f"""
[service_requests]
files = ["fixmystreet_open311_reports.csv"]

[wards]
files = ["{LEWISHAM_BOUNDARIES[boundaries]}"]

[ward_population]
files = ["ward_population_2020.csv"]
[ward_population.columns]
ward_code = "WD22CD_proposed"
population = "Total"

[deprivation]
files = ["imd2019_lsoa11.csv"]
lookup = "lookup_lsoa11_to_ward2022.csv"
"""


def lewisham_database(real: Path, folder: Path, boundaries: str = "geojson") -> Path:
    """The real Lewisham exports (linked, not copied) ingested with that mapping into folder/pulse.duckdb."""
    from datetime import datetime

    from pulse.ingest import ingest

    exports = folder / "exports"
    exports.mkdir()
    for item in real.iterdir():
        (exports / item.name).symlink_to(item)
    (exports / "pulse.toml").write_text(lewisham_mapping(boundaries))
    ingest(exports, folder / "pulse.duckdb", now=datetime(2026, 11, 29, 12, 0))
    return folder / "pulse.duckdb"
