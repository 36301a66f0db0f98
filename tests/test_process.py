"""The current process of a KPI (pulse.metrics.process): automatic rebase, seasonality, year end,
rows that agree with themselves and the counts above the matrix. Worked by hand in the comments."""

from __future__ import annotations

import math
import re
from dataclasses import replace
from datetime import date

import numpy as np
import pandas as pd
import pytest

from tests.conftest import with_loaded_costs

from pulse.metrics import kpis, process, seasonality, spc
from pulse.metrics.kpis import Kpi
from pulse.metrics.process import judge, parse_override
from pulse.metrics.projection import Projection, contradictions, project
from pulse.pages import kpi_words

approx = pytest.approx
NaN = float("nan")


def monthly(values, start: str = "2025-03-01") -> pd.Series:
    """Values on consecutive month starts from `start`."""
    return pd.Series([NaN if v is None else float(v) for v in values],
                     index=pd.date_range(start, periods=len(values), freq="MS"), name="value")


def same_chart(a: spc.XmrResult, b: spc.XmrResult) -> bool:
    """Two XmR results that are identical: every point, every verdict."""
    pd.testing.assert_frame_equal(a.points, b.points)
    fields = ("variation", "assurance", "warning", "mean", "lower", "upper", "mr_bar", "side", "target",
              "higher_is_better", "n_points")
    return all(getattr(a, f) == getattr(b, f) for f in fields)


# Twelve months alternating 9, 11 (mean 10) from March 2025, then eight alternating 15, 17 from
# March 2026. Whole range: mean (120 + 128) / 20 = 12.4, so the first twelve sit below it and the
# last eight above: a shift of 8 reaching the latest point, with 12 points before it.
STEP_UP = [9, 11] * 6 + [15, 17] * 4


# --------------------------------------------------------------------------- automatic rebase


def test_a_step_up_rebases_at_the_first_point_of_the_run():
    series = monthly(STEP_UP)
    j = judge(series, 18, True)
    assert (j.start, j.rebase, j.found_by, j.run_length, j.found_on, j.n_points) == (12, "automatic", "shift", 8, 0, 8)
    assert j.start_period == pd.Timestamp("2026-03-01")
    assert j.rebase_at == (12,)
    # The new process alone: mean 16, moving ranges all 2, limits 16 ± 5.32.
    assert (j.chart.mean, j.chart.lower, j.chart.upper) == approx((16, 10.68, 21.32))
    # Eight points are too few to judge the new process: variation reports the change as the
    # whole-range chart sees the latest point (a shift above its mean: improvement, H), and there is a
    # status instead of an assurance icon.
    assert (j.variation, j.side) == ("improvement", "high")
    assert (j.whole.variation, j.whole.side) == ("improvement", "high")
    assert j.assurance is None
    assert j.status == "Process changed in Mar 2026, assurance after 4 more months"
    assert j.note == "Limits recalculated automatically from Mar 2026, where a run of 8 months above the average " \
                     "before began."
    assert j.current.tolist() == [15, 17] * 4
    assert j.latest == (pd.Timestamp("2026-10-01"), 17.0)


def test_automatic_equals_calling_xmr_at_the_position_found():
    for values, target, higher in ((STEP_UP, 18, True), (STEP_UP, 12, False), (STEP_UP, None, None),
                                   ([9, 11] * 6 + [19, 21] * 6, 22, True)):
        series = monthly(values)
        j = judge(series, target, higher)
        assert same_chart(j.chart, spc.xmr(series, target=target, higher_is_better=higher, rebase_at=[j.start]))
        assert same_chart(j.whole, spc.xmr(series, target=target, higher_is_better=higher))


def test_a_step_down_is_a_concern_or_an_improvement_by_polarity():
    # 11, 9 … then 5, 3 …: mean (120 + 32) / 20 = 7.6; the last eight are below it.
    values = [11, 9] * 6 + [5, 3] * 4
    assert (judge(monthly(values), 8, True).variation, judge(monthly(values), 8, True).side) == ("concern", "low")
    down = judge(monthly(values), 8, False)
    assert (down.start, down.variation, down.side) == (12, "improvement", "low")
    neither = judge(monthly(values), 8, None)
    # No better direction: the change is still found and reported, as neutral; no assurance, no status.
    assert (neither.start, neither.variation, neither.assurance, neither.status) == (12, "neutral", None, None)


