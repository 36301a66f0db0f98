"""Queries and page builders run side by side (pulse.threads, db.query_all), and the columns the ingest stores
so the monthly queries read less: the same answers as before, whatever order the threads finish in.

No timings (the machine is shared): `make bench` measures the speed.
"""

from __future__ import annotations

import threading
from datetime import date

import pandas as pd
import pytest
import streamlit as st

from pulse import db, threads
from pulse.filters import Filters
from pulse.metrics import kpis
from pulse.pages import kpis as kpi_page
from pulse.pages import voice_time


@pytest.fixture
def on_demo(demo_db, monkeypatch):
    monkeypatch.setenv("PULSE_DB", str(demo_db))
    st.cache_data.clear()
    yield demo_db
    st.cache_data.clear()


def test_results_come_back_in_the_order_asked_with_failures_as_exceptions():
    def fail():
        raise ValueError("no such thing")

    out = threads.side_by_side([lambda: 1, fail, lambda: "three"])
    assert out[0] == 1 and out[2] == "three"
    assert isinstance(out[1], ValueError) and str(out[1]) == "no such thing"
    with pytest.raises(ValueError, match="no such thing"):
        threads.raised(out[1])
    assert threads.side_by_side([]) == []


def test_the_calls_really_overlap():
    # Each call waits until the other has started: one after another, the barrier would time out.
    meeting = threading.Barrier(2, timeout=30)
    out = threads.side_by_side([meeting.wait, meeting.wait], workers=2)
    assert sorted(out) == [0, 1] and not meeting.broken  # Barrier.wait gives each waiter its own index


def test_worker_threads_act_for_the_callers_streamlit_session(monkeypatch):
    import streamlit.runtime.scriptrunner as scriptrunner

    caller = object()  # stands in for the reader's ScriptRunContext
    monkeypatch.setattr(scriptrunner, "get_script_run_ctx", lambda suppress_warning=False: caller)
    given = []
    monkeypatch.setattr(scriptrunner, "add_script_run_ctx", lambda thread, ctx: given.append((thread, ctx)))
    ran_in = threads.side_by_side([threading.current_thread, threading.current_thread], workers=2)
    assert {thread for thread, _ in given} >= set(ran_in)  # every worker that ran a call was given the context
    assert all(ctx is caller for _, ctx in given)
    assert threading.current_thread() not in ran_in


def test_query_all_answers_as_query_does_and_fills_its_cache(on_demo, monkeypatch):
    params = Filters().params()
    names = ["kpi_digital_takeup_by_month", "records_by_month_overall", "no_such_query"]
    answers = db.query_all(names + ["records_by_month_overall"], **params)
    assert list(answers) == names  # asked twice, run once
    assert isinstance(answers["no_such_query"], KeyError)
    ran = []
    monkeypatch.setattr(db, "run", lambda *a, **k: ran.append(a) or pd.DataFrame())
    for name in names[:2]:
        pd.testing.assert_frame_equal(db.query(name, **params), answers[name])
    assert ran == []  # both were cached by query_all


def test_the_stored_months_and_repeat_flags_follow_their_definitions(on_demo):
    requests = db.connection(on_demo).cursor().execute(
        "select request_id, created_at, closed_at, service, customer_ref, created_month, closed_month, is_repeat "
        "from service_requests").df()
    assert (requests["created_month"] == requests["created_at"].dt.to_period("M").dt.start_time).all()
    closed = requests["closed_at"].notna()
    assert (requests.loc[closed, "closed_month"] == requests.loc[closed, "closed_at"].dt.to_period("M").dt.start_time).all()
    assert requests.loc[~closed, "closed_month"].isna().all()
    # A repeat: within 7 × 24 hours after the same customer's previous request about the same service.
    known = requests[requests["customer_ref"].notna()].sort_values(["customer_ref", "service", "created_at", "request_id"])
    previous = known.groupby(["customer_ref", "service"])["created_at"].shift()
    expected = set(known.loc[previous >= known["created_at"] - pd.Timedelta(days=7), "request_id"])
    assert expected and set(requests.loc[requests["is_repeat"], "request_id"]) == expected


def test_resident_voice_judges_satisfaction_exactly_as_the_kpi_page_does(on_demo):
    first, last = date(2024, 1, 1), date(2026, 10, 31)
    view = Filters(date_from=date(2025, 1, 1), date_to=last)
    inputs = kpi_page.cost_inputs(kpi_page.loaded_costs(), kpis.default_baseline(first, last))
    on_kpi_page = {r.kpi.definition: r for r in kpi_page.results(view, inputs)}
    for key, result in voice_time.satisfaction_results(view, first, last).items():
        twin = on_kpi_page[result.kpi.definition]
        assert result.kpi == twin.kpi
        pd.testing.assert_series_equal(result.series, twin.series)
        assert (result.problem, result.uninformative, result.notes) == (twin.problem, twin.uninformative, twin.notes)
