"""One slide per chosen KPI, from the KPI page's own results (pulse.pages.kpis.results).

The chart is the KPI page's XmR chart (pulse.charts.spc.xmr_chart) on the same published series,
the verdicts are pulse.wording's words, and the title states the message: a change since an event
when the before/after test calls it a signal, else the verdict and the latest value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

import pandas as pd

from pulse import db, wording
from pulse.charts.spc import published_xmr
from pulse.pages.kpi_parts import points_table
from pulse.disclosure import (
    LABEL, MISSING, RATE, TEXT, Chart, Figure, Policy, Sentence, Table, join, sentence, static,
)
from pulse.filters import Filters
from pulse.icons import variation_letter
from pulse.metrics import kpis
from pulse.metrics.before_after import before_after
from pulse.metrics.kpis import KpiResult, unit_word
from pulse.pages import kpi_words, policy_for
from pulse.pages import kpis as kpi_page
from pulse.present.slide import Context, Slide, Tile, describe

PAGE = "kpis"
SPECIAL = ("improvement", "concern", "neutral")
WHOLE_COUNCIL = static("Reported by hand for the whole council: the filters do not narrow it.")


def slides(view: Filters, context: Context) -> list[Slide]:
    """A slide for each chosen KPI (by default those showing special-cause variation) in one view."""
    options = context.options
    results = kpi_page.default_results(view, options.start, options.end)
    events = db.query("events_by_date", **view.params())
    last_dates = dict(db.query("data_through_by_source", **view.params()).itertuples(index=False))
    return [kpi_slide(result, view, context, events, last_dates) for result in chosen(results, context.kpis)]


def chosen(results: Iterable[KpiResult], wanted: tuple[str, ...] | None) -> list[KpiResult]:
    """The KPIs asked for, in that order; by default those whose latest point is special cause (else the
    four GOV.UK headlines that have figures and are not fixed by the data), in catalogue order."""
    results = list(results)
    by_id = {r.kpi.id: r for r in results}
    if wanted is not None:
        return [by_id[k] for k in dict.fromkeys(wanted) if k in by_id]
    special = [r for r in results if judged(r) and r.chart.variation in SPECIAL]
    if special:
        return special
    headline = {"kpi_digital_takeup_by_month", "kpi_completion_rate_by_month", "kpi_user_satisfaction_by_month",
                "kpi_cost_per_transaction_by_month"}
    return [r for r in results if r.kpi.definition in headline and r.ok and not r.uninformative]


def judged(result: KpiResult) -> bool:
    """Whether SPC has a verdict on the KPI."""
    return result.ok and not result.uninformative and result.chart is not None and result.chart.variation is not None


def kpi_slide(result: KpiResult, view: Filters, context: Context, events: pd.DataFrame,
              last_dates: Mapping[str, date | None]) -> Slide:
    """One KPI's slide: the message, latest value and target, the XmR chart, and the figures in words."""
    kpi, policy = result.kpi, policy_for(view)
    sql = None if kpi.is_manual or not result.ok else db.query_text(kpi.definition)
    common = dict(key=f"kpi:{kpi.id}", page=PAGE, filters=describe(view, context.options),
                  public_safe=policy.public_safe, definitions=((kpi.name, static(kpi_words.formula(kpi, sql))),),
                  data_through=kpi_words.data_through(result, last_dates, sql, view.date_to))
    if not result.ok:
        why = sentence("{why}", why=result.problem)
        return Slide(title=sentence("{name}: no figures to show", name=kpi.name), empty=why, notes=(why,), **common)
    title = message(result, events, view, policy)
    period, value = result.latest
    latest = Figure(value, kpi.fmt(value)) if value is not None else MISSING
    target = Figure(kpi.target, kpi.fmt(kpi.target)) if kpi.target is not None else MISSING
    tiles = (Tile("Latest", latest, None, sentence("{words} · {period}", words=kpi_words.variation_words(result),
                                                  period=kpi_words.period_label(period, kpi))),
             Tile("Target", target, None, join([kpi_words.assurance_words(result) or "No target set"])))
    notes = (title,) + tuple(explain(result)) + tuple(sentence("{note}", note=n) for n in result.notes)
    if kpi.owner and not policy.public_safe:  # a named owner is staff-level detail: not for outsiders
        notes += (sentence("Owner: {owner}.", owner=kpi.owner),)
    points = tuple(sentence("{note}", note=n) for n in result.notes)
    if kpi.is_manual and (view.directorates or view.services or view.channels or view.wards):
        points += (WHOLE_COUNCIL,)
    return Slide(title=title, tiles=tiles, chart=chart(result, events, policy) if result.chart is not None and not result.uninformative else None, notes=notes + points[len(result.notes):],
                 points=points, **common)


