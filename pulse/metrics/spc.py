"""Statistical process control: XmR charts judged as NHS England's "Making Data Count" does.

The rules are Making Data Count's, written out with every edge case in docs/spc.md; read that
first: section 1 writes out every choice the rules leave open (gaps are never bridged, comparisons
are strict, each rebased part is computed alone, verdicts wait for 12 points), and tests/test_spc.py
checks each one.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

MIN_POINTS = 12
SHIFT_LENGTH = 7
TREND_LENGTH = 7  # values, so TREND_LENGTH - 1 successive steps
MR_SCREEN_FACTOR = 3.267
LIMIT_FACTOR = 2.66

# Rule names as they appear in the `rules` column, in the order they are listed there.
OUTSIDE = "outside limits"
SHIFT = "shift"
TREND = "trend"
TWO_OF_THREE = "two of three near limit"
RULES = (OUTSIDE, SHIFT, TREND, TWO_OF_THREE)

VARIATIONS = ("common_cause", "improvement", "concern", "neutral")
ASSURANCES = ("pass", "fail", "hit_or_miss")

COLUMNS = (
    "value",
    "part",
    "mean",
    "lower",
    "upper",
    "moving_range",
    "mr_bar",
    "mr_excluded",
    "special_cause",
    "side",
    "rules",
)


@dataclass(frozen=True, eq=False)
class XmrResult:
    """An XmR chart: one row per period in `points`, and the verdicts on the latest part."""

    points: pd.DataFrame
    variation: str | None
    assurance: str | None
    warning: str | None
    mean: float | None
    lower: float | None
    upper: float | None
    mr_bar: float | None
    # "high", "low" or "both": the side of the latest point's signal, for the H/L icon letter.
    side: str | None
    target: float | None
    higher_is_better: bool | None
    n_points: int


@dataclass(frozen=True)
class _Fit:
    centre: float
    moving_range: np.ndarray
    excluded: np.ndarray
    mr_bar: float

    @property
    def lower(self) -> float:
        return self.centre - LIMIT_FACTOR * self.mr_bar

    @property
    def upper(self) -> float:
        return self.centre + LIMIT_FACTOR * self.mr_bar


def xmr(
    values: Iterable[float | None],
    *,
    target: float | None = None,
    higher_is_better: bool | None = True,
    rebase_at: Iterable[int] = (),
) -> XmrResult:
    """Build an XmR chart of `values` and judge its variation and assurance against `target`."""
    if higher_is_better not in (True, False, None):
        raise ValueError(f"higher_is_better must be True, False or None, not {higher_is_better!r}")
    higher_is_better = None if higher_is_better is None else bool(higher_is_better)
    x, index = _as_floats(values)
    target = _as_target(target)
    n = len(x)

    columns: dict[str, np.ndarray] = {
        "value": x,
        "part": np.zeros(n, dtype=np.int64),
        "mean": np.full(n, np.nan),
        "lower": np.full(n, np.nan),
        "upper": np.full(n, np.nan),
        "moving_range": np.full(n, np.nan),
        "mr_bar": np.full(n, np.nan),
        "mr_excluded": np.zeros(n, dtype=bool),
    }
    high = {rule: np.zeros(n, dtype=bool) for rule in RULES}
    low = {rule: np.zeros(n, dtype=bool) for rule in RULES}

    parts = _parts(n, rebase_at)
    fit = None
    for number, (start, stop) in enumerate(parts):
        fit = _fit(x[start:stop])
        here = slice(start, stop)
        columns["part"][here] = number
        columns["mean"][here] = fit.centre
        columns["lower"][here] = fit.lower
        columns["upper"][here] = fit.upper
        columns["moving_range"][here] = fit.moving_range
        columns["mr_bar"][here] = fit.mr_bar
        columns["mr_excluded"][here] = fit.excluded
        for rule, (hi, lo) in _signals(x[start:stop], fit).items():
            high[rule][here] = hi
            low[rule][here] = lo

    special_cause: list[str | None] = []
    sides: list[str | None] = []
    fired: list[str | None] = []
    for i in range(n):
        names = [rule for rule in RULES if high[rule][i] or low[rule][i]]
        side = _side(any(high[r][i] for r in RULES), any(low[r][i] for r in RULES))
        fired.append("; ".join(names) or None)
        sides.append(side)
        special_cause.append(_judge(side, higher_is_better))

    points = pd.DataFrame(columns, index=index)
    # object dtype keeps None as None; pandas 3 would otherwise infer `str` and turn it into NaN.
    points["special_cause"] = pd.Series(special_cause, index=index, dtype=object)
    points["side"] = pd.Series(sides, index=index, dtype=object)
    points["rules"] = pd.Series(fired, index=index, dtype=object)

    latest_start, latest_stop = parts[-1] if parts else (0, 0)
    observed = [i for i in range(latest_start, latest_stop) if not math.isnan(x[i])]
    n_points = len(observed)

    variation = assurance = warning = side = None
    if fit is None or n_points < MIN_POINTS:
        warning = _warning(n_points, rebased=len(parts) > 1)
    else:
        latest = observed[-1]
        variation = special_cause[latest] or "common_cause"
        side = sides[latest]
        assurance = _assurance(target, higher_is_better, fit.lower, fit.upper)

    return XmrResult(
        points=points,
        variation=variation,
        assurance=assurance,
        warning=warning,
        mean=_or_none(fit.centre) if fit else None,
        lower=_or_none(fit.lower) if fit else None,
        upper=_or_none(fit.upper) if fit else None,
        mr_bar=_or_none(fit.mr_bar) if fit else None,
        side=side,
        target=target,
        higher_is_better=higher_is_better,
        n_points=n_points,
    )


def latest_signals(values: Iterable[float | None]) -> tuple[float | None, dict[str, str | None]]:
    """The centre of one part and, for each rule, the side ("high", "low", "both" or None) it
    flags the latest non-missing point on: what xmr(values) finds there, without building its table."""
    x = _floats(values)
    observed = np.flatnonzero(~np.isnan(x))
    if observed.size == 0:
        return None, dict.fromkeys(RULES)
    fit = _fit(x)
    last = int(observed[-1])
    flags = _signals(x, fit)
    return _or_none(fit.centre), {rule: _side(bool(hi[last]), bool(lo[last])) for rule, (hi, lo) in flags.items()}


def latest_variation(values: Iterable[float | None], higher_is_better: bool | None = True) -> tuple[str | None, str | None]:
    """The latest point's variation and side exactly as xmr(values) judges them, computed cheaply."""
    x = _floats(values)
    if np.count_nonzero(~np.isnan(x)) < MIN_POINTS:
        return None, None
    _, sides = latest_signals(x)
    side = _side(any(s in ("high", "both") for s in sides.values()), any(s in ("low", "both") for s in sides.values()))
    return _judge(side, higher_is_better) or "common_cause", side


