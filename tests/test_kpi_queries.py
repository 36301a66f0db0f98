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
    # By month closed. January: R01 and R04 in time, R02 late (R05 has no due date) → 2/3.
    # February: R06, R07, R10 in time, R08 late → 3/4.
    result = tiny_query("kpi_resolved_within_target_by_month", **TINY_SPAN)
    assert list(result.columns) == ["period", "numerator", "denominator", "value"]
    assert rows(result) == approx([(M1, 2.0, 3.0, 2 / 3), (M2, 3.0, 4.0, 0.75)])


def test_median_days_to_resolve_on_tiny(tiny_query):
    # January closings take 1, 14, 1 and 1 days; February's 1, 1, 18 and 1: both medians are 1.
    result = tiny_query("kpi_median_days_to_resolve_by_month", **TINY_SPAN)
    assert rows(result) == approx([(M1, None, 4.0, 1.0), (M2, None, 4.0, 1.0)])


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
    # January: K01 in time, K02 late. February: K03 (made in January, closed on the dot of its
    # due time), K06, K08, K09 in time, K10 late. March: K07 late, K11 in time. K04 has no due date.
    result = kpi_query("kpi_resolved_within_target_by_month")
    assert rows(result) == approx([(M1, 1.0, 2.0, 0.5), (M2, 4.0, 5.0, 0.8), (M3, 1.0, 2.0, 0.5)])
    # The date range selects requests closed in it: K03 counts in February although made in January.
    february = kpi_query("kpi_resolved_within_target_by_month", date_from=date(2026, 2, 1),
                         date_to=date(2026, 2, 28))
    assert rows(february) == approx([(M2, 4.0, 5.0, 0.8)])


def test_median_days_to_resolve_is_by_month_closed(kpi_query):
    # January: 1, 12 and 3 days → 3. February: 17, 10 minutes, 1, 5 minutes, 5 → 1.
    # March: 26 and 2 days → the median of an even count is the mean of the middle two, 14.
    result = kpi_query("kpi_median_days_to_resolve_by_month")
    assert rows(result) == approx([(M1, None, 3.0, 3.0), (M2, None, 5.0, 1.0), (M3, None, 2.0, 14.0)])


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