def test_after_twelve_points_the_new_process_judges_variation_itself():
    # 9, 11 … then 19, 21 … (12 each): whole mean 15, a shift of 12 from March 2026. With 12 points
    # the new process (mean 20, limits 20 ± 5.32) is judged alone: no special cause in it.
    j = judge(monthly([9, 11] * 6 + [19, 21] * 6), 22, True)
    assert (j.start, j.n_points) == (12, 12)
    assert j.whole.variation == "improvement"
    assert (j.variation, j.side) == ("common_cause", None)
    assert (j.assurance, j.status) == ("hit_or_miss", None)
    # A target above 25.32 cannot be met by the new process; one below 14.68 always is.
    assert judge(monthly([9, 11] * 6 + [19, 21] * 6), 26, True).assurance == "fail"
    assert judge(monthly([9, 11] * 6 + [19, 21] * 6), 14, True).assurance == "pass"


def test_a_second_change_moves_the_start_to_the_latest_run():
    # Levels 10, 20 and 30 (9/11, 19/21, 29/31): 12, 12 and 7 months from March 2024 (31 months,
    # too few for a seasonality check). Whole range: mean 569 / 31 = 18.35, so a run of 19 above it
    # from position 12. The process from there: mean 449 / 19 = 23.6, so its last 7 are a shift
    # above it, with 12 before: start 24. From 24 there are 7 points, too few to look further.
    values = [9, 11] * 6 + [19, 21] * 6 + [29, 31] * 3 + [29]
    j = judge(monthly(values, "2024-03-01"), 32, True)
    assert (j.start, j.found_on, j.found_by, j.run_length, j.n_points) == (24, 12, "shift", 7, 7)
    assert j.status == "Process changed in Mar 2026, assurance after 5 more months"
    # Variation comes from the chart in which the change was found: the process from position 12.
    assert (j.variation, j.side) == spc.latest_variation(np.array(values[12:], dtype=float), True)
    assert j.variation == "improvement"
    assert same_chart(j.chart, spc.xmr(monthly(values, "2024-03-01"), target=32, rebase_at=[24]))
    assert j.seasonality.checked is False


def test_a_trend_starts_the_process_at_its_first_value():
    # 11, 9 … (mean 10) then 10 … 15: from the last 9 (position 11), seven values each higher than
    # the one before, a trend reaching the latest point. Whole mean 195 / 18 = 10.83, so only the
    # last five are above it: no shift. The trend starts at position 11, with 11 points before it.
    values = [11, 9] * 6 + [10, 11, 12, 13, 14, 15]
    j = judge(monthly(values, "2025-04-01"), 16, True)
    assert (j.start, j.found_by, j.run_length, j.n_points) == (11, "trend", 7, 7)
    assert j.start_period == pd.Timestamp("2026-03-01")
    assert (j.variation, j.side) == ("improvement", "high")
    assert j.status == "Process changed in Mar 2026, assurance after 5 more months"
    assert j.note == "Limits recalculated automatically from Mar 2026, where a run of 7 rising months began."


def test_never_within_the_first_points():
    # Six low points, then fourteen high: the run reaching the latest point has only six before it,
    # too few to have been a process of its own (a shift needs seven). With seven before, it counts.
    six = judge(monthly([9, 11, 9, 11, 9, 11] + [19, 21] * 7), 25, True)
    assert (six.start, six.rebase, six.found_by) == (0, "none", None)
    seven = judge(monthly([9, 11, 9, 11, 9, 11, 9] + [19, 21] * 7), 25, True)
    assert (seven.start, seven.rebase, seven.found_by, seven.run_length) == (7, "automatic", "shift", 14)


def test_noise_and_single_points_do_not_rebase():
    # One point far above the limits is special cause, but not a sustained change.
    outlier = judge(monthly([9, 11] * 6 + [30]), 20, True)
    assert (outlier.start, outlier.rebase, outlier.variation) == (0, "none", "improvement")
    # Six in a row above the mean is not a shift.
    six_high = judge(monthly([10, 9, 8, 9, 8, 9, 8, 11, 12, 11, 12, 11, 12]), 12, True)
    assert six_high.start == 0
    # Steady alternation: nothing at all.
    assert judge(monthly([9, 11] * 10), 12, True).rebase == "none"
    # Too few points for any chart to judge.
    assert judge(monthly([1, 2, 3, 4, 5, 6, 7]), 8, True).start == 0


