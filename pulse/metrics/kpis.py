"""KPIs judged as Making Data Count does: the catalogue, each KPI's series and XmR chart, the
summary matrix, before and after an event, the year-end projection and the digital health index.

Pure: data in, data out. Pages fetch query results (a `fetch(query_name)` callable) and draw what
these functions return. Choices the design leaves open, made here and tested in tests/test_kpis.py:

- A KPI's value for a period is hidden (NaN, so SPC treats it as missing) when it rests on fewer
  records than the small-number threshold; the matrix and charts never show it.
- Query KPIs come by month. A quarterly KPI adds up numerators and denominators over complete
  quarters; a KPI whose value is not numerator ÷ denominator (a median) cannot be combined and
  stays monthly, with a note. A weekly KPI needs weekly data, so a monthly query stays monthly.
  Hand-reported values are placed on their frequency's calendar (weeks from Monday) and averaged
  when more than one falls in a period.
- Before and after an event: the period containing the event starts "after". Up to 12 periods
  either side are compared, because a longer span lets any slow drift pass for a step. It is a
  signal when both (a) the after periods break the before periods' process, judged by its mean and
  limits (7 in a row on one side of the before mean, or a point beyond its limits), and (b) the
  two means differ by at least 3 standard errors (each side's spread from its own moving ranges),
  so one skewed run or one odd month is not taken for a change. When the KPI was already rising
  or falling before the event (a straight line through up to 24 periods before it, with a slope of
  at least 1.5 standard errors), the after periods are judged against that trend carried on
  instead of the flat mean, so a steady rise is not credited to whatever happened in the middle
  of it. When the periods before were not steady (special cause even allowing for a trend), or are
  too few, the verdict is "unclear": a change cannot be put down to the event.
- The projection runs to the end of the financial year (31 March) containing the latest value:
  the year's average of the values so far, plus the remaining periods at the current process's
  mean (its last 12 points); at worst and at best those periods average 3 standard errors worse
  or better. On track when even the worst case meets the target, will miss when even the best
  case does not, at risk between.
- Digital health index (CityScore): each KPI's latest value ÷ target (target ÷ value when lower
  is better), kept between 0 and 1.25, averaged. A KPI without a target, polarity or latest value,
  or with a target at or below zero when higher is better, is left out and listed with the reason.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from urllib.parse import quote

import numpy as np
import pandas as pd

from pulse.charts.spc import sparkline
from pulse.filters import Filters
from pulse.formatting import fmt_value, month_label, quarter_label
from pulse.icons import assurance_icon, assurance_label, variation_icon, variation_label
from pulse.metrics import spc
from pulse.metrics.suppression import default_threshold, rate_visible, suppress_count

REQUIRED_COLUMNS = ("period", "numerator", "denominator", "value")
FREQUENCIES = ("weekly", "monthly", "quarterly")
HEALTH_CAP = 1.25
WINDOW = spc.MIN_POINTS  # periods either side of an event, as Making Data Count's baseline
MIN_BEFORE = 8  # fewer and the before mean and limits are too uncertain to judge a change against
MIN_AFTER = 3
SIGNAL_Z = 3.0
DRIFT_T = 1.5  # a trend before an event is allowed for when its slope is at least this many standard errors
YEAR_END_MONTH = 3  # UK councils' financial year ends on 31 March
NO_CHALLENGE = "Other measures"

# Plain-language formulas for the definition card; a council's own query says its own in its header.
FORMULAS = {
    "manual": "Reported by hand: values come from the kpi_values file, one per period.",
    "kpi_digital_takeup_by_month": "Requests made online or in the app ÷ all requests (GOV.UK).",
    "kpi_completion_rate_by_month": "Closed requests with a successful outcome (completed, or told they "
    "are not eligible) ÷ closed requests (GOV.UK).",
    "kpi_user_satisfaction_by_month": "Ratings of 4 or 5 ÷ all ratings on the 5-point scale (GOV.UK).",
    "kpi_cost_per_transaction_by_month": "Σ requests × unit cost of their channel ÷ requests (GOV.UK).",
    "kpi_resolved_within_target_by_month": "Requests closed by their due date ÷ closed requests that had a "
    "due date, by the month they were closed.",
    "kpi_first_contact_resolution_by_month": "Requests resolved at the first contact ÷ requests where "
    "first-contact resolution was recorded.",
    "kpi_median_days_to_resolve_by_month": "The median number of days from a request being made to its "
    "being closed, by the month it was closed.",
    "kpi_net_satisfaction_by_month": "(Good − poor) ÷ all rated responses, from −1 to +1 (GovMetric); "
    "4–5 is good, 3 average, 1–2 poor.",
    "kpi_repeat_contact_by_month": "Requests made within 7 days of an earlier request from the same "
    "customer about the same service ÷ requests with a customer reference.",
    "kpi_channel_shift_saving_by_month": "What requests would have cost at the baseline period's channel "
    "mix − what they cost at the actual mix, per request.",
}


@dataclass(frozen=True)
class Kpi:
    """One KPI of the catalogue: what it measures, which way is better, its target and owner."""

    id: str
    name: str
    challenge: str = NO_CHALLENGE
    unit: str = ""
    polarity: str | None = None
    target: float | None = None
    definition: str = "manual"
    owner: str | None = None
    frequency: str = "monthly"

    @property
    def higher_is_better(self) -> bool | None:
        """True when higher is better, False when lower is, None when neither."""
        return {"higher": True, "lower": False}.get(self.polarity or "")

    @property
    def is_manual(self) -> bool:
        """Whether values are reported by hand (kpi_values) rather than computed by a query."""
        return self.definition == "manual"

    def fmt(self, value: float | None) -> str:
        """A value of this KPI in its unit, as the page shows it."""
        if self.unit == "%":
            return fmt_value(value, "%", 1 if value is not None and abs(value) < 0.1 else 0)
        if self.unit == "£" and value is not None and not pd.isna(value) and abs(value) >= 100:
            return fmt_value(value, "£", 0)
        if self.unit in ("£", "days", "score") or value is None or pd.isna(value):
            return fmt_value(value, self.unit)
        return spc.format_number(float(value))


# The built-in KPIs, used when a council has not supplied a catalogue (no targets or owners yet).
BUILT_IN = tuple(
    Kpi(id_, name, challenge, unit, polarity, None, f"kpi_{id_}_by_month")
    for id_, name, challenge, unit, polarity in (
        ("digital_takeup", "Digital take-up", "Residents can do it online", "%", "higher"),
        ("completion_rate", "Completion rate", "Residents can do it online", "%", "higher"),
        ("cost_per_transaction", "Cost per transaction", "Residents can do it online", "£", "lower"),
        ("channel_shift_saving", "Channel-shift saving per request", "Residents can do it online", "£", "higher"),
        ("resolved_within_target", "Requests resolved within target", "Requests are resolved quickly", "%", "higher"),
        ("median_days_to_resolve", "Median days to resolve", "Requests are resolved quickly", "days", "lower"),
        ("first_contact_resolution", "Resolved at first contact", "Requests are resolved quickly", "%", "higher"),
        ("repeat_contact", "Repeat contacts within 7 days", "Requests are resolved quickly", "%", "lower"),
        ("user_satisfaction", "User satisfaction", "Residents are satisfied", "%", "higher"),
        ("net_satisfaction", "Net satisfaction", "Residents are satisfied", "score", "higher"),
    )
)


def catalogue(frame: pd.DataFrame) -> tuple[Kpi, ...]:
    """The council's KPIs from the kpis table's rows, or the built-in ones when it has none."""
    if frame is None or frame.empty:
        return BUILT_IN

    def text(value: object) -> str | None:
        return None if value is None or pd.isna(value) or not str(value).strip() else str(value).strip()

    kpis = []
    for row in frame.to_dict("records"):
        target = row.get("target")
        kpis.append(Kpi(
            id=str(row["id"]),
            name=text(row.get("name")) or str(row["id"]),
            challenge=text(row.get("challenge")) or NO_CHALLENGE,
            unit=text(row.get("unit")) or "",
            polarity=text(row.get("polarity")) if text(row.get("polarity")) in ("higher", "lower") else None,
            target=None if target is None or pd.isna(target) else float(target),
            definition=text(row.get("definition")) or "manual",
            owner=text(row.get("owner")),
            frequency=text(row.get("frequency")) if text(row.get("frequency")) in FREQUENCIES else "monthly",
        ))
    return tuple(kpis)


def formula(kpi: Kpi, sql: str | None = None) -> str:
    """The KPI's formula in words: the built-in wording, else its query's header comment."""
    if kpi.definition in FORMULAS:
        return FORMULAS[kpi.definition]
    if not sql:
        return f"Computed by queries/{kpi.definition}.sql."
    lines = []
    for line in sql.splitlines():
        if not line.startswith("--"):
            break
        words = line[2:].strip()
        if words.startswith("$") or words.lower().startswith("no parameters"):
            break
        lines.append(words)
    return " ".join(lines) or f"Computed by queries/{kpi.definition}.sql."


@dataclass(frozen=True, eq=False)
class KpiResult:
    """A KPI's series for the current filters and its XmR chart, or the reason there is none."""

    kpi: Kpi
    series: pd.Series = field(default_factory=lambda: pd.Series(dtype=float))
    chart: spc.XmrResult | None = None
    problem: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether there is a series to show."""
        return self.problem is None

    @property
    def latest(self) -> tuple[pd.Timestamp | None, float | None]:
        """The latest period with a value shown, and that value."""
        shown = self.series.dropna()
        if shown.empty:
            return None, None
        return shown.index[-1], float(shown.iloc[-1])


def evaluate(kpi: Kpi, fetched: pd.DataFrame | BaseException, threshold: int | None = None) -> KpiResult:
    """Judge one KPI from what its query (or kpi_values) returned, or the error it raised."""
    if isinstance(fetched, BaseException):
        return KpiResult(kpi, problem=_error_message(kpi, fetched))
    threshold = default_threshold() if threshold is None else threshold
    frame = fetched
    if kpi.is_manual:
        frame = frame.assign(numerator=np.nan, denominator=np.nan) if "value" in frame else frame
    missing = [c for c in REQUIRED_COLUMNS if c not in frame.columns]
    if missing:
        got = ", ".join(map(str, frame.columns)) or "no columns"
        return KpiResult(kpi, problem=f"Its query returned {got}; a KPI query must return period, numerator, "
                                      f"denominator and value (missing {', '.join(missing)}).")
    if frame.empty:
        return KpiResult(kpi, problem="No data for these filters." if not kpi.is_manual
                         else "No values reported for this period (kpi_values).")
    if "without_ref" in frame and not frame["denominator"].fillna(0).any():
        return KpiResult(kpi, problem="Not available: none of these service requests has a customer_ref, "
                                      "which repeat contact needs.")
    try:
        frame = frame.assign(period=pd.to_datetime(frame["period"]),
                             value=pd.to_numeric(frame["value"]).astype(float),
                             numerator=pd.to_numeric(frame["numerator"]).astype(float),
                             denominator=pd.to_numeric(frame["denominator"]).astype(float))
    except (TypeError, ValueError) as error:
        return KpiResult(kpi, problem=f"Its query returned values that are not numbers or dates: {error}.")
    frame, notes = resample(frame, kpi)
    small = frame["denominator"].notna() & ~frame["denominator"].map(lambda d: rate_visible(d, threshold)).astype(bool)
    if small.any():
        count = int(small.sum())
        notes.append(f"{count} {_unit_word(kpi, count)} based on fewer than {threshold} records "
                     f"{'is' if count == 1 else 'are'} not shown.")
    values = frame["value"].mask(small)
    series = _on_calendar(pd.Series(values.to_numpy(), index=pd.DatetimeIndex(frame["period"])), kpi)
    if series.dropna().empty:
        return KpiResult(kpi, series, problem="Every period rests on too few records to show.", notes=tuple(notes))
    chart = spc.xmr(series, target=kpi.target, higher_is_better=kpi.higher_is_better)
    return KpiResult(kpi, series, chart, notes=tuple(notes))


def evaluate_all(kpis: Iterable[Kpi], fetch: Callable[[str], pd.DataFrame], manual: pd.DataFrame,
                 threshold: int | None = None) -> list[KpiResult]:
    """Judge every KPI; one whose query fails gets a message, and the rest still work."""
    results = []
    answers: dict[str, pd.DataFrame | BaseException] = {}  # KPIs often share a query: run each once
    for kpi in kpis:
        if kpi.is_manual:
            fetched: pd.DataFrame | BaseException = manual.loc[manual["kpi_id"] == kpi.id, ["period", "value"]]
        else:
            if kpi.definition not in answers:
                try:
                    answers[kpi.definition] = fetch(kpi.definition)
                # A council's own SQL can fail in any way; the page must still show every other KPI.
                except Exception as error:  # noqa: BLE001
                    answers[kpi.definition] = error
            fetched = answers[kpi.definition]
        results.append(evaluate(kpi, fetched, threshold))
    return results


def resample(frame: pd.DataFrame, kpi: Kpi) -> tuple[pd.DataFrame, list[str]]:
    """The KPI's rows at its own frequency, and notes on anything that could not be done."""
    frame = frame.sort_values("period")
    notes: list[str] = []
    if kpi.is_manual:
        snapped = frame.assign(period=_period_start(frame["period"], kpi.frequency))
        if snapped["period"].duplicated().any():
            notes.append(f"Several values fall in one {_unit_word(kpi, 1)}: their average is shown.")
        grouped = snapped.groupby("period", as_index=False)["value"].mean()
        return grouped.assign(numerator=np.nan, denominator=np.nan), notes
    if kpi.frequency == "weekly":
        notes.append("Its query gives monthly values, so it is shown by month, not by week.")
    if kpi.frequency != "quarterly":
        return frame.reset_index(drop=True), notes
    ratio = frame["numerator"] / frame["denominator"]
    if frame["numerator"].isna().any() or not np.allclose(ratio, frame["value"], equal_nan=True):
        notes.append("Its monthly values cannot be combined into quarters (not a ratio), so it is shown by month.")
        return frame.reset_index(drop=True), notes
    quarters = frame.assign(period=_period_start(frame["period"], "quarterly"))
    grouped = quarters.groupby("period").agg(numerator=("numerator", "sum"), denominator=("denominator", "sum"),
                                             months=("numerator", "size"))
    if (grouped["months"] < 3).any():
        notes.append("Quarters with fewer than three months of data are left out.")
    grouped = grouped[grouped["months"] == 3].reset_index()
    return grouped.assign(value=grouped["numerator"] / grouped["denominator"]).drop(columns="months"), notes


