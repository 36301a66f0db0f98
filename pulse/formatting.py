"""How numbers read on screen: percentages, pounds, counts, months and quarters."""

from __future__ import annotations

from datetime import date

import pandas as pd


def fmt_value(value: float | None, unit: str, digits: int | None = None) -> str:
    """A KPI value in its unit: '53%', '£1.72', '4.5 days', '1,234'."""
    if value is None or pd.isna(value):
        return "–"
    places = {"%": 0, "£": 2, "days": 1, "score": 2}.get(unit, 0) if digits is None else digits
    shown = value * 100 if unit == "%" else float(value)
    # A value that rounds to zero is written without a sign: never "£-0.00" or "-0%".
    if round(shown, places) == 0:
        shown = 0.0
    if unit == "%":
        return f"{shown:.{places}f}%"
    if unit == "£":
        return f"{'-' if shown < 0 else ''}£{abs(shown):,.{places}f}"
    if unit == "days":
        return f"{shown:,.{places}f} days"
    if unit == "score":
        return f"{shown:+.{places}f}" if shown else f"{0:.{places}f}"
    return f"{shown:,.{places}f}"


def fmt_change(change: float | None, unit: str) -> str | None:
    """A change in a KPI: '+1.2 pts', '-£0.05', '+0.3 days'."""
    if change is None or pd.isna(change):
        return None
    # ASCII minus: st.metric reads the sign to choose the arrow and colour.
    sign = "+" if change >= 0 else "-"
    size = abs(change)
    if unit == "%":
        return f"{sign}{size * 100:.1f} pts"
    if unit == "£":
        return f"{sign}£{size:,.2f}"
    if unit == "days":
        return f"{sign}{size:,.1f} days"
    if unit == "score":
        return f"{sign}{size:.2f}"
    return f"{sign}{size:,.0f}"


def month_label(day: date) -> str:
    """'Oct 2026'."""
    return pd.Timestamp(day).strftime("%b %Y")


def month_span(first: date, last: date) -> str:
    """'Oct 2026 to Dec 2026', or 'Oct 2026' when both fall in one month (not 'Oct 2026 to Oct 2026')."""
    a, b = month_label(first), month_label(last)
    return a if a == b else f"{a} to {b}"


def quarter_label(day: date) -> str:
    """'Q3 2026' for any day in July–September 2026."""
    stamp = pd.Timestamp(day)
    return f"Q{stamp.quarter} {stamp.year}"
