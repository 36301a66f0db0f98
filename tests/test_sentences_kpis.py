"""The KPI page's sentences on degenerate data (the list of builders is in tests/test_sentences_degenerate.py)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pandas as pd
import pytest

from pulse.disclosure import Policy
from pulse.filters import Filters
from pulse.metrics import kpis
from pulse.metrics.before_after import BeforeAfter, before_after
from pulse.metrics.kpis import Kpi
from pulse.pages import kpi_event_words, kpi_parts, kpi_words
from pulse.pages.kpis import saving_sentence
from tests.test_kpis import TAKEUP, monthly

INTERNAL, PUBLIC = Policy(threshold=10), Policy(public_safe=True, threshold=10)
ON_TARGET = Kpi("t", "Take-up", unit="%", polarity="higher", target=0.5, definition="kpi_digital_takeup_by_month")
EVENT = date(2025, 1, 1)


def flat(kpi: Kpi = TAKEUP, policy: Policy = INTERNAL, **kwargs) -> kpis.KpiResult:
    """Fourteen months of exactly 50% (Nov 2025 to Dec 2026)."""
    return kpis.evaluate(kpi, monthly([0.5] * 14, **kwargs), policy)


# --------------------------------------------------------------------------- headline, meaning, the matrix's words


@pytest.mark.parametrize("policy", [INTERNAL, PUBLIC])
def test_headline_and_meaning_on_equal_values(policy):
    result = flat(policy=policy)
    assert kpi_words.headline(result) == "Digital take-up shows no significant change: 50% in Dec 2026 (target 60%)"
    assert kpi_words.meaning(result) == (
        "Latest value shows common-cause variation only, so nothing has significantly changed; the target of 60% "
        "is above the upper process limit, so it will not be met unless the process changes.")


def test_meaning_when_every_value_is_on_target():
    # Before: "the target of 50% is within the process limits, so it will be hit and missed at random".
    assert kpi_words.meaning(flat(ON_TARGET)) == (
        "Latest value shows common-cause variation only, so nothing has significantly changed; the target of 50% "
        "is where every value has been, with no variation at all, so it is met while nothing changes.")


@pytest.mark.parametrize("policy, denominator", [(INTERNAL, 0.0), (INTERNAL, 3.0), (PUBLIC, 0.0), (PUBLIC, 9.0)])
def test_zero_and_tiny_denominators_say_there_are_no_figures(policy, denominator):
    result = flat(policy=policy, denominator=denominator)
    assert kpi_words.headline(result) == "Digital take-up"
    assert (kpi_words.meaning(result), kpi_words.assurance_words(result)) == ("", "")
    assert kpi_words.variation_words(result) == "No figures"
    assert kpi_words.problems([result]) == "- **Digital take-up**: Every period rests on too few records to show."
    assert kpi_words.summary([result, result], {}) == "Of 2 KPIs, 2 have no figures."


def test_one_month_and_no_month():
    one = kpis.evaluate(TAKEUP, monthly([0.5]), INTERNAL)
    assert kpi_words.headline(one) == "Digital take-up is not judged yet: 50% in Nov 2025 (target 60%)"
    assert kpi_words.meaning(one) == (
        "Only 1 point: at least 12 are needed before SPC can judge variation, so there is no verdict yet.")
    assert kpi_words.variation_words(one) == "Too few points (1 of 12)"
    empty = kpis.evaluate(TAKEUP, monthly([]), INTERNAL)
    assert (kpi_words.headline(empty), kpi_words.variation_words(empty)) == ("Digital take-up", "No figures")
    assert kpi_words.problems([empty]) == "- **Digital take-up**: No data for these filters."


def test_a_month_with_no_data_is_a_gap_not_a_zero():
    values = [0.5] * 14
    values[5] = np.nan  # April 2026: no requests
    result = kpis.evaluate(TAKEUP, monthly(values), INTERNAL)
    assert result.series.isna().sum() == 1 and (result.series.dropna() == 0.5).all()
    assert kpi_words.headline(result) == "Digital take-up shows no significant change: 50% in Dec 2026 (target 60%)"


def test_a_kpi_fixed_by_the_data_is_not_judged():
    fixed = replace(flat(), chart=None, uninformative="Not informative with this data: every request is online or "
                    "by app")
    assert kpi_words.headline(fixed) == "Digital take-up is fixed by this data: 50% in Dec 2026 (target 60%)"
    assert (kpi_words.variation_words(fixed), kpi_words.assurance_words(fixed), kpi_words.meaning(fixed)) == (
        "Not informative", "", "")
    assert kpi_words.summary([fixed], {}) == "Of 1 KPI, 1 is not informative with this data."
    assert kpi_words.readiness([fixed]) == (
        "**What these exports cannot show yet**\n"
        "- Digital take-up is not informative with this data: every request is online or by app.")
    assert kpi_words.process_note(fixed.chart, fixed.series, TAKEUP) is None
    assert kpi_words.seasonality_note(fixed.chart) is None


def test_a_flat_series_is_not_rebased_and_not_checked_for_seasons():
    result = flat()
    assert kpi_words.process_note(result.chart, result.series, TAKEUP) is None
    assert kpi_words.seasonality_note(result.chart) == (
        "Not checked for seasonality: that needs about three years of monthly figures without gaps.")


# --------------------------------------------------------------------------- year-end projection


def test_projection_of_a_process_with_no_variation():
    reasoning = kpi_words.projection_reasoning(kpis.projection(flat()), TAKEUP)
    # Before: "normally falls between 50% and 50%" and "about 50%: 50% at worst, 50% at best".
    assert reasoning == (
        "Financial year 2026/27 so far: 9 months averaging 50%.",
        "The current process (the last 14 months) averages 50%, with no variation.",
        "If the remaining 3 months to 31 March 2027 follow it, the year averages about 50%.",
        "Target 60% or more: even at best the year falls short, so will miss.")
    assert kpi_words.projection_reasoning(kpis.projection(flat(ON_TARGET)), ON_TARGET)[-1] == (
        "Target 50% or more: even at worst the year meets it, so on track.")


# --------------------------------------------------------------------------- before and after an event


def too_few(n_before: int, n_after: int) -> str:
    return kpi_event_words.before_after_sentence(BeforeAfter("unclear", None, pd.Timestamp(EVENT), None, n_before=n_before,
                                                       n_after=n_after), TAKEUP, "Form", EVENT)


def test_too_few_figures_agree_in_number():
    judge = "Not enough figures to judge “Form” (1 Jan 2025): there"
    # Before: "there is only 5 months" (the verb followed the smaller side, not the one named).
    assert too_few(5, 1) == (f"{judge} are only 5 months with figures before it (at least 8 are needed to know "
                             "what normal looked like).")
    assert too_few(1, 5) == (f"{judge} is only 1 month with figures before it (at least 8 are needed to know what "
                             "normal looked like).")
    assert too_few(9, 1) == f"{judge} is only 1 month with figures from it (at least 3 are needed)."
    # Before: "there are only 0 months".
    assert too_few(9, 0) == f"{judge} are no months with figures from it (at least 3 are needed)."


def equal_then(after: float, gap: bool = False) -> BeforeAfter:
    values = pd.Series(0.5, index=pd.date_range("2024-01-01", periods=20, freq="MS"))
    values.iloc[12:] = after
    if gap:
        values.iloc[3] = np.nan  # April 2024 had no data: eleven months before, not twelve with a zero
    return before_after(values, EVENT, TAKEUP)


@pytest.mark.parametrize("gap, before", [(False, 12), (True, 11)])
def test_equal_values_either_side_are_no_change(gap, before):
    change = equal_then(0.5, gap)
    # Before: "…: that is noise, within the normal variation of the months before, …".
    assert kpi_event_words.before_after_sentence(change, TAKEUP, "Form", EVENT) == (
        f"Digital take-up averaged 50% in the 8 months from Jan 2025, against 50% in the {before} before: no change, "
        "so no sign that “Form” (1 Jan 2025) changed anything.")
    # Before: "normal range 50% to 50%" and "The change is 0.0 times what month-to-month noise alone would give".
    assert kpi_event_words.before_after_reasons(change, TAKEUP) == (
        "Before: mean 50%, no variation at all.",
        "After: mean 50%, no variation at all.",
        "Longest run of months on one side of the before mean: 0 (7 or more is a shift).",
        "Months beyond the before limits: 0.",
        "The values did not vary at all and did not change.")


def test_a_step_between_two_flat_stretches():
    change = equal_then(0.6)
    assert kpi_event_words.before_after_sentence(change, TAKEUP, "Form", EVENT) == (
        "Digital take-up averaged 60% in the 8 months from Jan 2025, against 50% in the 12 before: a signal, not "
        "noise. After “Form” (1 Jan 2025) the process changed, an improvement.")
    assert kpi_event_words.before_after_reasons(change, TAKEUP)[-1] == (
        "The values did not vary at all, so any change is a change.")


# --------------------------------------------------------------------------- channel-shift saving


def saved(pounds: float, requests: float) -> pd.DataFrame:
    return pd.DataFrame({"period": [date(2026, 1, 1)], "numerator": [pounds], "denominator": [requests]})


BASE = (date(2024, 1, 1), date(2024, 12, 1))
SAID = "Against the channel mix of Jan 2024 to Dec 2024, the 50 costed requests in view cost"


@pytest.mark.parametrize("policy", [INTERNAL, PUBLIC])
def test_saving_on_no_requests_and_on_too_few(policy):
    assert saving_sentence(saved(0.0, 0.0), *BASE, policy) == (
        "No costed requests to compare with the baseline's channel mix.")
    assert saving_sentence(saved(np.nan, 0.0), *BASE, policy) == (
        "No costed requests to compare with the baseline's channel mix.")
    assert saving_sentence(saved(3.0, 4.0), *BASE, policy) == (
        "Fewer than 10 costed requests in view: too few to say what the channel mix saved.")


@pytest.mark.parametrize("policy", [INTERNAL, PUBLIC])
def test_saving_of_nothing_is_the_same(policy):
    assert saving_sentence(saved(0.0, 50.0), *BASE, policy) == f"{SAID} the same as they would have at that mix."


def test_a_saving_rounded_away_is_about_the_same():
    assert saving_sentence(saved(4.0, 50.0), *BASE, INTERNAL) == f"{SAID} £4 less (£0.08 a request)."
    # Before: "cost the same as they would have", though £4 was saved: £10 steps in public round it to £0.
    assert saving_sentence(saved(4.0, 50.0), *BASE, PUBLIC) == f"{SAID} about the same as they would have at that mix."
    assert saving_sentence(saved(-0.3, 50.0), *BASE, INTERNAL) == (
        f"{SAID} about the same as they would have at that mix.")
    assert saving_sentence(saved(2.0, 500.0), *BASE, INTERNAL) == (
        "Against the channel mix of Jan 2024 to Dec 2024, the 500 costed requests in view cost £2 less (under a "
        "penny a request).")


def test_a_baseline_of_one_month_is_named_once():
    # Before: "Against the channel mix of Jan 2024 to Jan 2024, …".
    assert saving_sentence(saved(4.0, 50.0), date(2024, 1, 1), date(2024, 1, 31), INTERNAL) == (
        "Against the channel mix of Jan 2024, the 50 costed requests in view cost £4 less (£0.08 a request).")


def test_costs_source_with_nothing_and_with_nothing_named():
    assert kpi_words.costs_source(pd.DataFrame({"source": [], "year": []})) == "none loaded"
    assert kpi_words.costs_source(pd.DataFrame({"source": [None, None], "year": [None, None]})) == (
        "source not given (year not given)")


# --------------------------------------------------------------------------- the KPI card


NO_EVENTS = pd.DataFrame(columns=["date", "label", "service", "ward_code"])
DETAILS = ("Better when higher · target 60% · owner not named · reported monthly · source "
           "`kpi_digital_takeup_by_month.sql` · data through ")


def test_the_card_with_no_figures_and_with_a_kpi_fixed_by_the_data():
    card = kpi_parts.close_up(flat(denominator=0.0), None, NO_EVENTS, {}, None, Filters(), INTERNAL, None)
    assert (card.problem, card.meaning, card.chart) == (
        "Digital take-up: Every period rests on too few records to show.", None, None)
    assert card.no_events == "Digital take-up has no figures to compare before and after an event."
    assert card.details == DETAILS + "no data"
    fixed = replace(flat(), chart=None, uninformative="Not informative with this data: every request is online or "
                    "by app")
    card = kpi_parts.close_up(fixed, None, NO_EVENTS, {"service_requests": date(2026, 12, 31)}, None, Filters(),
                              PUBLIC, None)
    assert card.problem == ("Digital take-up is not informative with this data: every request is online or by app. "
                            "Its latest value is in the table above; it is not judged by statistical process control.")
    assert card.no_events == ("Digital take-up is fixed by this data, so there is nothing to compare before and after "
                              "an event.")
    assert card.details == DETAILS + "31 Dec 2026"


def test_the_card_of_a_process_with_no_variation():
    result = flat()
    card = kpi_parts.close_up(result, kpis.projection(result), NO_EVENTS, {}, None, Filters(), INTERNAL, None)
    assert [str(words) for _, words in card.icons] == ["No significant change", "Can't meet target"]
    assert card.year_end == (
        "**Year end: will miss.** Financial year 2026/27 so far: 9 months averaging 50%. The current process (the "
        "last 14 months) averages 50%, with no variation. If the remaining 3 months to 31 March 2027 follow it, the "
        "year averages about 50%. Target 60% or more: even at best the year falls short, so will miss.")
    assert card.no_events == "No events in this date range that Digital take-up can be judged against (events file)."