def _period_start(periods: pd.Series, frequency: str) -> pd.Series:
    stamps = pd.to_datetime(periods)
    code = {"weekly": "W-SUN", "quarterly": "Q"}.get(frequency, "M")
    return stamps.dt.to_period(code).dt.start_time


def _on_calendar(series: pd.Series, kpi: Kpi) -> pd.Series:
    """Every period from the first to the last, so a missing one is a gap, not a join."""
    if series.empty:
        return series.astype(float)
    frequency = kpi.frequency if kpi.is_manual or kpi.frequency == "quarterly" else "monthly"
    if kpi.frequency == "quarterly" and not _is_quarterly(series.index):
        frequency = "monthly"
    step = {"weekly": "W-MON", "quarterly": "QS", "monthly": "MS"}[frequency]
    full = pd.date_range(series.index.min(), series.index.max(), freq=step)
    return series.reindex(full.union(series.index)).astype(float).rename_axis("period")


def _is_quarterly(index: pd.DatetimeIndex) -> bool:
    return bool(((index.month - 1) % 3 == 0).all()) and (len(index) < 2 or index.to_series().diff().min().days > 31)


def _unit_word(kpi: Kpi, count: int) -> str:
    word = {"weekly": "week", "quarterly": "quarter"}.get(kpi.frequency, "month")
    if kpi.frequency == "weekly" and not kpi.is_manual:
        word = "month"
    return word if count == 1 else word + "s"