def test_a_gap_is_never_bridged():
    # 9, 11 … then 19, 21, 19, a missing month, then six above: the gap ends the run, so the run
    # reaching the latest point is six long: no shift, no rebase.
    before_gap = [9, 11] * 6 + [19, 21, 19, None]
    six = judge(monthly(before_gap + [21, 19, 21, 19, 21, 19]), 25, True)
    assert six.start == 0
    # Seven after the gap: a shift that starts at the first month after it (position 16).
    seven = judge(monthly(before_gap + [21, 19, 21, 19, 21, 19, 21]), 25, True)
    assert (seven.start, seven.run_length, seven.n_points) == (16, 7, 7)
    assert seven.status == "Process changed in Jul 2026, assurance after 5 more months"


def test_a_trailing_missing_month_judges_the_last_value_seen():
    j = judge(monthly(STEP_UP + [None]), 18, True)
    assert (j.start, j.n_points, j.variation) == (12, 8, "improvement")
    assert j.latest == (pd.Timestamp("2026-10-01"), 17.0)


# --------------------------------------------------------------------------- overriding the rebase


def test_override_off_keeps_the_whole_range():
    j = judge(monthly(STEP_UP), 18, True, "off")
    assert (j.start, j.rebase, j.rebase_at, j.found_by) == (0, "off", (), None)
    assert same_chart(j.chart, spc.xmr(monthly(STEP_UP), target=18))
    assert j.whole is j.chart
    assert j.note == "Limits are not recalculated automatically for this KPI (switched off)."
    # The whole range: mean 12.4, limits 12.4 ± 5.6 (6.8 to 18.0); 18 is on the limit: hit or miss.
    assert (j.variation, j.assurance, j.status) == ("improvement", "hit_or_miss", None)


def test_override_at_a_position_or_a_period():
    series = monthly(STEP_UP)
    at_five = judge(series, 18, True, 5)
    assert (at_five.start, at_five.rebase, at_five.n_points) == (5, "manual", 15)
    assert same_chart(at_five.chart, spc.xmr(series, target=18, rebase_at=[5]))
    assert at_five.note == "Limits recalculated from Aug 2025, as chosen."
    # A date rebases at the first period on or after it; a month in the URL reads as its first day.
    assert judge(series, 18, True, pd.Timestamp("2026-01-15")).start == 11
    assert judge(series, 18, True, date(2026, 3, 1)).start == 12
    chosen = judge(series, 18, True, "2026-03")
    assert (chosen.start, chosen.rebase) == (12, "manual")
    # Fewer than 12 points since a chosen rebase: the status says it was chosen, and variation is the
    # whole range's.
    assert chosen.status == "Process rebased at Mar 2026, assurance after 4 more months"
    assert chosen.variation == "improvement"
    # A rebase at the first period or after the last splits nothing.
    for nothing in (0, 20, 99, "2030-01-01", "2020-01-01"):
        assert judge(series, 18, True, nothing).rebase == "none", nothing
    assert judge(series, 18, True, "auto").rebase == "automatic"


def test_bad_overrides_are_refused():
    with pytest.raises(ValueError, match="cannot be negative"):
        judge(monthly(STEP_UP), 18, True, -1)
    with pytest.raises(ValueError, match="not True"):
        judge(monthly(STEP_UP), 18, True, True)
    with pytest.raises(ValueError, match="not 'soon'"):
        judge(monthly(STEP_UP), 18, True, "soon")
    with pytest.raises(ValueError, match="periods that are dates"):
        judge(pd.Series([1.0, 2.0]), 1, True, "2026-03")
    with pytest.raises(ValueError, match="higher_is_better"):
        judge(monthly(STEP_UP), 18, "up")


def test_parse_override_as_held_in_a_url():
    assert parse_override(None) is None
    assert parse_override("") is None
    assert parse_override("auto") is None
    assert parse_override("OFF") == "off"
    assert parse_override("2026-03") == pd.Timestamp("2026-03-01")
    assert parse_override("soon") is None


