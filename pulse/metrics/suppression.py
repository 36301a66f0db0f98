"""Small-number suppression, following ONS practice (DESIGN.md, "Small numbers").

- A count under the threshold (default 10) is shown as "[c]", ONS's symbol for confidential.
  Zero is a count under the threshold, so it is suppressed too: a visible 0 next to "[c]" cells
  says something about a group (nobody in it did X), and one rule is easier to trust than two.
- A rate is shown only when its denominator reaches the threshold.
- In public-safe mode every count that is shown is rounded to the nearest 5, halves rounded up
  (ONS convention): 10, 11, 12 → 10; 13, 14, 15, 16, 17 → 15. Counts are whole numbers, so a
  half (12.5) only arises from a non-integer input, and it goes up (→ 15). A count whose rounded
  value would fall under the threshold (possible only when the threshold is not a multiple of 5,
  e.g. 6 → 5 with a threshold of 6) is suppressed rather than shown below the threshold.
- Groups of fewer than 5 staff are never shown.

The threshold is a setting: ``PULSE_SUPPRESS_THRESHOLD`` (a whole number ≥ 1) overrides the
default of 10; any function whose ``threshold`` is None reads it through ``default_threshold()``.

Not done here: secondary (complementary) suppression. A total shown beside its parts can reveal
one suppressed part by subtraction; pages that show totals must compute them from the suppressed
parts or suppress a second cell.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from numbers import Real
from typing import NamedTuple

import numpy as np
import pandas as pd

COUNT_THRESHOLD = 10
STAFF_GROUP_MIN = 5
SUPPRESSED = "[c]"
THRESHOLD_ENV = "PULSE_SUPPRESS_THRESHOLD"


class SuppressedFrame(NamedTuple):
    """A suppressed copy of a frame and, cell by cell, which values it hid."""

    frame: pd.DataFrame
    # Same index as frame, one boolean column per count, denominator and rate column handled:
    # True where the cell is withheld under the small-number rule, that is a count shown as
    # "[c]" or a rate whose denominator is. Running suppress_frame again gives the same mask.
    mask: pd.DataFrame


class StaffGroups(NamedTuple):
    """Staff groups large enough to show, and how many groups were left out."""

    frame: pd.DataFrame
    hidden: int


def default_threshold() -> int:
    """The suppression threshold: PULSE_SUPPRESS_THRESHOLD if set, else COUNT_THRESHOLD (10)."""
    raw = os.environ.get(THRESHOLD_ENV, "").strip()
    if not raw:
        return COUNT_THRESHOLD
    # A typo must not quietly change what is disclosed, so a bad value is an error, not a default.
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{THRESHOLD_ENV} must be a whole number ≥ 1, got {raw!r}") from None
    if value < 1:
        raise ValueError(f"{THRESHOLD_ENV} must be a whole number ≥ 1, got {raw!r}")
    return value


def _threshold(threshold: int | None) -> int:
    if threshold is None:
        return default_threshold()
    if isinstance(threshold, bool) or int(threshold) != threshold or threshold < 1:
        raise ValueError(f"threshold must be a whole number ≥ 1, got {threshold!r}")
    return int(threshold)


def _round5(n: float) -> int:
    """Nearest multiple of 5, halves up (ONS): 12 → 10, 13 → 15, 12.5 → 15."""
    return int(math.floor(n / 5 + 0.5)) * 5


def _is_missing(value: object) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (
        isinstance(value, float) and math.isnan(value)
    )


def is_suppressed(value: object) -> bool:
    """True when a value is the suppression marker "[c]"."""
    return isinstance(value, str) and value == SUPPRESSED


def suppress_count(
    n: float | None, threshold: int | None = None, public_safe: bool = False
) -> int | float | str | None:
    """A count as it may be shown: "[c]" under the threshold, else itself (to 5 if public-safe)."""
    limit = _threshold(threshold)
    if is_suppressed(n):
        return SUPPRESSED
    if _is_missing(n):
        return None
    if isinstance(n, bool) or not isinstance(n, Real):
        raise TypeError(f"a count must be a number, got {n!r}")
    if n < 0:
        raise ValueError(f"a count cannot be negative, got {n!r}")
    if n < limit:
        return SUPPRESSED
    if public_safe:
        rounded = _round5(n)
        return SUPPRESSED if rounded < limit else rounded
    return int(n) if float(n).is_integer() else n


def rate_visible(denominator: float | None, threshold: int | None = None) -> bool:
    """True when a rate over this denominator may be shown (denominator known and ≥ threshold)."""
    limit = _threshold(threshold)
    if _is_missing(denominator) or is_suppressed(denominator):
        return False
    return denominator >= limit


def _as_numbers(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """A count column as floats (NaN where missing or already "[c]") and its "[c]" mask."""
    marked = column.map(is_suppressed).to_numpy(dtype=bool)
    rest = column.where(~marked)
    numbers = pd.to_numeric(rest, errors="coerce")
    bad = numbers.isna() & rest.notna()
    if bad.any():
        example = rest[bad].iloc[0]
        raise ValueError(f"column {column.name!r} holds a value that is not a count: {example!r}")
    values = numbers.to_numpy(dtype=float, na_value=np.nan)
    if (values < 0).any():
        raise ValueError(f"column {column.name!r} holds a negative count")
    return values, marked


def suppress_frame(
    df: pd.DataFrame,
    counts: Sequence[str],
    rates: Mapping[str, str] | None = None,
    threshold: int | None = None,
    public_safe: bool = False,
) -> SuppressedFrame:
    """Suppress small counts and rates over small denominators; returns (frame, mask).

    ``counts`` are count columns; ``rates`` maps each rate column to its denominator column.
    Denominators are counts too and are suppressed whether or not they are listed in ``counts``.
    In ``frame`` every count column is object dtype holding whole numbers, "[c]" or None, and each
    hidden rate is NaN (so is a rate whose denominator is missing); columns not named are
    untouched. Rate visibility is judged on the true denominator, before public-safe rounding.
    Running it again on its own output changes nothing.
    """
    limit = _threshold(threshold)
    rates = dict(rates or {})
    count_columns = list(dict.fromkeys([*counts, *rates.values()]))
    missing = [c for c in [*count_columns, *rates] if c not in df.columns]
    if missing:
        raise KeyError(f"columns not in the frame: {missing}")
    overlap = set(rates) & set(count_columns)
    if overlap:
        raise ValueError(f"columns cannot be both a rate and a count: {sorted(overlap)}")

    out = df.copy()
    mask = pd.DataFrame(index=df.index)
    true_counts: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for column in count_columns:
        values, marked = _as_numbers(df[column])
        true_counts[column] = (values, marked)
        present = ~np.isnan(values)
        shown = present & (values >= limit)
        if public_safe:
            rounded = np.floor(values / 5 + 0.5) * 5
            shown &= rounded >= limit
            values = np.where(shown, rounded, values)
        hidden = marked | (present & ~shown)
        cells = np.empty(len(df), dtype=object)
        cells[:] = None
        cells[hidden] = SUPPRESSED
        cells[shown] = [int(v) if float(v).is_integer() else float(v) for v in values[shown]]
        out[column] = pd.Series(cells, index=df.index, dtype=object)
        mask[column] = hidden

    for rate, denominator in rates.items():
        values, marked = true_counts[denominator]
        known = ~np.isnan(values)
        visible = ~marked & known & (values >= limit)
        out[rate] = df[rate].where(visible)
        # A rate over a missing denominator is hidden too (it cannot be checked) but not flagged:
        # nothing was withheld, the denominator is simply blank as well.
        mask[rate] = ~visible & (known | marked)
    return SuppressedFrame(out, mask)


def suppress_staff_groups(
    df: pd.DataFrame, size_column: str, minimum: int = STAFF_GROUP_MIN
) -> StaffGroups:
    """Drop rows whose group has fewer than ``minimum`` people; returns (frame, groups hidden).

    A group whose size is missing or already "[c]" cannot be shown to be big enough, so it is
    dropped too. Rows are dropped rather than blanked so that nothing about the group, not even
    that it exists in a directorate, reaches the screen.
    """
    if size_column not in df.columns:
        raise KeyError(f"column not in the frame: {size_column!r}")
    if isinstance(minimum, bool) or int(minimum) != minimum or minimum < 1:
        raise ValueError(f"minimum must be a whole number ≥ 1, got {minimum!r}")
    sizes, marked = _as_numbers(df[size_column])
    keep = ~marked & ~np.isnan(sizes) & (sizes >= minimum)
    return StaffGroups(df.loc[keep].copy(), int((~keep).sum()))
