"""KPIs: the catalogue, each KPI's monthly (or quarterly, or weekly) series, and its XmR chart.

Pure: query results in, published series and verdicts out. Choices made here, tested in
tests/test_kpis.py:

- A KPI's value for a period is published as a rate through the disclosure gate: hidden (NaN, so
  SPC treats it as a gap) when its denominator is missing or under the small-number threshold, and
  otherwise rounded to display precision, so SPC judges exactly the figures the page shows.
- Query KPIs come by month. A quarterly KPI adds up numerators and denominators over complete
  quarters; a KPI whose value is not numerator ÷ denominator (a median) cannot be combined and
  stays monthly, with a note. A weekly KPI needs weekly data, so a monthly query stays monthly.
  Hand-reported values are placed on their frequency's calendar (weeks from Monday) and averaged
  when more than one falls in a period.

Before and after an event, the year-end projection and the digital health index are in their own
modules beside this one; the words and pictures the KPI page shows are in pulse.pages.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date

import numpy as np
import pandas as pd

from pulse import registry
from pulse.disclosure import Policy
from pulse.filters import Filters
from pulse.formatting import fmt_value
from pulse.metrics import process, spc
from pulse.metrics import projection as projection_

REQUIRED_COLUMNS = ("period", "numerator", "denominator", "value")
FREQUENCIES = ("weekly", "monthly", "quarterly")
NO_CHALLENGE = "Other measures"


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

    def fmt(self, value: float | None, digits: int | None = None) -> str:
        """A value of this KPI in its unit, as the page shows it ('53%', '£1.72', '4.5 days')."""
        if self.unit == "%":
            return fmt_value(value, "%", digits if digits is not None else
                             1 if value is not None and not pd.isna(value) and abs(value) < 0.1 else 0)
        if self.unit == "£" and digits is None and value is not None and not pd.isna(value) and abs(value) >= 100:
            return fmt_value(value, "£", 0)
        if self.unit in ("£", "days", "score") or value is None or pd.isna(value):
            return fmt_value(value, self.unit, digits)
        return spc.format_number(float(value))

    @property
    def formula(self) -> str | None:
        """The built-in definition in words, when the KPI's query is a built-in one."""
        built_in = registry.by_query(self.definition)
        return built_in.formula if built_in else None


# The built-in KPIs (pulse.registry), used when a council has not supplied a catalogue: no targets or owners yet.
BUILT_IN = tuple(Kpi(m.key, m.name, m.challenge, m.unit, m.polarity, None, m.query) for m in registry.BUILT_IN_KPIS)


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


OFF = process.OFF  # a rebase override that switches rebasing off for a KPI
Override = process.Override  # None: the engine decides; OFF; or the period to rebase at
Judgement = process.Judgement  # the chart (chart.chart), the verdicts and where the current process starts


@dataclass(frozen=True, eq=False)
class KpiResult:
    """A KPI's series for the current filters and its judgement, or the reason there is none."""

    kpi: Kpi
    series: pd.Series = field(default_factory=lambda: pd.Series(dtype=float))
    chart: Judgement | None = None  # what judge() says: the XmR chart (chart.chart) and the verdicts
    problem: str | None = None
    notes: tuple[str, ...] = ()
    # Why the data itself fixes this KPI (every request digital, one rating value): shown, never judged.
    uninformative: str | None = None
    # What export would make it work, when the loaded data cannot support it (pulse.metrics.readiness).
    needs: str | None = None

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


def evaluate(kpi: Kpi, fetched: pd.DataFrame | BaseException, policy: Policy | None = None) -> KpiResult:
    """Judge one KPI from what its query (or kpi_values) returned, or the error it raised."""
    if isinstance(fetched, BaseException):
        return KpiResult(kpi, problem=_error_message(kpi, fetched))
    policy = policy or Policy()
    threshold = policy.threshold
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
    if kpi.is_manual:
        values = frame["value"].map(lambda v: policy.round_rate(v, kpi.unit)).astype(float)
    else:
        # The gate's rule for a rate: a known denominator that reaches the threshold, at display precision.
        visible = frame["denominator"].map(policy.rate_visible).astype(bool)
        unknown = int(frame["denominator"].isna().sum())
        small = int((~visible).sum()) - unknown
        if small:
            notes.append(f"{small} {unit_word(kpi, small)} based on fewer than {threshold} records "
                         f"{'is' if small == 1 else 'are'} not shown.")
        if unknown:
            notes.append(f"{unknown} {unit_word(kpi, unknown)} without a denominator from the query "
                         f"{'is' if unknown == 1 else 'are'} not shown: a rate cannot be checked without one.")
        values = frame["value"].where(visible).map(lambda v: policy.round_rate(v, kpi.unit)).astype(float)
    series = on_calendar(pd.Series(values.to_numpy(), index=pd.DatetimeIndex(frame["period"])), kpi)
    if series.dropna().empty:
        if not kpi.is_manual and frame["denominator"].isna().all():
            return KpiResult(kpi, series, problem="Its query gives no denominator, so no value can be checked "
                                                  "against the small-number rule, and none is shown.")
        return KpiResult(kpi, series, problem="Every period rests on too few records to show.", notes=tuple(notes))
    return KpiResult(kpi, series, judge(series, kpi), notes=tuple(notes))


