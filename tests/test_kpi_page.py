"""The KPI trends page on the demo borough: the matrix, an XmR chart, before and after, bad KPIs.

The page tests use the 20,000-request demo (conftest's demo_db). The test of which events show up
as signals uses the demo borough at its default size (300,000 requests), as `make run` builds it:
at 20,000 requests a single service has 40–60 requests a month, too few to tell a modest step
from a trend, and the verdicts there say so rather than guess.
"""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path
from urllib.parse import unquote

import duckdb
import numpy as np
import pandas as pd
import pytest

import streamlit as st
from streamlit import dataframe_util
from streamlit.testing.v1 import AppTest

from pulse import db, demo
from pulse.filters import Filters
from pulse.metrics import kpis
from pulse.metrics.before_after import before_after
from tests import kpi_fixtures
from tests.audit.collect import outputs
from tests.conftest import ROOT, with_loaded_costs

DEMO_NAMES = [row[1] for row in demo.KPI_ROWS]


@pytest.fixture
def open_page(demo_db, monkeypatch):
    """Open the app on the KPI trends page against a database (the 20k demo unless told).

    Filters are given as URL parameters: the frame (app.py) reads them on its first run, and
    AppTest.switch_page then runs the page file on its own, with the frame's filters in the
    session but without the sidebar, so the sidebar's widgets cannot be changed from here.
    """

    def open_(database=None, query=None, **session) -> AppTest:
        monkeypatch.setenv("PULSE_DB", str(database or demo_db))
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
        for key, value in (query or {}).items():
            at.query_params[key] = value
        at.run()
        at.switch_page("views/kpis.py")
        for key, value in session.items():
            at.session_state[key] = value
        at.run()
        assert not at.exception, at.exception
        return at

    return open_


def matrix(at: AppTest) -> pd.DataFrame:
    """Every row of the matrix, whichever challenge table it is in."""
    return pd.concat([d.value for d in at.dataframe if "variation" in d.value.columns], ignore_index=True)


def latest(at: AppTest, name: str) -> str:
    table = matrix(at)
    return table.loc[table["kpi"] == name, "latest"].iloc[0]


def spec(at: AppTest, index: int) -> dict:
    """A chart's Vega-Lite spec, with the datasets Streamlit sends beside it put back in."""
    proto = at.get("vega_lite_chart")[index].proto
    chart = json.loads(proto.spec)
    chart["datasets"] = {d.name: dataframe_util.convert_arrow_bytes_to_pandas_df(d.data.data).to_dict("records")
                         for d in proto.datasets}
    return chart


def points(chart: dict) -> list[dict]:
    """The XmR chart's rows (the dataset with a status for each point)."""
    return next(rows for rows in chart["datasets"].values() if rows and "status" in rows[0])


def test_matrix_shows_every_demo_kpi_grouped_by_challenge(open_page):
    at = open_page()
    table = matrix(at)
    assert sorted(table["kpi"]) == sorted(DEMO_NAMES)
    assert (table["latest"] != "–").all() and (table["variation"] != "No figures").all()
    challenges = list(dict.fromkeys(row[2] for row in demo.KPI_ROWS))
    headings = [m.value.strip("*") for m in at.markdown
                if m.value.startswith("**") and m.value.strip("*") in challenges]
    assert headings == challenges
    assert table["variation_icon"].str.startswith("data:image/svg+xml").all()
    assert set(table["year_end"]) <= {"On track", "At risk", "Will miss"}
    # The closure KPIs start at their first complete month (January 2024), the rest with the data.
    closure = {"Completion rate", "Requests resolved within target", "Median days to resolve"}
    assert all(isinstance(t, (list, np.ndarray)) and len(t) == (34 if name in closure else 36)
               for name, t in zip(table["kpi"], table["trend"]))
    summary = next(m.value for m in at.markdown if m.value.startswith("##### Of 12 KPIs"))
    assert "By 31 March" in summary
    assert not at.warning or all("Not enough figures" in w.value or "was not steady" in w.value for w in at.warning)