def _error_message(kpi: Kpi, error: BaseException) -> str:
    if isinstance(error, KeyError) and "no query named" in str(error):
        return f"Its definition names queries/{kpi.definition}.sql, which does not exist."
    first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return f"Its query queries/{kpi.definition}.sql failed: {first[:200]}"


# --------------------------------------------------------------------------- the summary matrix

VARIATION_WORDS = {
    "common_cause": "No significant change",
    "improvement": "Improving",
    "concern": "Getting worse",
    "neutral": "Changed",
}
ASSURANCE_WORDS = {
    "pass": "Always meets target",
    "fail": "Can't meet target",
    "hit_or_miss": "Hit and miss",
}


def period_label(period: pd.Timestamp | None, kpi: Kpi) -> str:
    """'Oct 2026', 'Q3 2026' or 'w/c 5 Oct 2026', by the KPI's frequency."""
    if period is None:
        return "–"
    if kpi.frequency == "quarterly" and _is_quarterly(pd.DatetimeIndex([period])):
        return quarter_label(period)
    if kpi.frequency == "weekly" and kpi.is_manual:
        return f"w/c {period.day} {period:%b %Y}"
    return month_label(period)


def variation_words(result: KpiResult) -> str:
    """The latest point's variation in plain words."""
    if not result.ok:
        return "No figures"
    chart = result.chart
    if chart is None or chart.variation is None:
        return f"Too few points ({chart.n_points if chart else 0} of {spc.MIN_POINTS})"
    return VARIATION_WORDS[chart.variation]


