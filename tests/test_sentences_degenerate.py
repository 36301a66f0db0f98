"""Generated sentences on degenerate data: equal values, zero or tiny denominators, one channel, one ward,
one directorate, a month with no data, inside the council and public-safe (issue 14, item 5).

Every function that writes a reader-facing sentence from data, by page, and the module that tests it on
these cases ("this module" is tests/test_sentences_degenerate.py; the others are tests/test_sentences_<page>.py):

Overview (pulse/pages/overview.py) → this module
    tile (its note), health_note, uncosted_sentence, channel_title, volume_sentence, change_sentence,
    the intro's period (pulse.formatting.month_span)
Slides (pulse/present/overview.py, kpis.py, slide.py) → this module
    overview: tile_note, tile_words, message; kpis: message (event_sentence or headline), event_sentence,
    headline, explain; slide: Slide.through, describe
KPI trends (pulse/pages/kpi_words.py, kpi_event_words.py, kpis.py, kpi_parts.py) → test_sentences_kpis.py
    kpi_words: headline, meaning, assurance_words, variation_words, process_note, seasonality_note, summary,
    readiness, problems, projection_reasoning, costs_source; kpi_event_words: before_after_sentence,
    before_after_reasons; kpis: saving_sentence (and the intro's and baseline's period); kpi_parts: close_up,
    difference (its verdict and reasons are kpi_event_words')
Leadership (pulse/pages/leadership_words.py, leadership.py) → test_sentences_leadership.py
    activity_sentence, activity_sentences, story_sentence, gap_sentence, lines_title, gap_title, points,
    heatmap_title, association_caption, scatter_title, maturity_title, left_out_note; leadership: _nothing,
    _scatters, _maturity_note. privacy_note and roles_note state the staff minimum only (tests/test_leadership.py)
Ward maps and profiles (pulse/pages/wards.py, ward_tables.py, ward_profile.py, ward_density.py)
    → test_sentences_wards.py
    wards: intro; ward_tables: borough_line, unmapped_note, deprivation_sentence, priority_wards (each ward's
    reasons); ward_profile: tiles (value, delta, help), caption, themes_sentence; ward_density: density's
    caption, hexagon counts
Resident voice (pulse/pages/voice.py, voice_ratings.py, voice_time.py, voice_themes.py, voice_gaps.py)
    → test_sentences_voice.py
    voice: intro, theme_title; voice_ratings: channel_sentence; voice_time: satisfaction (tile, chart title,
    notes); voice_themes: quotes; voice_gaps: gaps
Data (pulse/pages/data.py, data_sections.py) → test_sentences_voice.py
    intro, rejected_note, wards_note, unit_costs_sentence; data_sections: _notes. public_note and
    upload_note hold no figures from the data.

Each test builds a tiny table by hand and asserts the exact sentence, so a regression reads as a diff;
"Before:" comments quote what a builder said on that case before it was fixed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pandas as pd
import pytest

from pulse import registry
from pulse.disclosure import Policy, static
from pulse.filters import Filters, Options
from pulse.formatting import month_span
from pulse.metrics import health, kpis
from pulse.pages import overview
from pulse.present import kpis as kpi_slides
from pulse.present import overview as overview_slides
from pulse.present.slide import Slide, describe
from tests.test_overview import COSTS, monthly, six_months

INTERNAL, PUBLIC = Policy(threshold=10), Policy(public_safe=True, threshold=10)
TAKEUP = registry.measure("digital_takeup")
COST = registry.measure("cost_per_transaction")
SIX = [f"2026-{m:02d}-01" for m in range(1, 7)]


def months(numerator: float, denominator: float, skip: str | None = None) -> pd.DataFrame:
    """A headline's monthly rows for Jan–Jun 2026, the same every month (one month left out if named)."""
    return monthly([(p, numerator, denominator) for p in SIX if p != skip])


def without(frame: pd.DataFrame, month: str) -> pd.DataFrame:
    return frame[frame["period"] != dt.date.fromisoformat(month)].reset_index(drop=True)


