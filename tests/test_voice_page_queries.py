"""The queries the Resident voice page protects its tables from, each on the hand-written fixture
(tests/fixtures/voice, described in tests/test_voice_queries.py) with exact rows."""

from __future__ import annotations

import datetime as dt
from datetime import datetime

import pytest

from pulse.ingest import ingest
from pulse.metrics.sentiment import sentiment
from tests.conftest import ROOT
from tests.test_voice_queries import COMMENTS, records

VOICE = ROOT / "tests" / "fixtures" / "voice"
JAN, FEB, MAR = dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)
NORTH, SOUTH = "E05000001", "E05000002"
SEP = "\x1e"


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    from pulse import db
    from pulse.filters import Filters

    path = tmp_path_factory.mktemp("voice-page-queries") / "pulse.duckdb"
    ingest(VOICE, path, now=datetime(2026, 11, 29, 12, 0))

    def query(name: str, **params):
        return db.run(name, {**Filters().params(), **params}, path=path)

    return query


def test_voice_ratings_by_grain_value(run):
    frame = run("voice_ratings_by_grain_value")
    by_channel = records(frame[frame.grain == "channel"][["channel", "value", "responses"]])
    assert by_channel == [("app", "4", 1), ("email", "average", 1),
                          ("online", "1", 1), ("online", "2", 1), ("online", "4", 1), ("online", "5", 2),
                          ("phone", "1", 1), ("phone", "2", 1), ("phone", "good", 1), ("phone", "poor", 1),
                          (None, "3", 1)]
    assert records(frame[frame.grain == "month"][["period", "value", "responses"]])[:4] == [
        (JAN, "1", 1), (JAN, "2", 1), (JAN, "5", 1), (JAN, "good", 1)]
    services = frame[frame.grain == "service"]
    assert records(services[["service", "directorate"]].drop_duplicates()) == [
        ("Council tax", "Revenues"), ("Missed bin", "Environment"), ("Pothole", "Highways"), (None, None)]
    # Every grain adds up the same twelve responses, and the other grains' columns are empty on its rows.
    assert frame.groupby("grain")["responses"].sum().to_dict() == {"channel": 12, "month": 12, "service": 12,
                                                                   "ward": 12}
    assert frame[frame.grain == "ward"][["period", "service", "channel"]].isna().all().all()


def test_voice_ratings_by_grain_value_honours_the_filters(run):
    frame = run("voice_ratings_by_grain_value", wards=[NORTH], date_from=dt.date(2026, 2, 1))
    assert records(frame[frame.grain == "ward"][["ward_code", "value", "responses"]]) == [
        (NORTH, "2", 1), (NORTH, "4", 1), (NORTH, "poor", 1)]  # F07, F12, F08


def test_voice_comments_by_month_ward_themes(run):
    rows = records(run("voice_comments_by_month_ward_themes"))
    assert [r[:5] for r in rows] == [
        (JAN, NORTH, f"Bins missed{SEP}Long wait on the phone", "not satisfied", 1),
        (JAN, NORTH, f"Easy to do online{SEP}Sorted quickly", "satisfied", 1),
        (JAN, SOUTH, f"Couldn't log in / website problems{SEP}Council tax, bills and payments", "not satisfied", 1),
        (FEB, NORTH, "Long wait on the phone", "not satisfied", 1),
        (FEB, SOUTH, "Staff were helpful", "satisfied", 1),
        (FEB, None, "", "not satisfied", 1),  # F06: no rule caught it (Other), and no ward
        (MAR, SOUTH, "Couldn't log in / website problems", "not satisfied", 1),
        (MAR, SOUTH, f"Easy to do online{SEP}Sorted quickly{SEP}Council tax, bills and payments", "satisfied", 1),
        (MAR, None, "No updates / nobody got back to me", "not rated", 1),  # F11: a band only
    ]
    assert rows[0][5] == pytest.approx(sentiment(COMMENTS["F02"]))
    assert sum(r[4] for r in rows) == 9  # nine comments, each once, whatever its number of themes


def test_themes_by_position(run):
    frame = run("themes_by_position")
    assert len(frame) == 24
    assert records(frame[["theme", "position", "source"]].head(2)) == [
        ("Bins missed", 1, "default"), ("New or replacement bins", 2, "default")]


def test_feedback_columns_overall(run):
    assert records(run("feedback_columns_overall")) == [(12, 9, 11, 11, 10, True, 2, 3)]