# --------------------------------------------------------------------------- assurance on the current process


def test_latest_value_beyond_the_target_withholds_an_icon_that_says_otherwise():
    # 9, 11 … then 25: mean 145 / 13 = 11.15; the one range of 14 is screened out (above 3.267 × 3),
    # so mR̄ = 2 and the upper limit is 16.47. A target of 20 is above it (cannot be met), yet the
    # latest value, 25, meets it: the row would contradict itself, so no icon, a status instead.
    j = judge(monthly([9, 11] * 6 + [25]), 20, True)
    assert j.chart.assurance == "fail"
    assert (j.assurance, j.status) == (None, "Latest value meets the target, beyond the usual range: too soon to judge")
    # And the mirror image: 9, 11 … then −3: mean 9, lower limit 3.68, target 3 always met, yet the
    # latest value misses it.
    k = judge(monthly([9, 11] * 6 + [-3]), 3, True)
    assert k.chart.assurance == "pass"
    assert (k.assurance, k.status) == (None, "Latest value misses the target, beyond the usual range: too soon to judge")


def test_no_target_or_no_polarity_has_no_assurance_and_no_status():
    for target, higher in ((None, True), (18, None)):
        j = judge(monthly(STEP_UP), target, higher)
        assert (j.assurance, j.status) == (None, None)


def test_short_series_and_empty_ones():
    short = judge(monthly([1, 2, 3, 2, 1]), 2, True)
    assert (short.variation, short.assurance, short.status, short.start, short.n_points) == (None, None, None, 0, 5)
    assert short.chart.warning.startswith("Only 5 points")
    empty = judge(pd.Series([], dtype=float, index=pd.DatetimeIndex([])), 2, True)
    assert (empty.variation, empty.assurance, empty.latest) == (None, None, (None, None))
    assert project(empty) is None
    missing = judge(monthly([None, None, None]), 2, True)
    assert (missing.variation, missing.n_points) == (None, 0)


# --------------------------------------------------------------------------- seasonality

# A pattern that repeats every year, January first: it sums to zero.
PATTERN = [3, 2, 1, 0, -1, -2, -3, -2, -1, 0, 1, 2]


def noise(n: int) -> list[float]:
    """Deterministic noise that does not repeat every 12 months: ((7t mod 11) − 5) / 10."""
    return [((7 * t) % 11 - 5) / 10 for t in range(n)]


def test_a_pure_season_is_found_exactly_and_removed():
    # 50 plus the pattern for three years from January 2024. The centred 12-month average of a
    # pattern that repeats and sums to zero is exactly 50, so each month's effect is the pattern
    # itself and the values judged are all 50: no special cause.
    values = [50 + PATTERN[t % 12] for t in range(36)]
    series = monthly(values, "2024-01-01")
    season = seasonality.seasonality(series)
    assert (season.checked, season.seasonal, season.months) == (True, True, 36)
    assert season.effects == tuple(float(p) for p in PATTERN)
    assert (season.f, season.p) == (math.inf, 0.0)
    assert season.sentence == ("Judged after removing the usual month-to-month pattern, estimated from 3 years "
                               "(Jan 2024 to Dec 2026).")
    j = judge(series, 49, True)
    assert j.judged.tolist() == [50.0] * 36
    assert j.chart.points["special_cause"].isna().all()
    assert (j.variation, j.start) == ("common_cause", 0)
    # Judged as they are, the same figures are special cause at every peak and trough of the season.
    raw = spc.xmr(series)
    assert raw.points["special_cause"].notna().sum() > 0


def test_reported_points_put_the_season_back():
    # The chart is of the judged values (all 50); as reported, January is 53 and its centre and
    # limits (all 50, the limits collapsed) move up by January's effect, 3.
    series = monthly([50 + PATTERN[t % 12] for t in range(36)], "2024-01-01")
    points = judge(series, 49, True).reported_points()
    assert points["value"].tolist() == series.tolist()
    assert points["seasonal_effect"].tolist() == [float(PATTERN[t % 12]) for t in range(36)]
    assert points["mean"].tolist() == points["upper"].tolist() == series.tolist()
    # Not seasonal: the chart's own rows, with a zero effect.
    plain = judge(monthly(STEP_UP), 18, True)
    rows = plain.reported_points()
    pd.testing.assert_frame_equal(rows.drop(columns="seasonal_effect"), plain.chart.points)
    assert (rows["seasonal_effect"] == 0).all()