# --------------------------------------------------------------------------- Overview: the channel chart


@pytest.mark.parametrize("policy", [INTERNAL, PUBLIC])
def test_channel_title_on_one_kind_of_channel(policy):
    only_phone = overview.protect_channels(six_months(0, 60, 0, 60).query("requests > 0"), COSTS, policy)
    assert overview.channel_title(only_phone, policy) == (
        "Requests by channel, month by month: none made online or by app")
    only_online = overview.protect_channels(six_months(100, 0, 120, 0).query("requests > 0"), COSTS, policy)
    assert overview.channel_title(only_online, policy) == (
        "Requests by channel, month by month: all made online or by app")


def test_channel_title_on_tiny_quarters_and_a_month_with_no_data():
    tiny = overview.protect_channels(six_months(1, 2, 1, 2), COSTS, INTERNAL)
    assert overview.channel_title(tiny, INTERNAL) == "Requests by channel, month by month"
    # May has no requests: Q2 is not a complete quarter, so there is no second quarter to compare with.
    gap = overview.protect_channels(without(six_months(40, 60, 55, 45), "2026-05-01"), COSTS, INTERNAL)
    assert overview.channel_title(gap, INTERNAL) == "Requests by channel, month by month"


def test_channel_title_on_equal_shares_in_public():
    flat = overview.protect_channels(six_months(40, 60, 40, 60), COSTS, PUBLIC)
    assert overview.channel_title(flat, PUBLIC) == (
        "Online and app carried 40% of requests in Q2 2026, the same as 40% in Q1 2026")


def test_volume_sentence_on_equal_quarters_says_it_once():
    steady = overview.protect_channels(six_months(40, 60, 40, 60), COSTS, INTERNAL)
    assert overview.volume_sentence(steady) == "Requests held steady at 300 a quarter between Q1 and Q2 2026."
    # 303 and 306 both round to 305 in public: equal as published, so said once.
    public = overview.protect_channels(six_months(40, 61, 40, 62), COSTS, PUBLIC)
    assert overview.volume_sentence(public) == "Requests held steady at 305 a quarter between Q1 and Q2 2026."
    near = overview.protect_channels(six_months(400, 600, 401, 600), COSTS, INTERNAL)
    assert overview.volume_sentence(near) == "Requests held steady between Q1 and Q2 2026 (3,000 to 3,003)."


def test_volume_sentence_on_a_month_with_no_data_and_on_no_model():
    gap = overview.protect_channels(without(six_months(), "2026-05-01"), COSTS, INTERNAL)
    assert overview.volume_sentence(gap) is None
    assert overview.volume_sentence(None) is None


def test_uncosted_sentence_when_every_channel_is_costed_or_the_rest_is_small():
    assert overview.uncosted_sentence(overview.protect_channels(six_months(), COSTS, INTERNAL)) is None
    small = pd.concat([six_months(), pd.DataFrame({"period": [dt.date(2026, 1, 1)], "channel": ["post"],
                                                   "requests": [3]})], ignore_index=True)
    assert overview.uncosted_sentence(overview.protect_channels(small, COSTS, INTERNAL)) == (
        "Cost per transaction leaves out [c] requests through channels with no unit cost (the Data page lists the "
        "unit costs).")


# --------------------------------------------------------------------------- Overview: what changed


@pytest.mark.parametrize("policy, said", [
    (INTERNAL, "Digital take-up held steady at 100.0% between Q1 and Q2 2026."),
    (PUBLIC, "Digital take-up held steady at 100% between Q1 and Q2 2026."),
])
def test_change_sentence_on_equal_quarters(policy, said):
    # One channel, all digital: the page leaves this sentence out (the KPI is not informative); the words hold.
    assert overview.change_sentence(TAKEUP, months(100, 100), None, policy) == said


def test_change_sentence_on_money_equal_in_public():
    assert overview.change_sentence(COST, months(150, 100), None, PUBLIC) == (
        "Cost per transaction held steady at £1.50 between Q1 and Q2 2026.")


