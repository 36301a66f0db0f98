"""Every leadership adoption query on the hand-built fixture (tests/fixtures/adoption), row by row.

The fixture's people and what each did are listed in tests/fixtures/adoption/make_adoption_csv.py;
every expected figure below can be counted from there by hand.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from pulse import db
from pulse.filters import Filters
from tests.conftest import ROOT

FIXTURE = ROOT / "tests" / "fixtures" / "adoption"
JAN, FEB, APR = date(2026, 1, 1), date(2026, 2, 1), date(2026, 4, 1)


@pytest.fixture(scope="session")
def adoption_db(tmp_path_factory) -> Path:
    """The adoption fixture (with its optional maturity self-assessment) ingested once per run."""
    from pulse.ingest import ingest

    path = tmp_path_factory.mktemp("adoption") / "pulse.duckdb"
    ingest(FIXTURE, path, now=datetime(2026, 11, 29, 12))
    return path


@pytest.fixture
def aq(adoption_db):
    """Run a named query on the adoption fixture: aq(name, **params) → DataFrame."""

    def run(name: str, **params) -> pd.DataFrame:
        return db.run(name, {**Filters().params(), **params}, path=adoption_db)

    return run


def rows(frame: pd.DataFrame, columns: list[str]) -> list[tuple]:
    """The frame's rows as tuples, dates as dates and shares rounded, for exact comparison."""
    out = []
    for record in frame[columns].itertuples(index=False):
        out.append(tuple(
            v.date() if isinstance(v, pd.Timestamp) else round(float(v), 6) if isinstance(v, float) else v
            for v in record
        ))
    return out


def test_the_fixture_loads_with_the_duplicate_and_the_unknown_grade_rejected(adoption_db):
    con = duckdb.connect(str(adoption_db), read_only=True)
    try:
        reasons = [r[0] for r in con.execute("select reason from rejected_rows order by line").fetchall()]
        loaded = con.execute("select count(*) from adoption").fetchone()[0]
        head_of_service = con.execute("select role_level from adoption where person_id = 'P05' limit 1").fetchone()[0]
    finally:
        con.close()
    assert len(reasons) == 2
    assert reasons[0].startswith("duplicate month and person_id and activity")
    assert reasons[1].startswith("unknown role level 'Volunteer'")
    assert loaded == 37 * 3 * 3  # 37 people, 3 months, 3 activities
    assert head_of_service == "senior_leader"


def test_share_by_role_counts_each_person_once_and_leaves_march_as_a_gap(aq):
    found = aq("adoption_share_by_role_month_activity")
    assert sorted(set(found["month"].dt.date)) == [JAN, FEB, APR]
    assert len(found) == 3 * 3 * 4
    esig = found[found["activity"] == "e_signature"]
    assert rows(esig, ["month", "role_level", "people", "active", "share", "people_elsewhere",
                       "smallest_directorate"]) == [
        (JAN, "executive", 3, 3, 1.0, 0, 1),
        (JAN, "senior_leader", 12, 4, 0.333333, 0, 3),  # P02 once, although it has two rows
        (JAN, "manager", 6, 2, 0.333333, 0, 1),
        (JAN, "staff", 16, 5, 0.3125, 0, 5),
        (FEB, "executive", 3, 3, 1.0, 0, 1),
        (FEB, "senior_leader", 12, 5, 0.416667, 0, 3),
        (FEB, "manager", 6, 3, 0.5, 0, 1),
        (FEB, "staff", 16, 7, 0.4375, 0, 5),
        (APR, "executive", 3, 3, 1.0, 0, 1),
        (APR, "senior_leader", 12, 8, 0.666667, 0, 3),
        (APR, "manager", 6, 4, 0.666667, 0, 1),
        (APR, "staff", 16, 9, 0.5625, 0, 5),
    ]
    teams = found[(found["activity"] == "teams_meetings") & (found["month"].dt.date == JAN)]
    # A count of 0 meetings is not active: P26 in January and P10 every month.
    assert rows(teams, ["role_level", "people", "active"]) == [
        ("executive", 3, 3), ("senior_leader", 12, 11), ("manager", 6, 6), ("staff", 16, 15)]


def test_share_by_role_for_one_directorate_says_who_is_left_out(aq):
    found = aq("adoption_share_by_role_month_activity", directorates=["Housing"])
    april = found[(found["activity"] == "e_signature") & (found["month"].dt.date == APR)]
    assert rows(april, ["role_level", "people", "active", "share", "people_elsewhere", "smallest_directorate"]) == [
        ("executive", 1, 1, 1.0, 2, 1),
        ("senior_leader", 5, 1, 0.2, 7, 3),
        ("manager", 5, 3, 0.6, 1, 1),
        ("staff", 6, 4, 0.666667, 10, 5),
    ]