def test_seasonal_assurance_asks_the_weakest_and_strongest_month():
    # Judged values all 50, so the limits collapse to 50; with the season a month runs from 47
    # (July) to 53 (January). A target of 49 is met in some months and missed in others.
    series = monthly([50 + PATTERN[t % 12] for t in range(36)], "2024-01-01")
    assert judge(series, 49, True).assurance == "hit_or_miss"
    assert judge(series, 46, True).assurance == "pass"
    # The latest month (December, 52) misses a target of 54: "fail", and the row agrees.
    assert judge(series, 54, True).assurance == "fail"


def test_a_noisy_season_with_a_real_step_on_top():
    # The pattern plus noise for three years from January 2024, and 4 more from May 2026 (position
    # 28): the season is found, and once it is removed the step is the only special cause.
    values = [50 + PATTERN[t % 12] + e + (4 if t >= 28 else 0) for t, e in enumerate(noise(36))]
    series = monthly(values, "2024-01-01")
    j = judge(series, 58, True)
    assert j.seasonality.seasonal
    assert j.seasonality.p < seasonality.SEASON_ALPHA
    assert np.abs(np.array(j.seasonality.effects) - PATTERN).max() < 1.2
    assert (j.start, j.found_by, j.n_points) == (28, "shift", 8)
    assert j.status == "Process changed in May 2026, assurance after 4 more months"
    assert (j.variation, j.side) == ("improvement", "high")
    # Without the step: the season is found and nothing is special cause any more.
    steady = judge(monthly([50 + PATTERN[t % 12] + e for t, e in enumerate(noise(36))], "2024-01-01"), 55, True)
    assert steady.seasonality.seasonal and steady.rebase == "none"
    assert steady.chart.points["special_cause"].isna().all()
    assert spc.xmr(monthly([50 + PATTERN[t % 12] + e for t, e in enumerate(noise(36))], "2024-01-01")
                   ).points["special_cause"].notna().any()


def test_steps_trends_and_noise_are_not_taken_for_a_season():
    n = 36
    for values in ([50 + e for e in noise(n)],
                   [50 + e + (6 if t >= 18 else 0) for t, e in enumerate(noise(n))],
                   [50 + e + 0.3 * t for t, e in enumerate(noise(n))]):
        season = seasonality.seasonality(monthly(values, "2024-01-01"))
        assert (season.checked, season.seasonal, season.effects) == (True, False, (0.0,) * 12)
    season = seasonality.seasonality(monthly([50 + e for e in noise(n)], "2024-01-01"))
    assert season.sentence == ("Checked for a usual month-to-month pattern over 3 years (Jan 2024 to Dec 2026): none "
                               "stands out from the noise, so the figures are judged as they are.")


def test_seasonality_needs_enough_months():
    # 31 months leave 19 centred values: only 7 calendar months seen twice (8 are needed). 32 do.
    values = [50 + PATTERN[t % 12] + e for t, e in enumerate(noise(40))]
    short = seasonality.seasonality(monthly(values[:31], "2024-01-01"))
    assert (short.checked, short.seasonal) == (False, False)
    assert short.sentence == ("Seasonality could not be checked: that needs about 32 months of figures without gaps, "
                              "and there are 31.")
    enough = seasonality.seasonality(monthly(values[:32], "2024-01-01"))
    assert enough.checked and enough.seasonal
    assert enough.sentence.endswith("estimated from 32 months (Jan 2024 to Aug 2026).")
    # Leading and trailing missing months are not counted; a gap inside costs the centred values
    # whose 13-month window it falls in.
    padded = seasonality.seasonality(monthly([None] * 3 + values[:32] + [None], "2024-01-01"))
    assert (padded.checked, padded.months) == (True, 32)
    holed = values[:36]
    holed[18] = NaN
    assert seasonality.seasonality(monthly(holed, "2024-01-01")).checked is False