@pytest.mark.parametrize("policy", [INTERNAL, PUBLIC])
def test_change_sentence_on_zero_and_tiny_denominators_and_a_gap(policy):
    assert overview.change_sentence(TAKEUP, months(0, 0), None, policy) is None
    assert overview.change_sentence(TAKEUP, months(1, 3), None, policy) is None  # 9 a quarter: under 10
    assert overview.change_sentence(TAKEUP, months(50, 100, skip="2026-05-01"), None, policy) is None


def test_health_note_with_no_kpi_and_with_one():
    assert overview.health_note([]) == (
        "No KPI has a target and a latest value yet, so there is no index (see below).")
    kpi = kpis.BUILT_IN[0]
    left_out = health.HealthScore(kpi, None, None, "no latest value")
    assert overview.health_note([left_out]) == (
        "No KPI has a target and a latest value yet, so there is no index (see below).")
    assert overview.health_note([left_out, health.HealthScore(kpi, 0.5, 1.0)]) == (
        "1.00 = on target, across 1 KPI (see below)")


# --------------------------------------------------------------------------- Overview tiles and their slide words


def tile_of(rows: list[tuple[str, float, float]], policy: Policy) -> overview.Tile:
    return overview.tile(TAKEUP, kpis.evaluate(kpis.BUILT_IN[0], monthly(rows), policy), policy)


@pytest.mark.parametrize("policy, value", [(INTERNAL, "50.0%"), (PUBLIC, "50%")])
def test_tile_words_on_equal_months_say_unchanged(policy, value):
    tile = tile_of([("2026-05-01", 500, 1000), ("2026-06-01", 502, 1000)] if policy.public_safe else
                   [("2026-05-01", 50, 100), ("2026-06-01", 50, 100)], policy)
    assert overview_slides.tile_words(tile) == (
        f"Digital take-up: {value} in Jun 2026, unchanged on May 2026. Not judged yet.")


def test_tile_words_on_a_month_with_no_data_and_a_first_month():
    gap = tile_of([("2026-04-01", 50, 100), ("2026-06-01", 60, 100)], INTERNAL)
    assert (gap.change.text, gap.previous) == ("–", None)
    assert overview_slides.tile_words(gap) == "Digital take-up: 60.0% in Jun 2026. Not judged yet."
    first = tile_of([("2026-06-01", 50, 100)], INTERNAL)
    assert overview_slides.tile_words(first) == "Digital take-up: 50.0% in Jun 2026. Not judged yet."


@pytest.mark.parametrize("latest", [(0, 0), (1, 3)])
def test_tile_words_on_a_zero_or_tiny_latest_month(latest):
    tile = tile_of([("2026-05-01", 50, 100), ("2026-06-01", *latest)], INTERNAL)
    assert overview_slides.tile_note(tile) == (
        "Fewer than 10 in the latest month, or it would give a hidden count away: not shown.")
    assert overview_slides.tile_words(tile) == (
        "Digital take-up: fewer than 10 in the latest month, or it would give a hidden count away: not shown.")


def test_tile_words_with_no_data():
    tile = tile_of([], PUBLIC)
    assert overview_slides.tile_words(tile) == "Digital take-up: not shown. No data for these filters."


ALL_DIGITAL = "Not informative with this data: every request is online or by app"


def test_one_channel_on_the_headline_slide():
    # All requests online: take-up is fixed at 100%, marked not informative, never judged.
    result = kpis.evaluate(kpis.BUILT_IN[0], months(100, 100), INTERNAL)
    tile = overview.tile(TAKEUP, replace(result, chart=None, uninformative=ALL_DIGITAL), INTERNAL)
    assert tile.note == "Not informative with this data: see above."
    # Before: "… see above." on a slide, where nothing is above.
    assert overview_slides.tile_note(tile) == "Not informative with this data."
    # Fixed by the data, it cannot move: no change is shown or said.
    assert not tile.change.shown
    assert overview_slides.tile_words(tile) == "Digital take-up: 100.0% in Jun 2026. Not informative with this data."
    needs = overview.tile(TAKEUP, replace(result, series=pd.Series(dtype=float), chart=None, notes=(),
                                          problem="Needs an outcome column.", needs="an outcome column"), INTERNAL)
    assert overview_slides.tile_words(needs) == "Digital take-up: not shown. Needs more data."
    # Before: "too few months with figures to judge yet", though months were not what was missing.
    assert overview_slides.message((tile, needs)) == "GOV.UK's four service KPIs: none can be judged with this data"
    assert overview_slides.message((tile, tile_of([("2026-06-01", 50, 100)], INTERNAL))) == (
        "GOV.UK's four service KPIs: too few months with figures to judge yet")


