"""Publishing single figures and tables of rates: every number a page shows is made here or in counts.py."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from pulse.disclosure.published import (
    COUNT, LABEL, MISSING, RATE, REFERENCE, TEXT, Figure, Table, withheld,
)
from pulse.disclosure.rules import SUPPRESSED, Policy, is_missing
from pulse.formatting import fmt_value

SMALL_BASE = "rests on fewer than {threshold} {what}"
NO_BASE = "no count to judge it by"


def count(n: float | None, policy: Policy, what: str = "records") -> Figure:
    """A count on its own (no total or parts beside it): '1,235' or '[c]'."""
    if is_missing(n):
        return MISSING
    if policy.count_hidden(n):
        return withheld(f"fewer than {policy.threshold} {what}")
    shown = policy.shown_count(n)
    return Figure(float(shown), f"{shown:,}")


def rate(value: float | None, denominator: float | None, unit: str, policy: Policy, what: str = "records",
         digits: int | None = None) -> Figure:
    """A rate at display precision, hidden when its denominator is unknown or under the threshold."""
    if is_missing(value):
        return MISSING
    if is_missing(denominator):
        return withheld(NO_BASE, "–")
    if not policy.rate_visible(denominator):
        return withheld(SMALL_BASE.format(threshold=policy.threshold, what=what))
    shown = policy.round_rate(value, unit)
    return Figure(shown, fmt_value(shown, unit, policy.digits(unit, shown) if digits is None else digits))


def reported(value: float | None, unit: str, policy: Policy) -> Figure:
    """A figure the council reports by hand (kpi_values): already an aggregate, shown at display precision."""
    if is_missing(value):
        return MISSING
    shown = policy.round_rate(value, unit)
    return Figure(shown, fmt_value(shown, unit, policy.digits(unit)))


def reference(value: float | None, unit: str = "", digits: int | None = None) -> Figure:
    """A set or public figure — a target, a unit cost, a population, a decile: shown as it is."""
    if is_missing(value):
        return MISSING
    return Figure(float(value), fmt_value(float(value), unit, digits))


def money_total(amount: float | None, basis: Figure, policy: Policy) -> Figure:
    """A sum of money made from counts (a saving): hidden with its count, rounded so it cannot give it back."""
    if is_missing(amount) or not basis.shown:
        return withheld(basis.why) if basis.hidden else MISSING
    shown = policy.round_rate(abs(amount), "£ total")
    return Figure(float(np.copysign(shown, amount)), f"£{shown:,.0f}")


def change(later: Figure, earlier: Figure, unit: str) -> Figure:
    """The difference between two published figures of one unit ('+1.2 pts'); hidden if either is."""
    from pulse.formatting import fmt_change

    if not later.shown or not earlier.shown:
        return MISSING
    difference = later.value - earlier.value
    return Figure(difference, fmt_change(difference, unit) or "–")


def rate_table(frame: pd.DataFrame, rates: Mapping[str, tuple[str, str]], policy: Policy,
               labels: Sequence[str] = (), references: Sequence[str] = (), what: str = "records") -> Table:
    """A frame of rates (each {column: (denominator, unit)}) published at display precision.

    Denominators are used to judge each rate and then dropped: a count is published only through a
    CountModel, which knows what else the view shows. A rate whose denominator is unknown or under
    the threshold is NaN, and its `<rate>_text` column says why.
    """
    out = frame[list(labels) + list(references)].copy()
    kinds = {**dict.fromkeys(labels, LABEL), **dict.fromkeys(references, REFERENCE)}
    for column, (denominator, unit) in rates.items():
        figures = [rate(v, d, unit, policy, what) for v, d in zip(frame[column], frame[denominator])]
        out[column] = [f.value if f.shown else np.nan for f in figures]
        out[column] = out[column].astype(float)
        out[f"{column}_text"] = [f.text for f in figures]
        kinds |= {column: RATE, f"{column}_text": TEXT}
    return Table(out.reset_index(drop=True), kinds)


def label_table(frame: pd.DataFrame, labels: Sequence[str] = (), references: Sequence[str] = (),
                texts: Sequence[str] = ()) -> Table:
    """A frame of words, codes, dates and set figures (and text of published figures): nothing to suppress."""
    kinds = {**dict.fromkeys(labels, LABEL), **dict.fromkeys(references, REFERENCE), **dict.fromkeys(texts, TEXT)}
    return Table(frame[list(kinds)].reset_index(drop=True), kinds)


def counts_as_numbers(values: pd.Series) -> pd.Series:
    """A published count column as floats, NaN where it reads "[c]" (for charts)."""
    return pd.to_numeric(values.where(values.map(lambda v: v != SUPPRESSED)), errors="coerce").astype(float)


__all__ = ["COUNT", "change", "count", "counts_as_numbers", "label_table", "money_total", "rate", "rate_table",
           "reference", "reported"]
