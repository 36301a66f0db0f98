"""A KPI's year-end projection from its current process, the checks that its verdicts agree with
each other, and the tally of verdicts across KPIs (pulse.metrics.process judges; this reads)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from pulse.metrics import periods, spc
from pulse.metrics.process import Judgement

YEAR_END_MONTH = 3  # UK councils' financial year ends on 31 March


@dataclass(frozen=True)
class Projection:
    """Where the financial year will end if the current process carries on, and what that means."""

    status: str  # "on track", "at risk", "will miss"
    year_end: date
    expected: float
    worst: float
    best: float
    remaining: int
    reasoning: tuple[str, ...]
    # The figures the reasoning rests on, for a page to word with its own published figures.
    year_start: date | None = field(default=None, compare=False)
    so_far: int = field(default=0, compare=False)  # periods of this year with a value
    so_far_mean: float | None = field(default=None, compare=False)
    process_points: int = field(default=0, compare=False)  # values in the current process
    process_mean: float | None = field(default=None, compare=False)
    process_lower: float | None = field(default=None, compare=False)
    process_upper: float | None = field(default=None, compare=False)

    def meets(self, value: float, target: float, higher_is_better: bool) -> bool:
        """Whether a value meets the target."""
        return value >= target if higher_is_better else value <= target


def project(judgement: Judgement, *, fmt: Callable[[float], str] | None = None,
            year_end_month: int = YEAR_END_MONTH) -> Projection | None:
    """Project the financial year's average from the current process; None without a target."""
    target, higher = judgement.target, judgement.higher_is_better
    series = judgement.series.dropna()
    chart = judgement.chart
    if (target is None or higher is None or series.empty or chart.mean is None
            or not isinstance(series.index, pd.DatetimeIndex)):
        return None
    fmt = fmt or spc.format_number
    frequency = judgement.frequency or "monthly"
    latest = series.index[-1]
    end_year = latest.year + (1 if latest.month > year_end_month else 0)
    year_end = pd.Timestamp(end_year, year_end_month, 1) + pd.offsets.MonthEnd(0)
    year_start = (year_end - pd.DateOffset(years=1) + pd.Timedelta(days=1)).normalize()
    step = {"weekly": "W-MON", "quarterly": "QS", "monthly": "MS"}[frequency]
    future = pd.date_range(latest, year_end, freq=step)
    future = future[future > latest]
    remaining = len(future)
    so_far = series[series.index >= year_start]
    n = len(so_far)
    # The current process's level and spread, exactly as its chart draws them; a seasonal KPI's
    # remaining months sit at that level plus their month's usual effect.
    mean = chart.mean
    sigma = (chart.upper - chart.lower) / 6 if chart.upper is not None and chart.lower is not None else 0.0
    ahead = mean + judgement.seasonality.effect(future)
    expected = (float(so_far.sum()) + float(ahead.sum())) / (n + remaining)
    spread = 3 * sigma * math.sqrt(remaining) / (n + remaining) if remaining else 0.0
    low, high = expected - spread, expected + spread
    worst, best = (low, high) if higher else (high, low)

    def meets(value: float) -> bool:
        return value >= target if higher else value <= target

    status = "on track" if meets(worst) else "will miss" if not meets(best) else "at risk"
    unit = judgement.frequency
    fy = f"{year_start.year}/{str(year_end.year)[2:]}"
    reasoning = [f"Financial year {fy} so far: {n} {periods.unit(unit, n)} averaging {fmt(float(so_far.mean()))}."]
    if remaining:
        since = (f"since {periods.label(judgement.series.index, judgement.start)}, {judgement.n_points} "
                 f"{periods.unit(unit, judgement.n_points)}" if judgement.start
                 else f"all {judgement.n_points} {periods.unit(unit, judgement.n_points)}")
        seasonal = judgement.seasonality.seasonal
        reasoning += [
            f"The current process ({since}) averages {fmt(mean)}{' once the season is allowed for' * seasonal}; "
            f"a single {periods.unit(unit, 1)} normally falls between {fmt(chart.lower if chart.lower is not None else mean)}"
            f" and {fmt(chart.upper if chart.upper is not None else mean)}"
            f"{', give or take its usual seasonal difference' * seasonal}.",
            f"If the remaining {remaining} {periods.unit(unit, remaining)} to {year_end:%-d %B %Y} follow it"
            f"{', each with its usual seasonal difference,' if seasonal else ''} the year averages about "
            f"{fmt(expected)}: {fmt(worst)} at worst, {fmt(best)} at best.",
        ]
    else:
        reasoning.append(f"The year is complete: it averaged {fmt(expected)}.")
    better = "or more" if higher else "or less"
    verdict = {"on track": "even at worst the year meets it", "will miss": "even at best the year falls short",
               "at risk": "the year meets it only if the rest goes better than average" if not meets(expected)
               else "the year meets it on average, but not at worst"}[status]
    reasoning.append(f"Target {fmt(target)} {better}: {verdict}, so {status}.")
    return Projection(status, year_end.date(), float(expected), float(worst), float(best), remaining,
                      tuple(reasoning), year_start.date(), n, float(so_far.mean()) if n else None,
                      judgement.n_points, float(mean), chart.lower, chart.upper)


# --------------------------------------------------------------------------- a row that agrees with itself


def contradictions(judgement: Judgement, projection: Projection | None = None) -> tuple[str, ...]:
    """The ways a KPI row (latest value, variation, assurance, year end) would contradict itself."""
    found = []
    assurance, year = judgement.assurance, projection.status if projection else None
    if assurance == "fail" and year == "on track":
        found.append("assurance says the target cannot be met, but the year end is on track")
    if assurance == "pass" and year == "will miss":
        found.append("assurance says the target is always met, but the year end will miss it")
    _, latest = judgement.latest
    if latest is not None and judgement.target is not None and judgement.higher_is_better is not None:
        # Stricter than "comfortably beyond": any margin at all counts.
        meets = latest >= judgement.target if judgement.higher_is_better else latest <= judgement.target
        if assurance == "fail" and meets:
            found.append("the latest value meets the target, but assurance says it cannot be met")
        if assurance == "pass" and not meets:
            found.append("the latest value misses the target, but assurance says it is always met")
    if assurance is not None and judgement.status:
        found.append("an assurance icon and a status instead of one")
    if assurance is not None and judgement.n_points < spc.MIN_POINTS:
        found.append(f"assurance from fewer than {spc.MIN_POINTS} points")
    if judgement.rebase == "automatic" and judgement.n_points < spc.MIN_POINTS and judgement.variation in (
            None, "common_cause"):
        found.append("the process changed, but variation shows no significant change")
    return tuple(found)
