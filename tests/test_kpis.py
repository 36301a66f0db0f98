"""The KPI engine (pulse.metrics: kpis, before_after, projection, health), its words (pulse.pages) and
pulse.charts.spc: exact values for worked examples, and bad input handled."""

from __future__ import annotations

import json
import math
from datetime import date
from types import SimpleNamespace

import duckdb
import numpy as np
import pandas as pd
import pytest

from pulse.charts import spc as spc_charts
from pulse.disclosure import Policy
from pulse.metrics import before_after as ba
from pulse.metrics import health, kpis
from pulse.metrics.kpis import Kpi
from pulse.pages import kpi_event_words, kpi_parts, kpi_words
from pulse.pages import kpis as kpi_page
from pulse.pages import overview

TAKEUP = Kpi("takeup", "Digital take-up", "Online", "%", "higher", 0.6, "kpi_digital_takeup_by_month")
DAYS = Kpi("days", "Median days", "Repairs", "days", "lower", 3.0, "kpi_median_days_to_resolve_by_month")


def monthly(values, start="2025-11-01", denominator=100.0) -> pd.DataFrame:
    """A KPI query's result: one row a month with numerator, denominator and value."""
    periods = pd.date_range(start, periods=len(values), freq="MS")
    values = np.asarray(values, dtype=float)
    return pd.DataFrame({"period": periods.date, "numerator": values * denominator,
                         "denominator": denominator, "value": values})


def series(values, start="2025-11-01") -> pd.Series:
    return pd.Series(np.asarray(values, dtype=float), index=pd.date_range(start, periods=len(values), freq="MS"))


# --------------------------------------------------------------------------- catalogue


def test_catalogue_reads_rows_and_fills_gaps():
    frame = pd.DataFrame([
        {"id": "a", "name": "A", "challenge": None, "unit": "%", "polarity": "higher", "target": 0.5,
         "definition": "kpi_a_by_month", "owner": "Me", "frequency": "quarterly"},
        {"id": "b", "name": None, "challenge": "Phones", "unit": None, "polarity": "sideways", "target": np.nan,
         "definition": None, "owner": None, "frequency": None},
    ])
    a, b = kpis.catalogue(frame)
    assert a == Kpi("a", "A", kpis.NO_CHALLENGE, "%", "higher", 0.5, "kpi_a_by_month", "Me", "quarterly")
    assert b == Kpi("b", "b", "Phones", "", None, None, "manual", None, "monthly")
    assert (a.higher_is_better, b.higher_is_better, b.is_manual) == (True, None, True)
    assert kpis.catalogue(frame.iloc[0:0]) is kpis.BUILT_IN
    assert all(k.formula for k in kpis.BUILT_IN)  # every built-in KPI is defined in words (pulse.registry)


def test_formula_from_a_query_header():
    sql = "-- One row per month: widgets fixed ÷ widgets reported,\n-- counted by month.\n-- $date_from: x\nselect 1"
    own = Kpi("w", "Widgets", definition="kpi_widgets_by_month")
    assert kpi_words.formula(own, sql) == "One row per month: widgets fixed ÷ widgets reported, counted by month."
    assert kpi_words.formula(TAKEUP) == "Requests made online or through the app ÷ all requests (GOV.UK)."
    assert kpi_words.formula(own) == "Computed by queries/kpi_widgets_by_month.sql."


def test_values_read_in_their_unit():
    assert [TAKEUP.fmt(v) for v in (0.634, 0.084, None)] == ["63%", "8.4%", "–"]
    assert Kpi("c", "Cost", unit="£").fmt(1.4) == "£1.40"
    assert Kpi("s", "Saving", unit="£").fmt(12345.6) == "£12,346"
    assert DAYS.fmt(6.94) == "6.9 days"


# --------------------------------------------------------------------------- evaluating a KPI


def test_a_failing_query_gives_a_message_not_an_exception():
    broken = kpis.evaluate(TAKEUP, duckdb.BinderException('Referenced column "nope" not found\nLINE 3'))
    assert not broken.ok and broken.chart is None
    assert broken.problem == ('Its query queries/kpi_digital_takeup_by_month.sql failed: '
                              'Referenced column "nope" not found')
    missing = kpis.evaluate(TAKEUP, KeyError("no query named 'kpi_x' in /q"))
    assert missing.problem == "Its definition names queries/kpi_digital_takeup_by_month.sql, which does not exist."


