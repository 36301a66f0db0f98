"""The small-number rules, in one place: what may be shown, how it is rounded, how precisely it reads.

The rules follow ONS practice and are explained for maintainers in docs/disclosure.md:

- A count under the threshold (default 10, the setting PULSE_SUPPRESS_THRESHOLD) is shown as "[c]".
  Zero is under the threshold too: one rule is easier to trust than two.
- A rate is shown only when its denominator is known and reaches the threshold.
- Groups of fewer than 5 staff are never shown and never part of a figure that is shown.
- Public-safe mode rounds every count that is shown to the nearest 5 (halves up, as ONS does) and
  publishes rates only at display precision (whole per cent), so that rounding cannot be undone by
  multiplying a rate by its denominator. A count whose rounded value would fall under the threshold
  is suppressed rather than shown below it.

Secondary suppression (so that no hidden count can be worked out from totals, margins or rates) is
in pulse.disclosure.secondary; the typed results every page publishes are in pulse.disclosure.published.
"""

from __future__ import annotations

import math
import os
from decimal import ROUND_HALF_UP, Decimal
from dataclasses import dataclass, field
from numbers import Real

COUNT_THRESHOLD = 10
STAFF_GROUP_MIN = 5
SUPPRESSED = "[c]"
THRESHOLD_ENV = "PULSE_SUPPRESS_THRESHOLD"
# A deployment for a public screen can force public-safe figures on, whatever a link says.
FORCE_PUBLIC_ENV = "PULSE_PUBLIC_SAFE"

# Steps rates are published at (in the unit's own scale: a share of 1 for "%"), internal and public.
PRECISION = {
    "%": (0.001, 0.01),  # 53.2% inside the council, 53% in public
    "£": (0.01, 0.01),
    "£ total": (1.0, 10.0),  # a sum of money made from counts: rounded so it cannot give the count back
    "days": (0.01, 0.1),  # a median of days gives no count back; inside the council it keeps its detail
    "score": (0.01, 0.01),  # net satisfaction, −1 to +1: two decimals are whole per cent
    "per 1,000": (0.1, 5.0),  # in public, by size: PUBLIC_BY_SIZE
    "ratio": (0.01, 0.01),
}
# Public rates per 1,000 residents are worked out from the rounded count, so no precision gives back
# more than it; they are written as precisely as that count allows: to the nearest 5 from 100 up
# (where one step of 5 in a ward's count moves its rate by 5,000 ÷ its residents, under one published
# step), to whole numbers from 10 and to two figures below, so that 0.86 does not read as 0.
PUBLIC_BY_SIZE = {"per 1,000": ((100.0, 5.0), (10.0, 1.0), (1.0, 0.1), (0.0, 0.01))}


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


def forced_public() -> bool:
    """Whether this deployment forces public-safe figures on (PULSE_PUBLIC_SAFE=1)."""
    raw = os.environ.get(FORCE_PUBLIC_ENV, "").strip().lower()
    if raw in ("", "0", "false", "no", "off"):
        return False
    if raw in ("1", "true", "yes", "on"):
        return True
    raise ValueError(f"{FORCE_PUBLIC_ENV} must be 1 or 0, got {raw!r}")


def round5(n: float) -> int:
    """Nearest multiple of 5, halves up (ONS): 12 → 10, 13 → 15, 12.5 → 15."""
    return int(math.floor(n / 5 + 0.5)) * 5


def is_missing(value: object) -> bool:
    """None, NaN, NA or NaT: nothing to show."""
    if value is None:
        return True
    try:
        return bool(value != value)  # NaN and NaT are not equal to themselves
    except (TypeError, ValueError):
        return False


@dataclass(frozen=True)
class Policy:
    """How figures are published for one view: the threshold, the staff minimum, public-safe or not."""

    public_safe: bool = False
    threshold: int = field(default_factory=default_threshold)
    staff_min: int = STAFF_GROUP_MIN

    def __post_init__(self) -> None:
        for name in ("threshold", "staff_min"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a whole number ≥ 1, got {value!r}")

    def count_hidden(self, n: float | None) -> bool:
        """Whether a count must be shown as "[c]" (under the threshold, or rounding would put it there)."""
        if is_missing(n):
            return True
        if self.public_safe:
            return round5(float(n)) < self.threshold or n < self.threshold
        return n < self.threshold

    def shown_count(self, n: float) -> int:
        """A count as published: itself, or to the nearest 5 in public-safe mode."""
        _check_count(n)
        return round5(float(n)) if self.public_safe else int(round(float(n)))

    def rate_visible(self, denominator: float | None) -> bool:
        """A rate may be shown only over a known denominator that reaches the threshold."""
        return not is_missing(denominator) and float(denominator) >= self.threshold

    def step(self, unit: str, value: float | None = None) -> float:
        """The precision rates of this unit are published at (for some units in public, by the rate's size)."""
        internal, public = PRECISION.get(unit, (0.001, 0.01))
        if self.public_safe and unit in PUBLIC_BY_SIZE and not is_missing(value):
            return next(step for floor, step in PUBLIC_BY_SIZE[unit] if abs(float(value)) >= floor)
        return public if self.public_safe else internal

    def round_rate(self, value: float | None, unit: str) -> float | None:
        """A rate at its published precision (None stays None)."""
        if is_missing(value):
            return None
        # Half away from zero, on the decimal value as written (0.125 → 0.13), not on binary noise.
        step = Decimal(str(self.step(unit, value)))
        steps = (Decimal(repr(float(value))) / step).quantize(Decimal(1), rounding=ROUND_HALF_UP)
        return float(steps * step) + 0.0

    def digits(self, unit: str, value: float | None = None) -> int:
        """Decimal places a rate of this unit is written with (a share of 1 for "%" is written in %)."""
        step = self.step(unit, value) * (100 if unit == "%" else 1)
        return max(0, -int(math.floor(math.log10(step) + 1e-9)))


def _check_count(n: object) -> None:
    if isinstance(n, bool) or not isinstance(n, Real):
        raise TypeError(f"a count must be a number, got {n!r}")
    if n < 0:
        raise ValueError(f"a count cannot be negative, got {n!r}")
