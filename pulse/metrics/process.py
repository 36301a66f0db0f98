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
- Assurance and the year-end projection (pulse.metrics.projection) use the current process only. With fewer than MIN_POINTS
  points since the change there is no assurance icon but a status ("Process changed in Mar 2026,
  assurance after 4 more months").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property

import numpy as np
import pandas as pd

from pulse.metrics import periods, spc
from pulse.metrics.seasonality import Seasonality, seasonality

MIN_BEFORE = spc.SHIFT_LENGTH  # points the earlier process must have had for a change to be accepted
OFF = "off"

Override = int | str | date | datetime | pd.Timestamp | None


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
        return periods.frequency(self.series.index)

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
        when = periods.label(self.series.index, self.start)
        if self.rebase == "manual":
            return f"Limits recalculated from {when}, as chosen."
        unit = periods.unit(self.frequency, self.run_length)
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
        when = periods.label(series.index, start)
        verb = "changed in" if rebase == "automatic" else "rebased at"
        status = (f"Process {verb} {when}, assurance after {more} more "
                  f"{periods.unit(periods.frequency(series.index), more)}")
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