def test_wrong_columns_and_no_rows_give_messages():
    wrong = kpis.evaluate(TAKEUP, pd.DataFrame({"period": [date(2026, 1, 1)], "requests": [4]}))
    assert wrong.problem == ("Its query returned period, requests; a KPI query must return period, numerator, "
                             "denominator and value (missing numerator, denominator, value).")
    empty = kpis.evaluate(TAKEUP, monthly([]))
    assert empty.problem == "No data for these filters."


def test_evaluate_all_keeps_going_after_a_failure():
    def fetch(name):
        if name == "kpi_median_days_to_resolve_by_month":
            raise RuntimeError("disk on fire")
        return monthly([0.5] * 12)

    manual = pd.DataFrame({"kpi_id": ["calls"] * 2, "period": [date(2026, 1, 1), date(2026, 2, 1)],
                           "value": [0.7, 0.8]})
    calls = Kpi("calls", "Calls answered", unit="%", polarity="higher", target=0.8)
    results = kpis.evaluate_all([TAKEUP, DAYS, calls], fetch, manual)
    assert [r.ok for r in results] == [True, False, True]
    assert results[1].problem.endswith("failed: disk on fire")
    assert results[2].series.tolist() == [0.7, 0.8]
    assert kpi_page.problems(results).to_dict("records") == [
        {"kpi": "days", "name": "Median days", "definition": "kpi_median_days_to_resolve_by_month",
         "problem": "Its query queries/kpi_median_days_to_resolve_by_month.sql failed: disk on fire"}]


def test_small_denominators_are_hidden_and_gaps_kept():
    frame = monthly([0.4, 0.5, 0.6, 0.7])
    frame.loc[1, "denominator"] = 9  # under the threshold of 10: not shown
    frame = frame.drop(index=2)  # a month with no rows at all
    result = kpis.evaluate(TAKEUP, frame, Policy(threshold=10))
    assert result.series.index.tolist() == list(pd.date_range("2025-11-01", periods=4, freq="MS"))
    assert result.series.tolist()[0] == 0.4 and math.isnan(result.series.iloc[1])
    assert math.isnan(result.series.iloc[2]) and result.series.iloc[3] == 0.7
    assert result.notes == ("1 month based on fewer than 10 records is not shown.",)
    assert result.latest == (pd.Timestamp("2026-02-01"), 0.7)
    everything_small = kpis.evaluate(TAKEUP, monthly([0.5, 0.6], denominator=3), Policy(threshold=10))
    assert everything_small.problem == "Every period rests on too few records to show."


def test_quarterly_kpis_add_up_complete_quarters():
    frame = monthly([0.5, 0.6, 0.7, 0.2, 0.4, 0.6, 0.9], start="2026-01-01")
    frame["denominator"] = [10, 20, 30, 10, 10, 20, 50]
    frame["numerator"] = frame["value"] * frame["denominator"]
    quarterly = Kpi("q", "Q", unit="%", polarity="higher", definition="kpi_q_by_month", frequency="quarterly")
    result = kpis.evaluate(quarterly, frame)
    # Q1: (5 + 12 + 21) / 60; Q2: (2 + 4 + 12) / 40; Q3 has one month only, so it is left out.
    assert result.series.index.tolist() == [pd.Timestamp("2026-01-01"), pd.Timestamp("2026-04-01")]
    assert result.series.tolist() == [0.633, 0.45]  # 38 / 60 and 18 / 40, published to a tenth of a per cent
    assert result.notes == ("Quarters with fewer than three months of data are left out.",)
    assert kpi_words.period_label(result.latest[0], quarterly) == "Q2 2026"


