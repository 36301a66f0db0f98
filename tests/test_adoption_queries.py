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


def test_adoption_by_directorate_month_role_activity_counts_each_person_once(aq):
    found = aq("adoption_by_directorate_month_role_activity")
    assert sorted(set(found["month"].dt.date)) == [JAN, FEB, APR]  # March has no row: a gap, not a zero
    # Environment and Housing have all four levels, Parks no managers: 11 combinations × 3 months × 3 activities.
    assert len(found) == 11 * 3 * 3
    january = found[(found["activity"] == "e_signature") & (found["month"].dt.date == JAN)]
    assert rows(january, ["directorate", "role_level", "people", "active"]) == [
        ("Environment", "executive", 1, 1),
        ("Environment", "senior_leader", 4, 2),  # P05 (Head of Service) mapped; P02 once, though it has two rows
        ("Environment", "manager", 1, 1),
        ("Environment", "staff", 5, 1),
        ("Housing", "executive", 1, 1),
        ("Housing", "senior_leader", 5, 0),
        ("Housing", "manager", 5, 1),
        ("Housing", "staff", 6, 3),
        ("Parks", "executive", 1, 1),
        ("Parks", "senior_leader", 3, 2),
        ("Parks", "staff", 5, 1),
    ]
    teams = found[(found["activity"] == "teams_meetings") & (found["month"].dt.date == JAN)
                  & (found["directorate"] == "Housing")]
    # A count of 0 meetings is not active: P26 in January.
    assert rows(teams, ["role_level", "people", "active"]) == [
        ("executive", 1, 1), ("senior_leader", 5, 4), ("manager", 5, 5), ("staff", 6, 6)]


def test_adoption_by_directorate_month_role_activity_honours_dates_and_directorates(aq):
    found = aq("adoption_by_directorate_month_role_activity", date_from=date(2026, 2, 15), date_to=date(2026, 4, 30),
               directorates=["Housing"])
    # A date inside February takes the whole month.
    assert sorted(set(found["month"].dt.date)) == [FEB, APR] and set(found["directorate"]) == {"Housing"}
    april = found[(found["activity"] == "e_signature") & (found["month"].dt.date == APR)]
    assert rows(april, ["role_level", "people", "active"]) == [
        ("executive", 1, 1), ("senior_leader", 5, 1), ("manager", 5, 3), ("staff", 6, 4)]


def test_adoption_outcomes_by_directorate(aq):
    found = aq("adoption_outcomes_by_directorate")
    assert rows(found, ["directorate", "requests", "digital_requests", "ratings", "satisfied"]) == [
        ("Environment", 10, 7, 10, 8), ("Housing", 10, 3, 10, 4), ("Parks", 4, 4, 2, 1)]
    later = aq("adoption_outcomes_by_directorate", date_from=FEB, directorates=["Housing"])
    assert rows(later, ["directorate", "requests", "digital_requests", "ratings", "satisfied"]) == [
        ("Housing", 8, 1, 8, 2)]
    phone = aq("adoption_outcomes_by_directorate", channels=["phone"])
    assert rows(phone, ["directorate", "requests", "digital_requests", "ratings", "satisfied"]) == [
        ("Environment", 3, 0, 0, 0), ("Housing", 5, 0, 0, 0)]


def test_adoption_outcomes_available_overall(aq):
    assert aq("adoption_outcomes_available_overall").iloc[0].to_dict() == {
        "requests": True, "requests_with_directorate": True, "ratings": True, "ratings_with_directorate": True}


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
    from pulse.pages import leadership

    for name in (leadership.QUERY, leadership.OUTCOMES, leadership.OUTCOMES_AVAILABLE, leadership.MATURITY,
                 leadership.MATURITY_AVAILABLE):
        found = aq(name)
        assert "person_id" not in found.columns
        assert not found.astype(str).apply(lambda c: c.str.fullmatch(r"P\d\d")).any().any(), name
