"""The KPI page's words: definitions, headlines, the matrix sentence, before/after and year-end reasoning.

Every number here comes from a KPI's published series (pulse.metrics.kpis gates it) or from a set
figure (a target); verdict words come from pulse.wording, so a verdict reads the same everywhere.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import date

import pandas as pd

from pulse import wording
from pulse.formatting import month_label, quarter_label
from pulse.metrics import spc
from pulse.metrics.before_after import MIN_AFTER, MIN_BEFORE, SIGNAL_Z, BeforeAfter
from pulse.metrics.kpis import Kpi, KpiResult, is_quarterly, unit_word
from pulse.metrics.process import Projection


def period_label(period: pd.Timestamp | None, kpi: Kpi) -> str:
    """'Oct 2026', 'Q3 2026' or 'w/c 5 Oct 2026', by the KPI's frequency."""
    if period is None:
        return "–"
    if kpi.frequency == "quarterly" and is_quarterly(pd.DatetimeIndex([period])):
        return quarter_label(period)
    if kpi.frequency == "weekly" and kpi.is_manual:
        return f"w/c {period.day} {period:%b %Y}"
    return month_label(period)


def formula(kpi: Kpi, sql: str | None = None) -> str:
    """The KPI's formula in words: the built-in wording, else its query's header comment."""
    if kpi.is_manual:
        return "Reported by hand: values come from the kpi_values file, one per period."
    if kpi.formula:
        return kpi.formula
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


def variation_words(result: KpiResult) -> str:
    """The latest point's variation in plain words."""
    if not result.ok:
        return "No figures"
    if result.uninformative:
        return wording.NOT_INFORMATIVE
    if result.variation is None:
        points = result.chart.n_points if result.chart else 0
        return f"Too few points ({points} of {spc.MIN_POINTS})"
    return wording.variation_words(result.variation)


def assurance_words(result: KpiResult) -> str:
    """Whether the target will be met, in plain words."""
    if not result.ok or result.uninformative:
        return ""
    if result.kpi.target is None:
        return "No target set"
    if result.status:
        return result.status
    if result.variation is None:
        return "Too few points"
    if result.kpi.higher_is_better is None:
        return "No better direction"
    return wording.assurance_words(result.assurance)


def headline(result: KpiResult) -> str:
    """A chart title that states the message: 'Digital take-up is improving: 58% in Oct 2026'."""
    kpi = result.kpi
    period, value = result.latest
    if value is None:
        return kpi.name
    verb = "is fixed by this data" if result.uninformative else wording.VARIATION_VERB[result.variation]
    target = f" (target {kpi.fmt(kpi.target)})" if kpi.target is not None else ""
    return f"{kpi.name} {verb}: {kpi.fmt(value)} in {period_label(period, kpi)}{target}"


def summary(results: Iterable[KpiResult], projections: Mapping[str, Projection | None]) -> str:
    """The matrix in one sentence: how many KPIs improve or worsen, and how many will meet target."""
    results = list(results)
    judged = [r.variation if r.ok and not r.uninformative else None for r in results]
    counts = pd.Series(judged, dtype=object).value_counts()

    def verb(n: int, one: str, many: str) -> str:
        return f"{n} {one if n == 1 else many}"

    said = (("improvement", "is improving", "are improving"), ("concern", "is getting worse", "are getting worse"),
            ("neutral", "has changed unusually", "have changed unusually"),
            ("common_cause", "shows no significant change", "show no significant change"))
    parts = [verb(int(counts[k]), one, many) for k, one, many in said if counts.get(k, 0)]
    unjudged = len(results) - int(counts.sum())
    if unjudged:
        parts.append(verb(unjudged, "cannot be judged yet", "cannot be judged yet"))
    text = f"Of {len(results)} KPIs, " + (", ".join(parts[:-1]) + " and " + parts[-1] if len(parts) > 1 else
                                           "".join(parts)) + "."
    years = pd.Series([p.status for p in projections.values() if p], dtype=object).value_counts()
    if not years.empty:
        ends = [verb(int(years[k]), f"is {k}" if k != "will miss" else k, f"are {k}" if k != "will miss" else k)
                for k in ("on track", "at risk", "will miss") if k in years]
        text += " By 31 March " + (", ".join(ends[:-1]) + " and " + ends[-1] if len(ends) > 1 else ends[0]) + "."
    return text


def projection_reasoning(projection: Projection, kpi: Kpi) -> tuple[str, ...]:
    """Why the year end is on track, at risk or will miss, step by step (pulse.metrics.process words it)."""
    del kpi  # the projection carries its own reasoning, in the KPI's unit
    return projection.reasoning