def test_a_median_cannot_be_made_quarterly_and_a_query_cannot_be_weekly():
    medians = monthly([3.0, 4.0, 5.0], start="2026-01-01").assign(numerator=np.nan)
    quarterly = Kpi("d", "Days", unit="days", polarity="lower", definition="kpi_d_by_month", frequency="quarterly")
    result = kpis.evaluate(quarterly, medians)
    assert result.series.tolist() == [3.0, 4.0, 5.0]
    assert result.notes == (
        "Its monthly values cannot be combined into quarters (not a ratio), so it is shown by month.",)
    weekly = Kpi("w", "W", unit="%", definition="kpi_w_by_month", frequency="weekly")
    assert kpis.evaluate(weekly, monthly([0.1, 0.2])).notes == (
        "Its query gives monthly values, so it is shown by month, not by week.",)


def test_hand_reported_weekly_values_snap_to_mondays_and_average():
    weekly = Kpi("w", "Calls", unit="%", polarity="higher", frequency="weekly")
    values = pd.DataFrame({"period": [date(2026, 1, 5), date(2026, 1, 7), date(2026, 1, 19)], "value": [0.5, 0.7, 0.9]})
    result = kpis.evaluate(weekly, values)
    # 5 and 7 January share the week from Monday 5th; the week from the 12th has no value.
    assert result.series.index.tolist() == [pd.Timestamp(d) for d in ("2026-01-05", "2026-01-12", "2026-01-19")]
    assert result.series.iloc[0] == pytest.approx(0.6) and math.isnan(result.series.iloc[1])
    assert result.notes == ("Several values fall in one week: their average is shown.",)
    assert kpi_words.period_label(result.latest[0], weekly) == "w/c 19 Jan 2026"


# --------------------------------------------------------------------------- matrix and summary


def test_matrix_has_one_table_per_challenge_and_empty_cells_on_purpose():
    results = [kpis.evaluate(TAKEUP, monthly([0.5 + 0.01 * (i % 2) for i in range(14)])),
               kpis.evaluate(DAYS, RuntimeError("boom")),
               kpis.evaluate(Kpi("t2", "Completion", "Online", "%", "higher", 0.9, "kpi_c_by_month"),
                             monthly([0.95] * 5))]
    online, repairs = kpi_parts.matrices(results, {})
    assert (online.challenge, online.ids, repairs.ids) == ("**Online**", ("takeup", "t2"), ("days",))
    table = pd.concat([online.table.frame, repairs.table.frame], ignore_index=True)
    assert table["latest"].tolist() == ["51%", "95%", "–"]
    assert table["variation"].tolist() == ["No significant change", "Too few points (5 of 12)", "No figures"]
    assert table["assurance"].tolist() == ["Can't meet target", "Too few points", None]
    assert table.loc[0, "variation_icon"].startswith("data:image/svg+xml;utf8,")
    # Nothing to draw is None, which the table shows as "–": never a grey "None" or an empty picture.
    assert [table.loc[2, c] for c in ("variation_icon", "assurance_icon", "year_end", "trend")] == [None] * 4
    assert table.loc[1, "trend"] == [0.95] * 5
    assert kpi_words.summary(results, {}) == (
        "Of 3 KPIs, 1 shows no significant change, 1 cannot be judged yet and 1 has no figures.")


def test_headline_states_the_message():
    rising = kpis.evaluate(TAKEUP, monthly([0.40 + 0.01 * i for i in range(14)]))
    assert kpi_words.headline(rising) == "Digital take-up is improving: 53% in Dec 2026 (target 60%)"


# --------------------------------------------------------------------------- before and after

STEP = [10.0, 11.0] * 6 + [14.0, 15.0] * 6  # 12 months around 10.5, then 12 around 14.5


