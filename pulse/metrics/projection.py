"""The year-end projection: where the financial year will end if the current process carries on.

It runs to the end of the financial year (31 March) containing the latest value: the year's
average of the values so far, plus the remaining periods at the current process's mean (its last
12 points); at worst and at best those periods average 3 standard errors worse or better. On track
when even the worst case meets the target, will miss when even the best case does not, at risk
between. The words are in pulse.pages.kpi_words.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import pandas as pd

from pulse.metrics import spc
from pulse.metrics.before_after import sigma
from pulse.metrics.kpis import KpiResult, calendar

YEAR_END_MONTH = 3  # UK councils' financial year ends on 31 March
WINDOW = spc.MIN_POINTS


@dataclass(frozen=True)
class Projection:
    """Where the financial year will end if the current process carries on, and what that means."""

    status: str  # "on track", "at risk", "will miss"
    year_start: date
    year_end: date
    so_far: int  # periods of this year with a value
    so_far_mean: float
    process_points: int  # the points the current process is judged on
    process_mean: float
    process_lower: float | None
    process_upper: float | None
    expected: float
    worst: float
    best: float
    remaining: int

    def meets(self, value: float, target: float, higher_is_better: bool) -> bool:
        """Whether a value meets the target."""
        return value >= target if higher_is_better else value <= target


def projection(result: KpiResult, year_end_month: int = YEAR_END_MONTH) -> Projection | None:
    """Project the financial year's average from the current process; None without a target."""
    kpi = result.kpi
    series = result.series.dropna()
    if kpi.target is None or kpi.higher_is_better is None or series.empty:
        return None
    latest = series.index[-1]
    end_year = latest.year + (1 if latest.month > year_end_month else 0)
    year_end = pd.Timestamp(end_year, year_end_month, 1) + pd.offsets.MonthEnd(0)
    year_start = (year_end - pd.DateOffset(years=1) + pd.Timedelta(days=1)).normalize()
    step = {"weekly": "W-MON", "quarterly": "QS", "monthly": "MS"}[calendar(kpi)]
    remaining = len(pd.date_range(latest, year_end, freq=step)) - 1
    so_far = series[series.index >= year_start]
    recent = series.tail(WINDOW)
    process = spc.xmr(recent.to_numpy(), higher_is_better=kpi.higher_is_better)
    spread_of_values = sigma(process) or 0.0
    mean = process.mean
    n = len(so_far)
    expected = (so_far.sum() + remaining * mean) / (n + remaining)
    spread = 3 * spread_of_values * math.sqrt(remaining) / (n + remaining) if remaining else 0.0
    low, high = expected - spread, expected + spread
    worst, best = (low, high) if kpi.higher_is_better else (high, low)

    def meets(value: float) -> bool:
        return value >= kpi.target if kpi.higher_is_better else value <= kpi.target

    status = "on track" if meets(worst) else "will miss" if not meets(best) else "at risk"
    return Projection(status, year_start.date(), year_end.date(), n, float(so_far.mean()), len(recent), float(mean),
                      process.lower, process.upper, float(expected), float(worst), float(best), remaining)