def test_a_filter_changes_computed_kpis_but_not_hand_reported_ones(open_page):
    everywhere = open_page()
    one_ward = open_page(query={"ward": "E05900011"})
    assert latest(one_ward, "Digital take-up") != latest(everywhere, "Digital take-up")
    assert latest(one_ward, "Cost per transaction") != latest(everywhere, "Cost per transaction")
    assert (latest(one_ward, "Calls answered within 60 seconds")
            == latest(everywhere, "Calls answered within 60 seconds"))


def test_selecting_a_kpi_draws_its_xmr_chart(open_page):
    at = open_page()
    at.selectbox(key="kpi").select("median_days_to_resolve").run()
    chart = spec(at, 0)
    assert chart["title"]["text"].startswith("Median days to resolve")
    subtitle = " ".join(chart["title"]["subtitle"])
    assert len(chart["title"]["subtitle"]) >= 2 and "New online bin form launched" in subtitle
    rows = points(chart)
    # A closure KPI: its series starts at the first complete month, January 2024.
    assert len(rows) == 34 and {"value", "mean", "lower", "upper", "status", "fired"} <= set(rows[0])
    assert {r["status"] for r in rows} <= {"Common cause", "Improvement", "Concern", "Neutral"}
    target = next(row[5] for row in demo.KPI_ROWS if row[0] == "median_days_to_resolve")
    assert f"Target {target:.1f} days" in json.dumps(chart, default=str)
    card = " ".join(m.value for m in at.markdown)
    assert "The median number of days from a request being made to its being closed" in card
    assert any("kpi_median_days_to_resolve_by_month.sql" in c.value and "data through 31 Oct 2026" in c.value
               for c in at.caption)


def test_before_and_after_the_bin_form_is_a_signal_measured_for_missed_bins(open_page):
    at = open_page()
    at.selectbox(key="kpi").select("digital_takeup").run()
    event = at.selectbox(key="kpi_event")
    event.select(next(o for o in event.options if "bin form" in o)).run()
    assert any("Measured for Missed bin collection only" in c.value for c in at.caption)
    assert at.success and "a signal, not noise" in at.success[0].value and "an improvement" in at.success[0].value
    rebased = points(spec(at, 1))
    assert [r["part"] for r in rebased] == [0] * 10 + [1] * 12  # Nov 2023–Aug 2024, then Sep 2024 on
    assert rebased[0]["mean"] < rebased[-1]["mean"]
    # On the un-rebased chart for missed bins, improvement only after the event, concern only before.
    at = open_page(query={"service": "Missed bin collection"}, kpi="digital_takeup")
    rows = points(spec(at, 0))
    event_day = pd.Timestamp("2024-09-01")
    assert all(pd.Timestamp(r["period"]) >= event_day for r in rows if r["status"] == "Improvement")
    assert all(pd.Timestamp(r["period"]) < event_day for r in rows if r["status"] == "Concern")
    assert any(r["status"] == "Improvement" for r in rows)


def test_an_event_too_early_to_judge_says_so(open_page):
    at = open_page()
    at.selectbox(key="kpi").select("digital_takeup").run()
    event = at.selectbox(key="kpi_event")
    event.select(next(o for o in event.options if "charter" in o)).run()
    assert at.warning[-1].value.startswith("Not enough figures to judge “Customer service charter published”")


def test_a_hand_reported_kpi_is_judged_only_against_council_wide_events(open_page):
    at = open_page()
    at.selectbox(key="kpi").select("calls_answered_60s").run()
    options = at.selectbox(key="kpi_event").options
    assert options == ["15 Apr 2024 · Customer service charter published"]


@pytest.fixture
def broken_db(demo_db, tmp_path):
    """The demo with three bad KPIs added: a missing query, a query of the wrong shape, bad SQL."""
    path = tmp_path / "broken.duckdb"
    shutil.copy(demo_db, path)
    con = duckdb.connect(str(path))
    con.executemany("insert into kpis (id, name, challenge, unit, polarity, target, definition, frequency) "
                    "values (?, ?, 'Broken things', '%', 'higher', 0.5, ?, 'monthly')",
                    [("ghost", "Ghost KPI", "kpi_ghost_by_month"),
                     ("shape", "Wrong shape", "requests_by_month_channel"),
                     ("sql", "Needs a parameter", "rejected_rows_by_row")])
    con.close()
    return path