def test_a_step_at_the_event_is_a_signal():
    x = series(STEP, start="2024-01-01")
    widgets = Kpi("k", "Widgets", unit="", polarity="higher")
    change = ba.before_after(x, date(2025, 1, 15), widgets)
    # Before: mean 10.5, moving ranges all 1, so limits 10.5 ± 2.66. After: mean 14.5, same spread.
    assert (change.verdict, change.direction) == ("signal", "improvement")
    assert (change.before_mean, change.after_mean) == (10.5, 14.5)
    assert (change.before_lower, change.before_upper) == pytest.approx((7.84, 13.16))
    assert (change.n_before, change.n_after, change.longest_run, change.beyond_limits) == (12, 12, 12, 12)
    # σ = (upper − lower) / 6 on each side; the standard error of the difference is σ √(2/12).
    assert change.z == pytest.approx(4 / (2 * 2.66 / 6 * math.sqrt(2 / 12)))
    assert kpi_event_words.before_after_sentence(change, widgets, "Launch", date(2025, 1, 15)) == ("Widgets averaged 14.5 in the 12 months from Jan 2025, against 10.5 in the 12 before: "
                               "a signal, not noise. After “Launch” (15 Jan 2025) the process changed, an improvement.")
    # The chart is rebased at the event: two parts, each with its own mean.
    assert change.chart.points["part"].tolist() == [0] * 12 + [1] * 12
    assert change.chart.points["mean"].iloc[[0, -1]].tolist() == [10.5, 14.5]


def test_a_small_change_is_noise_and_lower_is_better_turns_it_round():
    x = series([10.0, 11.0] * 6 + [10.5, 11.5] * 6, start="2024-01-01")
    days = Kpi("k", "Days", unit="days", polarity="lower")
    change = ba.before_after(x, date(2025, 1, 1), days)
    assert (change.verdict, change.direction) == ("noise", "concern")
    assert (change.longest_run, change.beyond_limits) == (1, 0)  # 10.5 sits on the before mean: no run
    assert change.z == pytest.approx(0.5 / (2 * 2.66 / 6 * math.sqrt(2 / 12)))
    assert "that is noise" in kpi_event_words.before_after_sentence(change, days, "Triage", date(2025, 1, 1))


def test_an_unsteady_before_or_too_few_points_is_unclear():
    odd = series([10.0, 11.0] * 3 + [30.0] + [10.0, 11.0] * 2 + [10.0] + [10.5, 11.5] * 6, start="2024-01-01")
    k = Kpi("k", "K", polarity="higher")
    change = ba.before_after(odd, date(2025, 1, 1), k)
    assert change.verdict == "unclear"
    assert "K was not steady before “E” (1 Jan 2025)" in kpi_event_words.before_after_sentence(change, k, "E", date(2025, 1, 1))
    short = ba.before_after(series(STEP[7:], start="2024-08-01"), date(2025, 1, 1), Kpi("k", "K"))
    assert short.verdict == "unclear" and not short.judged
    assert kpi_event_words.before_after_sentence(short, Kpi("k", "K"), "E", date(2025, 1, 1)) == ("Not enough figures to judge “E” (1 Jan 2025): there are only 5 months with figures "
                              "before it (at least 8 are needed to know what normal looked like).")


def trend(step: float = 0.0) -> pd.Series:
    """Two years rising half a unit a month with ±1 of noise, then a year going on the same way (plus a step).

    The noise repeats +1, −1, −1, +1, which adds nothing to the slope, so the fitted trend is exact.
    """
    values = [0.5 * t + (1, -1, -1, 1)[t % 4] + (step if t >= 24 else 0.0) for t in range(36)]
    return series(values, start="2023-01-01")


def test_a_trend_already_under_way_is_not_taken_for_a_change():
    takeup = Kpi("k", "Take-up", polarity="higher")
    change = ba.before_after(trend(), date(2025, 1, 1), takeup)
    # The residuals about the fitted line alternate ±1, so the slope is clear: half a unit a month.
    assert change.drift == pytest.approx(0.5) and change.verdict == "noise"
    assert change.expected == pytest.approx(change.after_mean) and change.z == pytest.approx(0.0, abs=1e-9)
    assert "in line with the rise already under way before “Launch”" in kpi_event_words.before_after_sentence(
        change, takeup, "Launch", date(2025, 1, 1))
    assert any("already rising by about 0.5 a month" in r for r in kpi_event_words.before_after_reasons(change, takeup))


def test_a_step_on_top_of_a_trend_is_a_signal():
    takeup = Kpi("k", "Take-up", polarity="higher")
    change = ba.before_after(trend(step=10.0), date(2025, 1, 1), takeup)
    assert (change.verdict, change.direction) == ("signal", "improvement")
    assert change.after_mean - change.expected == pytest.approx(10.0)
    assert (change.longest_run, change.beyond_limits) == (12, 12)
    assert "changed beyond the trend already under way, an improvement" in kpi_event_words.before_after_sentence(
        change, takeup, "Launch", date(2025, 1, 1))