def test_only_monthly_figures_are_checked_for_seasonality():
    quarters = pd.Series([1.0] * 16, index=pd.date_range("2022-01-01", periods=16, freq="QS"))
    assert seasonality.seasonality(quarters).sentence == ("Seasonality could not be checked: only monthly figures are "
                                                      "checked for it.")
    assert seasonality.seasonality(pd.Series([1.0] * 40)).checked is False


def test_f_test_against_worked_values():
    # Months as groups [1, 3] and [5, 7]: grand mean 4; between = 2 × 2² + 2 × 2² = 16 on 1 degree
    # of freedom; within = 1 + 1 + 1 + 1 = 4 on 2, so F = 16 / 2 = 8. F(1, 2) is the square of
    # Student's t with 2 degrees of freedom: P(F > 8) = 1 − √(8 / 10).
    f, p = seasonality._anova([np.array([1.0, 3.0]), np.array([5.0, 7.0])])
    assert f == 8.0
    assert p == approx(1 - math.sqrt(0.8), abs=1e-14)
    # The 1% critical value of F(11, 12) is 4.21982: exactly 1% beyond it.
    assert seasonality.f_survival(4.21981999839895, 11, 12) == approx(0.01, abs=1e-14)
    assert seasonality.f_survival(0.0, 11, 12) == 1.0


# --------------------------------------------------------------------------- year-end projection


def test_projection_uses_the_current_process():
    # 49, 51 … (mean 50) for 22 months from May 2024, then 55, 57 … from March 2026 (8 months; 30 in
    # all, too few for a seasonality check). Whole mean (1100 + 448) / 30 = 51.6: the last 8 are a
    # shift above it, so the current process starts in March 2026: mean 56, limits 56 ± 5.32,
    # σ = 10.64 / 6.
    # Financial year 2026/27 so far (April to October): 57, 55, 57, 55, 57, 55, 57 = 393 over 7.
    # The remaining 5 months (November to March) at 56: 280. Year: 673 / 12 = 56.083.
    # At worst and best: ± 3σ√5 / 12 = 0.9914. Target 55: even at worst the year meets it.
    series = monthly([49, 51] * 11 + [55, 57] * 4, "2024-05-01")
    j = judge(series, 55, True)
    assert j.start_period == pd.Timestamp("2026-03-01")
    outlook = project(j)
    sigma = 2 * 2.66 * 2 / 6
    spread = 3 * sigma * math.sqrt(5) / 12
    assert outlook == Projection("on track", date(2027, 3, 31), approx(673 / 12), approx(673 / 12 - spread),
                                 approx(673 / 12 + spread), 5, outlook.reasoning)
    assert outlook.reasoning == (
        "Financial year 2026/27 so far: 7 months averaging 56.1.",
        "The current process (since Mar 2026, 8 months) averages 56; a single month normally falls between 50.7 "
        "and 61.3.",
        "If the remaining 5 months to 31 March 2027 follow it the year averages about 56.1: 55.1 at worst, 57.1 at "
        "best.",
        "Target 55 or more: even at worst the year meets it, so on track.",
    )
    # Off, the same figures are one process with a mean of 51.6, pulled down by the months before the
    # change: (393 + 5 × 51.6) / 12 = 54.25, and even with mR̄ = 60 / 29 the best case only just
    # reaches 55: at risk.
    off = project(judge(series, 55, True, "off"))
    assert (off.status, off.expected) == ("at risk", approx(54.25))


def test_projection_with_a_season_adds_each_months_effect():
    # Judged values all 50, latest December 2026: the financial year 2026/27 so far is April to
    # December (0 − 1 − 2 − 3 − 2 − 1 + 0 + 1 + 2 = −6 around 50: 444 over 9); January to March ahead
    # at 50 + 3, 50 + 2, 50 + 1 = 156. The year: 600 / 12 = 50 exactly, no spread (limits collapse).
    series = monthly([50 + PATTERN[t % 12] for t in range(36)], "2024-01-01")
    outlook = project(judge(series, 50, True))
    assert (outlook.expected, outlook.worst, outlook.best, outlook.remaining, outlook.status) == (
        50.0, 50.0, 50.0, 3, "on track")
    assert outlook.reasoning[1] == ("The current process (all 36 months) averages 50 once the season is allowed "
                                    "for; a single month normally falls between 50 and 50, give or take its usual "
                                    "seasonal difference.")
    assert outlook.reasoning[2].startswith("If the remaining 3 months to 31 March 2027 follow it, each with its "
                                           "usual seasonal difference, the year averages about 50")


