"""The KPI page's parts, made from evaluated KPIs (pulse.pages.kpis.results): the matrix tables, one KPI up
close, and before and after an event. Every figure comes from a KPI's published series or a set figure;
every verdict from the judgement the KPI already carries, so a row, its chart and its card agree.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from pulse import wording
from pulse.charts.spc import published_xmr
from pulse.disclosure import LABEL, RATE, REFERENCE, TEXT, Chart, Policy, Sentence, Table, join, sentence, static
from pulse.filters import Filters
from pulse.icons import GREY, assurance_icon, assurance_label, data_uri, variation_icon, variation_label
from pulse.metrics import kpis
from pulse.metrics.before_after import before_after
from pulse.metrics.kpis import OFF, Judgement, Kpi, KpiResult
from pulse.metrics.projection import Projection
from pulse.pages import kpi_event_words, kpi_words

AUTO = "auto"  # the rebase box's option that leaves rebasing to the engine
COLUMNS = ("kpi", "latest", "target", "variation_icon", "variation", "assurance_icon", "assurance", "year_end",
           "trend")
KINDS = {"kpi": LABEL, "latest": TEXT, "target": TEXT, "variation_icon": LABEL, "variation": LABEL,
         "assurance_icon": LABEL, "assurance": LABEL, "year_end": LABEL, "trend": RATE}
_text, _image = st.column_config.TextColumn, st.column_config.ImageColumn
# The icons are pictures; the words beside them say the same for anyone who cannot see them.
MATRIX_COLUMNS = {
    "kpi": _text("KPI", width=245), "latest": _text("Latest", width=70), "target": _text("Target", width=65),
    "variation_icon": _image("", width=36, help="Variation icon (Making Data Count); the words beside it say "
                                                "the same"),
    "variation": _text("Variation", width=145),
    "assurance_icon": _image("", width=36, help="Assurance icon (Making Data Count); the words beside it say "
                                                "the same"),
    "assurance": _text("Meets target?", width=125),
    "year_end": _text("Year end", width=72, help="The financial year's average, projected to 31 March"),
    "trend": st.column_config.LineChartColumn("Trend", width=95, color=GREY,
                                              help="The values shown, oldest first; months not shown are left out"),
}
# Whether one point crosses a threshold can turn on one step of a rounded figure, which public-safe figures
# may move by (a count of one more or less): only the latest value's verdict is given, in words.
UNMARKED_NOTE = static("Public-safe figures: single points are not marked as special causes, since one step of "
                       "rounding can move a mark; the verdict above is for the latest value.")
MATRIX_NOTE = static("Variation says whether the latest value is a real change; assurance and year end judge the "
                     "current process: when a sustained shift or trend has happened, the limits are recalculated "
                     "from where it began (Making Data Count), and a KPI's card says so. Year end projects the "
                     "financial year's average.")


@dataclass(frozen=True)
class Matrix:
    """One challenge's KPIs as a published table, and the KPI id of each row (for a ticked row)."""

    challenge: Sentence
    table: Table
    ids: tuple[str, ...]
    alt: Sentence  # the table's name for screen readers


def matrices(found: Iterable[KpiResult], outlooks: Mapping[str, Projection | None]) -> tuple[Matrix, ...]:
    """One table per challenge, in the catalogue's order: each KPI's latest value, target, verdicts and trend."""
    found = list(found)
    out = []
    for challenge in dict.fromkeys(r.kpi.challenge for r in found):
        group = [r for r in found if r.kpi.challenge == challenge]
        # object columns keep an empty cell as None, which the table draws as "–" on purpose
        frame = pd.DataFrame([row(r, outlooks.get(r.kpi.id)) for r in group], columns=list(COLUMNS), dtype=object)
        out.append(Matrix(sentence("**{c}**", c=challenge), Table(frame, KINDS), tuple(r.kpi.id for r in group),
                          sentence("KPIs for the challenge “{c}”", c=challenge)))
    return tuple(out)


def row(result: KpiResult, outlook: Projection | None) -> dict:
    """A KPI's row of the matrix; a cell with nothing to say is empty (drawn as "–"), never "None"."""
    kpi = result.kpi
    judged = result.chart if result.ok and not result.uninformative else None
    shown = result.series.dropna()
    return {
        "kpi": kpi.name,
        "latest": kpi.fmt(result.latest[1]),
        "target": kpi.fmt(kpi.target) if kpi.target is not None else "–",
        "variation_icon": data_uri(variation_icon(judged.variation, kpi.higher_is_better, side=judged.side))
        if judged else None,
        "variation": kpi_words.variation_words(result),
        # A status ("assurance after 4 more months") stands instead of an icon.
        "assurance_icon": data_uri(assurance_icon(judged.assurance)) if judged and not judged.status else None,
        "assurance": kpi_words.assurance_words(result) or None,
        "year_end": outlook.status.capitalize() if outlook else None,
        # A KPI the data fixes has a flat line to show: its words say more.
        "trend": [float(v) for v in shown] if judged and len(shown) else None,
    }