def test_the_month_an_event_falls_in_counts_as_after():
    x = series(STEP, start="2024-01-01")
    change = ba.before_after(x, date(2024, 12, 31), Kpi("k", "K", polarity="higher"))
    assert (change.n_before, change.n_after) == (11, 12)


# --------------------------------------------------------------------------- projection


def judged(kpi: Kpi, values: pd.Series) -> kpis.KpiResult:
    """A result judged as evaluate() judges it."""
    return kpis.KpiResult(kpi, values, kpis.judge(values, kpi))


ALTERNATING = [0.60, 0.62] * 6  # Nov 2025 to Oct 2026: mean 0.61, every moving range 0.02


@pytest.mark.parametrize(("polarity", "target", "status"), [
    ("higher", 0.60, "on track"), ("higher", 0.615, "at risk"), ("higher", 0.63, "will miss"),
    ("lower", 0.63, "on track"), ("lower", 0.61, "at risk"), ("lower", 0.60, "will miss"),
])
def test_projection_to_the_end_of_the_financial_year(polarity, target, status):
    kpi = Kpi("k", "K", unit="%", polarity=polarity, target=target)
    result = judged(kpi, series(ALTERNATING))
    projected = kpis.projection(result)
    # April–October 2026 so far: 0.62, 0.60, … seven values summing to 4.28; five months remain at
    # the process mean 0.61, give or take 3σ/√5 on their average, σ = 2 × 2.66 × 0.02 / 6.
    sigma = 2 * 2.66 * 0.02 / 6
    expected = (4.28 + 5 * 0.61) / 12
    spread = 3 * sigma * math.sqrt(5) / 12
    assert projected.year_end == date(2027, 3, 31) and projected.remaining == 5
    assert projected.expected == pytest.approx(expected)
    low, high = expected - spread, expected + spread
    assert (projected.worst, projected.best) == pytest.approx((low, high) if polarity == "higher" else (high, low))
    assert projected.status == status
    reasoning = kpi_words.projection_reasoning(projected, kpi)
    assert reasoning[0] == "Financial year 2026/27 so far: 7 months averaging 61%."
    assert reasoning[-1].endswith(f"so {status}.")


def test_projection_of_a_finished_year_and_of_a_kpi_without_target():
    kpi = Kpi("k", "K", unit="%", polarity="higher", target=0.61)
    done = kpis.projection(judged(kpi, series(ALTERNATING, start="2025-04-01")))  # April to March
    assert (done.remaining, done.status, done.expected) == (0, "on track", pytest.approx(0.61))
    assert kpi_words.projection_reasoning(done, kpi)[1] == "The year is complete: it averaged 61%."
    assert kpis.projection(judged(Kpi("k", "K", polarity="higher"), series(ALTERNATING))) is None


# --------------------------------------------------------------------------- digital health index


def result_with(kpi: Kpi, latest: float | None) -> kpis.KpiResult:
    return kpis.KpiResult(kpi, series([0.1, latest]))


def test_health_index_is_the_capped_mean_of_actual_over_target():
    parts = [
        result_with(Kpi("a", "A", polarity="higher", target=0.6), 0.45),  # 0.75
        result_with(Kpi("b", "B", polarity="lower", target=3.0), 4.0),  # inverted: 0.75
        result_with(Kpi("c", "C", polarity="higher", target=0.5), 0.9),  # 1.8, capped at 1.25
        result_with(Kpi("d", "D", polarity="higher", target=0.5), -0.2),  # negative: 0
        result_with(Kpi("e", "E", polarity="higher"), 0.5),  # no target: left out
        result_with(Kpi("f", "F", target=0.5), 0.5),  # no polarity: left out
        result_with(Kpi("g", "G", polarity="lower", target=1.0), 0.0),  # nothing beats zero: 1.25
        kpis.KpiResult(Kpi("h", "H", polarity="higher", target=0.5), problem="broken"),  # no value
    ]
    index, scores = health.health_index(parts)
    assert [s.score for s in scores] == [0.75, 0.75, 1.25, 0.0, None, None, 1.25, None]
    assert [s.reason for s in scores][4:6] + [scores[7].reason] == ["no target", "no better direction",
                                                                    "no latest value"]
    assert index == pytest.approx((0.75 + 0.75 + 1.25 + 0 + 1.25) / 5)
    table = overview.health_table(scores, Policy()).frame
    assert table.loc[1].to_dict() == {"KPI": "B", "Latest": "4", "Target": "3", "Better when": "lower",
                                      "Score": "0.75", "Left out because": ""}
    assert health.health_index([])[0] is None