def message(result: KpiResult, events: pd.DataFrame, view: Filters, policy: Policy) -> Sentence:
    """'Digital take-up is up 6 points since “Online bin form launched” (Mar 2025)' when an event in
    view made a real difference, else the KPI page's headline: 'Digital take-up is improving: 62% in Oct 2026'."""
    kpi = result.kpi
    if judged(result):
        for event in kpis.events_for(kpi, events).sort_values("date", ascending=False).to_dict("records"):
            if kpis.event_scope(view, event) != view:
                continue  # its effect is measured in a narrower view than this slide shows
            change = before_after(result.series, event["date"], kpi)
            if change.judged and change.verdict == "signal":
                # Against the trend carried on when one was under way, else against the level before.
                base = change.expected if change.drift is not None else change.before_mean
                return event_sentence(result, change.after_mean - base, change.drift is not None, event["label"],
                                      pd.Timestamp(event["date"]), policy)
    return headline(result)


def event_sentence(result: KpiResult, moved: float, drifting: bool, label: str, day: pd.Timestamp,
                   policy: Policy) -> Sentence:
    """A KPI's change since an event, in its own unit (a change of a published series' averages)."""
    kpi = result.kpi
    when = day.strftime("%b %Y")
    size = abs(moved)
    if kpi.unit == "%":
        shown = policy.round_rate(size, "%")
        number = f"{shown * 100:.{policy.digits('%')}f}"
        text = f"{number} point{'' if number == '1' else 's'}"  # "1 point", "1.0 points"
    else:
        text = kpi.fmt(policy.round_rate(size, kpi.unit))
    if not any(c in "123456789" for c in text):
        # Not "up 0.0 points": a change too small to show at this precision is no change to a reader.
        return sentence("{name} is unchanged since “{label}” ({when})", name=kpi.name, label=label, when=when)
    return sentence("{name} is {way} {size}{against} since “{label}” ({when})", name=kpi.name,
                    way="up" if moved > 0 else "down", size=Figure(size, text),
                    against=" on its earlier trend" if drifting else "", label=label, when=when)


def headline(result: KpiResult) -> Sentence:
    """The KPI page's chart title (kpi_words.headline), built from published figures."""
    kpi = result.kpi
    period, value = result.latest
    if value is None:
        return join([kpi.name])
    verb = "is fixed by this data" if result.uninformative else \
        wording.VARIATION_VERB[result.chart.variation if result.chart else None]
    latest = Figure(value, kpi.fmt(value))
    if kpi.target is None:
        return sentence("{name} {verb}: {value} in {period}", name=kpi.name, verb=verb, value=latest,
                        period=kpi_words.period_label(period, kpi))
    return sentence("{name} {verb}: {value} in {period} (target {target})", name=kpi.name, verb=verb, value=latest,
                    period=kpi_words.period_label(period, kpi), target=Figure(kpi.target, kpi.fmt(kpi.target)))


def explain(result: KpiResult) -> list[Sentence]:
    """The verdicts and the process in words, for the speaker and for anyone who cannot see the chart."""
    kpi, chart_ = result.kpi, result.chart
    out = []
    if judged(result):
        out.append(join([wording.variation_description(chart_.variation, kpi.higher_is_better,
                                                       variation_letter(chart_.variation, kpi.higher_is_better,
                                                                        chart_.side))]))
        if kpi.target is not None and kpi.higher_is_better is not None:
            out.append(join([wording.assurance_description(chart_.assurance)]))
    xmr = chart_.chart if chart_ is not None else None
    if xmr is not None and xmr.mean is not None and xmr.lower is not None and kpi.fmt(xmr.lower) == kpi.fmt(xmr.upper):
        # Not "normally falls between 50% and 50%".
        out.append(sentence("The current process averages {mean}, with no variation.",
                            mean=Figure(xmr.mean, kpi.fmt(xmr.mean))))
    elif xmr is not None and xmr.mean is not None and xmr.lower is not None:
        out.append(sentence("The current process averages {mean}; a single {unit} normally falls between {lower} "
                            "and {upper}.", mean=Figure(xmr.mean, kpi.fmt(xmr.mean)), unit=unit_word(kpi, 1),
                            lower=Figure(xmr.lower, kpi.fmt(xmr.lower)), upper=Figure(xmr.upper, kpi.fmt(xmr.upper))))
    if xmr is not None and xmr.warning:
        out.append(sentence("{warning}", warning=xmr.warning))
    return out


def chart(result: KpiResult, events: pd.DataFrame, policy: Policy) -> Chart:
    """The KPI page's own XmR chart (pulse.pages.kpi_parts), so the slide shows what the page shows."""
    kpi, judged = result.kpi, result.chart
    return published_xmr(points_table(judged.reported_points(), kpi, policy), title=kpi_words.headline(result),
                         unit=kpi.unit, fmt=kpi.fmt, target=kpi.target, events=events,
                         note=kpi_words.process_note(judged, result.series, kpi), marked=not policy.public_safe)