def assurance_words(result: KpiResult) -> str:
    """Whether the target will be met, in plain words."""
    if not result.ok:
        return ""
    if result.kpi.target is None:
        return "No target set"
    if result.chart is None or result.chart.variation is None:
        return "Too few points"
    if result.kpi.higher_is_better is None:
        return "No better direction"
    return ASSURANCE_WORDS[result.chart.assurance]


def data_uri(svg: str) -> str:
    """An SVG as a data URI, for a table's image column."""
    return "data:image/svg+xml;utf8," + quote(svg)


def sparkline_svg(result: KpiResult, width: int = 120, height: int = 32) -> str:
    """A small line of the KPI's values, the target dashed and the latest point coloured by variation."""
    variation = result.chart.variation if result.chart else None
    return sparkline(result.series, target=result.kpi.target, variation=variation, width=width, height=height,
                     label=f"{result.kpi.name}: trend of the last {len(result.series.dropna())} values")


def matrix(results: Iterable[KpiResult], projections: Mapping[str, Projection | None] | None = None) -> pd.DataFrame:
    """One row per KPI, grouped by challenge: latest value, target, icons and words, trend."""
    rows = []
    projections = projections or {}
    results = list(results)
    order = list(dict.fromkeys(r.kpi.challenge for r in results))
    for result in sorted(results, key=lambda r: order.index(r.kpi.challenge)):
        kpi = result.kpi
        period, value = result.latest
        chart = result.chart
        variation = chart.variation if chart else None
        side = chart.side if chart else None
        assurance = chart.assurance if chart else None
        outlook = projections.get(kpi.id)
        rows.append({
            "id": kpi.id,
            "challenge": kpi.challenge,
            "group": "" if rows and rows[-1]["challenge"] == kpi.challenge else kpi.challenge,
            "kpi": kpi.name,
            "latest": kpi.fmt(value),
            "period": period_label(period, kpi),
            "target": kpi.fmt(kpi.target) if kpi.target is not None else "–",
            "variation_icon": (data_uri(variation_icon(variation, kpi.higher_is_better, side=side))
                               if result.ok else None),
            "variation": variation_words(result),
            "variation_label": variation_label(variation, kpi.higher_is_better, side) if result.ok else result.problem,
            "assurance_icon": data_uri(assurance_icon(assurance)) if result.ok else None,
            "assurance": assurance_words(result),
            "assurance_label": assurance_label(assurance) if result.ok else "",
            "year_end": outlook.status.capitalize() if outlook else "",
            "trend": data_uri(sparkline_svg(result)) if result.ok else None,
            "note": result.problem or " ".join(result.notes),
        })
    return pd.DataFrame(rows, columns=["id", "challenge", "group", "kpi", "latest", "period", "target",
                                       "variation_icon", "variation", "variation_label", "assurance_icon",
                                       "assurance", "assurance_label", "year_end", "trend", "note"])


def summary(results: Iterable[KpiResult], projections: Mapping[str, Projection | None]) -> str:
    """The matrix in one sentence: how many KPIs improve or worsen, and how many will meet target."""
    results = list(results)
    counts = pd.Series([r.chart.variation if r.ok and r.chart else None for r in results]).value_counts()
    def verb(n: int, one: str, many: str) -> str:
        return f"{n} {one if n == 1 else many}"

    said = (("improvement", "is improving", "are improving"), ("concern", "is getting worse", "are getting worse"),
            ("neutral", "has changed", "have changed"), ("common_cause", "shows no significant change",
                                                         "show no significant change"))
    parts = [verb(int(counts[k]), one, many) for k, one, many in said if counts.get(k, 0)]
    unjudged = len(results) - int(counts.sum())
    if unjudged:
        parts.append(verb(unjudged, "cannot be judged yet", "cannot be judged yet"))
    text = f"Of {len(results)} KPIs, " + (", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else
                                           "".join(parts)) + "."
    years = pd.Series([p.status for p in projections.values() if p]).value_counts()
    if not years.empty:
        ends = [verb(int(years[k]), f"is {k}" if k != "will miss" else k, f"are {k}" if k != "will miss" else k)
                for k in ("on track", "at risk", "will miss") if k in years]
        text += " By 31 March " + (", ".join(ends[:-1]) + " and " + ends[-1] if len(ends) > 1 else ends[0]) + "."
    return text


def default_baseline(first: date | None, last: date | None) -> tuple[date | None, date | None]:
    """The channel-shift baseline unless the reader picks one: the data's first twelve months."""
    if first is None:
        return None, None
    end = (pd.Timestamp(first) + pd.DateOffset(years=1) - pd.Timedelta(days=1)).date()
    return first, min(end, last) if last else end