# --------------------------------------------------------------------------- KPI slides


def takeup_result(rows: list[tuple[str, float, float]], policy: Policy = INTERNAL) -> kpis.KpiResult:
    return kpis.evaluate(kpis.BUILT_IN[0], monthly(rows), policy)


@pytest.mark.parametrize("policy", [INTERNAL, PUBLIC])
@pytest.mark.parametrize("moved", [0.0, 0.00004, -0.00004])
def test_event_sentence_on_a_change_too_small_to_show(policy, moved):
    result = takeup_result([("2026-06-01", 50, 100)], policy)
    assert kpi_slides.event_sentence(result, moved, False, "Form launched", pd.Timestamp("2025-01-06"), policy) == (
        "Digital take-up is unchanged since “Form launched” (Jan 2025)")


def test_event_sentence_on_a_change_just_big_enough():
    result = takeup_result([("2026-06-01", 50, 100)])
    assert kpi_slides.event_sentence(result, -0.0006, True, "Form launched", pd.Timestamp("2025-01-06"), INTERNAL) == (
        "Digital take-up is down 0.1 points on its earlier trend since “Form launched” (Jan 2025)")
    assert kpi_slides.event_sentence(result, 0.006, False, "Form launched", pd.Timestamp("2025-01-06"), PUBLIC) == (
        "Digital take-up is up 1 point since “Form launched” (Jan 2025)")


def test_kpi_slide_headline_on_no_data_and_a_gap():
    assert kpi_slides.headline(takeup_result([])) == "Digital take-up"
    # The latest month has no requests: the headline is the last month with a figure, not a zero.
    gap = takeup_result([("2026-05-01", 50, 100), ("2026-06-01", 0, 0)])
    assert kpi_slides.headline(gap) == "Digital take-up is not judged yet: 50% in May 2026"
    assert kpi_slides.explain(takeup_result([])) == []


def test_kpi_slide_explains_a_process_with_no_variation():
    flat = takeup_result([(p, 50, 100) for p in pd.date_range("2025-11-01", periods=14, freq="MS").strftime(
        "%Y-%m-%d")])
    # Before: "a single month normally falls between 50% and 50%".
    assert kpi_slides.explain(flat) == [
        "No significant change: common-cause variation only",
        "The current process averages 50%, with no variation."]


# --------------------------------------------------------------------------- periods in words


def test_a_period_of_one_month_or_one_day_is_named_once():
    # The Overview's, KPI page's and Resident voice page's intros and the saving's baseline read months this way.
    assert month_span(dt.date(2026, 10, 1), dt.date(2026, 10, 31)) == "Oct 2026"
    assert month_span(dt.date(2026, 10, 1), dt.date(2026, 12, 31)) == "Oct 2026 to Dec 2026"
    # Before: "3 Feb 2026 to 3 Feb 2026 · the whole council".
    assert describe(Filters(dt.date(2026, 2, 3), dt.date(2026, 2, 3)), Options()) == "3 Feb 2026 · the whole council"
    assert describe(Filters(dt.date(2026, 2, 3), dt.date(2026, 2, 4)), Options()) == (
        "3 Feb 2026 to 4 Feb 2026 · the whole council")


def test_a_slide_with_no_data_says_so_in_its_footer():
    empty = Slide("overview", "overview", static("No data matches this view"),
                  describe(Filters(), Options()), public_safe=True)
    assert empty.through == "No data in this view"
    assert empty.footer.startswith("the whole council · No data in this view · ")