def test_a_target_of_zero():
    assert health.health_score(Kpi("z", "Z", polarity="higher", target=0.0), 0.4).score is None
    assert health.health_score(Kpi("z", "Z", polarity="lower", target=0.0), 0.4).score == 0.0


# --------------------------------------------------------------------------- unit costs


def test_cost_kpis_take_unit_costs_as_parameters(tiny_query):
    span = {"date_from": date(2026, 1, 1), "date_to": date(2026, 2, 28)}
    base = {"baseline_from": date(2026, 1, 1), "baseline_to": date(2026, 1, 31)}
    loaded = tiny_query("unit_costs_by_channel")
    costs = kpi_page.cost_inputs(loaded, (base["baseline_from"], base["baseline_to"])).params()
    saving = tiny_query("kpi_channel_shift_saving_by_month", **span, **costs)
    # Nine costed requests: a count under 10 is never shown, and the pounds would give it back.
    assert kpi_page.saving_sentence(saving, base["baseline_from"], base["baseline_to"], Policy()) == (
        "Fewer than 10 costed requests in view: too few to say what the channel mix saved.")
    thirteen = pd.DataFrame({"period": [date(2026, 1, 1)], "numerator": [6.5], "denominator": [13]})
    assert "the 13 costed requests in view cost £7 less (£0.50 a request)" in kpi_page.saving_sentence(
        thirteen, base["baseline_from"], base["baseline_to"], Policy())
    # Public-safe: the count to 5 and the pounds to £10, so that one cannot give the other back.
    assert "the 15 costed requests in view cost £10 less (£0.50 a request)" in kpi_page.saving_sentence(
        thirteen, base["baseline_from"], base["baseline_to"], Policy(public_safe=True))


def test_edited_unit_costs_change_the_cost(tiny_query):
    span = {"date_from": date(2026, 1, 1), "date_to": date(2026, 1, 31)}
    loaded = tiny_query("unit_costs_by_channel")
    edited = loaded.assign(cost_gbp=[c * 2 for c in loaded["cost_gbp"]])
    baseline = (span["date_from"], span["date_to"])
    before = tiny_query("kpi_cost_per_transaction_by_month", **span,
                        **kpi_page.cost_inputs(loaded, baseline).params())
    after = tiny_query("kpi_cost_per_transaction_by_month", **span,
                       **kpi_page.cost_inputs(edited, baseline).params())
    assert after["value"].tolist() == pytest.approx([2 * v for v in before["value"]])
    assert after["denominator"].tolist() == before["denominator"].tolist()
    assert not kpi_page.unit_costs_changed(loaded, loaded.copy())
    assert kpi_page.unit_costs_changed(loaded, edited)
    costs = pd.DataFrame({"channel": ["phone", "online"], "cost_gbp": [2.0, 0.5], "source": "x", "year": 2012})
    assert kpi_words.costs_source(costs.assign(source=["Socitm (web)", "Socitm"])) == "Socitm (2012)"


# --------------------------------------------------------------------------- the XmR chart


def test_xmr_chart_marks_special_causes_target_and_events():
    result = kpis.evaluate(TAKEUP, monthly([0.40] * 7 + [0.50, 0.51] * 4, start="2025-01-01"))
    events = pd.DataFrame({"date": [pd.Timestamp("2025-08-04"), pd.Timestamp("2030-01-01")],
                           "label": ["Form launched", "Outside the chart"]})
    chart = spc_charts.xmr_chart(result.chart.whole.points, title="T", unit="%", fmt=TAKEUP.fmt, target=0.6,
                                 events=events)
    spec = chart.to_dict()
    data = next(v for v in spec["datasets"].values() if v and "status" in v[0])
    assert [d["status"] for d in data][:8] == ["Concern"] * 7 + ["Improvement"]
    assert "shift" in data[0]["fired"] and data[0]["value_text"] == "40%"
    assert spec["title"]["subtitle"] == ["1: Form launched (4 Aug 2025)"]
    text = json.dumps(spec)
    assert '"Target 60%"' in text and "Outside the chart" not in text


