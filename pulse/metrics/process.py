"""A KPI's current process: where it starts, whether its season must be allowed for, and the
verdicts (variation, assurance, year end) that come from it. A layer above `spc.xmr`.

docs/spc.md explains the rules for maintainers; tests/test_process.py checks each one. In short:

- Seasonality first. A monthly KPI with enough history is checked for a month-of-year pattern
  (each value against its centred 12-month average, the months compared with an F test that asks
  whether the pattern repeats from year to year). When there is one, SPC judges the values minus
  their month's usual effect.
- Then the automatic rebase. When the latest point ends a shift or a trend (the special-cause run
  rules), the current process starts at that run's first point, provided at least SHIFT_LENGTH
  points came before it; the run found on the new process's own chart may move the start later
  again, so there is one rebase, at the start of the latest run. A person can choose the position
  or switch it off. The chart is exactly `spc.xmr(judged, rebase_at=[start])`.
- Variation reports the change itself while the current process is short: with fewer than
  MIN_POINTS points since the change it is the latest point's variation on the chart in which
  the change was found (the whole-range chart, for one rebase); from MIN_POINTS points on, the
  current process's own chart judges it.
- Assurance and the year-end projection use the current process only. With fewer than MIN_POINTS
  points since the change there is no assurance icon but a status ("Process changed in Mar 2026,
  assurance after 4 more months").
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from datetime import date, datetime

import numpy as np
import pandas as pd

from pulse.formatting import month_label, quarter_label
from pulse.metrics import spc

MIN_BEFORE = spc.SHIFT_LENGTH  # points the earlier process must have had for a change to be accepted
SEASON_ALPHA = 0.01  # significance level of the month-of-year F test
SEASON_MIN_REPEATED = 8  # calendar months that must be seen in two years or more
YEAR_END_MONTH = 3  # UK councils' financial year ends on 31 March
OFF = "off"

Override = int | str | date | datetime | pd.Timestamp | None


# --------------------------------------------------------------------------- seasonality


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
    frequency = _frequency(index)
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
    span = _span(index, months)
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


# --------------------------------------------------------------------------- the current process


@dataclass(frozen=True, eq=False)
class Judgement:
    """A KPI judged on its current process: the chart, the verdicts and where the process starts."""

    series: pd.Series  # the values as given, NaN where a period is missing or suppressed
    judged: pd.Series  # what SPC judged: the values less their month's usual effect when seasonal
    chart: spc.XmrResult  # spc.xmr(judged, target=…, higher_is_better=…, rebase_at=rebase_at)
    variation: str | None
    side: str | None  # "high", "low" or "both": the letter on the variation icon
    assurance: str | None
    status: str | None  # said instead of an assurance icon, when there is a reason for no icon
    start: int  # position of the current process's first period; 0 when not rebased
    rebase: str  # "automatic", "manual", "off" or "none"
    found_by: str | None  # "shift" or "trend" for an automatic rebase
    run_length: int  # points in the run that triggered an automatic rebase
    found_on: int  # start of the process whose chart showed the change (0: the whole range)
    n_points: int  # values in the current process
    seasonality: Seasonality
    target: float | None
    higher_is_better: bool | None

    @cached_property
    def whole(self) -> spc.XmrResult:
        """The chart without any rebase: the whole range judged as one process."""
        if not self.start:
            return self.chart
        return spc.xmr(self.judged, target=self.target, higher_is_better=self.higher_is_better)

    @property
    def rebase_at(self) -> tuple[int, ...]:
        """The positions to pass to spc.xmr's rebase_at for this chart."""
        return (self.start,) if self.start else ()

    @property
    def start_period(self) -> object | None:
        """The period the current process starts in; None when it is the whole series."""
        return self.series.index[self.start] if self.start else None

    @property
    def frequency(self) -> str | None:
        """'monthly', 'quarterly' or 'weekly', read from the periods; None when they are not dates."""
        return _frequency(self.series.index)

    @property
    def current(self) -> pd.Series:
        """The values of the current process, as given."""
        return self.series.iloc[self.start:]

    @property
    def latest(self) -> tuple[object | None, float | None]:
        """The latest period with a value, and that value."""
        shown = self.series.dropna()
        return (None, None) if shown.empty else (shown.index[-1], float(shown.iloc[-1]))

    def reported_points(self) -> pd.DataFrame:
        """The chart's rows in the values as reported: for a seasonal KPI each period's centre and
        limits move by its month's usual effect (column seasonal_effect); flags are the chart's."""
        points = self.chart.points.copy()
        effect = self.seasonality.effect(points.index)
        points["value"] = self.series.to_numpy()
        for column in ("mean", "lower", "upper"):
            points[column] = points[column].to_numpy() + effect
        points["seasonal_effect"] = effect
        return points

    @property
    def note(self) -> str | None:
        """What was done about rebasing, in a sentence for the KPI card."""
        if self.rebase == OFF:
            return "Limits are not recalculated automatically for this KPI (switched off)."
        if not self.start:
            return None
        when = _label(self.series.index, self.start)
        if self.rebase == "manual":
            return f"Limits recalculated from {when}, as chosen."
        unit = _unit(self.frequency, self.run_length)
        if self.found_by == "trend":
            rising = self.series.iloc[self.start:].dropna()
            word = "rising" if len(rising) > 1 and rising.iloc[-1] > rising.iloc[0] else "falling"
            run = f"a run of {self.run_length} {word} {unit}"
        else:
            centre = spc.xmr(self.judged.iloc[self.found_on:].to_numpy()).mean
            above = float(self.judged.iloc[self.start]) > centre
            run = f"a run of {self.run_length} {unit} {'above' if above else 'below'} the average before"
        return f"Limits recalculated automatically from {when}, where {run} began."


