"""XmR charts against worked examples whose answers are computed by hand in the comments."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from pulse.metrics.spc import (
    OUTSIDE,
    SHIFT,
    TREND,
    TWO_OF_THREE,
    XmrResult,
    format_number,
    summarise,
    xmr,
)

approx = pytest.approx

# Alternating 9, 11 (12 points): mean 10, every moving range 2, so mR̄ = 2 and the limits are
# 10 ± 2.66 × 2 = 10 ± 5.32 → 4.68 to 15.32. No point is near a limit, no run, no trend.
STEADY = [9, 11] * 6

# 14 points, mean 10 (first seven sum 60.5, last seven 79.5: 140 / 14 = 10).
# Runs: 7 strictly below (9, 8, 9, 9.5, 8, 9, 8) then 7 strictly above (11 … 12).
# Moving ranges: 1, 1, .5, 1.5, 1, 1, 3, 1, 1, .5, 1.5, 1, 1 → sum 15 over 13, mR̄ = 15/13;
# screen at 3.267 × 15/13 = 3.77, so 3 stays. Limits 10 ± 2.66 × 15/13 = 10 ± 3.0692
# (6.9308 to 13.0692); two-thirds of the way is 10 ± 2.0462 (7.954 to 12.046): 8 and 12 are
# not beyond it. Steps never rise or fall six times running. So only the shift rule fires.
SHIFTS = [9, 8, 9, 9.5, 8, 9, 8, 11, 12, 11, 10.5, 12, 11, 12]

# 14 points, mean 10: 10+12+8+12+8+8+10 = 68 and 8.5+9+9.5+10.5+11+11.5+12 = 72; 140 / 14.
# Positions 7-13 rise strictly six times running: a trend of exactly 7 values.
# Moving ranges: 2, 4, 4, 4, 0, 2, 1.5, .5, .5, 1, .5, .5, .5 → sum 21 over 13, mR̄ = 21/13;
# screen at 3.267 × 21/13 = 5.28, nothing dropped. Limits 10 ± 2.66 × 21/13 = 10 ± 4.2969
# (5.7031 to 14.2969); two-thirds is 10 ± 2.8646 (7.135 to 12.865): 8 and 12 are inside it.
# Below-centre runs are at most 3 long (8, 8 | 10 | 8.5, 9, 9.5), above at most 4.
TREND_UP = [10, 12, 8, 12, 8, 8, 10, 8.5, 9, 9.5, 10.5, 11, 11.5, 12]


def rules_at(result: XmrResult) -> dict[int, str]:
    """The rules text of every flagged row, by position."""
    rules = result.points["rules"].tolist()
    return {i: r for i, r in enumerate(rules) if r is not None}


def causes(result: XmrResult) -> list[str | None]:
    return result.points["special_cause"].tolist()


# --- centre, moving ranges, limits -----------------------------------------------------------


def test_small_series_mean_moving_ranges_and_limits():
    # 4, 6, 5, 7, 8: mean 30 / 5 = 6; moving ranges 2, 1, 2, 1 → mR̄ = 6 / 4 = 1.5
    # (screen at 3.267 × 1.5 = 4.90, none dropped); limits 6 ± 2.66 × 1.5 = 6 ± 3.99.
    result = xmr([4, 6, 5, 7, 8])
    points = result.points
    assert points["value"].tolist() == [4, 6, 5, 7, 8]
    assert math.isnan(points["moving_range"].iloc[0])
    assert points["moving_range"].iloc[1:].tolist() == [2, 1, 2, 1]
    assert result.mean == 6
    assert result.mr_bar == 1.5
    assert result.lower == approx(2.01)
    assert result.upper == approx(9.99)
    assert points["mean"].tolist() == [6] * 5
    assert points["lower"].tolist() == approx([2.01] * 5)
    assert points["upper"].tolist() == approx([9.99] * 5)
    assert not points["mr_excluded"].any()
    assert points["special_cause"].isna().all()
    assert list(points.columns[:6]) == ["value", "part", "mean", "lower", "upper", "moving_range"]


def test_screening_drops_an_outlying_moving_range_once_only():
    # 0,1,0,1,0,1,0,1,0 then 10, 110. Moving ranges: eight 1s, then 10, then 100.
    # Mean of all ten = 118 / 10 = 11.8; screen at 3.267 × 11.8 = 38.55: 100 is dropped.
    # mR̄ = (8 × 1 + 10) / 9 = 2. A second screen (3.267 × 2 = 6.53) would also drop the 10,
    # but the rule is to screen once, so it stays.
    # Centre = (4 × 1 + 10 + 110) / 11 = 124 / 11; limits 124/11 ± 2.66 × 2 = 124/11 ± 5.32.
    result = xmr([0, 1, 0, 1, 0, 1, 0, 1, 0, 10, 110])
    assert result.mr_bar == approx(2.0)
    assert result.mean == approx(124 / 11)
    assert result.lower == approx(124 / 11 - 5.32)
    assert result.upper == approx(124 / 11 + 5.32)
    assert result.points["mr_excluded"].tolist() == [False] * 10 + [True]
    # The dropped range is still reported, just not used for the limits.
    assert result.points["moving_range"].iloc[10] == 100


def test_screening_leaves_ordinary_ranges_alone():
    # 9, 11 … then 20: ranges are eleven 2s and one 9, mean 31 / 12 = 2.583;
    # screen at 3.267 × 2.583 = 8.44, so the 9 goes and mR̄ = 22 / 11 = 2.
    result = xmr(STEADY + [20])
    assert result.mr_bar == 2
    assert result.points["mr_excluded"].tolist() == [False] * 12 + [True]


# --- the four special-cause rules ------------------------------------------------------------


def test_outside_limits_alone():
    # Same series: centre 140 / 13 = 10.769, mR̄ = 2, limits 10.769 ± 5.32 → 5.449 to 16.089.
    # 20 is above the upper limit. The 11 before it is not beyond two-thirds
    # (10.769 + 3.547 = 14.316), 9 and 11 alternate about the centre, and no six steps rise.
    result = xmr(STEADY + [20])
    assert result.mean == approx(140 / 13)
    assert result.upper == approx(140 / 13 + 5.32)
    assert rules_at(result) == {12: OUTSIDE}
    assert causes(result)[12] == "improvement"
    assert result.variation == "improvement"
    assert result.side == "high"


def test_shift_alone_flags_every_point_of_both_runs():
    result = xmr(SHIFTS)
    assert result.mean == 10
    assert result.mr_bar == approx(15 / 13)
    assert result.lower == approx(10 - 2.66 * 15 / 13)
    assert result.upper == approx(10 + 2.66 * 15 / 13)
    assert rules_at(result) == {i: SHIFT for i in range(14)}
    # Higher is better: the run below is a concern, the run above an improvement.
    assert causes(result) == ["concern"] * 7 + ["improvement"] * 7
    assert result.variation == "improvement"


def test_six_in_a_row_is_not_a_shift():
    # 10, then six below (9, 8, 9, 8, 9, 8), six above (11, 12, 11, 12, 11, 12), then 10.
    # Sum 10 + 51 + 69 + 10 = 140, mean 10, so the end points sit on the centre.
    # Ranges: 1,1,1,1,1,1,3,1,1,1,1,1,2 → 16/13; limits 10 ± 3.274, two-thirds 10 ± 2.183.
    result = xmr([10, 9, 8, 9, 8, 9, 8, 11, 12, 11, 12, 11, 12, 10])
    assert result.mean == 10
    assert result.mr_bar == approx(16 / 13)
    assert rules_at(result) == {}
    assert result.variation == "common_cause"


def test_a_point_on_the_centre_ends_the_run():
    # SHIFTS with 9.5 and 10.5 replaced by 10, the mean: still 140 / 14 = 10. Each side now has
    # 3 points, one on the centre, then 3 points, so neither run reaches 7.
    # Ranges: 1,1,1,2,1,1,3,1,1,1,2,1,1 → 17/13; two-thirds 10 ± 2.319, so 8 and 12 are inside.
    values = [9, 8, 9, 10, 8, 9, 8, 11, 12, 11, 10, 12, 11, 12]
    result = xmr(values)
    assert result.mean == 10
    assert result.mr_bar == approx(17 / 13)
    assert rules_at(result) == {}


def test_trend_of_seven_values_alone():
    result = xmr(TREND_UP)
    assert result.mean == 10
    assert result.mr_bar == approx(21 / 13)
    assert result.upper == approx(10 + 2.66 * 21 / 13)
    assert rules_at(result) == {i: TREND for i in range(7, 14)}
    assert causes(result)[7:] == ["improvement"] * 7
    assert result.variation == "improvement"


def test_six_rising_values_are_not_a_trend():
    # TREND_UP with positions 7 and 8 swapped (9, 8.5): same sum, same mR̄ (1, .5, 1 replace
    # 1.5, .5, .5), but now the rise runs 8.5, 9.5, 10.5, 11, 11.5, 12: six values, five steps.
    values = [10, 12, 8, 12, 8, 8, 10, 9, 8.5, 9.5, 10.5, 11, 11.5, 12]
    result = xmr(values)
    assert result.mr_bar == approx(21 / 13)
    assert rules_at(result) == {}
    assert result.variation == "common_cause"


def test_an_equal_neighbour_breaks_a_trend():
    # 1..7 would be a trend of seven; repeating 4 makes two rises of 4 and 4 values.
    result = xmr([1, 2, 3, 4, 4, 5, 6, 7])
    assert all(TREND not in r for r in rules_at(result).values())
    assert xmr([1, 2, 3, 4, 5, 6, 7]).points["rules"].str.contains(TREND).all()


def test_falling_trend_is_a_concern_when_higher_is_better():
    result = xmr([20 - v for v in TREND_UP])
    assert rules_at(result) == {i: TREND for i in range(7, 14)}
    assert result.variation == "concern"
    assert result.side == "low"


def test_two_of_three_adjacent_near_the_limit():
    # 9, 11 × 6 then 15, 15: mean 150 / 14 = 10.714; ranges eleven 2s, a 4 and a 0 → 26 / 13 = 2
    # (screen 6.53, none dropped). Limits 10.714 ± 5.32 → 5.394 to 16.034, so 15 is inside;
    # two-thirds of the way up is 10.714 + 3.547 = 14.261, and 15 is beyond it.
    # The window 11, 15, 15 has two beyond: those two are flagged.
    result = xmr(STEADY + [15, 15])
    assert result.mean == approx(75 / 7)
    assert result.mr_bar == 2
    assert rules_at(result) == {12: TWO_OF_THREE, 13: TWO_OF_THREE}
    assert result.variation == "improvement"


def test_two_of_three_flags_only_the_points_beyond_two_thirds():
    # 9, 11 × 7 then 16, 10, 16: mean 182 / 17 = 10.706; ranges thirteen 2s, 5, 6, 6 → 43 / 16
    # = 2.6875 (screen 8.78, none dropped). Two-thirds up: 10.706 + 2/3 × 2.66 × 2.6875 = 15.472;
    # upper limit 10.706 + 7.149 = 17.855. Both 16s are beyond two-thirds but inside the limit;
    # the 10 between them is not, so it is not flagged.
    result = xmr([9, 11] * 7 + [16, 10, 16])
    assert result.mr_bar == approx(2.6875)
    assert result.upper == approx(182 / 17 + 2.66 * 2.6875)
    assert rules_at(result) == {14: TWO_OF_THREE, 16: TWO_OF_THREE}


def test_two_near_limits_on_opposite_sides_do_not_count():
    # 10 × 5, 11, 9, 11, 9, 11, 9, 10 then 13.5, 6.5, 10: mean 150 / 15 = 10.
    # Ranges: 0,0,0,0,1,2,2,2,2,2,1,3.5,7,3.5 → 26 / 14 = 1.857; screen 6.07 drops the 7:
    # mR̄ = 19 / 13 = 1.4615. Limits 10 ± 3.888 (both points inside); two-thirds 10 ± 2.592
    # → 7.408 and 12.592.
    # 13.5 is beyond the upper two-thirds and 6.5 beyond the lower, but they are near different
    # limits, so the rule does not fire.
    values = [10, 10, 10, 10, 10, 11, 9, 11, 9, 11, 9, 10, 13.5, 6.5, 10]
    result = xmr(values)
    assert result.mean == 10
    assert result.mr_bar == approx(19 / 13)
    assert rules_at(result) == {}


# --- improvement, concern, neutral -----------------------------------------------------------


def test_lower_is_better_flips_improvement_and_concern():
    rising = xmr(TREND_UP, higher_is_better=False)
    assert causes(rising)[7:] == ["concern"] * 7
    assert rising.variation == "concern"
    shifts = xmr(SHIFTS, higher_is_better=False)
    assert causes(shifts) == ["improvement"] * 7 + ["concern"] * 7
    above = xmr(STEADY + [20], higher_is_better=False)
    assert above.variation == "concern"


def test_no_polarity_makes_every_signal_neutral():
    result = xmr(SHIFTS, higher_is_better=None)
    assert causes(result) == ["neutral"] * 14
    assert result.variation == "neutral"
    assert result.side == "high"
    assert xmr(TREND_UP, higher_is_better=None).variation == "neutral"


def test_signals_on_both_sides_of_one_point_are_neutral():
    # 10, 11 × 3, 10, then 4, 5, 6, 7, 8, 9, 10: mean 122 / 14 = 8.714.
    # Ranges: 1 × 6, 6, 1 × 6 → 18 / 13 = 1.385; screen 4.52 drops the 6, so mR̄ = 12 / 12 = 1.
    # Limits 8.714 ± 2.66 → 6.054 to 11.374. 4, 5 and 6 are below the lower limit (a low signal)
    # and begin the rising trend 4 … 10 (a high signal): both sides, so neutral. 7 … 10 are
    # inside the limits and the run below the centre (4 … 8) is only 5 long, so they carry only
    # the rising trend: improvements.
    values = [10, 11, 10, 11, 10, 11, 10, 4, 5, 6, 7, 8, 9, 10]
    result = xmr(values)
    assert result.mean == approx(122 / 14)
    assert result.mr_bar == 1
    points = result.points
    for i in (7, 8, 9):
        assert points["side"].iloc[i] == "both"
        assert points["special_cause"].iloc[i] == "neutral"
        assert OUTSIDE in points["rules"].iloc[i] and TREND in points["rules"].iloc[i]
    assert causes(result)[10:] == ["improvement"] * 4
    # The first seven all sit above 8.714: a shift, an improvement when higher is better.
    assert causes(result)[:7] == ["improvement"] * 7


def test_rules_text_lists_every_rule_that_fired():
    # The series above: 4 is outside the lower limit, starts the trend, and 4, 5, 6 are all
    # beyond two-thirds of the way down (8.714 - 1.773 = 6.941).
    result = xmr([10, 11, 10, 11, 10, 11, 10, 4, 5, 6, 7, 8, 9, 10])
    assert result.points["rules"].iloc[7] == f"{OUTSIDE}; {TREND}; {TWO_OF_THREE}"


# --- assurance -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "higher_is_better", "expected"),
    [
        (16, True, "fail"),  # above the upper limit 15.32: the process cannot reach it
        (4, True, "pass"),  # below the lower limit 4.68: the process always beats it
        (10, True, "hit_or_miss"),
        (16, False, "pass"),  # lower is better: a target above the process is always beaten
        (4, False, "fail"),
        (0, True, "pass"),  # zero is a real target, not "no target"
        (0, False, "fail"),
        (None, True, None),
        (float("nan"), True, None),
        (10, None, None),  # no polarity: there is no good direction to pass in
    ],
)
def test_assurance(target, higher_is_better, expected):
    result = xmr(STEADY, target=target, higher_is_better=higher_is_better)
    assert result.lower == approx(4.68) and result.upper == approx(15.32)
    assert result.assurance == expected


def test_target_exactly_on_a_limit_is_hit_or_miss():
    limits = xmr(STEADY)
    assert xmr(STEADY, target=limits.upper).assurance == "hit_or_miss"
    assert xmr(STEADY, target=limits.lower).assurance == "hit_or_miss"
    assert xmr(STEADY, target=limits.lower, higher_is_better=False).assurance == "hit_or_miss"


def test_target_of_zero_within_the_limits():
    # -1, 1 alternating: mean 0, mR̄ 2, limits ±5.32, so a target of 0 is hit or miss.
    result = xmr([-1, 1] * 6, target=0)
    assert result.mean == 0
    assert result.target == 0
    assert result.assurance == "hit_or_miss"


# --- too few points, missing periods, rebasing, degenerate input -----------------------------


def test_fewer_than_twelve_points_draws_limits_but_gives_no_verdict():
    # 9, 11 × 4: mean 10, mR̄ 2, limits 4.68 to 15.32 as for 12 points.
    result = xmr([9, 11] * 4, target=20)
    assert result.lower == approx(4.68) and result.upper == approx(15.32)
    assert result.points["lower"].notna().all()
    assert result.variation is None
    assert result.assurance is None
    assert result.warning == "Only 8 points: at least 12 are needed before SPC can judge variation"
    assert result.n_points == 8


def test_twelve_points_is_enough():
    result = xmr(STEADY, target=10)
    assert result.warning is None
    assert result.variation == "common_cause"
    assert result.n_points == 12


def test_signals_still_show_on_short_series():
    # Per-point flags do not wait for 12 points; only the overall verdicts do.
    # 1 … 7: mean 4, mR̄ 1, limits 1.34 to 6.66; all seven rise (a trend), 7 is above the limit.
    result = xmr([1, 2, 3, 4, 5, 6, 7])
    assert causes(result)[-1] == "improvement"
    assert result.points["rules"].iloc[-1] == f"{OUTSIDE}; {TREND}; {TWO_OF_THREE}"
    assert result.variation is None


def test_missing_periods_stay_as_rows_and_break_moving_ranges():
    # 4, _, 6, 5, _, 7, 8: mean of the five values = 30 / 5 = 6. Only 6→5 and 7→8 are
    # neighbours, so the moving ranges are 1 and 1: mR̄ = 1, limits 6 ± 2.66 → 3.34 to 8.66.
    result = xmr([4, None, 6, 5, float("nan"), 7, 8])
    points = result.points
    assert len(points) == 7
    assert points["value"].isna().tolist() == [False, True, False, False, True, False, False]
    assert points["moving_range"].isna().tolist() == [True, True, True, False, True, True, False]
    assert result.mean == 6
    assert result.mr_bar == 1
    assert result.lower == approx(3.34) and result.upper == approx(8.66)
    assert points["special_cause"].iloc[1] is None and points["special_cause"].iloc[4] is None
    assert result.warning.startswith("Only 5 points:")


def test_a_missing_period_ends_a_shift():
    # SHIFTS with 10.5 (position 10) missing: the 13 values sum to 129.5, mean 9.9615.
    # Ranges lose 10.5's two neighbours: 1,1,.5,1.5,1,1,3,1,1,_,_,1,1 → 13 / 11 = 1.1818.
    # The seven below still shift; above, 11, 12, 11 | gap | 12, 11, 12 are two runs of 3.
    values: list[float | None] = list(SHIFTS)
    values[10] = None
    result = xmr(values)
    assert result.mean == approx(129.5 / 13)
    assert result.mr_bar == approx(13 / 11)
    assert rules_at(result) == {i: SHIFT for i in range(7)}
    assert result.n_points == 13
    assert result.variation == "common_cause"


def test_latest_missing_period_judges_the_last_value_seen():
    result = xmr(SHIFTS + [None])
    assert len(result.points) == 15
    assert result.variation == "improvement"


def test_rebase_gives_each_part_its_own_centre_and_limits():
    # 9, 11 × 6 (mean 10) then 19, 21 × 6 (mean 20). Unsplit, the step would be a shift.
    # Split at position 12, each part has mR̄ 2 (the jump 11 → 19 belongs to neither part),
    # limits 10 ± 5.32 and 20 ± 5.32, and no signal.
    values = STEADY + [19, 21] * 6
    assert xmr(values).points["rules"].notna().all()
    result = xmr(values, rebase_at=(12,), target=30)
    points = result.points
    assert points["part"].tolist() == [0] * 12 + [1] * 12
    assert points["mean"].tolist() == [10] * 12 + [20] * 12
    assert points["upper"].tolist() == approx([15.32] * 12 + [25.32] * 12)
    assert math.isnan(points["moving_range"].iloc[12])
    assert rules_at(result) == {}
    assert (result.mean, result.mr_bar) == (20, 2)
    assert result.upper == approx(25.32)
    assert result.variation == "common_cause"
    assert result.assurance == "fail"


def test_rules_run_within_each_part_only():
    # Seven rising values across a rebase at position 4 are two short rises, not a trend.
    result = xmr([1, 2, 3, 4, 5, 6, 7], rebase_at=[4])
    assert all(TREND not in r for r in rules_at(result).values())


def test_rebase_leaving_a_part_of_one_point():
    result = xmr(STEADY + [30], rebase_at=(12,), target=20)
    assert result.mean == 30
    assert result.lower is None and result.upper is None and result.mr_bar is None
    assert result.points["mean"].iloc[-1] == 30
    assert math.isnan(result.points["upper"].iloc[-1])
    assert result.variation is None and result.assurance is None
    assert result.warning == (
        "Only 1 point since the last rebase: at least 12 are needed before SPC can judge variation"
    )
    # The first part is untouched by the second.
    assert result.points["upper"].iloc[0] == approx(15.32)


def test_rebase_at_the_ends_splits_nothing():
    plain = xmr(STEADY)
    result = xmr(STEADY, rebase_at=(0, 12, 99))
    assert result.points["part"].eq(0).all()
    assert result.mean == plain.mean and result.upper == plain.upper


def test_all_values_equal():
    # 0.1 × 12: every range is 0, so mR̄ = 0 and both limits collapse onto the mean, exactly,
    # so no point is outside (a floating-point mean of 0.10000000000000002 would flag them all).
    result = xmr([0.1] * 12, target=0.1)
    assert result.mean == result.lower == result.upper == 0.1
    assert result.mr_bar == 0
    assert rules_at(result) == {}
    assert result.variation == "common_cause"
    assert result.assurance == "hit_or_miss"
    assert xmr([0.1] * 12, target=0.2).assurance == "fail"


def test_one_point():
    result = xmr([7])
    assert result.mean == 7
    assert result.lower is None and result.upper is None
    assert len(result.points) == 1
    assert result.warning == "Only 1 point: at least 12 are needed before SPC can judge variation"


def test_empty():
    result = xmr([])
    assert result.points.empty
    assert list(result.points.columns[:6]) == [
        "value",
        "part",
        "mean",
        "lower",
        "upper",
        "moving_range",
    ]
    assert result.mean is None and result.lower is None and result.upper is None
    assert result.variation is None and result.assurance is None
    assert result.warning == "No points: at least 12 are needed before SPC can judge variation"
    assert summarise(result).startswith("No points")


def test_all_missing():
    result = xmr([None, None, None])
    assert len(result.points) == 3
    assert result.mean is None
    assert result.warning.startswith("No points")


def test_series_keeps_its_index():
    periods = pd.period_range("2025-01", periods=12, freq="M")
    result = xmr(pd.Series(STEADY, index=periods))
    assert result.points.index.equals(periods)
    assert result.points["value"].tolist() == STEADY


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"higher_is_better": "yes"}, "higher_is_better"),
        ({"rebase_at": [-1]}, "negative"),
        ({"rebase_at": [2.5]}, "whole numbers"),
        ({"target": float("inf")}, "finite"),
    ],
)
def test_bad_arguments_are_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        xmr(STEADY, **kwargs)


def test_infinite_values_are_refused():
    with pytest.raises(ValueError, match="finite"):
        xmr([1, float("inf"), 2])


# --- summaries -------------------------------------------------------------------------------


def test_summary_improvement_hit_or_miss():
    # TREND_UP × 6: mean 60, limits 60 ± 6 × 4.2969, latest point in a rising trend.
    result = xmr([6 * v for v in TREND_UP], target=60)
    assert summarise(result) == (
        "Latest value shows special-cause improvement; the target of 60 is within the process "
        "limits, so it will be hit and missed at random."
    )


def test_summary_pass_and_fail():
    assert summarise(xmr(STEADY, target=4)) == (
        "Latest value shows common-cause variation only, so nothing has significantly changed; "
        "the target of 4 is below the lower process limit, so it will be met consistently."
    )
    assert summarise(xmr(STEADY, target=16.5)) == (
        "Latest value shows common-cause variation only, so nothing has significantly changed; "
        "the target of 16.5 is above the upper process limit, so it will not be met unless the "
        "process changes."
    )
    assert "below the lower process limit, so it will not be met" in summarise(
        xmr(STEADY, target=0, higher_is_better=False)
    )


def test_summary_other_cases():
    assert summarise(xmr(TREND_UP, higher_is_better=False)) == (
        "Latest value shows special-cause concern."
    )
    assert summarise(xmr(SHIFTS, higher_is_better=None)) == (
        "Latest value shows special-cause variation that is neither improvement nor concern."
    )
    assert summarise(xmr(SHIFTS, target=11, higher_is_better=None)).endswith(
        "the target of 11 cannot be judged because this measure has no better direction."
    )
    assert summarise(xmr([9, 11] * 4, target=20)) == (
        "Only 8 points: at least 12 are needed before SPC can judge variation, "
        "so there is no verdict yet."
    )


def test_summary_takes_a_unit_aware_formatter():
    # Rates held as fractions read as percentages when the page passes its own formatter.
    result = xmr([v / 100 for v in STEADY], target=0.1)
    assert "the target of 10% is within" in summarise(result, number=lambda v: f"{v:.0%}")


@pytest.mark.parametrize(
    ("value", "text"),
    [(60, "60"), (60.0, "60"), (0, "0"), (0.755, "0.755"), (75.5, "75.5"), (1234.5, "1,234"),
     (2_000_000, "2,000,000"), (-3.25, "-3.25"), (0.1, "0.1")],
)
def test_format_number(value, text):
    assert format_number(value) == text


# --- the latest point's verdict without the chart's table (for the current-process search) ----


@pytest.mark.parametrize("values", [
    STEADY, SHIFTS, TREND_UP, STEADY + [20], list(reversed(TREND_UP)), [9, 11] * 6 + [None, 30],
    [5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5], [1, 2, 3], [], [None, None],
])
@pytest.mark.parametrize("higher_is_better", [True, False, None])
def test_latest_variation_is_what_xmr_says(values, higher_is_better):
    from pulse.metrics.spc import latest_signals, latest_variation

    chart = xmr(values, higher_is_better=higher_is_better)
    assert latest_variation(values, higher_is_better) == (chart.variation, chart.side)
    centre, sides = latest_signals(values)
    assert centre == chart.mean
    observed = [i for i, v in enumerate(values) if v is not None]
    if observed:
        fired = chart.points["rules"].iloc[observed[-1]] or ""
        assert {rule for rule, side in sides.items() if side} == {r for r in fired.split("; ") if r}


def test_latest_signals_sides_by_rule():
    # SHIFTS ends in a run of seven above the mean: the shift rule flags the latest point high, and
    # nothing else does (as test_shift_alone_flags_every_point_of_both_runs works out).
    from pulse.metrics.spc import latest_signals

    assert latest_signals(SHIFTS) == (10.0, {OUTSIDE: None, SHIFT: "high", TREND: None, TWO_OF_THREE: None})
    # TREND_UP ends in seven rising values: the trend rule, high.
    assert latest_signals(TREND_UP)[1][TREND] == "high"
    # Floats in an array take the quick path and give the same answer as a list.
    import numpy as np

    assert latest_signals(np.array(SHIFTS, dtype=float)) == latest_signals(SHIFTS)
    with pytest.raises(ValueError, match="infinite"):
        latest_signals(np.array([1.0, np.inf]))