def test_broken_kpis_show_a_message_and_the_rest_still_works(open_page, broken_db):
    at = open_page(broken_db)
    table = matrix(at)
    assert len(table) == len(DEMO_NAMES) + 3
    broken = table[table["kpi"].isin(["Ghost KPI", "Wrong shape", "Needs a parameter"])]
    assert (broken["variation"] == "No figures").all() and (broken["latest"] == "–").all()
    messages = next(w.value for w in at.warning if "Ghost KPI" in w.value)  # said once, in one box
    assert "queries/kpi_ghost_by_month.sql, which does not exist" in messages
    assert "a KPI query must return period, numerator, denominator and value" in messages
    assert "needs parameter(s) table_name" in messages
    assert (table[~table["kpi"].isin(broken["kpi"])]["latest"] != "–").all()
    at.selectbox(key="kpi").select("ghost").run()
    assert not at.exception


def test_edited_unit_costs_change_cost_per_transaction(open_page):
    at = open_page()
    before = latest(at, "Cost per transaction")
    costs = next(d for d in at.dataframe if "cost_gbp" in d.value.columns).value
    phone = int(costs.index[costs["channel"] == "phone"][0])
    at = open_page(kpi_costs={"edited_rows": {phone: {"cost_gbp": 10.0}}, "added_rows": [], "deleted_rows": []})
    assert latest(at, "Cost per transaction") != before
    assert any("Socitm Insight 2012 (2012)" in e.label for e in at.expander)


# --------------------------------------------------------------------------- the baked-in events


@pytest.fixture(scope="module")
def full_demo(tmp_path_factory):
    """The demo borough at its default size, generated and ingested once for this module."""
    from pulse.ingest import ingest

    folder = tmp_path_factory.mktemp("demo_full")
    demo.generate(folder / "source", seed=7)
    ingest(folder / "source", folder / "pulse.duckdb")
    return folder / "pulse.duckdb"


# What the demo's generator changes at each event (pulse/demo.py): the bin form and the council
# tax account move channel mix, so take-up and cost per transaction; triage shortens repairs. Two
# KPIs are left out on purpose: completion rate, which falls a little with any shift online
# because web forms are abandoned more often, and resolved within target after triage, which
# follows the shorter repairs; both are knock-on effects, not nothing.
SIGNALS = {
    "New online bin form launched": {"digital_takeup", "cost_per_transaction", "channel_shift_saving"},
    "Repairs triage team introduced": {"median_days_to_resolve"},
    "Council tax online account launched": {"digital_takeup", "cost_per_transaction", "channel_shift_saving"},
}
KNOCK_ON = {"completion_rate", "resolved_within_target", "staff_digital_training"}


def test_the_demo_events_are_signals_where_they_should_be_and_nowhere_else(full_demo):
    span = Filters(date_from=date(2023, 11, 1), date_to=date(2026, 10, 31))
    baseline = {"baseline_from": date(2023, 11, 1), "baseline_to": date(2024, 10, 31)}
    catalogue = kpis.catalogue(db.run("kpis_by_id", {}, path=full_demo))
    manual = db.run("kpi_values_by_period", span.params(), path=full_demo)
    events = db.run("events_by_date", span.params(), path=full_demo)
    verdicts = {}
    for _, event in events.iterrows():
        scope = kpis.event_scope(span, event)
        for kpi in catalogue:
            if event["label"] not in set(kpis.events_for(kpi, events)["label"]):
                continue
            result = kpis.evaluate_all([kpi], lambda name: db.run(
                name, with_loaded_costs(name, {**scope.params(), **baseline}, full_demo), path=full_demo), manual)[0]
            change = before_after(result.series, event["date"].date(), kpi)
            verdicts[event["label"], kpi.id] = change.verdict
    found = {pair for pair, verdict in verdicts.items() if verdict == "signal" and pair[1] not in KNOCK_ON}
    expected = {(label, kpi) for label, ids in SIGNALS.items() for kpi in ids}
    assert found == expected, verdicts
    # The charter came five months into the data: too early to judge anything against.
    assert {v for (label, _), v in verdicts.items() if label.startswith("Customer service charter")} == {"unclear"}