_OPENINGS = {
    "common_cause": "Latest value shows common-cause variation only, "
    "so nothing has significantly changed",
    "improvement": "Latest value shows special-cause improvement",
    "concern": "Latest value shows special-cause concern",
    "neutral": "Latest value shows special-cause variation that is neither improvement nor concern",
}


def summarise(result: XmrResult, *, number: Callable[[float], str] | None = None) -> str:
    """Say in one plain-English sentence what an XmR result means, for leaders."""
    if result.variation is None:
        reason = result.warning or "Too few points to judge variation"
        return f"{reason}, so there is no verdict yet."
    opening = _OPENINGS[result.variation]
    if result.target is None:
        return f"{opening}."
    # Pages pass their unit-aware formatter (e.g. "53%"); a bare number reads well enough.
    target = f"the target of {(number or format_number)(result.target)}"
    if result.assurance == "hit_or_miss":
        verdict = "is within the process limits, so it will be hit and missed at random"
    elif result.assurance is None:
        verdict = "cannot be judged because this measure has no better direction"
    else:
        above = result.upper is not None and result.target > result.upper
        where = "above the upper" if above else "below the lower"
        outcome = {
            "pass": "it will be met consistently",
            "fail": "it will not be met unless the process changes",
        }[result.assurance]
        verdict = f"is {where} process limit, so {outcome}"
    return f"{opening}; {target} {verdict}."


def format_number(value: float) -> str:
    """Write a number as a person would say it: 60, 0.755, 1,234, never 6e+01."""
    if float(value).is_integer():
        return f"{int(value):,}"
    # Three significant figures, but never fewer digits than the whole-number part needs.
    decimals = max(0, 2 - math.floor(math.log10(abs(value))))
    return f"{value:,.{decimals}f}".rstrip("0").rstrip(".")


def _as_floats(values: Iterable[float | None]) -> tuple[np.ndarray, pd.Index]:
    if isinstance(values, (str, bytes)):
        raise TypeError("values must be a sequence of numbers, not a string")
    # A Series keeps its index (often the period), so charts can plot the rows directly.
    index = values.index if isinstance(values, pd.Series) else None
    items = list(values)
    x = np.array([np.nan if _missing(v) else float(v) for v in items], dtype=float)
    if np.isinf(x).any():
        raise ValueError("values must be finite numbers or missing (None/NaN), not infinite")
    return x, index if index is not None else pd.RangeIndex(len(x))


def _floats(values: Iterable[float | None]) -> np.ndarray:
    # An array of floats needs no element-by-element look (the search for a rebase calls this often).
    if isinstance(values, np.ndarray) and values.dtype.kind == "f":
        if np.isinf(values).any():
            raise ValueError("values must be finite numbers or missing (None/NaN), not infinite")
        return values.astype(float, copy=False)
    return _as_floats(values)[0]


def _missing(value: object) -> bool:
    return value is None or (pd.api.types.is_scalar(value) and bool(pd.isna(value)))


