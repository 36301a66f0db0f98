"""Before and after an event: did a KPI's process change, or is the difference noise?

Pure: a KPI's published series in, numbers and a verdict out (the words are in pulse.pages.kpi_words).
Choices made here, tested in tests/test_kpis.py:

- The period containing the event starts "after". Up to 12 periods either side are compared,
  because a longer span lets any slow drift pass for a step.
- It is a signal when both (a) the after periods break the before periods' process, judged by its
  mean and limits (7 in a row on one side of the before mean, or a point beyond its limits), and
  (b) the two means differ by at least 3 standard errors (each side's spread from its own moving
  ranges), so one skewed run or one odd month is not taken for a change.
- When the KPI was already rising or falling before the event (a straight line through up to 24
  periods before it, with a slope of at least 1.5 standard errors), the after periods are judged
  against that trend carried on instead of the flat mean, so a steady rise is not credited to
  whatever happened in the middle of it.
- When the periods before were not steady (special cause even allowing for a trend), or are too
  few, the verdict is "unclear": a change cannot be put down to the event.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from pulse.metrics import spc
from pulse.metrics.kpis import Kpi, calendar, period_start

WINDOW = spc.MIN_POINTS  # periods either side of an event, as Making Data Count's baseline
MIN_BEFORE = 8  # fewer and the before mean and limits are too uncertain to judge a change against
MIN_AFTER = 3
SIGNAL_Z = 3.0
DRIFT_T = 1.5  # a trend before an event is allowed for when its slope is at least this many standard errors


@dataclass(frozen=True, eq=False)
class BeforeAfter:
    """A KPI either side of an event: each side's mean and limits, and whether the change is real."""

    verdict: str  # "signal", "noise" or "unclear"
    direction: str | None  # "improvement", "concern" or "neutral" when the level moved
    start: pd.Timestamp  # the first period counted as after
    chart: spc.XmrResult | None
    n_before: int = 0
    n_after: int = 0
    before_mean: float | None = None
    before_lower: float | None = None
    before_upper: float | None = None
    sigma: float | None = None  # the before process's spread of single values
    after_mean: float | None = None
    after_lower: float | None = None
    after_upper: float | None = None
    expected: float | None = None  # what the after periods would average with no change at the event
    drift: float | None = None  # change per period already under way before the event, when there was one
    longest_run: int = 0
    beyond_limits: int = 0
    z: float | None = None
    unstable: int = 0  # periods before that showed special cause

    @property
    def judged(self) -> bool:
        """Whether there were enough periods either side to compare at all."""
        return self.n_before >= MIN_BEFORE and self.n_after >= MIN_AFTER


def before_after(series: pd.Series, event_date: date, kpi: Kpi, window: int = WINDOW) -> BeforeAfter:
    """Compare up to `window` periods before an event with as many from it, limits rebased at it."""
    series = series.astype(float)
    start = period_start(pd.Series([pd.Timestamp(event_date)]), calendar(kpi)).iloc[0]
    history = series[series.index < start].dropna()
    before = history.tail(window)
    after = series[series.index >= start].dropna().head(window)
    first = before.index.min() if len(before) else start
    last = after.index.max() if len(after) else start - pd.Timedelta(days=1)
    shown = series[(series.index >= first) & (series.index <= last)]
    chart = (spc.xmr(shown, target=kpi.target, higher_is_better=kpi.higher_is_better,
                     rebase_at=[int((shown.index < start).sum())]) if len(shown) else None)
    if len(before) < MIN_BEFORE or len(after) < MIN_AFTER:
        return BeforeAfter("unclear", None, start, chart, n_before=len(before), n_after=len(after))

    position = pd.Series(np.arange(len(series), dtype=float), index=series.index)
    baseline = _baseline(history.tail(2 * window), position, window)
    x_after = position[after.index].to_numpy()
    expected_values = baseline.level(x_after)
    expected = float(expected_values.mean())
    values = after.to_numpy()
    after_mean = float(values.mean())
    after_fit = spc.xmr(values, higher_is_better=kpi.higher_is_better)
    run = max(_longest(values > expected_values), _longest(values < expected_values))
    beyond = int((np.abs(values - expected_values) > 3 * baseline.sigma).sum()) if baseline.sigma else 0
    spread = sigma(after_fit)
    spread = baseline.sigma if spread is None else spread
    error = math.sqrt(spread**2 / len(values) + baseline.error(x_after) ** 2)
    moved = after_mean - expected
    z = (moved / error) if error else (math.inf if moved else 0.0)
    direction = None
    if moved:
        direction = "neutral" if kpi.higher_is_better is None else (
            "improvement" if (moved > 0) == kpi.higher_is_better else "concern")
    if baseline.unstable:
        verdict = "unclear"
    elif (run >= spc.SHIFT_LENGTH or beyond > 0) and (not math.isfinite(z) or abs(z) >= SIGNAL_Z):
        verdict = "signal"
    else:
        verdict = "noise"
    return BeforeAfter(verdict, direction, start, chart, n_before=len(before), n_after=len(after),
                       before_mean=float(before.mean()), before_lower=baseline.mean - 3 * baseline.sigma,
                       before_upper=baseline.mean + 3 * baseline.sigma, sigma=baseline.sigma, after_mean=after_mean,
                       after_lower=after_fit.lower, after_upper=after_fit.upper, expected=expected,
                       drift=baseline.drift, longest_run=run, beyond_limits=beyond, z=z, unstable=baseline.unstable)