def test_no_projection_without_a_target_a_polarity_or_dates():
    assert project(judge(monthly(STEP_UP), None, True)) is None
    assert project(judge(monthly(STEP_UP), 18, None)) is None
    assert project(judge(pd.Series([1.0, 2.0, 3.0]), 2, True)) is None


def test_projection_of_a_complete_year_and_lower_is_better():
    # March 2026 is the last month of the financial year 2025/26: nothing remains.
    series = monthly([9, 11] * 6 + [10], "2025-03-01")
    outlook = project(judge(series, 10.5, False), fmt=lambda v: f"{v:.2f}")
    # April 2025 to March 2026: six 11s, five 9s and the 10 = 121 over 12.
    assert outlook.remaining == 0
    assert outlook.expected == approx(121 / 12)
    assert outlook.status == "on track"  # 10.08 on average, at or below 10.5
    assert outlook.reasoning[-2:] == ("The year is complete: it averaged 10.08.",
                                      "Target 10.50 or less: even at worst the year meets it, so on track.")


# --------------------------------------------------------------------------- rows that agree with themselves


def test_contradictions_names_each_kind():
    steady = judge(monthly([9, 11] * 6), 20, True)  # limits 4.68 to 15.32: 20 cannot be met
    outlook = project(steady)
    assert (steady.assurance, outlook.status) == ("fail", "will miss")
    assert contradictions(steady, outlook) == ()
    assert contradictions(steady, replace(outlook, status="on track")) == (
        "assurance says the target cannot be met, but the year end is on track",)
    assert contradictions(replace(steady, assurance="pass"), outlook) == (
        "assurance says the target is always met, but the year end will miss it",
        "the latest value misses the target, but assurance says it is always met")
    assert contradictions(replace(steady, target=10.5), None) == (
        "the latest value meets the target, but assurance says it cannot be met",)
    assert contradictions(replace(steady, status="Process changed in Mar 2026, assurance after 4 more months")) == (
        "an assurance icon and a status instead of one",)
    changed = judge(monthly(STEP_UP), 18, True)
    assert contradictions(replace(changed, variation="common_cause")) == (
        "the process changed, but variation shows no significant change",)
    assert contradictions(replace(changed, assurance="hit_or_miss", status=None)) == (
        "assurance from fewer than 12 points",)


SCALES = {"%": (0.5, 0.02), "£": (2.0, 0.1), "days": (5.0, 0.3), "score": (0.3, 0.05), "": (100.0, 5.0)}


def crafted(n: int = 36) -> dict[str, np.ndarray]:
    """Standardised shapes of a KPI's history: noise 1, changes of a few standard deviations."""
    t = np.arange(n)
    e = np.random.default_rng(20261202).normal(0, 1, n)
    season = np.array(PATTERN, dtype=float)[(t + 10) % 12] / 1.5
    gaps, gaps_step = e.copy(), e + 4 * (t >= 26)
    gaps[[5, 17, 30]] = NaN
    gaps_step[[27, 35]] = NaN
    shapes = {"steady": e, "trending up": e + 0.3 * t, "trending down": e - 0.3 * t,
              "rising fast": 0.2 * e + 0.5 * t, "ramp then level": e + 0.4 * np.minimum(t, 20),
              "seasonal": 0.5 * e + season, "seasonal with a step": 0.5 * e + season + 4 * (t >= 28),
              "short": e[:8], "eleven": e[:11], "gaps": gaps, "gaps and a step": gaps_step,
              "two steps": e + 4 * (t >= 12) + 4 * (t >= 27), "outlier up": np.r_[e[:-1], 6.0],
              "outlier down": np.r_[e[:-1], -6.0], "three high": np.r_[e[:-3], 4.0, 5.0, 6.0]}
    for at in (12, 24, 30, 33):
        shapes[f"stepped up at {at}"] = e + 4 * (t >= at)
        shapes[f"stepped down at {at}"] = e - 4 * (t >= at)
    return shapes


def built_in():
    from pulse.metrics.kpis import BUILT_IN

    return BUILT_IN