def _as_target(target: float | None) -> float | None:
    # Zero is a real target, so only None/NaN mean "no target".
    if _missing(target):
        return None
    target = float(target)
    if math.isinf(target):
        raise ValueError("target must be a finite number or None")
    return target


def _parts(n: int, rebase_at: Iterable[int]) -> list[tuple[int, int]]:
    cuts = set()
    for position in rebase_at:
        if isinstance(position, bool) or int(position) != position:
            raise ValueError(f"rebase_at positions must be whole numbers, not {position!r}")
        if position < 0:
            raise ValueError(f"rebase_at positions count from 0 and cannot be negative: {position}")
        # A rebase at the first period or after the last one splits nothing.
        if 0 < position < n:
            cuts.add(int(position))
    edges = [0, *sorted(cuts), n]
    return [(a, b) for a, b in zip(edges, edges[1:]) if b > a]


def _fit(x: np.ndarray) -> _Fit:
    observed = x[~np.isnan(x)]
    if observed.size == 0:
        centre = math.nan
    elif observed.min() == observed.max():
        # Exact, so identical values sit on the centre rather than a rounding error off it.
        centre = float(observed[0])
    else:
        centre = math.fsum(observed) / observed.size

    # NaN propagates, so a range next to a missing period is NaN: no range across a gap.
    moving_range = np.full(x.size, np.nan)
    moving_range[1:] = np.abs(np.diff(x))
    valid = ~np.isnan(moving_range)
    excluded = np.zeros(x.size, dtype=bool)
    if not valid.any():
        return _Fit(centre, moving_range, excluded, math.nan)
    # Screen once only: a second pass would keep trimming genuine variation.
    ceiling = MR_SCREEN_FACTOR * moving_range[valid].mean()
    excluded[valid] = moving_range[valid] > ceiling
    kept = moving_range[valid & ~excluded]
    return _Fit(centre, moving_range, excluded, math.fsum(kept) / kept.size)


def _signals(x: np.ndarray, fit: _Fit) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    # Comparisons with NaN are False, so missing values and undefined limits never signal.
    with np.errstate(invalid="ignore"):
        outside = (x > fit.upper, x < fit.lower)
        shift = (_runs(x > fit.centre, SHIFT_LENGTH), _runs(x < fit.centre, SHIFT_LENGTH))
        step = np.diff(x)
        trend = (_trend(step > 0), _trend(step < 0))
        third = (2 / 3) * LIMIT_FACTOR * fit.mr_bar
        near = (
            _two_of_three(x > fit.centre + third),
            _two_of_three(x < fit.centre - third),
        )
    return {OUTSIDE: outside, SHIFT: shift, TREND: trend, TWO_OF_THREE: near}


def _runs(mask: np.ndarray, length: int) -> np.ndarray:
    flagged = np.zeros(mask.size, dtype=bool)
    start = None
    for i, on in enumerate([*mask, False]):
        if on and start is None:
            start = i
        elif not on and start is not None:
            if i - start >= length:
                flagged[start:i] = True
            start = None
    return flagged


def _trend(steps: np.ndarray) -> np.ndarray:
    # Step i joins values i and i+1, so a run of k steps covers k+1 values.
    flagged = np.zeros(steps.size + 1, dtype=bool)
    step_runs = _runs(steps, TREND_LENGTH - 1)
    flagged[:-1] |= step_runs
    flagged[1:] |= step_runs
    return flagged


def _two_of_three(beyond: np.ndarray) -> np.ndarray:
    flagged = np.zeros(beyond.size, dtype=bool)
    for start in range(beyond.size - 2):
        window = beyond[start : start + 3]
        if window.sum() >= 2:
            flagged[start : start + 3] |= window
    return flagged


def _side(high: bool, low: bool) -> str | None:
    if high and low:
        return "both"
    return "high" if high else "low" if low else None


def _judge(side: str | None, higher_is_better: bool | None) -> str | None:
    if side is None:
        return None
    if side == "both" or higher_is_better is None:
        return "neutral"
    return "improvement" if (side == "high") == higher_is_better else "concern"


def _assurance(
    target: float | None, higher_is_better: bool | None, lower: float, upper: float
) -> str | None:
    if target is None or higher_is_better is None or math.isnan(lower) or math.isnan(upper):
        return None
    if lower <= target <= upper:
        return "hit_or_miss"
    target_is_high = target > upper
    # A target the process cannot reach is failed every time; one it always beats is passed.
    return "fail" if target_is_high == higher_is_better else "pass"


def _warning(n_points: int, *, rebased: bool) -> str:
    count = "No points" if n_points == 0 else f"Only {n_points} point{'s' if n_points != 1 else ''}"
    since = " since the last rebase" if rebased else ""
    return f"{count}{since}: at least {MIN_POINTS} are needed before SPC can judge variation"


def _or_none(value: float) -> float | None:
    return None if math.isnan(value) else float(value)