def judge(series: pd.Series, target: float | None = None, higher_is_better: bool | None = True,
          override: Override = None) -> Judgement:
    """Judge a KPI's series on its current process; override None finds it, "off" rebases nowhere."""
    series = pd.Series(pd.to_numeric(series, errors="coerce"), index=series.index, dtype=float)
    target = None if target is None or pd.isna(target) else float(target)
    season = seasonality(series)
    judged = series - season.effect(series.index) if season.seasonal else series
    x = judged.to_numpy()
    if higher_is_better not in (True, False, None):
        raise ValueError(f"higher_is_better must be True, False or None, not {higher_is_better!r}")
    higher_is_better = None if higher_is_better is None else bool(higher_is_better)

    found_by, run_length, found_on = None, 0, 0
    if isinstance(override, str) and override.strip().lower() in (OFF, "none", "no"):
        start, rebase = 0, OFF
    elif override is None or (isinstance(override, str) and override.strip().lower() in ("", "auto")):
        start, found_by, run_length, found_on = current_start(x)
        rebase = "automatic" if start else "none"
    else:
        start = _position(series.index, override)
        rebase = "manual" if 0 < start < len(series) else "none"
        start = start if rebase == "manual" else 0

    chart = spc.xmr(judged, target=target, higher_is_better=higher_is_better, rebase_at=[start] if start else [])
    n_points = chart.n_points
    if not start or n_points >= spc.MIN_POINTS:
        variation, side = chart.variation, chart.side
    else:
        # Too few points to judge the new process alone: report the change, as the chart of the
        # process it came from sees the latest point.
        variation, side = spc.latest_variation(x[found_on:], higher_is_better)

    assurance, status = _assurance(chart, season, series, target, higher_is_better)
    if start and n_points < spc.MIN_POINTS and target is not None and higher_is_better is not None:
        more = spc.MIN_POINTS - n_points
        when = _label(series.index, start)
        verb = "changed in" if rebase == "automatic" else "rebased at"
        status = (f"Process {verb} {when}, assurance after {more} more "
                  f"{_unit(_frequency(series.index), more)}")
    return Judgement(series, judged, chart, variation, side, assurance, status, start, rebase, found_by,
                     run_length, found_on, n_points, season, target, higher_is_better)


def current_start(values: Iterable[float | None]) -> tuple[int, str | None, int, int]:
    """Where the current process starts (0: the whole series), the rule that found it ("shift",
    "trend" or None), the run's length, and the start of the process whose chart showed the change."""
    x = np.array([np.nan if v is None else float(v) for v in values], dtype=float)
    start, found_by, run_length, found_on = 0, None, 0, 0
    while True:
        run = _latest_run(x[start:])
        if run is None:
            return start, found_by, run_length, found_on
        found_on = start
        offset, found_by, run_length = run
        start += offset


