"""Every KPI, catalogue and event query, run on hand-written fixtures with the exact rows expected.

tests/fixtures/tiny is shared with other tests; tests/fixtures/kpi adds the edge cases of these
queries (see its README.txt). Expected values are worked out by hand in the comments.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import with_loaded_costs

from pulse import db
from pulse.filters import Filters
from tests.conftest import ROOT

KPI_FIXTURE = ROOT / "tests" / "fixtures" / "kpi"
TINY_SPAN = {"date_from": date(2026, 1, 1), "date_to": date(2026, 2, 28)}
JANUARY = {"baseline_from": date(2026, 1, 1), "baseline_to": date(2026, 1, 31)}


@pytest.fixture(scope="module")
def kpi_db(tmp_path_factory) -> Path:
    """tests/fixtures/kpi ingested once for this module."""
    from pulse.ingest import ingest

    path = tmp_path_factory.mktemp("kpi") / "pulse.duckdb"
    ingest(KPI_FIXTURE, path, now=datetime(2026, 11, 29, 12, 0))
    return path


@pytest.fixture
def kpi_query(kpi_db):
    """Run a named query on the kpi fixture, January to March 2026 unless told otherwise."""

    def run(name: str, **params) -> pd.DataFrame:
        filters = Filters(date_from=date(2026, 1, 1), date_to=date(2026, 3, 31)).params()
        return db.run(name, with_loaded_costs(name, {**filters, **params}, kpi_db), path=kpi_db)

    return run


def rows(frame: pd.DataFrame) -> list[tuple]:
    """A result as plain tuples: dates as date, missing as None, numbers as float."""
    out = []
    for record in frame.itertuples(index=False):
        values = []
        for value in record:
            if isinstance(value, pd.Timestamp):
                value = value.date()
            elif value is None or (not isinstance(value, str) and pd.isna(value)):
                value = None
            elif not isinstance(value, (str, date)):
                value = float(value)
            values.append(value)
        out.append(tuple(values))
    return out


def approx(expected: list[tuple]) -> list[tuple]:
    return [tuple(pytest.approx(v, abs=1e-9) if isinstance(v, float) else v for v in row) for row in expected]


M1, M2, M3 = date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)


# --------------------------------------------------------------------------- on the tiny fixture


def test_resolved_within_target_on_tiny(tiny_query):
    # By month closed. February: R06, R07, R10 in time, R08 late → 3/4. January (R01 and R04 in
    # time, R02 late) is not complete: the data begins on 5 January and the slowest request (R08)
    # took 18 days, so requests made just before the data began could still close in January.
    result = tiny_query("kpi_resolved_within_target_by_month", **TINY_SPAN)
    assert list(result.columns) == ["period", "numerator", "denominator", "value"]
    assert rows(result) == approx([(M2, 3.0, 4.0, 0.75)])


def test_median_days_to_resolve_on_tiny(tiny_query):
    # February's closings take 1, 1, 18 and 1 days: median 1. January is not complete (as above).
    result = tiny_query("kpi_median_days_to_resolve_by_month", **TINY_SPAN)
    assert rows(result) == approx([(M2, None, 4.0, 1.0)])


def test_first_contact_resolution_on_tiny(tiny_query):
    # January: R02 and R04 resolved of R01, R02, R04, R05 recorded (R03 not) → 2/4; February 0/4.
    result = tiny_query("kpi_first_contact_resolution_by_month", **TINY_SPAN)
    assert rows(result) == approx([(M1, 2.0, 4.0, 0.5), (M2, 0.0, 4.0, 0.0)])


def test_net_satisfaction_on_tiny(tiny_query):
    # January 5, 2, 4 → good 2, poor 1 of 3; February 3 (average) and "good" → 1 of 2.
    result = tiny_query("kpi_net_satisfaction_by_month", **TINY_SPAN)
    assert rows(result) == approx([(M1, 1.0, 3.0, 1 / 3), (M2, 1.0, 2.0, 0.5)])


def test_repeat_contact_on_tiny(tiny_query):
    # Only R07 (C1, missed bin, a day after R06) repeats; R06 is 28 days after R01.
    result = tiny_query("kpi_repeat_contact_by_month", **TINY_SPAN)
    assert list(result.columns) == ["period", "numerator", "denominator", "value", "without_ref"]
    assert rows(result) == approx([(M1, 0.0, 5.0, 0.0, 0.0), (M2, 1.0, 5.0, 0.2, 0.0)])


def test_channel_shift_saving_on_tiny(tiny_query):
    # Baseline January: online 0.15 + phone 2.83 + app 0.15 + face to face 8.62 = 11.75 over 4
    # costed requests (email has no cost) → £2.9375 a request. February: five requests costing
    # 0.15 × 4 + 2.83 = 3.43 against 5 × 2.9375 = 14.6875 → saving 11.2575, 2.2515 a request.
    result = tiny_query("kpi_channel_shift_saving_by_month", **TINY_SPAN, **JANUARY)
    assert list(result.columns) == ["period", "numerator", "denominator", "value", "baseline_cost", "uncosted"]
    assert rows(result) == approx([(M1, 0.0, 4.0, 0.0, 2.9375, 1.0), (M2, 11.2575, 5.0, 2.2515, 2.9375, 0.0)])


def test_catalogue_values_events_and_freshness_on_tiny(tiny_query):
    catalogue = tiny_query("kpis_by_id")
    assert rows(catalogue) == [
        ("digital_takeup", "Digital take-up", "Residents can't do it online", "%", "higher", 0.6,
         "kpi_digital_takeup_by_month", "Head of Digital", "monthly"),
        ("calls_answered", "Calls answered within 60 seconds", "Residents can't get through on the phone", "%",
         "higher", 0.8, "manual", "Contact Centre Manager", "monthly"),
    ]
    assert rows(tiny_query("kpi_values_by_period", **TINY_SPAN)) == approx(
        [("calls_answered", M1, 0.72), ("calls_answered", M2, 0.81)])
    assert rows(tiny_query("events_by_date", **TINY_SPAN)) == [
        (M2, "New online bin form launched", "Missed bin", None)]
    assert rows(tiny_query("data_through_by_source", **TINY_SPAN)) == [
        ("feedback", date(2026, 2, 14)), ("service_requests", date(2026, 2, 12))]


# --------------------------------------------------------------------------- edge cases (kpi fixture)


def test_repeat_contact_edges(kpi_query):
    # January: K02 is exactly 7 days after K01 (a repeat); K03 is 7 days and a minute after K02
    # (not); K04 is the same customer about another service (not). February: K06 repeats K05
    # across the month end; K09 ties K08 to the second and comes after it by id; K07 has no ref.
    result = kpi_query("kpi_repeat_contact_by_month")
    assert rows(result) == approx([(M1, 1.0, 5.0, 0.2, 0.0), (M2, 2.0, 4.0, 0.5, 1.0), (M3, 0.0, 1.0, 0.0, 0.0)])


def test_repeat_contact_counts_an_earlier_contact_outside_the_filters(kpi_query):
    # K06 (app) still repeats K05 (online, January) when the view is February, app only.
    result = kpi_query("kpi_repeat_contact_by_month", date_from=date(2026, 2, 1), channels=["app"])
    assert rows(result) == approx([(M2, 1.0, 1.0, 1.0, 0.0)])


def test_resolved_within_target_is_by_month_closed(kpi_query):
    # February: K03 (made in January, closed on the dot of its due time), K06, K08, K09 in time,
    # K10 late. March: K07 late, K11 in time. K04 has no due date. January (K01 in time, K02 late)
    # is not complete: the data begins on 1 January and its slowest request (K07) took 26 days.
    result = kpi_query("kpi_resolved_within_target_by_month")
    assert rows(result) == approx([(M2, 4.0, 5.0, 0.8), (M3, 1.0, 2.0, 0.5)])
    # The date range selects requests closed in it: K03 counts in February although made in January.
    february = kpi_query("kpi_resolved_within_target_by_month", date_from=date(2026, 2, 1),
                         date_to=date(2026, 2, 28))
    assert rows(february) == approx([(M2, 4.0, 5.0, 0.8)])


def test_median_days_to_resolve_is_by_month_closed(kpi_query):
    # February: 17, 10 minutes, 1, 5 minutes, 5 → 1. March: 26 and 2 days → the median of an even
    # count is the mean of the middle two, 14. January (1, 12 and 3 days) is not complete (above).
    result = kpi_query("kpi_median_days_to_resolve_by_month")
    assert rows(result) == approx([(M2, None, 5.0, 1.0), (M3, None, 2.0, 14.0)])


def test_first_contact_resolution_leaves_out_unrecorded(kpi_query):
    # January: K03, K04 of K02, K03, K04; February: K09, K10 of K07–K10; March: nothing recorded.
    result = kpi_query("kpi_first_contact_resolution_by_month")
    assert rows(result) == approx([(M1, 2.0, 3.0, 2 / 3), (M2, 2.0, 4.0, 0.5)])


def test_net_satisfaction_counts_text_bands(kpi_query):
    # January: 5, 4 good; 3 average; 1 and "poor" poor → (2 − 2) / 5. February: "good" and 5
    # good, 2 poor, "average" → (2 − 1) / 4.
    result = kpi_query("kpi_net_satisfaction_by_month")
    assert rows(result) == approx([(M1, 0.0, 5.0, 0.0), (M2, 1.0, 4.0, 0.25)])
    bins_only = kpi_query("kpi_net_satisfaction_by_month", services=["Missed bin"])
    assert rows(bins_only) == approx([(M1, 1.0, 4.0, 0.25), (M2, 1.0, 1.0, 1.0)])


def test_channel_shift_saving_against_a_baseline(kpi_query):
    # Baseline January: 0.15 + 2.83 + 2.83 + 8.62 + 0.15 = 14.58 over 5 → 2.916 a request.
    # February: 0.15 + 2.83 + 2.83 + 8.62 = 14.43 over 4 costed (email is not) → 11.664 − 14.43.
    # March: one online request, 2.916 − 0.15.
    result = kpi_query("kpi_channel_shift_saving_by_month", **JANUARY)
    assert rows(result) == approx([
        (M1, 0.0, 5.0, 0.0, 2.916, 0.0),
        (M2, 11.664 - 14.43, 4.0, (11.664 - 14.43) / 4, 2.916, 1.0),
        (M3, 2.766, 1.0, 2.766, 2.916, 0.0),
    ])


def test_kpi_values_by_period_keeps_periods_that_overlap_the_range(kpi_query):
    # February: the week from Monday 26 January runs into 1 February; the quarter from January
    # covers February; January (monthly) and the quarter from October end before it.
    result = kpi_query("kpi_values_by_period", date_from=date(2026, 2, 1), date_to=date(2026, 2, 28))
    assert rows(result) == [
        ("monthly_calls", M2, 0.2),
        ("quarterly_staff", M1, 0.7),
        ("weekly_calls", date(2026, 1, 26), 0.5),
        ("weekly_calls", date(2026, 2, 2), 0.6),
    ]


def test_events_apply_to_what_the_filters_show(kpi_query):
    everything = [(date(2026, 1, 5), "Borough-wide change", None, None),
                  (M2, "Bin change", "Missed bin", None),
                  (date(2026, 2, 15), "Ward change", None, "E05000002"),
                  (M3, "Tax change", "Council tax", None)]
    assert rows(kpi_query("events_by_date")) == everything
    assert rows(kpi_query("events_by_date", services=["Pothole"])) == [everything[0], everything[2]]
    assert rows(kpi_query("events_by_date", wards=["E05000001"])) == [everything[0], everything[1], everything[3]]
    assert rows(kpi_query("events_by_date", directorates=["Environment"])) == everything[:3]
    assert rows(kpi_query("events_by_date", date_from=M2, date_to=date(2026, 2, 28))) == everything[1:3]


def test_catalogue_in_file_order_and_freshness(kpi_query):
    assert [r[0] for r in rows(kpi_query("kpis_by_id"))] == ["repeat", "weekly_calls", "quarterly_staff",
                                                             "monthly_calls"]
    assert rows(kpi_query("data_through_by_source")) == [("feedback", date(2026, 2, 4)),
                                                         ("service_requests", date(2026, 3, 2))]
    assert rows(kpi_query("data_through_by_source", services=["Pothole"])) == [
        ("feedback", date(2026, 2, 4)), ("service_requests", date(2026, 2, 20))]


def test_repeat_contact_without_customer_ref_is_not_available(source, tmp_path):
    from pulse.ingest import ingest
    from pulse.metrics import kpis

    folder = source("service_requests.csv", "request_id,created_at,service,channel\n"
                                            "A1,2026-01-05 09:00,Missed bin,online\n"
                                            "A2,2026-01-06 09:00,Missed bin,phone\n")
    path = tmp_path / "noref.duckdb"
    ingest(folder, path, now=datetime(2026, 11, 29))
    result = db.run("kpi_repeat_contact_by_month", {**Filters(date(2026, 1, 1), date(2026, 1, 31)).params()},
                    path=path)
    assert rows(result) == [(M1, 0.0, 0.0, None, 2.0)]
    judged = kpis.evaluate(kpis.Kpi("repeat", "Repeat contacts", definition="kpi_repeat_contact_by_month"), result)
    assert judged.problem.startswith("Not available")


def test_every_new_query_has_a_header_and_only_bound_parameters():
    names = ["kpi_resolved_within_target_by_month", "kpi_median_days_to_resolve_by_month",
             "kpi_first_contact_resolution_by_month", "kpi_net_satisfaction_by_month", "kpi_repeat_contact_by_month",
             "kpi_channel_shift_saving_by_month", "kpis_by_id", "kpi_values_by_period", "events_by_date",
             "data_through_by_source"]
    for name in names:
        text = db.query_text(name)
        assert text.startswith("-- One row per"), name
        header = [line for line in text.splitlines() if line.startswith("--")]
        for parameter in db.query_parameters(name):
            assert any(f"${parameter}" in line for line in header), (name, parameter)
        assert "{" not in text and "%s" not in text, name


# --------------------------------------------------------------------------- closure KPIs' first month

# The data begins at A01, 00:00 on 10 January 2026. Closed: Quick requests in 1 day, A03 (Edge) in
# exactly 22 days, A04 (Slow) in 40, A07 (Slow) in 20, A09 (Edge) in 2; A10 is still open.
CLOSURES = """request_id,created_at,closed_at,due_at,service,directorate,channel,outcome
A01,2026-01-10 00:00,2026-01-11 00:00,2026-01-12 00:00,Quick,Revenues,online,completed
A02,2026-01-20 10:00,2026-01-21 10:00,2026-01-22 00:00,Quick,Revenues,online,completed
A03,2026-01-15 00:00,2026-02-06 00:00,2026-02-01 00:00,Edge,Revenues,phone,completed
A04,2026-01-12 00:00,2026-02-21 00:00,2026-02-10 00:00,Slow,Highways,phone,dropped_out
A05,2026-02-02 09:00,2026-02-03 09:00,2026-02-04 00:00,Quick,Revenues,online,completed
A06,2026-03-03 09:00,2026-03-04 09:00,2026-03-05 00:00,Quick,Revenues,app,not_eligible
A07,2026-03-05 09:00,2026-03-25 09:00,2026-03-20 00:00,Slow,Highways,phone,completed
A08,2026-04-01 09:00,2026-04-02 09:00,2026-04-03 00:00,Quick,Revenues,online,error
A09,2026-03-10 09:00,2026-03-12 09:00,2026-03-15 00:00,Edge,Revenues,online,completed
A10,2026-04-10 09:00,,2026-04-17 00:00,Quick,Revenues,online,
"""
M4 = date(2026, 4, 1)


@pytest.fixture(scope="module")
def closures_db(tmp_path_factory) -> Path:
    """CLOSURES ingested once for this module."""
    from pulse.ingest import ingest

    folder = tmp_path_factory.mktemp("closures")
    (folder / "exports").mkdir()
    (folder / "exports" / "service_requests.csv").write_text(CLOSURES)
    ingest(folder / "exports", folder / "pulse.duckdb", now=datetime(2026, 11, 29, 12, 0))
    return folder / "pulse.duckdb"


def closure_query(path: Path, name: str, **params) -> pd.DataFrame:
    return db.run(name, {**Filters().params(), **params}, path=path)


def test_closure_series_start_at_the_first_complete_month(closures_db):
    # Nine closed requests: the smallest time within which 99 in 100 closed is the slowest, 40 days
    # (A04). The data began at 00:00 on 10 January, so a month is complete from 19 February: the
    # series starts in March. March: A06 (not eligible, in time), A07 (late), A09 (in time), taking
    # 1, 20 and 2 days. April: A08 (an error, in time, 1 day). January and February are left out.
    assert rows(closure_query(closures_db, "kpi_completion_rate_by_month")) == approx(
        [(M3, 3.0, 3.0, 1.0), (M4, 0.0, 1.0, 0.0)])
    assert rows(closure_query(closures_db, "kpi_resolved_within_target_by_month")) == approx(
        [(M3, 2.0, 3.0, 2 / 3), (M4, 1.0, 1.0, 1.0)])
    assert rows(closure_query(closures_db, "kpi_median_days_to_resolve_by_month")) == approx(
        [(M3, None, 3.0, 2.0), (M4, None, 1.0, 1.0)])


def test_closure_series_start_follows_the_resolution_times_in_view(closures_db):
    # Quick requests all close in a day: complete from 00:00 on 11 January, so from February.
    quick = closure_query(closures_db, "kpi_completion_rate_by_month", services=["Quick"])
    assert rows(quick) == approx([(M2, 1.0, 1.0, 1.0), (M3, 1.0, 1.0, 1.0), (M4, 0.0, 1.0, 0.0)])
    # Edge's slowest took exactly 22 days: 10 January + 22 days is 00:00 on 1 February, and a month
    # that starts exactly then is complete.
    edge = closure_query(closures_db, "kpi_median_days_to_resolve_by_month", services=["Edge"])
    assert rows(edge) == approx([(M2, None, 1.0, 22.0), (M3, None, 1.0, 2.0)])


def test_closure_series_start_is_the_datas_not_the_date_ranges(closures_db):
    # A date range that begins before the first complete month does not bring February back; one
    # that begins later simply selects closures from its first day (A09 on 12 March, A07 on 25 March).
    from_february = closure_query(closures_db, "kpi_completion_rate_by_month", date_from=M2)
    assert rows(from_february) == approx([(M3, 3.0, 3.0, 1.0), (M4, 0.0, 1.0, 0.0)])
    from_march_10 = closure_query(closures_db, "kpi_completion_rate_by_month", date_from=date(2026, 3, 10),
                                  date_to=date(2026, 3, 31))
    assert rows(from_march_10) == approx([(M3, 2.0, 2.0, 1.0)])


def test_filtered_closed_requests_still_returns_every_closure(closures_db):
    # Only the closure KPIs start at complete_from; the macro itself (and the ward map) keeps all nine.
    import duckdb

    with duckdb.connect(str(closures_db), read_only=True) as con:
        got = con.execute("select count(*), min(complete_from), max(complete_from) "
                          "from filtered_closed_requests(null, null, null, null, null, null)").fetchone()
    assert got == (9, M3, M3)


def test_the_first_complete_month_is_worked_out_once_per_filters_for_every_closure_kpi(closures_db, monkeypatch):
    # The three closure KPIs take $complete_from; pulse.db asks closure_complete_from.sql for it, cached by the
    # filters it depends on (not the dates), instead of each query working out the percentile again.
    import streamlit as st

    first = lambda **filters: closure_query(closures_db, "closure_complete_from", **filters)["complete_from"].iloc[0]  # noqa: E731
    assert first().date() == M3 and first(services=["Quick"]).date() == M2
    monkeypatch.setenv("PULSE_DB", str(closures_db))
    st.cache_data.clear()
    ran, real = [], db.run
    monkeypatch.setattr(db, "run", lambda name, params=None, path=None: ran.append(name) or real(name, params, path))
    closures = ("kpi_completion_rate_by_month", "kpi_resolved_within_target_by_month",
                "kpi_median_days_to_resolve_by_month")
    answers = db.query_all(closures, **Filters().params())
    later = db.query("kpi_completion_rate_by_month", **{**Filters().params(), "date_from": M3})
    assert ran.count("closure_complete_from") == 1 and sorted(ran[1:]) == sorted(closures + closures[:1])
    for name in closures:  # the same figures as the query run on its own, $complete_from worked out in place
        pd.testing.assert_frame_equal(answers[name], closure_query(closures_db, name))
    assert rows(later) == approx([(M3, 3.0, 3.0, 1.0), (M4, 0.0, 1.0, 0.0)])