@dataclass(frozen=True)
class _Baseline:
    """What the periods before an event say to expect after it: a level, or a trend carried on."""

    mean: float
    sigma: float
    drift: float | None
    intercept: float
    centre: float  # mean position of the periods the trend was fitted on
    spread: float  # Σ (position − centre)², for the uncertainty of the trend carried on
    n: int
    unstable: int

    def level(self, x: np.ndarray) -> np.ndarray:
        """The expected value at each position."""
        if self.drift is None:
            return np.full(len(x), self.mean)
        return self.intercept + self.drift * x

    def error(self, x: np.ndarray) -> float:
        """The standard error of the expected average over positions x."""
        if self.drift is None:
            return self.sigma / math.sqrt(self.n)
        return self.sigma * math.sqrt(1 / self.n + (x.mean() - self.centre) ** 2 / self.spread)


def _baseline(history: pd.Series, position: pd.Series, window: int) -> _Baseline:
    """The last `window` periods' level, or, when the longer history drifts clearly, its trend line."""
    recent = history.tail(window)
    flat = spc.xmr(recent.to_numpy())
    spread_of_values = sigma(flat) or 0.0
    x, y = position[history.index].to_numpy(), history.to_numpy()
    spread = float(((x - x.mean()) ** 2).sum())
    # Equal values have no trend: a line fitted through them across a gap leaves only rounding noise, which
    # would otherwise read as a drift with every point a special cause.
    if len(history) >= MIN_BEFORE and spread > 0 and np.ptp(y) > 0:
        slope, intercept = np.polyfit(x, y, 1)
        residual = spc.xmr(y - (intercept + slope * x))
        noise = sigma(residual) or 0.0
        # A drift is only allowed for when it is clear against the noise; a guessed one would hide real steps.
        if noise > 0 and abs(slope) / (noise / math.sqrt(spread)) >= DRIFT_T:
            unstable = int(residual.points["special_cause"].iloc[-len(recent):].notna().sum())
            return _Baseline(float(recent.mean()), noise, float(slope), float(intercept), float(x.mean()), spread,
                             len(history), unstable)
    unstable = int(flat.points["special_cause"].notna().sum())
    return _Baseline(float(recent.mean()), spread_of_values, None, float(recent.mean()), 0.0, 0.0, len(recent),
                     unstable)


def _longest(mask: np.ndarray) -> int:
    best = run = 0
    for on in mask:
        run = run + 1 if on else 0
        best = max(best, run)
    return best


def sigma(fit: spc.XmrResult) -> float | None:
    """The spread of single values, from the moving ranges: (upper − lower) ÷ 6."""
    if fit.lower is None or fit.upper is None:
        return None
    return (fit.upper - fit.lower) / 6