# --------------------------------------------------------------------------- Testville: figures worked out by hand


@pytest.fixture(scope="module")
def testville(tmp_path_factory) -> dict[str, Path]:
    """Testville (tests/kpi_fixtures.py) and its two partial variants, each ingested once."""
    root = tmp_path_factory.mktemp("testville")
    return {v: kpi_fixtures.build(root / v, v) for v in ("base", "requests_only", "all_digital")}


@pytest.fixture
def council_query(monkeypatch):
    """The council's own KPI query (it gives no denominator), as if it were a file in queries/."""
    original = db.query_text
    monkeypatch.setattr(db, "query_text", lambda name: kpi_fixtures.COUNCIL_SQL if name == kpi_fixtures.COUNCIL_QUERY
                        else original(name))


def row(at: AppTest, name: str) -> dict:
    """One KPI's row of the matrix, as drawn."""
    table = matrix(at)
    return table[table["kpi"] == name].iloc[0].to_dict()


def icon_label(uri: str) -> str:
    """The words an icon in the matrix carries for screen readers."""
    return ET.fromstring(unquote(uri.split(",", 1)[1])).get("aria-label")


def published(at: AppTest) -> str:
    """Everything the page shows, as text."""
    return "\n".join(outputs(at))


SWING_TAKEUP = [0.6, 0.64, 0.58, 0.63, 0.57, 0.61, 0.59, 0.62, 0.56, 0.6, 0.63, 0.58, 0.61, 0.59]


def test_a_kpi_row_reads_its_published_figures(open_page, testville, council_query):
    for query in ({}, {"public": "1"}):
        at = open_page(testville["base"], query)
        takeup = row(at, "Digital take-up")
        assert {k: takeup[k] for k in ("latest", "target", "variation", "assurance", "year_end")} == {
            "latest": "59%", "target": "65%", "variation": "No significant change", "assurance": "Hit and miss",
            "year_end": "Will miss"}
        # The trend is the published series itself, at display precision (whole per cent here, either way).
        assert list(takeup["trend"]) == SWING_TAKEUP
        assert icon_label(takeup["variation_icon"]) == "No significant change: common-cause variation only"
        assert icon_label(takeup["assurance_icon"]).startswith("Hit and miss: the target lies between")
        cost = row(at, "Cost per transaction")
        # (59 × £0.15 + 31 × £2.83 + 10 × £8.62) ÷ 100 requests in Feb 2026.
        assert (cost["latest"], cost["target"], cost["variation"], cost["assurance"]) == (
            "£1.83", "£1.50", "No significant change", "Can't meet target")
        assert list(cost["trend"])[:3] == [1.8, 1.69, 1.85]


def test_the_summary_counts_every_kind_of_kpi(open_page, testville, council_query):
    at = open_page(testville["base"])
    assert next(m.value for m in at.markdown if m.value.startswith("#####")) == (
        "##### Of 6 KPIs, 2 show no significant change, 1 cannot be judged yet, 2 need data these exports do not "
        "have and 1 has no figures. By 31 March 3 will miss.")
    calls = row(at, "Calls answered within 60 seconds")
    assert (calls["latest"], calls["variation"], calls["assurance"]) == ("75%", "Too few points (5 of 12)",
                                                                          "Too few points")


def saving(at: AppTest) -> str:
    return next(c.value for c in at.caption if c.value.startswith(("Against the channel mix", "Fewer than")))