def _per_period(kpi: Kpi, size: float) -> str:
    if kpi.unit == "%":
        return f"{size * 100:.1f} points"
    return kpi.fmt(size) if kpi.unit in ("£", "days", "score") else f"{size:,.3g}"


def before_after_sentence(change: BeforeAfter, kpi: Kpi, label: str, event_date: date) -> str:
    """The verdict on an event in one sentence: signal, noise, or too unclear to call."""
    name = f"“{label}” ({pd.Timestamp(event_date):%-d %b %Y})"
    if not change.judged:
        n_before, n_after = change.n_before, change.n_after
        need = (f"only {n_before} {unit_word(kpi, n_before)} with figures before it (at least {MIN_BEFORE} "
                "are needed to know what normal looked like)" if n_before < MIN_BEFORE else
                f"only {n_after} {unit_word(kpi, n_after)} with figures from it (at least {MIN_AFTER} are needed)")
        verb = "is" if min(n_before, n_after) == 1 else "are"
        return f"Not enough figures to judge {name}: there {verb} {need}."
    fmt = kpi.fmt
    said = (f"{kpi.name} averaged {fmt(change.after_mean)} in the {change.n_after} {unit_word(kpi, change.n_after)} "
            f"from {period_label(change.start, kpi)}, against {fmt(change.before_mean)} in the {change.n_before} before")
    if change.verdict == "unclear":
        return f"{said}, but {kpi.name} was not steady before {name}, so a change cannot be put down to it."
    trend = " beyond the trend already under way" if change.drift is not None else ""
    if change.verdict == "signal":
        kind = {"improvement": "an improvement", "concern": "a change for the worse"}.get(change.direction or "",
                                                                                         "a change")
        return f"{said}: a signal, not noise. After {name} the process changed{trend}, {kind}."
    if change.drift is not None:
        return (f"{said}: in line with the {'rise' if change.drift > 0 else 'fall'} already under way before {name}, "
                "so no sign that it changed anything.")
    return (f"{said}: that is noise, within the normal variation of the {unit_word(kpi, 2)} before, not a signal "
            f"that {name} changed anything.")


def before_after_reasons(change: BeforeAfter, kpi: Kpi) -> tuple[str, ...]:
    """The figures behind the verdict, one line each."""
    if not change.judged:
        return ()
    fmt, word = kpi.fmt, unit_word(kpi, 2)
    if change.drift is None:
        reasons = [f"Before: mean {fmt(change.before_mean)}, normal range {fmt(change.before_lower)} to "
                   f"{fmt(change.before_upper)} (process limits)."]
    else:
        reasons = [f"Before: mean {fmt(change.before_mean)}; a {unit_word(kpi, 1)} normally fell within "
                   f"{_per_period(kpi, 3 * change.sigma)} of its trend line (process limits).",
                   f"It was already {'rising' if change.drift > 0 else 'falling'} by about "
                   f"{_per_period(kpi, abs(change.drift))} a {unit_word(kpi, 1)} before the event, so the "
                   f"{word} after are compared with that trend carried on, which gives {fmt(change.expected)} on "
                   "average."]
    z = change.z
    reasons += [
        f"After: mean {fmt(change.after_mean)}, normal range {fmt(change.after_lower)} to {fmt(change.after_upper)}.",
        f"Longest run of {word} on one side of {'the trend' if change.drift is not None else 'the before mean'}: "
        f"{change.longest_run} (7 or more is a shift).",
        f"{word.capitalize()} beyond the before limits: {change.beyond_limits}.",
        f"The change is {abs(z):.1f} times what month-to-month noise alone would give ({SIGNAL_Z:.0f} or more is a "
        "signal)." if math.isfinite(z) else "The values did not vary at all, so any change is a change.",
    ]
    if change.unstable:
        reasons.insert(0, f"{change.unstable} of the {change.n_before} {word} before showed special-cause variation"
                       + (" even allowing for the trend." if change.drift is not None else "."))
    return tuple(reasons)


def costs_source(costs: pd.DataFrame) -> str:
    """Where the unit costs come from, briefly: 'Socitm Insight 2012 (2012)'."""
    if costs.empty:
        return "none loaded"
    sources = costs["source"].fillna("source not given").str.replace(r"\s*\(.*\)$", "", regex=True)
    years = costs["year"].astype("Int64").astype("string").fillna("year not given")
    return "; ".join(f"{s} ({y})" for s, y in dict.fromkeys(zip(sources, years)))


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
