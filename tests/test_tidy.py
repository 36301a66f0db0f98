"""Honest and tidy on partial data: every page, on a council's first one or two exports, in both modes.

Most councils start with one or two exports. Every page must run on each of these without an exception
and draw nothing untidy: no "None", "nan" or "NaT", no negative zero, no whole-number count drawn as a
float ("1108.0"). The check runs over everything each page publishes (text, metrics, tables, chart data,
map JSON, downloads), so a new page is checked without a new test.
"""

from __future__ import annotations

import re
import shutil
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest

from tests.audit.collect import PAGES, run
from tests.conftest import TINY, lewisham_database

MISSING = re.compile(r"\b(None|nan|NaN|NaT)\b|(?<![\w.,])-0(\.0+)?(?![\w.])")
# A count written as a float, in words on screen (tables and chart data keep their numbers as numbers).
# The upper end of a range of rates ("42.5 to 45.0", a map legend's class) keeps its lower end's decimals.
FLOAT_COUNT = re.compile(r"(?<![\d.,+\-£])(?<!\d to )\d+(,\d{3})*\.0(?![\d.%])(?! pts| days| per)")
DATA = ("/dataframe", "/vega_lite_chart", "/deck_gl_json_chart", "download ")


def _write(folder: Path, files: dict[str, pd.DataFrame | None]) -> Path:
    folder.mkdir(parents=True)
    for name, frame in files.items():
        if frame is None:
            shutil.copy(TINY / name, folder / name)
        else:
            frame.to_csv(folder / name, index=False)
    return folder


def _requests_without_closures() -> pd.DataFrame:
    frame = pd.read_csv(TINY / "service_requests.csv")
    return frame.drop(columns=["closed_at", "due_at", "outcome", "resolved_first_contact", "customer_ref"])


FIXTURES = {
    "only requests": {"service_requests.csv": None},
    "requests without closed dates or outcomes": {"service_requests.csv": "no closures"},
    "only feedback": {"feedback.csv": None},
    "only adoption": {"adoption.csv": None},
    "only wards": {"wards.geojson": None, "ward_population.csv": None},
}


@pytest.fixture(scope="module")
def databases(tmp_path_factory) -> dict[str, Path]:
    """Each partial export set ingested once."""
    from pulse.ingest import ingest

    out = {}
    for name, files in FIXTURES.items():
        root = tmp_path_factory.mktemp(name.replace(" ", "_"))
        given = {f: (_requests_without_closures() if how == "no closures" else None) for f, how in files.items()}
        ingest(_write(root / "exports", given), root / "pulse.duckdb", now=datetime(2026, 11, 29, 12, 0))
        out[name] = root / "pulse.duckdb"
    return out


def untidy(shown: list[str]) -> list[str]:
    """Every element that draws something untidy, with what it drew (the SQL shown to analysts aside)."""
    found = []
    for text in shown:
        head = text.split("\n", 1)[0]
        if "/code" in head:
            continue
        match = MISSING.search(text) or (None if head.endswith(DATA) or head.startswith(DATA) else
                                         FLOAT_COUNT.search(text))
        if match:
            start = max(0, match.start() - 40)
            found.append(f"{head}: …{text[start:match.end() + 40]!r}")
    return found


def test_the_check_catches_what_it_should():
    assert untidy(["/main/markdown\nDigital take-up None", "/main/markdown\n1,108.0 requests",
                   "/main/markdown\nchange -0.0 pts", "/main/metric\nNaT"]) != []
    assert len(untidy(["/a\nNone", "/b\n1108.0", "/c\n-0", "/d\nnan"])) == 4
    assert untidy(["/main/markdown\nNonetheless 53.0% of 1,108 requests, -0.5 pts, version 2.0.1, Noneworthy"]) == []


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("fixture", list(FIXTURES))
@pytest.mark.parametrize("public", [False, True], ids=["internal", "public-safe"])
def test_every_page_is_tidy_on_partial_data(page, fixture, public, databases, monkeypatch):
    at, shown = run(databases[fixture], page, {"public": "1"} if public else {}, monkeypatch)
    assert not at.exception, [e.value for e in at.exception]
    assert untidy(shown) == []


@pytest.mark.parametrize("page", PAGES)
def test_every_page_is_tidy_on_real_lewisham(page, real_lewisham, tmp_path_factory, monkeypatch):
    db = _lewisham(real_lewisham, tmp_path_factory)
    for query in ({}, {"public": "1"}):
        at, shown = run(db, page, query, monkeypatch)
        assert not at.exception, [e.value for e in at.exception]
        assert untidy(shown) == []


_LEWISHAM: dict[str, Path] = {}


def _lewisham(real: Path, factory) -> Path:
    if "db" not in _LEWISHAM:
        _LEWISHAM["db"] = lewisham_database(real, factory.mktemp("lewisham_tidy"))
    return _LEWISHAM["db"]