def problems(results: Iterable[KpiResult]) -> pd.DataFrame:
    """KPIs that cannot be shown and why, for the Data page."""
    rows = [{"kpi": r.kpi.id, "name": r.kpi.name, "definition": r.kpi.definition, "problem": r.problem}
            for r in results if not r.ok]
    return pd.DataFrame(rows, columns=["kpi", "name", "definition", "problem"])


def headline(result: KpiResult) -> str:
    """A chart title that states the message: 'Digital take-up is improving: 58% in Oct 2026'."""
    kpi = result.kpi
    period, value = result.latest
    if value is None:
        return kpi.name
    verb = {"improvement": "is improving", "concern": "is getting worse", "neutral": "has changed",
            "common_cause": "shows no significant change"}.get(result.chart.variation if result.chart else None,
                                                               "is not judged yet")
    target = f" (target {kpi.fmt(kpi.target)})" if kpi.target is not None else ""
    return f"{kpi.name} {verb}: {kpi.fmt(value)} in {period_label(period, kpi)}{target}"


def data_through(result: KpiResult, last_dates: Mapping[str, date | None], sql: str | None = None,
                 date_to: date | None = None) -> date | None:
    """The last day the KPI's figures cover: its source's last record, or its last reported period."""
    if result.kpi.is_manual:
        period, _ = result.latest
        if period is None:
            return None
        length = {"weekly": pd.DateOffset(weeks=1), "quarterly": pd.DateOffset(months=3)}.get(
            result.kpi.frequency, pd.DateOffset(months=1))
        day = (period + length - pd.Timedelta(days=1)).date()
    else:
        source = "feedback" if sql and "filtered_feedback" in sql else "service_requests"
        day = last_dates.get(source)
        if day is None or pd.isna(day):
            return None
        day = pd.Timestamp(day).date()
    return min(day, date_to) if date_to else day


# --------------------------------------------------------------------------- before and after


@dataclass(frozen=True, eq=False)
class BeforeAfter:
    """A KPI either side of an event: each side's mean and limits, and whether the change is real."""

    verdict: str  # "signal", "noise" or "unclear"
    direction: str | None  # "improvement", "concern" or "neutral" when the level moved
    sentence: str
    reasons: tuple[str, ...]
    chart: spc.XmrResult | None
    before_mean: float | None = None
    before_lower: float | None = None
    before_upper: float | None = None
    after_mean: float | None = None
    expected: float | None = None  # what the after periods would average with no change at the event
    drift: float | None = None  # change per period already under way before the event, when there was one
    n_before: int = 0
    n_after: int = 0
    longest_run: int = 0
    beyond_limits: int = 0
    z: float | None = None

    @property
    def judged(self) -> bool:
        """Whether there were enough periods either side to compare at all."""
        return self.n_before >= MIN_BEFORE and self.n_after >= MIN_AFTER