def _latest_run(x: np.ndarray) -> tuple[int, str, int] | None:
    """The earliest-starting shift or trend run that reaches the latest point, if the process
    before it had at least MIN_BEFORE points: (its first position, "shift" or "trend", length)."""
    observed = np.flatnonzero(~np.isnan(x))
    if observed.size < spc.MIN_POINTS:
        return None
    centre, sides = spc.latest_signals(x)
    last = int(observed[-1])
    runs = []
    if sides[spc.SHIFT]:
        high = x[last] > centre
        first = last
        while first > 0 and not np.isnan(x[first - 1]) and ((x[first - 1] > centre) if high
                                                             else (x[first - 1] < centre)):
            first -= 1
        runs.append((first, spc.SHIFT))
    if sides[spc.TREND]:
        rising = x[last] > x[last - 1]
        first = last - 1
        while first > 0 and not np.isnan(x[first - 1]) and ((x[first] > x[first - 1]) if rising
                                                            else (x[first] < x[first - 1])):
            first -= 1
        runs.append((first, spc.TREND))
    # Never within the first points: the process before the change must have been long enough to be
    # a process of its own, as long as a shift needs.
    valid = [(first, rule) for first, rule in runs if np.count_nonzero(~np.isnan(x[:first])) >= MIN_BEFORE]
    if not valid:
        return None
    first, rule = min(valid)
    return first, rule, int(np.count_nonzero(~np.isnan(x[first:last + 1])))


def _assurance(chart: spc.XmrResult, season: Seasonality, series: pd.Series, target: float | None,
               higher_is_better: bool | None) -> tuple[str | None, str | None]:
    assurance = chart.assurance
    if assurance is None or target is None:
        return assurance, None
    if season.seasonal:
        # The target must be met (or missed) in every month, the weakest and strongest included.
        low, high = chart.lower + min(season.effects), chart.upper + max(season.effects)
        assurance = "hit_or_miss" if low <= target <= high else (
            "fail" if (target > high) == higher_is_better else "pass")
    latest = series.dropna()
    value = float(latest.iloc[-1])
    meets = value >= target if higher_is_better else value <= target
    # The latest value is beyond a limit on the far side of the target: perhaps the start of a
    # change, too soon to say, and an icon saying the opposite of the figure beside it helps nobody.
    if assurance == "fail" and meets:
        return None, "Latest value meets the target, beyond the usual range: too soon to judge"
    if assurance == "pass" and not meets:
        return None, "Latest value misses the target, beyond the usual range: too soon to judge"
    return assurance, None


def _position(index: pd.Index, override: Override) -> int:
    """The position an override names: a whole number, or the first period at or after a date."""
    if isinstance(override, bool):
        raise ValueError(f"a rebase override must be a position, a period or 'off', not {override!r}")
    if isinstance(override, (int, np.integer)):
        if override < 0:
            raise ValueError(f"a rebase position counts from 0 and cannot be negative: {override}")
        return int(override)
    if not isinstance(index, pd.DatetimeIndex):
        raise ValueError("a rebase at a date needs periods that are dates")
    try:
        when = pd.Timestamp(override)
    except (TypeError, ValueError) as error:
        raise ValueError(f"a rebase override must be a position, a period or 'off', not {override!r}") from error
    return int(index.searchsorted(when))


def parse_override(text: str | None) -> Override:
    """A rebase override as held in a URL: '' or 'auto' → None, 'off', or '2026-03' → that month."""
    if text is None or not str(text).strip() or str(text).strip().lower() == "auto":
        return None
    text = str(text).strip().lower()
    if text in (OFF, "none", "no"):
        return OFF
    try:
        return pd.Timestamp(text)
    except (TypeError, ValueError):
        return None


# --------------------------------------------------------------------------- periods and words


def _frequency(index: pd.Index) -> str | None:
    if not isinstance(index, pd.DatetimeIndex):
        return None
    if len(index) < 2:
        return "monthly"
    days = float(np.median(np.diff(index.values).astype("timedelta64[s]").astype(float))) / 86_400
    return "weekly" if days <= 8 else "quarterly" if days >= 80 else "monthly"