@pytest.mark.parametrize("kpi", built_in(), ids=lambda kpi: kpi.id)
def test_no_built_in_kpi_row_contradicts_itself_on_crafted_series(kpi):
    base, sd = SCALES[kpi.unit]
    shapes = crafted()
    checked = 0
    for name, shape in shapes.items():
        values = base + sd * shape
        series = pd.Series(values, index=pd.date_range("2023-11-01", periods=len(values), freq="MS"))
        for higher in (kpi.higher_is_better, not kpi.higher_is_better, None):
            # Targets near and far from the latest level, and either side of the first level.
            latest, first = np.nanmean(values[-6:]), np.nanmean(values[:6])
            for target in [latest + k * sd for k in (-4, -1, 0, 1, 4)] + [first - 2 * sd, first + 2 * sd]:
                j = judge(series, target, higher)
                outlook = project(j, fmt=kpi.fmt)
                assert contradictions(j, outlook) == (), (name, higher, target)
                checked += 1
    assert checked == len(shapes) * 3 * 7


def test_no_kpi_row_contradicts_itself_on_the_demo(demo_db):
    from pulse import db
    from pulse.filters import Filters
    from pulse.metrics import kpis

    params = {**Filters().params(), "baseline_from": date(2023, 11, 1), "baseline_to": date(2024, 10, 31)}
    catalogue = kpis.catalogue(db.run("kpis_by_id", {}, path=demo_db))
    results = kpis.evaluate_all(catalogue, lambda name: db.run(name, with_loaded_costs(name, params, demo_db),
                                                               path=demo_db),
                                db.run("kpi_values_by_period", params, path=demo_db))
    assert len(results) == 12 and all(r.ok for r in results)
    outlooks = {}
    for result in results:
        j = judge(result.series, result.kpi.target, result.kpi.higher_is_better)
        outlooks[result.kpi.id] = project(j, fmt=result.kpi.fmt)
        assert contradictions(j, outlooks[result.kpi.id]) == (), result.kpi.id
    # Every demo KPI has a target, so the year end counts all twelve, as the verdicts do.
    said = kpi_words.summary(results, outlooks)
    counted = [int(n) for n in re.findall(r"(\d+) (?:is|are|show|has|have|cannot|will)", str(said))]
    assert said.startswith("Of 12 KPIs, ") and sum(counted) == 24, said
    # The closure KPIs start at their first complete month, not the data's first.
    by_id = {r.kpi.id: r for r in results}
    for kpi_id in ("resolved_within_target", "median_days_to_resolve", "completion_rate"):
        assert by_id[kpi_id].series.index[0] > by_id["digital_takeup"].series.index[0], kpi_id


# --------------------------------------------------------------------------- the sentence above the matrix


def test_the_sentence_above_the_matrix_counts_each_verdict():
    # STEP_UP's year 2026/27: 113 over 7 months so far, 5 more at 16 → 16.08 ± 0.99: a target of 15
    # is met even at worst when higher is better, missed even at best when lower is.
    def result(values, target, higher):
        kpi = Kpi(f"k{target}{higher}", "A KPI", "Online", "count", {True: "higher", False: "lower"}.get(higher),
                  target, "kpi_k_by_month")
        return kpis.evaluate(kpi, pd.DataFrame({"period": monthly(values).index, "value": values,
                                                "numerator": values, "denominator": 1000}))

    rows = [result(STEP_UP, 15, True), result(STEP_UP, 15, False), result(STEP_UP, None, None),
            result([9, 11] * 6, 20, True), result([9, 11, 10], 9, True)]
    outlooks = {r.kpi.id: kpis.projection(r) for r in rows}
    assert [r.chart.variation for r in rows] == ["improvement", "concern", "neutral", "common_cause", None]
    assert [o.status if o else None for o in outlooks.values()] == ["on track", "will miss", None, "will miss",
                                                                   "on track"]
    assert kpi_words.summary(rows, outlooks) == (
        "Of 5 KPIs, 1 is improving, 1 is getting worse, 1 has changed unusually, 1 shows no significant change "
        "and 1 cannot be judged yet. By 31 March 2 are on track and 2 will miss.")
    assert kpi_words.summary(rows[3:4], {}) == "Of 1 KPI, 1 shows no significant change."
    assert kpi_words.summary([], {}) == "There are no KPIs to judge."