def before_after(series: pd.Series, event_date: date, kpi: Kpi, label: str = "the event",
                 window: int = WINDOW) -> BeforeAfter:
    """Compare up to `window` periods before an event with as many from it, limits rebased at it."""
    series = series.astype(float)
    start = _period_start(pd.Series([pd.Timestamp(event_date)]), _calendar(kpi)).iloc[0]
    history = series[series.index < start].dropna()
    before = history.tail(window)
    after = series[series.index >= start].dropna().head(window)
    when = period_label(start, kpi)
    name = f"“{label}” ({pd.Timestamp(event_date):%-d %b %Y})"
    first = before.index.min() if len(before) else start
    last = after.index.max() if len(after) else start - pd.Timedelta(days=1)
    shown = series[(series.index >= first) & (series.index <= last)]
    chart = (spc.xmr(shown, target=kpi.target, higher_is_better=kpi.higher_is_better,
                     rebase_at=[int((shown.index < start).sum())]) if len(shown) else None)
    word, fmt = _unit_word(kpi, 2), kpi.fmt
    if len(before) < MIN_BEFORE or len(after) < MIN_AFTER:
        need = (f"only {len(before)} {_unit_word(kpi, len(before))} with figures before it (at least {MIN_BEFORE} "
                "are needed to know what normal looked like)" if len(before) < MIN_BEFORE else
                f"only {len(after)} {_unit_word(kpi, len(after))} with figures from it (at least {MIN_AFTER} "
                "are needed)")
        verb = "is" if min(len(before), len(after)) == 1 else "are"
        return BeforeAfter("unclear", None, f"Not enough figures to judge {name}: there {verb} {need}.", (), chart,
                           n_before=len(before), n_after=len(after))

    position = pd.Series(np.arange(len(series), dtype=float), index=series.index)
    baseline = _baseline(history.tail(2 * window), position, window)
    x_after = position[after.index].to_numpy()
    expected_values = baseline.level(x_after)
    expected = float(expected_values.mean())
    values = after.to_numpy()
    after_mean = float(values.mean())
    after_fit = spc.xmr(values, higher_is_better=kpi.higher_is_better)
    run = max(_longest(values > expected_values), _longest(values < expected_values))
    beyond = int((np.abs(values - expected_values) > 3 * baseline.sigma).sum()) if baseline.sigma else 0
    spread = _sigma(after_fit)
    spread = baseline.sigma if spread is None else spread
    error = math.sqrt(spread**2 / len(values) + baseline.error(x_after) ** 2)
    moved = after_mean - expected
    z = (moved / error) if error else (math.inf if moved else 0.0)
    direction = None
    if moved:
        direction = "neutral" if kpi.higher_is_better is None else (
            "improvement" if (moved > 0) == kpi.higher_is_better else "concern")

    change = (f"{kpi.name} averaged {fmt(after_mean)} in the {len(after)} {_unit_word(kpi, len(after))} from {when}, "
              f"against {fmt(before.mean())} in the {len(before)} before")
    if baseline.drift is None:
        reasons = [f"Before: mean {fmt(before.mean())}, normal range {fmt(baseline.mean - 3 * baseline.sigma)} to "
                   f"{fmt(baseline.mean + 3 * baseline.sigma)} (process limits)."]
    else:
        reasons = [f"Before: mean {fmt(before.mean())}; a {_unit_word(kpi, 1)} normally fell within "
                   f"{_per_period(kpi, 3 * baseline.sigma)} of its trend line (process limits).",
                   f"It was already {'rising' if baseline.drift > 0 else 'falling'} by about "
                   f"{_per_period(kpi, abs(baseline.drift))} a {_unit_word(kpi, 1)} before the event, so the "
                   f"{word} after are compared with that trend carried on, which gives {fmt(expected)} on average."]
    reasons += [
        f"After: mean {fmt(after_mean)}, normal range {fmt(after_fit.lower)} to {fmt(after_fit.upper)}.",
        f"Longest run of {word} on one side of {'the trend' if baseline.drift is not None else 'the before mean'}: "
        f"{run} (7 or more is a shift).",
        f"{word.capitalize()} beyond the before limits: {beyond}.",
        f"The change is {abs(z):.1f} times what month-to-month noise alone would give ({SIGNAL_Z:.0f} or more is a "
        "signal)." if math.isfinite(z) else "The values did not vary at all, so any change is a change.",
    ]
    common = dict(chart=chart, before_mean=float(before.mean()), before_lower=baseline.mean - 3 * baseline.sigma,
                  before_upper=baseline.mean + 3 * baseline.sigma, after_mean=after_mean, expected=expected,
                  drift=baseline.drift, n_before=len(before), n_after=len(after), longest_run=run,
                  beyond_limits=beyond, z=z)
    if baseline.unstable:
        reasons.insert(0, f"{baseline.unstable} of the {len(before)} {word} before showed special-cause variation"
                       + (" even allowing for the trend." if baseline.drift is not None else "."))
        return BeforeAfter("unclear", direction, f"{change}, but {kpi.name} was not steady before {name}, so a "
                           "change cannot be put down to it.", tuple(reasons), **common)
    trend = " beyond the trend already under way" if baseline.drift is not None else ""
    if (run >= spc.SHIFT_LENGTH or beyond > 0) and (not math.isfinite(z) or abs(z) >= SIGNAL_Z):
        kind = {"improvement": "an improvement", "concern": "a change for the worse"}.get(direction or "", "a change")
        return BeforeAfter("signal", direction, f"{change}: a signal, not noise. After {name} the process "
                           f"changed{trend}, {kind}.", tuple(reasons), **common)
    if baseline.drift is not None:
        return BeforeAfter("noise", direction, f"{change}: in line with the {'rise' if baseline.drift > 0 else 'fall'} "
                           f"already under way before {name}, so no sign that it changed anything.", tuple(reasons),
                           **common)
    return BeforeAfter("noise", direction, f"{change}: that is noise, within the normal variation of the "
                       f"{word} before, not a signal that {name} changed anything.", tuple(reasons), **common)


@dataclass(frozen=True)
class _Baseline:
    """What the periods before an event say to expect after it: a level, or a trend carried on."""

    mean: float
    sigma: float
    drift: float | None
    intercept: float
    centre: float  # mean position of the periods the trend was fitted on
    spread: float  # Σ (position − centre)², for the uncertainty of the trend carried on
    n: int
    unstable: int

    def level(self, x: np.ndarray) -> np.ndarray:
        """The expected value at each position."""
        if self.drift is None:
            return np.full(len(x), self.mean)
        return self.intercept + self.drift * x

    def error(self, x: np.ndarray) -> float:
        """The standard error of the expected average over positions x."""
        if self.drift is None:
            return self.sigma / math.sqrt(self.n)
        return self.sigma * math.sqrt(1 / self.n + (x.mean() - self.centre) ** 2 / self.spread)


def _baseline(history: pd.Series, position: pd.Series, window: int) -> _Baseline:
    """The last `window` periods' level, or, when the longer history drifts clearly, its trend line."""
    recent = history.tail(window)
    flat = spc.xmr(recent.to_numpy())
    sigma = _sigma(flat) or 0.0
    x, y = position[history.index].to_numpy(), history.to_numpy()
    spread = float(((x - x.mean()) ** 2).sum())
    if len(history) >= MIN_BEFORE and spread > 0:
        slope, intercept = np.polyfit(x, y, 1)
        residual = spc.xmr(y - (intercept + slope * x))
        noise = _sigma(residual) or 0.0
        # A drift is only allowed for when it is clear against the noise; a guessed one would hide real steps.
        if noise > 0 and abs(slope) / (noise / math.sqrt(spread)) >= DRIFT_T:
            unstable = int(residual.points["special_cause"].iloc[-len(recent):].notna().sum())
            return _Baseline(float(recent.mean()), noise, float(slope), float(intercept), float(x.mean()), spread,
                             len(history), unstable)
    unstable = int(flat.points["special_cause"].notna().sum())
    return _Baseline(float(recent.mean()), sigma, None, float(recent.mean()), 0.0, 0.0, len(recent), unstable)