def test_the_saving_sentence_internal_and_public_safe(open_page, testville, council_query):
    # Jan–Mar 2025 averaged 60.67 digital requests in 100: £1.7831 a request; the 1,400 requests cost £2,518.72.
    spring = {"kpi_baseline": (date(2025, 1, 3), date(2025, 3, 31))}
    assert saving(open_page(testville["base"], **spring)) == (
        "Against the channel mix of Jan 2025 to Mar 2025, the 1,400 costed requests in view cost £22 more "
        "(£0.02 a request).")
    assert saving(open_page(testville["base"], {"public": "1"}, **spring)) == (
        "Against the channel mix of Jan 2025 to Mar 2025, the 1,400 costed requests in view cost £20 more "
        "(£0.02 a request).")
    # The default baseline (the first twelve months) costs 45p less than the actual mix: rounded, about the same.
    assert saving(open_page(testville["base"])) == (
        "Against the channel mix of Jan 2025 to Jan 2026, the 1,400 costed requests in view cost about the same as "
        "they would have at that mix.")
    # Four requests on 3 Feb 2026: their count is hidden, so are the pounds that would give it back.
    one_day = open_page(testville["base"], {"from": "2026-02-03", "to": "2026-02-03"})
    assert saving(one_day) == "Fewer than 10 costed requests in view: too few to say what the channel mix saved."


def test_a_council_kpi_whose_query_gives_no_denominator_is_hidden(open_page, testville, council_query):
    for query in ({}, {"public": "1"}):
        at = open_page(testville["base"], {**query, "kpi": "council_own"})
        own = row(at, "Council's own measure")
        assert (own["latest"], own["variation"]) == ("–", "No figures")
        assert own["trend"] is None and own["variation_icon"] is None
        assert "**Council's own measure**: Its query gives no denominator, so no value can be checked against the " \
               "small-number rule, and none is shown." in [w.value.removeprefix("- ") for w in at.warning]
        # Its value (0.5 every month) is published nowhere: not in the matrix, a chart, or a sentence.
        assert not re.search(r"(?<![\w%])50(\.0)?%(?![0-9A-F])", published(at)) and not at.get("vega_lite_chart")


def test_a_requests_only_export_says_once_what_it_cannot_support(open_page, testville):
    at = open_page(testville["requests_only"])
    box = next(i.value for i in at.info if "cannot show yet" in i.value)
    assert box == "\n".join([
        "**What these exports cannot show yet**",
        "- Completion rate needs a closed date (closed_at) and an outcome column (completed, not eligible, error, "
        "dropped out) in the service requests export.",
        "- Requests resolved within target needs a closed date (closed_at) and a due date (due_at) in the service "
        "requests export.",
        "- Median days to resolve needs a closed date (closed_at) in the service requests export.",
        "- Resolved at first contact needs a resolved-at-first-contact column (yes or no) in the service requests "
        "export.",
        "- Repeat contacts within 7 days needs a pseudonymised customer reference (customer_ref) in the service "
        "requests export.",
        "- User satisfaction and net satisfaction need a feedback export with ratings."])
    assert not at.warning  # no box per KPI
    table = matrix(at)
    assert table.loc[table["latest"] == "–", "variation"].tolist() == ["Needs more data"] * 7
    assert next(m.value for m in at.markdown if m.value.startswith("#####")) == (
        "##### Of 10 KPIs, 3 show no significant change and 7 need data these exports do not have.")


NEGATIVE_ZERO = re.compile(r"(?<![\d-])-[£]?0(?:\.0+)?%?(?![\d.])")
NOT_INFORMATIVE = [
    "- Digital take-up is not informative with this data: every request in view was made online or by app.",
    "- Cost per transaction and channel-shift saving per request are not informative with this data: every "
    "costed request in view went through channels with the same unit cost."]


def test_all_digital_data_is_not_informative_and_never_judged(open_page, testville, monkeypatch):
    at = open_page(testville["all_digital"])
    box = next(i.value for i in at.info if "cannot show yet" in i.value)
    assert box.split("\n")[-2:] == NOT_INFORMATIVE
    takeup = row(at, "Digital take-up")
    assert (takeup["latest"], takeup["variation"]) == ("100%", "Not informative")
    assert [takeup[k] for k in ("variation_icon", "assurance_icon", "assurance", "year_end", "trend")] == [None] * 5
    saving_row = row(at, "Channel-shift saving per request")
    assert (saving_row["latest"], saving_row["variation"]) == ("£0.00", "Not informative")
    assert not NEGATIVE_ZERO.search(published(at)) and "£-" not in published(at)
    # Opened, it is explained, not charted.
    assert ("Digital take-up is not informative with this data: every request in view was made online or by app. "
            "Its latest value is in the table above; it is not judged by statistical process control.") in [
        i.value for i in at.info]
    assert not at.get("vega_lite_chart")
    # The Overview says it once too, and leaves these KPIs out of the digital health index.
    monkeypatch.setenv("PULSE_DB", str(testville["all_digital"]))
    overview = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    overview.run()
    assert not overview.exception
    said = next(i.value for i in overview.info if "cannot show yet" in i.value).split("\n")
    assert said[-2:] == [NOT_INFORMATIVE[0], "- Cost per transaction is not informative with this data: every costed "
                                             "request in view went through channels with the same unit cost."]
    assert "Not informative with this data: see above." in published(overview)
    assert next(m for m in overview.metric if m.label == "Digital health index").value == "–"
    assert "held steady" not in " ".join(m.value for m in overview.markdown)  # fixed by the data, not news
    assert not next(m for m in overview.metric if m.label == "Digital take-up").delta  # it cannot move: no "+0.0 pts"


