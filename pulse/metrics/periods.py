"""How a KPI's periods are named in its sentences: its frequency, a period's label, the unit word."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pulse.formatting import month_label, quarter_label


def frequency(index: pd.Index) -> str | None:
    """"weekly", "monthly" or "quarterly" from the median gap between periods; None without dates."""
    if not isinstance(index, pd.DatetimeIndex):
        return None
    if len(index) < 2:
        return "monthly"
    days = float(np.median(np.diff(index.values).astype("timedelta64[s]").astype(float))) / 86_400
    return "weekly" if days <= 8 else "quarterly" if days >= 80 else "monthly"


def label(index: pd.Index, position: int) -> str:
    """The period at a position as a reader names it: "Mar 2026", "Q1 2026-27", "w/c 2 Mar 2026"."""
    every = frequency(index)
    if every is None:
        return f"point {position + 1}"
    period = index[position]
    if every == "quarterly":
        return quarter_label(period)
    if every == "weekly":
        return f"w/c {period.day} {period:%b %Y}"
    return month_label(period)


def unit(every: str | None, count: int) -> str:
    """"month", "weeks", "quarter", "points": the word for a number of periods."""
    word = {"weekly": "week", "quarterly": "quarter", None: "point"}.get(every, "month")
    return word if count == 1 else word + "s"


def span(index: pd.DatetimeIndex, months: int) -> str:
    """A run of months in words: "3 years (Apr 2023 to Mar 2026)"."""
    length = f"{months // 12} years" if months % 12 == 0 and months >= 24 else f"{months} months"
    return f"{length} ({month_label(index[0])} to {month_label(index[-1])})"