def legend() -> tuple[tuple[str, Sentence], ...]:
    """Every Making Data Count icon the matrix uses, with its meaning in words."""
    variations = [(variation_icon(v, True, side=s), static(variation_label(v, True, s)))
                  for v, s in (("improvement", "high"), ("concern", "low"), ("neutral", "high"),
                               ("common_cause", None), (None, None))]
    return tuple(variations + [(assurance_icon(a), static(assurance_label(a)))
                               for a in ("pass", "fail", "hit_or_miss", None)])


def points_table(points: pd.DataFrame, kpi: Kpi, policy: Policy) -> Table:
    """The chart's points as published: values as shown, and mean and limits at the same precision; in
    public-safe figures without the special-cause marks of single points (see UNMARKED_NOTE)."""
    if policy.public_safe:
        points = points.assign(special_cause=None, rules=None)
    rounded = {c: [policy.round_rate(v, kpi.unit) if not pd.isna(v) else None for v in points[c]]
               for c in ("value", "mean", "lower", "upper")}
    frame = pd.DataFrame({"period": pd.to_datetime(points.index), **{c: pd.Series(v, dtype=float)
                                                                    for c, v in rounded.items()},
                          "part": points["part"].to_numpy(),
                          # object, so None stays None (pandas would otherwise read words and gaps as text and NaN)
                          "special_cause": pd.Series(list(points["special_cause"]), dtype=object),
                          "rules": pd.Series(list(points["rules"]), dtype=object)})
    return Table(frame, {"period": LABEL, "value": RATE, "mean": RATE, "lower": RATE, "upper": RATE,
                         "part": REFERENCE, "special_cause": LABEL, "rules": LABEL})


# --------------------------------------------------------------------------- one KPI up close


@dataclass(frozen=True)
class Closer:
    """One KPI up close, published: its chart and what it means, its card, and its events."""

    kpi_id: str
    name: Sentence
    chart: Chart | None
    meaning: Sentence | None
    problem: Sentence | None  # said instead of a chart
    problem_kind: str  # "info" for a KPI the data fixes, "warning" for one without figures
    notes: tuple[Sentence, ...]
    year_end: Sentence | None
    icons: tuple[tuple[str, Sentence], ...]  # drawn icon and its words
    formula: Sentence
    details: Sentence
    process: Sentence | None  # where the current process starts, and why
    seasonality: Sentence | None
    rebase_options: tuple[str, ...]  # AUTO, OFF, then periods ('2026-03')
    rebase_labels: Mapping[str, str]
    rebase_index: int
    question: Sentence
    events: tuple[str, ...]
    no_events: Sentence | None


def event_labels(events: pd.DataFrame) -> list[str]:
    """'2 Sep 2024 · New online bin form launched' for each event."""
    return [f"{e.date:%-d %b %Y} · {e.label}" for e in events.itertuples()]