def _per_period(kpi: Kpi, size: float) -> str:
    if kpi.unit == "%":
        return f"{size * 100:.1f} points"
    return kpi.fmt(size) if kpi.unit in ("£", "days", "score") else f"{size:,.3g}"


def events_for(kpi: Kpi, events: pd.DataFrame) -> pd.DataFrame:
    """The events a KPI can be judged against: all for a computed KPI, only council-wide ones for a
    hand-reported KPI, whose figures cannot be narrowed to an event's service or ward."""
    if not kpi.is_manual:
        return events
    return events[events["service"].isna() & events["ward_code"].isna()]


def event_scope(filters: Filters, event: Mapping) -> Filters:
    """The filters narrowed to an event's service and ward, where its effect would show."""
    service, ward = event.get("service"), event.get("ward_code")
    return replace(filters, services=(service,) if isinstance(service, str) else filters.services,
                   wards=(ward,) if isinstance(ward, str) else filters.wards)


def _calendar(kpi: Kpi) -> str:
    if kpi.is_manual or kpi.frequency == "quarterly":
        return kpi.frequency
    return "monthly"


def _longest(mask: np.ndarray) -> int:
    best = run = 0
    for on in mask:
        run = run + 1 if on else 0
        best = max(best, run)
    return best


def _sigma(fit: spc.XmrResult) -> float | None:
    """The spread of single values, from the moving ranges: (upper − lower) ÷ 6."""
    if fit.lower is None or fit.upper is None:
        return None
    return (fit.upper - fit.lower) / 6


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


def projection(result: KpiResult, year_end_month: int = YEAR_END_MONTH) -> Projection | None:
    """Project the financial year's average from the current process; None without a target."""
    kpi = result.kpi
    series = result.series.dropna()
    if kpi.target is None or kpi.higher_is_better is None or series.empty:
        return None
    latest = series.index[-1]
    end_year = latest.year + (1 if latest.month > year_end_month else 0)
    year_end = pd.Timestamp(end_year, year_end_month, 1) + pd.offsets.MonthEnd(0)
    year_start = (year_end - pd.DateOffset(years=1) + pd.Timedelta(days=1)).normalize()
    calendar = _calendar(kpi)
    step = {"weekly": "W-MON", "quarterly": "QS", "monthly": "MS"}[calendar]
    remaining = len(pd.date_range(latest, year_end, freq=step)) - 1
    so_far = series[series.index >= year_start]
    process = spc.xmr(series.tail(WINDOW).to_numpy(), higher_is_better=kpi.higher_is_better)
    sigma = _sigma(process) or 0.0
    mean = process.mean
    n = len(so_far)
    expected = (so_far.sum() + remaining * mean) / (n + remaining)
    spread = 3 * sigma * math.sqrt(remaining) / (n + remaining) if remaining else 0.0
    low, high = expected - spread, expected + spread
    worst, best = (low, high) if kpi.higher_is_better else (high, low)

    def meets(value: float) -> bool:
        return value >= kpi.target if kpi.higher_is_better else value <= kpi.target

    status = "on track" if meets(worst) else "will miss" if not meets(best) else "at risk"
    fmt, word = kpi.fmt, _unit_word(kpi, 2)
    fy = f"{year_start.year}/{str(year_end.year)[2:]}"
    reasoning = [f"Financial year {fy} so far: {n} {_unit_word(kpi, n)} averaging {fmt(so_far.mean())}."]
    if remaining:
        reasoning += [
            f"The current process (the last {min(WINDOW, len(series))} {word}) averages {fmt(mean)}; a single "
            f"{_unit_word(kpi, 1)} normally falls between {fmt(process.lower)} and {fmt(process.upper)}.",
            f"If the remaining {remaining} {_unit_word(kpi, remaining)} to {year_end:%-d %B %Y} follow it, the year "
            f"averages about {fmt(expected)}: {fmt(worst)} at worst, {fmt(best)} at best.",
        ]
    else:
        reasoning.append(f"The year is complete: it averaged {fmt(expected)}.")
    better = "or more" if kpi.higher_is_better else "or less"
    verdict = {"on track": "even at worst the year meets it", "will miss": "even at best the year falls short",
               "at risk": "the year meets it only if the rest goes better than average" if not meets(expected)
               else "the year meets it on average, but not at worst"}[status]
    reasoning.append(f"Target {fmt(kpi.target)} {better}: {verdict}, so {status}.")
    return Projection(status, year_end.date(), float(expected), float(worst), float(best), remaining, tuple(reasoning))


# --------------------------------------------------------------------------- digital health index


@dataclass(frozen=True)
class HealthScore:
    """One KPI's part in the digital health index: its latest value against target, or why not."""

    kpi: Kpi
    actual: float | None
    score: float | None
    reason: str | None = None


def health_score(kpi: Kpi, actual: float | None) -> HealthScore:
    """Latest value ÷ target (target ÷ value when lower is better), kept between 0 and 1.25."""
    if kpi.target is None:
        return HealthScore(kpi, actual, None, "no target")
    if kpi.higher_is_better is None:
        return HealthScore(kpi, actual, None, "no better direction")
    if actual is None or pd.isna(actual):
        return HealthScore(kpi, None, None, "no latest value")
    if kpi.higher_is_better:
        if kpi.target <= 0:
            return HealthScore(kpi, actual, None, "a target at or below zero cannot be divided by")
        ratio = actual / kpi.target
    else:
        if kpi.target < 0:
            return HealthScore(kpi, actual, None, "a target below zero cannot be divided by")
        # Nothing beats zero when lower is better, so zero or less scores the most a KPI can.
        ratio = HEALTH_CAP if actual <= 0 else kpi.target / actual
    return HealthScore(kpi, actual, float(min(max(ratio, 0.0), HEALTH_CAP)))