def test_the_published_chart_names_its_data_by_shape_and_can_leave_points_unmarked():
    rising = [0.40] * 7 + [0.50, 0.51] * 4
    shifted = kpis.evaluate(TAKEUP, monthly(rising, start="2025-01-01"))
    nudged = kpis.evaluate(TAKEUP, monthly(rising[:-1] + [0.52], start="2025-01-01"))
    charts = [spc_charts.published_xmr(kpi_parts.points_table(r.chart.reported_points(), TAKEUP, Policy()), title=kpi_words.headline(r),
                                       unit="%", fmt=TAKEUP.fmt, target=0.6) for r in (shifted, nudged)]
    # Two views one figure apart differ in that figure, not in the names of their datasets.
    assert [sorted(c.spec["datasets"]) for c in charts] == [["pulse_dataset_0", "pulse_dataset_1"]] * 2
    # Rebased at the step, August 2025 is the first month of the new process, with its own centre and limits.
    assert charts[0].data.frame.iloc[7].to_dict() == {"Month": "Aug 2025", "Value": "50%", "Variation": "Common cause",
                                                      "Mean": "50%", "Process limits": "48% to 53%"}
    assert charts[0].alt_text.startswith("Digital take-up is improving: 51% in Mar 2026 (target 60%). Each point")
    public = Policy(public_safe=True)
    unmarked = spc_charts.published_xmr(kpi_parts.points_table(shifted.chart.reported_points(), TAKEUP, public), title="T", unit="%",
                                        fmt=TAKEUP.fmt, marked=False)
    points = next(v for v in unmarked.spec["datasets"].values() if v and "status" in v[0])
    assert {p["status"] for p in points} == {"Value"} and {p["special_cause"] for p in points} == {None}
    assert list(unmarked.data.frame.columns) == ["Month", "Value", "Mean", "Process limits"]


def test_the_card_says_where_the_process_starts_and_how_seasonality_was_handled():
    result = kpis.evaluate(TAKEUP, monthly([0.40] * 7 + [0.50, 0.51] * 4, start="2025-01-01"))
    automatic = result.chart  # the engine finds the step: 8 months above the average before
    assert (automatic.start, automatic.rebase, automatic.found_by) == (7, "automatic", "shift")
    assert kpi_words.process_note(automatic, result.series, TAKEUP) == (
        "Limits recalculated automatically from Aug 2025, where a run of 8 months on one side of the average "
        "before began: the chart shows both periods.")
    # Fifteen months: too few to check for a usual month-to-month pattern, and the card says so.
    assert kpi_words.seasonality_note(automatic).startswith("Not checked for seasonality")
    seasonal = SimpleNamespace(seasonality=SimpleNamespace(seasonal=True, checked=True))
    assert kpi_words.seasonality_note(seasonal).startswith("Seasonal: judged after removing the usual month-to-month")
    flat = SimpleNamespace(seasonality=SimpleNamespace(seasonal=False, checked=True))
    assert kpi_words.seasonality_note(flat).startswith("Checked for a usual month-to-month pattern: none stands out")
    chosen = kpis.judge(result.series, TAKEUP, pd.Timestamp("2025-08-01"))
    assert (chosen.start, chosen.rebase, chosen.chart.points["part"].tolist()) == (7, "manual", [0] * 7 + [1] * 8)
    assert kpi_words.process_note(chosen, result.series, TAKEUP) == (
        "Limits recalculated from Aug 2025, as chosen: the chart shows both periods.")
    off = kpis.judge(result.series, TAKEUP, kpis.OFF)
    assert (off.start, off.rebase, off.variation) == (0, "off", result.chart.variation)
