"""Whether a monthly KPI has a usual month-of-year pattern, found the way docs/spc.md describes:
each value against its centred 12-month average, the calendar months compared with an F test."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pulse.metrics import periods

SEASON_ALPHA = 0.01  # significance level of the month-of-year F test
SEASON_MIN_REPEATED = 8  # calendar months that must be seen in two years or more


@dataclass(frozen=True)
class Seasonality:
    """Whether a KPI has a usual month-to-month pattern, its size by calendar month, and why."""

    checked: bool
    seasonal: bool
    # Each calendar month's usual difference from the level, January first; zero when not seasonal.
    effects: tuple[float, ...]
    months: int  # values the check looked at (first to last observed month)
    f: float | None
    p: float | None
    sentence: str  # for the KPI card

    def effect(self, index: pd.Index) -> np.ndarray:
        """The usual effect of each period's calendar month (zeros when not seasonal)."""
        if not self.seasonal or not isinstance(index, pd.DatetimeIndex):
            return np.zeros(len(index))
        return np.asarray(self.effects)[index.month.to_numpy() - 1]


_NO_EFFECTS = (0.0,) * 12


def seasonality(series: pd.Series) -> Seasonality:
    """Check a monthly series for a month-of-year pattern that repeats year after year."""
    index = series.index
    x = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)
    frequency = periods.frequency(index)
    if frequency != "monthly":
        return Seasonality(False, False, _NO_EFFECTS, 0, None, None,
                           "Seasonality could not be checked: only monthly figures are checked for it.")
    if not _consecutive_months(index):
        return Seasonality(False, False, _NO_EFFECTS, 0, None, None,
                           "Seasonality could not be checked: the months are not one after another.")
    seen = np.flatnonzero(~np.isnan(x))
    if seen.size == 0:
        return Seasonality(False, False, _NO_EFFECTS, 0, None, None,
                           "Seasonality could not be checked: there are no figures.")
    x, index = x[seen[0]:seen[-1] + 1], index[seen[0]:seen[-1] + 1]
    months = len(x)
    span = periods.span(index, months)
    centred = x - _centred_average(x)
    calendar = index.month.to_numpy() - 1
    groups = [centred[(calendar == m) & ~np.isnan(centred)] for m in range(12)]
    repeated = [g for g in groups if g.size >= 2]
    if any(g.size == 0 for g in groups) or len(repeated) < SEASON_MIN_REPEATED:
        # Without gaps that is 32 months: 6 either side for the centred average, then 8 of the
        # calendar months twice and the other 4 once.
        return Seasonality(False, False, _NO_EFFECTS, months, None, None,
                           "Seasonality could not be checked: that needs about 32 months of figures without "
                           f"gaps, and there {'is' if months == 1 else 'are'} {months}.")
    f, p = _anova(repeated)
    # The months seen only once still get an effect: their one centred value is the best estimate.
    level = np.array([g.mean() for g in groups])
    effects = tuple(float(v) for v in level - level.mean())
    if p < SEASON_ALPHA:
        return Seasonality(True, True, effects, months, f, p,
                           f"Judged after removing the usual month-to-month pattern, estimated from {span}.")
    return Seasonality(True, False, _NO_EFFECTS, months, f, p,
                       f"Checked for a usual month-to-month pattern over {span}: none stands out from the "
                       "noise, so the figures are judged as they are.")


def _consecutive_months(index: pd.DatetimeIndex) -> bool:
    months = index.year.to_numpy() * 12 + index.month.to_numpy()
    return bool((np.diff(months) == 1).all())


def _centred_average(x: np.ndarray) -> np.ndarray:
    """The centred 12-month moving average (2×12), where all 13 values it needs are present."""
    out = np.full(x.size, np.nan)
    for t in range(6, x.size - 6):
        window = x[t - 6:t + 7]
        # A gap in the window would weight the other months unevenly: leave the point out.
        if not np.isnan(window).any():
            # fsum, so a pattern that repeats exactly averages out exactly.
            out[t] = math.fsum([window[0] / 2, *window[1:12], window[12] / 2]) / 12
    return out


def _anova(groups: list[np.ndarray]) -> tuple[float, float]:
    """One-way analysis of variance: F and its p-value, months as groups, years as repeats."""
    k = len(groups)
    n = sum(g.size for g in groups)
    grand = np.concatenate(groups).mean()
    between = sum(g.size * (g.mean() - grand) ** 2 for g in groups) / (k - 1)
    within = sum(float(((g - g.mean()) ** 2).sum()) for g in groups) / (n - k)
    if within == 0:
        return (math.inf, 0.0) if between > 0 else (0.0, 1.0)
    f = between / within
    return float(f), f_survival(f, k - 1, n - k)


def f_survival(f: float, d1: int, d2: int) -> float:
    """P(F > f) for Fisher's F distribution with d1 and d2 degrees of freedom."""
    if f <= 0:
        return 1.0
    return _incomplete_beta(d2 / 2, d1 / 2, d2 / (d2 + d1 * f))


def _incomplete_beta(a: float, b: float, x: float) -> float:
    """The regularised incomplete beta function I_x(a, b), by its continued fraction."""
    if x <= 0:
        return 0.0
    if x >= 1:
        return 1.0
    log_front = a * math.log(x) + b * math.log1p(-x) - (math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b))
    # The fraction converges fast only below the mean; above it use I_x(a, b) = 1 − I_{1−x}(b, a).
    if x > (a + 1) / (a + b + 2):
        return 1.0 - _incomplete_beta(b, a, 1 - x)
    tiny = 1e-300
    c, d = 1.0, 1.0 - (a + b) * x / (a + 1)
    d = 1.0 / (d if abs(d) > tiny else tiny)
    fraction = d
    for m in range(1, 500):
        for numerator in (m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m)),
                          -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1))):
            d = 1.0 + numerator * d
            d = 1.0 / (d if abs(d) > tiny else tiny)
            c = 1.0 + numerator / c
            c = c if abs(c) > tiny else tiny
            fraction *= c * d
        if abs(c * d - 1.0) < 1e-15:
            break
    return math.exp(log_front) * fraction / a