def judge(series: pd.Series, kpi: Kpi, override: Override = None) -> Judgement:
    """The KPI judged on its current process (pulse.metrics.process): the one judgement the KPI page, the
    Overview and the slides share. `override` is a reader's choice: None lets the engine find where the
    current process starts, OFF rebases nowhere, a period rebases the limits there."""
    return process.judge(series, kpi.target, kpi.higher_is_better, override)


def projection(result: KpiResult) -> projection_.Projection | None:
    """Where the financial year ends if the current process carries on; None when not judged or no target."""
    if not result.ok or result.chart is None or result.uninformative:
        return None
    return projection_.project(result.chart, fmt=result.kpi.fmt)


def rejudge(result: KpiResult, override: Override) -> KpiResult:
    """The result judged again with a reader's rebase override (a KPI that is not judged stays as it is)."""
    if result.chart is None:
        return result
    return replace(result, chart=judge(result.series, result.kpi, override))


def evaluate_all(kpis: Iterable[Kpi], fetch: Callable[[str], pd.DataFrame], manual: pd.DataFrame,
                 policy: Policy | None = None) -> list[KpiResult]:
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
        results.append(evaluate(kpi, fetched, policy))
    return results


def resample(frame: pd.DataFrame, kpi: Kpi) -> tuple[pd.DataFrame, list[str]]:
    """The KPI's rows at its own frequency, and notes on anything that could not be done."""
    frame = frame.sort_values("period")
    notes: list[str] = []
    if kpi.is_manual:
        snapped = frame.assign(period=period_start(frame["period"], kpi.frequency))
        if snapped["period"].duplicated().any():
            notes.append(f"Several values fall in one {unit_word(kpi, 1)}: their average is shown.")
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
    quarters = frame.assign(period=period_start(frame["period"], "quarterly"))
    grouped = quarters.groupby("period").agg(numerator=("numerator", "sum"), denominator=("denominator", "sum"),
                                             months=("numerator", "size"))
    if (grouped["months"] < 3).any():
        notes.append("Quarters with fewer than three months of data are left out.")
    grouped = grouped[grouped["months"] == 3].reset_index()
    return grouped.assign(value=grouped["numerator"] / grouped["denominator"]).drop(columns="months"), notes


def period_start(periods: pd.Series, frequency: str) -> pd.Series:
    """The first day of each period's week, month or quarter."""
    stamps = pd.to_datetime(periods)
    code = {"weekly": "W-SUN", "quarterly": "Q"}.get(frequency, "M")
    return stamps.dt.to_period(code).dt.start_time


def on_calendar(series: pd.Series, kpi: Kpi) -> pd.Series:
    """Every period from the first to the last, so a missing one is a gap, not a join."""
    if series.empty:
        return series.astype(float)
    frequency = kpi.frequency if kpi.is_manual or kpi.frequency == "quarterly" else "monthly"
    if kpi.frequency == "quarterly" and not is_quarterly(series.index):
        frequency = "monthly"
    step = {"weekly": "W-MON", "quarterly": "QS", "monthly": "MS"}[frequency]
    full = pd.date_range(series.index.min(), series.index.max(), freq=step)
    return series.reindex(full.union(series.index)).astype(float).rename_axis("period")


def is_quarterly(index: pd.DatetimeIndex) -> bool:
    """Whether periods are quarter starts at least a quarter apart."""
    return bool(((index.month - 1) % 3 == 0).all()) and (len(index) < 2 or index.to_series().diff().min().days > 31)


def unit_word(kpi: Kpi, count: int) -> str:
    """'month' or 'months' (or week, quarter) for this KPI's calendar."""
    word = {"weekly": "week", "quarterly": "quarter"}.get(kpi.frequency, "month")
    if kpi.frequency == "weekly" and not kpi.is_manual:
        word = "month"
    return word if count == 1 else word + "s"


def _error_message(kpi: Kpi, error: BaseException) -> str:
    if isinstance(error, KeyError) and "no query named" in str(error):
        return f"Its definition names queries/{kpi.definition}.sql, which does not exist."
    first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return f"Its query queries/{kpi.definition}.sql failed: {first[:200]}"


def calendar(kpi: Kpi) -> str:
    """The calendar a KPI's series is on: a query KPI is monthly unless it combines into quarters."""
    if kpi.is_manual or kpi.frequency == "quarterly":
        return kpi.frequency
    return "monthly"


def default_baseline(first: date | None, last: date | None) -> tuple[date | None, date | None]:
    """The channel-shift baseline unless the reader picks one: the data's first twelve months."""
    if first is None:
        return None, None
    end = (pd.Timestamp(first) + pd.DateOffset(years=1) - pd.Timedelta(days=1)).date()
    return first, min(end, last) if last else end


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