def _label(index: pd.Index, position: int) -> str:
    frequency = _frequency(index)
    if frequency is None:
        return f"point {position + 1}"
    period = index[position]
    if frequency == "quarterly":
        return quarter_label(period)
    if frequency == "weekly":
        return f"w/c {period.day} {period:%b %Y}"
    return month_label(period)


def _unit(frequency: str | None, count: int) -> str:
    word = {"weekly": "week", "quarterly": "quarter", None: "point"}.get(frequency, "month")
    return word if count == 1 else word + "s"


def _span(index: pd.DatetimeIndex, months: int) -> str:
    length = f"{months // 12} years" if months % 12 == 0 and months >= 24 else f"{months} months"
    return f"{length} ({month_label(index[0])} to {month_label(index[-1])})"


# --------------------------------------------------------------------------- year-end projection


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
    reasoning = [f"Financial year {fy} so far: {n} {_unit(unit, n)} averaging {fmt(float(so_far.mean()))}."]
    if remaining:
        since = (f"since {_label(judgement.series.index, judgement.start)}, {judgement.n_points} "
                 f"{_unit(unit, judgement.n_points)}" if judgement.start
                 else f"all {judgement.n_points} {_unit(unit, judgement.n_points)}")
        seasonal = judgement.seasonality.seasonal
        reasoning += [
            f"The current process ({since}) averages {fmt(mean)}{' once the season is allowed for' * seasonal}; "
            f"a single {_unit(unit, 1)} normally falls between {fmt(chart.lower if chart.lower is not None else mean)}"
            f" and {fmt(chart.upper if chart.upper is not None else mean)}"
            f"{', give or take its usual seasonal difference' * seasonal}.",
            f"If the remaining {remaining} {_unit(unit, remaining)} to {year_end:%-d %B %Y} follow it"
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


@dataclass(frozen=True)
class Tally:
    """How many KPIs each verdict has, for the sentence above the matrix."""

    kpis: int = 0
    improving: int = 0
    getting_worse: int = 0
    changed: int = 0  # special cause with no better direction, or on both sides
    no_change: int = 0
    not_judged: int = 0  # too few points, or no figures at all
    on_track: int = 0
    at_risk: int = 0
    will_miss: int = 0

    def sentence(self, year_end: str = "31 March") -> str:
        """'Of 11 KPIs, 4 are improving, … By 31 March 6 are on track and 5 will miss.'"""
        if not self.kpis:
            return "There are no KPIs to judge."

        def say(n: int, one: str, many: str) -> str:
            return f"{n} {one if n == 1 else many}"

        parts = [say(n, one, many) for n, one, many in (
            (self.improving, "is improving", "are improving"),
            (self.getting_worse, "is getting worse", "are getting worse"),
            (self.changed, "has changed", "have changed"),
            (self.no_change, "shows no significant change", "show no significant change"),
            (self.not_judged, "cannot be judged yet", "cannot be judged yet")) if n]
        text = f"Of {say(self.kpis, 'KPI', 'KPIs')}, {_and(parts)}."
        ends = [say(n, one, many) for n, one, many in (
            (self.on_track, "is on track", "are on track"), (self.at_risk, "is at risk", "are at risk"),
            (self.will_miss, "will miss", "will miss")) if n]
        return text + (f" By {year_end} {_and(ends)}." if ends else "")


def tally(rows: Iterable[tuple[Judgement | None, Projection | None]]) -> Tally:
    """Count each verdict over (judgement, projection) pairs; None is a KPI without figures."""
    counts = dict.fromkeys(("kpis", "improving", "getting_worse", "changed", "no_change", "not_judged",
                            "on_track", "at_risk", "will_miss"), 0)
    words = {"improvement": "improving", "concern": "getting_worse", "neutral": "changed",
             "common_cause": "no_change", None: "not_judged"}
    for judgement, projection in rows:
        counts["kpis"] += 1
        counts[words[judgement.variation if judgement else None]] += 1
        if projection is not None:
            counts[projection.status.replace(" ", "_")] += 1
    return Tally(**counts)


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