def test_gap_by_month_activity(aq):
    found = aq("adoption_gap_by_month_activity")
    assert rows(found, ["month", "activity", "leaders", "leaders_active", "leader_share", "staff", "staff_active",
                        "staff_share", "gap", "leaders_elsewhere", "leaders_smallest_directorate",
                        "staff_elsewhere", "staff_smallest_directorate"]) == [
        (JAN, "digital_training_completed", 15, 6, 0.4, 16, 10, 0.625, -0.225, 0, 4, 0, 5),
        (JAN, "e_signature", 15, 7, 0.466667, 16, 5, 0.3125, 0.154167, 0, 4, 0, 5),
        (JAN, "teams_meetings", 15, 14, 0.933333, 16, 15, 0.9375, -0.004167, 0, 4, 0, 5),
        (FEB, "digital_training_completed", 15, 6, 0.4, 16, 10, 0.625, -0.225, 0, 4, 0, 5),
        (FEB, "e_signature", 15, 8, 0.533333, 16, 7, 0.4375, 0.095833, 0, 4, 0, 5),
        (FEB, "teams_meetings", 15, 15, 1.0, 16, 15, 0.9375, 0.0625, 0, 4, 0, 5),
        (APR, "digital_training_completed", 15, 6, 0.4, 16, 11, 0.6875, -0.2875, 0, 4, 0, 5),
        (APR, "e_signature", 15, 11, 0.733333, 16, 9, 0.5625, 0.170833, 0, 4, 0, 5),
        (APR, "teams_meetings", 15, 15, 1.0, 16, 15, 0.9375, 0.0625, 0, 4, 0, 5),
    ]


def test_gap_with_a_date_and_directorate_filter(aq):
    found = aq("adoption_gap_by_month_activity", date_from=date(2026, 2, 15), date_to=date(2026, 4, 30),
               directorates=["Environment", "Housing"])
    assert rows(found, ["month", "activity", "leaders", "leaders_active", "staff", "staff_active",
                        "leaders_elsewhere", "staff_elsewhere"]) == [
        (FEB, "digital_training_completed", 11, 6, 11, 9, 4, 5),
        (FEB, "e_signature", 11, 5, 11, 5, 4, 5),
        (FEB, "teams_meetings", 11, 11, 11, 10, 4, 5),
        (APR, "digital_training_completed", 11, 6, 11, 10, 4, 5),
        (APR, "e_signature", 11, 7, 11, 6, 4, 5),
        (APR, "teams_meetings", 11, 11, 11, 10, 4, 5),
    ]


def test_share_by_directorate_activity_is_the_latest_month(aq):
    found = aq("adoption_share_by_directorate_activity")
    assert rows(found, ["month", "directorate", "activity", "role_group", "people", "active", "share"]) == [
        (APR, "Environment", "digital_training_completed", "leaders", 5, 5, 1.0),
        (APR, "Environment", "digital_training_completed", "staff", 5, 4, 0.8),
        (APR, "Environment", "e_signature", "leaders", 5, 5, 1.0),
        (APR, "Environment", "e_signature", "staff", 5, 2, 0.4),
        (APR, "Environment", "teams_meetings", "leaders", 5, 5, 1.0),
        (APR, "Environment", "teams_meetings", "staff", 5, 4, 0.8),
        (APR, "Housing", "digital_training_completed", "leaders", 6, 1, 0.166667),
        (APR, "Housing", "digital_training_completed", "staff", 6, 6, 1.0),
        (APR, "Housing", "e_signature", "leaders", 6, 2, 0.333333),
        (APR, "Housing", "e_signature", "staff", 6, 4, 0.666667),
        (APR, "Housing", "teams_meetings", "leaders", 6, 6, 1.0),
        (APR, "Housing", "teams_meetings", "staff", 6, 6, 1.0),
        (APR, "Parks", "digital_training_completed", "leaders", 4, 0, 0.0),
        (APR, "Parks", "digital_training_completed", "staff", 5, 1, 0.2),
        (APR, "Parks", "e_signature", "leaders", 4, 4, 1.0),
        (APR, "Parks", "e_signature", "staff", 5, 3, 0.6),
        (APR, "Parks", "teams_meetings", "leaders", 4, 4, 1.0),
        (APR, "Parks", "teams_meetings", "staff", 5, 5, 1.0),
    ]
    february = aq("adoption_share_by_directorate_activity", date_to=date(2026, 3, 31), directorates=["Housing"])
    assert set(february["month"].dt.date) == {FEB}
    assert rows(february[february["activity"] == "e_signature"], ["role_group", "people", "active"]) == [
        ("leaders", 6, 1), ("staff", 6, 3)]