def health_index(results: Iterable[KpiResult]) -> tuple[float | None, list[HealthScore]]:
    """The CityScore-style digital health index (1.00 = on target on average) and each KPI's part."""
    scores = [health_score(r.kpi, r.latest[1] if r.ok else None) for r in results]
    counted = [s.score for s in scores if s.score is not None]
    return (float(np.mean(counted)) if counted else None), scores


def health_table(scores: Iterable[HealthScore]) -> pd.DataFrame:
    """The index's drill-down: each KPI's latest value, target and score, or why it is left out."""
    return pd.DataFrame([{
        "KPI": s.kpi.name,
        "Latest": s.kpi.fmt(s.actual),
        "Target": s.kpi.fmt(s.kpi.target) if s.kpi.target is not None else "–",
        "Better when": {True: "higher", False: "lower", None: "–"}[s.kpi.higher_is_better],
        "Score": None if s.score is None else round(s.score, 2),
        "Left out because": s.reason or "",
    } for s in scores], columns=["KPI", "Latest", "Target", "Better when", "Score", "Left out because"])


# --------------------------------------------------------------------------- unit costs


def unit_costs_changed(original: pd.DataFrame, edited: pd.DataFrame) -> bool:
    """Whether the reader's unit costs differ from those loaded."""
    key = ["channel", "cost_gbp"]
    a = original[key].sort_values("channel").reset_index(drop=True)
    b = edited[key].dropna(subset=["channel"]).sort_values("channel").reset_index(drop=True)
    return not a.equals(b.astype(a.dtypes.to_dict()))


def cost_per_transaction(by_channel: pd.DataFrame, costs: pd.DataFrame) -> pd.DataFrame:
    """Cost per transaction by month from requests by month × channel and unit costs (same columns as its query)."""
    frame = _costed(by_channel, costs)
    out = frame.groupby("period", as_index=False).agg(numerator=("cost", "sum"), denominator=("costed", "sum"),
                                                      all_requests=("requests", "sum"))
    out["value"] = out["numerator"] / out["denominator"].where(out["denominator"] > 0)
    out["uncosted"] = out.pop("all_requests") - out["denominator"]
    return out[["period", "numerator", "denominator", "value", "uncosted"]]


def channel_shift_saving(by_channel: pd.DataFrame, baseline_by_channel: pd.DataFrame,
                         costs: pd.DataFrame) -> pd.DataFrame:
    """Channel-shift saving by month against the baseline's channel mix (same columns as its query)."""
    base = _costed(baseline_by_channel, costs)
    baseline_cost = base["cost"].sum() / base["costed"].sum() if base["costed"].sum() else np.nan
    monthly = cost_per_transaction(by_channel, costs)
    numerator = monthly["denominator"] * baseline_cost - monthly["numerator"]
    return pd.DataFrame({
        "period": monthly["period"],
        "numerator": numerator,
        "denominator": monthly["denominator"],
        "value": numerator / monthly["denominator"].where(monthly["denominator"] > 0),
        "baseline_cost": baseline_cost,
        "uncosted": monthly["uncosted"],
    })


def _costed(by_channel: pd.DataFrame, costs: pd.DataFrame) -> pd.DataFrame:
    prices = costs.dropna(subset=["channel", "cost_gbp"]).drop_duplicates("channel", keep="last")
    frame = by_channel.merge(prices[["channel", "cost_gbp"]], on="channel", how="left")
    costed = frame["cost_gbp"].notna()
    return frame.assign(cost=frame["requests"] * frame["cost_gbp"].fillna(0),
                        costed=frame["requests"].where(costed, 0))


def saving_sentence(monthly: pd.DataFrame, baseline_from: date, baseline_to: date,
                    public_safe: bool = False) -> str:
    """'Against the channel mix of Nov 2023 to Oct 2024, the 1,234 costed requests cost £567 less (£0.46 a request).'"""
    frame = monthly.dropna(subset=["numerator"])
    requests = frame["denominator"].sum()
    if frame.empty or not requests:
        return "No costed requests to compare with the baseline's channel mix."
    saved = float(frame["numerator"].sum())
    shown = suppress_count(int(requests), public_safe=public_safe)
    count = f"{shown:,}" if isinstance(shown, int) else shown
    return (f"Against the channel mix of {month_label(baseline_from)} to {month_label(baseline_to)}, the "
            f"{count} costed requests in view cost £{abs(saved):,.0f} {'less' if saved >= 0 else 'more'} "
            f"(£{abs(saved) / requests:,.2f} a request).")


def icon_legend() -> list[tuple[str, str]]:
    """Every Making Data Count icon the matrix uses, with its meaning in words."""
    variations = [(variation_icon(v, True, side=s), variation_label(v, True, s))
                  for v, s in (("improvement", "high"), ("concern", "low"), ("neutral", "high"),
                               ("common_cause", None), (None, None))]
    return variations + [(assurance_icon(a), assurance_label(a)) for a in ("pass", "fail", "hit_or_miss", None)]


def costs_source(costs: pd.DataFrame) -> str:
    """Where the unit costs come from, briefly: 'Socitm Insight 2012 (2012)'."""
    if costs.empty:
        return "none loaded"
    sources = costs["source"].fillna("source not given").str.replace(r"\s*\(.*\)$", "", regex=True)
    years = costs["year"].astype("Int64").astype("string").fillna("year not given")
    return "; ".join(f"{s} ({y})" for s, y in dict.fromkeys(zip(sources, years)))