def close_up(result: KpiResult, outlook: Projection | None, events: pd.DataFrame, last_dates: Mapping,
             sql: str | None, view: Filters, policy: Policy, option: str | None) -> Closer:
    """The close-up of one KPI from its result (judged, not informative, or without figures)."""
    kpi = result.kpi
    judged = result.chart if result.ok and not result.uninformative else None
    chart = problem = None
    if judged is not None:
        note = kpi_words.process_note(judged, result.series, kpi)
        chart = published_xmr(points_table(judged.reported_points(), kpi, policy), title=kpi_words.headline(result), unit=kpi.unit,
                              fmt=kpi.fmt, target=kpi.target, events=events, note=note, marked=not policy.public_safe)
    elif result.ok:
        problem = sentence("{name} is not informative with this data: {why}. Its latest value is in the table above; "
                           "it is not judged by statistical process control.", name=kpi.name,
                           why=result.uninformative.removeprefix(wording.NOT_INFORMATIVE + ": "))
    else:
        problem = sentence("{name}: {why}", name=kpi.name, why=result.problem)
    icons = ()
    if judged is not None:
        # Short words beside each icon; the icon's own label (its tooltip) gives the reason.
        icons = ((variation_icon(judged.variation, kpi.higher_is_better, 40, side=judged.side),
                  sentence("{w}", w=kpi_words.variation_words(result))),
                 (assurance_icon(judged.assurance, 40), sentence("{w}", w=kpi_words.assurance_words(result))))
    through = kpi_words.data_through(result, last_dates, sql, view.date_to)
    details = sentence("Better when {polarity} · target {target} · owner {owner} · reported {frequency} · source "
                       "`{source}` · data through {through}", polarity=kpi.polarity or "neither",
                       target=kpi_words.value(kpi, kpi.target) if kpi.target is not None else "none",
                       owner=kpi.owner or "not named", frequency=kpi.frequency,
                       source="kpi_values" if kpi.is_manual else kpi.definition + ".sql",
                       through=f"{through:%-d %b %Y}" if through else "no data")
    periods = [rebase_code(p, kpi) for p in result.series.index[1:]] if judged is not None else []
    options = (AUTO, OFF, *periods) if judged is not None else ()
    # Short: the card is narrow, and the note under the box says what the choice did.
    labels = {AUTO: "Automatic", OFF: "Not recalculated",
              **{p: f"From {kpi_words.period_label(q, kpi)}"
                 for p, q in zip(periods, result.series.index[1:])}}
    applicable = kpis.events_for(kpi, events)
    no_events = None
    if not result.ok:
        # Why is said beside the chart's place above; once is enough.
        no_events = sentence("{name} has no figures to compare before and after an event.", name=kpi.name)
    elif result.uninformative:
        no_events = sentence("{name} is fixed by this data, so there is nothing to compare before and after an "
                             "event.", name=kpi.name)
    elif applicable.empty:
        council = " Hand-reported KPIs cover the whole council, so only council-wide events apply." \
            if kpi.is_manual else ""
        no_events = sentence("No events in this date range that {name} can be judged against (events file).{c}",
                             name=kpi.name, c=council)
    return Closer(
        kpi_id=kpi.id, name=sentence("**{name}**", name=kpi.name), chart=chart,
        meaning=kpi_words.meaning(result) if judged is not None else None, problem=problem,
        problem_kind="info" if result.ok else "warning",
        notes=tuple(sentence("{n}", n=n) for n in result.notes) + ((UNMARKED_NOTE,) if chart and policy.public_safe
                                                                    else ()),
        year_end=join([sentence("**Year end: {s}.**", s=outlook.status), *kpi_words.projection_reasoning(outlook, kpi)])
        if outlook else None,
        icons=icons, formula=kpi_words.formula(kpi, sql), details=details,
        process=kpi_words.process_note(judged, result.series, kpi),
        seasonality=kpi_words.seasonality_note(judged),
        rebase_options=options, rebase_labels=labels, rebase_index=options.index(option) if option in options else 0,
        question=sentence("Did it make a difference to {name}?", name=kpi.name.lower()),
        events=() if no_events else tuple(event_labels(applicable)), no_events=no_events,
    )


def rebase_code(period: pd.Timestamp, kpi: Kpi) -> str:
    """A period as the rebase box and the link write it: 2026-03 (a week: 2026-03-02)."""
    return f"{period:%Y-%m-%d}" if kpis.calendar(kpi) == "weekly" else f"{period:%Y-%m}"


# --------------------------------------------------------------------------- before and after an event


@dataclass(frozen=True)
class Change:
    """A KPI before and after an event, published: where it was measured, the chart, the verdict and why."""

    scope: Sentence | None
    chart: Chart | None
    verdict: Sentence | None
    kind: str  # "success" (a signal), "info" (noise) or "warning" (unclear, or cannot be judged)
    reasons: tuple[Sentence, ...]


def difference(result: KpiResult, scoped: KpiResult, picked: pd.Series, events: pd.DataFrame, where: str,
               policy: Policy) -> Change:
    """Before and after one event, from the KPI measured in the event's scope."""
    kpi = result.kpi
    scope = sentence("Measured for {where} only: the event's scope.", where=where) \
        if where and not kpi.is_manual else None
    if not scoped.ok:
        return Change(scope, None, sentence("It cannot be judged for {where}: {why}", where=where or "this view",
                                            why=scoped.problem), "warning", ())
    change = before_after(scoped.series, picked.date, kpi)
    chart = None
    if change.judged:
        chart = published_xmr(points_table(change.chart.points, kpi, policy),
                              title=sentence("{name} before and after: limits rebased at the event", name=kpi.name),
                              unit=kpi.unit, fmt=kpi.fmt, target=kpi.target, events=events.loc[[picked.name]],
                              height=260, marked=not policy.public_safe)
    verdict = kpi_event_words.before_after_sentence(change, kpi, picked.label, picked.date)
    reasons = kpi_event_words.before_after_reasons(change, kpi) + (() if change.judged else
                                                             tuple(sentence("{n}", n=n) for n in scoped.notes))
    return Change(scope, chart, verdict, {"signal": "success", "noise": "info", "unclear": "warning"}[change.verdict],
                  reasons)