def test_scorecard_by_directorate_month(aq):
    found = aq("adoption_scorecard_by_directorate_month")
    assert rows(found, ["month", "directorate", "leaders", "leader_adoption", "staff", "staff_adoption",
                        "training_records", "training_completed", "training_completion", "smallest_group"]) == [
        (JAN, "Environment", 5, 0.8, 5, 0.5, 11, 8, 0.727273, 1),
        (FEB, "Environment", 5, 0.9, 5, 0.6, 11, 9, 0.818182, 1),
        (APR, "Environment", 5, 1.0, 5, 0.6, 11, 10, 0.909091, 1),
        (JAN, "Housing", 6, 0.5, 6, 0.75, 17, 9, 0.529412, 5),
        (FEB, "Housing", 6, 0.583333, 6, 0.75, 17, 9, 0.529412, 5),
        (APR, "Housing", 6, 0.666667, 6, 0.833333, 17, 9, 0.529412, 5),
        (JAN, "Parks", 4, 0.875, 5, 0.6, 9, 1, 0.111111, 4),
        (FEB, "Parks", 4, 0.875, 5, 0.7, 9, 1, 0.111111, 4),
        (APR, "Parks", 4, 1.0, 5, 0.8, 9, 1, 0.111111, 4),
    ]


def test_services_by_directorate(aq):
    found = aq("adoption_services_by_directorate")
    assert rows(found, ["directorate", "months", "fewest_leaders", "leader_adoption", "requests", "digital_requests",
                        "digital_takeup", "ratings", "satisfied", "satisfaction"]) == [
        ("Environment", 3, 5, 0.9, 10, 7, 0.7, 10, 8, 0.8),
        ("Housing", 3, 6, 0.583333, 10, 3, 0.3, 10, 4, 0.4),
        ("Parks", 3, 4, 0.916667, 4, 4, 1.0, 2, 1, 0.5),
    ]
    later = aq("adoption_services_by_directorate", date_from=FEB, directorates=["Housing"])
    assert rows(later, ["directorate", "months", "leader_adoption", "requests", "digital_requests", "ratings",
                        "satisfied"]) == [("Housing", 2, 0.625, 8, 1, 8, 2)]
    phone = aq("adoption_services_by_directorate", channels=["phone"])
    assert rows(phone, ["directorate", "requests", "digital_requests", "digital_takeup"])[:2] == [
        ("Environment", 3, 0, 0.0), ("Housing", 5, 0, 0.0)]


def test_maturity_is_found_and_summarised(aq, tiny_db):
    assert bool(aq("adoption_maturity_available_overall")["available"].iloc[0]) is True
    assert bool(db.run("adoption_maturity_available_overall", {}, path=tiny_db)["available"].iloc[0]) is False
    found = aq("adoption_maturity_by_directorate_date")
    assert rows(found, ["directorate", "assessed_on", "framework", "dimensions", "score", "max_score",
                        "maturity"]) == [
        ("Environment", date(2026, 1, 15), "Local Digital Declaration", 2, 3.5, 5.0, 0.7),
        ("Environment", date(2026, 4, 15), "Local Digital Declaration", 2, 4.5, 5.0, 0.9),
        ("Housing", date(2026, 1, 15), "Local Digital Declaration", 2, 2.0, 5.0, 0.4),
        ("Parks", date(2026, 1, 15), "Local Digital Declaration", 2, 2.0, 5.0, 0.4),
    ]
    spring = aq("adoption_maturity_by_directorate_date", date_from=FEB, directorates=["Environment", "Housing"])
    assert rows(spring, ["directorate", "assessed_on", "maturity"]) == [("Environment", date(2026, 4, 15), 0.9)]


def test_no_query_returns_a_person_id(aq):
    from pulse.adoption import MATURITY, MATURITY_AVAILABLE, QUERIES

    for name in (*QUERIES, MATURITY, MATURITY_AVAILABLE):
        found = aq(name)
        assert "person_id" not in found.columns
        assert not found.astype(str).apply(lambda c: c.str.fullmatch(r"P\d\d")).any().any(), name
