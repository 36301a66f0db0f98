"""Pearson's correlation across a handful of points, with its Fisher-z interval and the fitted line."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import pandas as pd

CONFIDENCE = 0.95


@dataclass(frozen=True)
class Correlation:
    """Pearson's r between two columns with its Fisher-z interval, and the least-squares line."""

    n: int
    r: float | None = None
    low: float | None = None
    high: float | None = None
    slope: float | None = None
    intercept: float | None = None
    confidence: float = CONFIDENCE

    @property
    def clear(self) -> bool:
        """Whether the interval exists and excludes zero: a link the data can stand behind."""
        return self.r is not None and self.low is not None and not self.low <= 0 <= self.high


def correlation(x: Sequence[float | None], y: Sequence[float | None], confidence: float = CONFIDENCE) -> Correlation:
    """Pearson's r, its Fisher-z interval (needs 4 or more pairs) and the fitted line y = a + b·x."""
    pairs = pd.DataFrame({"x": pd.to_numeric(pd.Series(list(x), dtype=object), errors="coerce"),
                          "y": pd.to_numeric(pd.Series(list(y), dtype=object), errors="coerce")}).dropna()
    n = len(pairs)
    if n < 3 or pairs["x"].nunique() < 2 or pairs["y"].nunique() < 2:
        return Correlation(n, confidence=confidence)
    xs, ys = pairs["x"].to_numpy(float), pairs["y"].to_numpy(float)
    dx, dy = xs - xs.mean(), ys - ys.mean()
    r = float(np.clip((dx * dy).sum() / math.sqrt((dx**2).sum() * (dy**2).sum()), -1.0, 1.0))
    slope = float((dx * dy).sum() / (dx**2).sum())
    intercept = float(ys.mean() - slope * xs.mean())
    low = high = None
    # Fisher's z is undefined at |r| = 1 and its standard error needs n > 3.
    if n > 3 and abs(r) < 1:
        z, se = math.atanh(r), 1 / math.sqrt(n - 3)
        q = NormalDist().inv_cdf(0.5 + confidence / 2)
        low, high = math.tanh(z - q * se), math.tanh(z + q * se)
    return Correlation(n, r, low, high, slope, intercept, confidence)


def strength(r: float) -> str:
    """'weak' under 0.3, 'moderate' under 0.7, else 'strong' (by the size of r)."""
    size = abs(r)
    return "weak" if size < 0.3 else "moderate" if size < 0.7 else "strong"