def test_a_rebase_chosen_in_the_link_splits_the_chart_and_the_row_agrees(open_page, testville, council_query):
    at = open_page(testville["base"], {"kpi": "digital_takeup", "rebase": "digital_takeup:2025-08"})
    assert [r["part"] for r in points(spec(at, 0))] == [0] * 7 + [1] * 7
    captions = [c.value for c in at.caption]
    assert "Limits recalculated from Aug 2025, as chosen: the chart shows both periods." in captions
    assert at.selectbox(key="kpi_rebase_digital_takeup").value == "2025-08"
    # Seven points since the rebase: variation is the whole range's, and assurance waits, in the row as on the card.
    assert row(at, "Digital take-up")["variation"] == "No significant change"
    assert row(at, "Digital take-up")["assurance"] == "Process rebased at Aug 2025, assurance after 5 more months"
    at.selectbox(key="kpi_rebase_digital_takeup").select("off").run()
    assert at.query_params["rebase"] == "digital_takeup:off"
    captions = [c.value for c in at.caption]
    assert "Limits are not recalculated for this KPI: switched off in this page's link." in captions
    assert {r["part"] for r in points(spec(at, 0))} == {0}
    at.selectbox(key="kpi_rebase_digital_takeup").select("auto").run()
    assert "rebase" not in at.query_params
    assert row(at, "Digital take-up")["variation"] == "No significant change"
    # A link naming a period the KPI does not have is ignored.
    stale = open_page(testville["base"], {"kpi": "digital_takeup", "rebase": "digital_takeup:1999-01"})
    assert {r["part"] for r in points(spec(stale, 0))} == {0}


def test_a_rerun_evaluates_no_kpi_again(open_page, testville, council_query, monkeypatch):
    calls = []
    evaluate = kpis.evaluate
    monkeypatch.setattr(kpis, "evaluate", lambda *a, **k: calls.append(a[0].id) or evaluate(*a, **k))
    st.cache_data.clear()
    at = open_page(testville["base"])
    assert sorted(calls) == sorted(["digital_takeup", "cost_per_transaction", "completion_rate", "user_satisfaction",
                                    "council_own", "calls_answered"])
    at.run()
    at.run()
    assert not at.exception and len(calls) == 6


def test_a_month_on_four_requests_is_a_gap_in_the_chart_and_its_title(open_page, testville, council_query):
    # To 3 Feb 2026: that month has 4 requests in view (3 of them digital), too few for a rate.
    at = open_page(testville["base"], {"from": "2025-01-03", "to": "2026-02-03", "kpi": "digital_takeup"})
    chart = spec(at, 0)
    assert chart["title"]["text"] == "Digital take-up shows no significant change: 61% in Jan 2026 (target 65%)"
    last = points(chart)[-1]
    assert (pd.Timestamp(last["period"]), last["value_text"]) == (pd.Timestamp("2026-02-01"), "–")
    assert pd.isna(last["value"])
    assert "75%" not in json.dumps(chart, default=str) and "0.75" not in json.dumps(chart, default=str)
    assert list(row(at, "Digital take-up")["trend"]) == SWING_TAKEUP[:-1]  # Feb 2026 left out, not 75%
    assert "1 month based on fewer than 10 records is not shown." in [c.value for c in at.caption]
