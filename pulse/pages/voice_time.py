"""Resident voice, satisfaction over time: user and net satisfaction as the KPI page judges them.

The results are the KPI page's own (pulse.pages.kpis.results: the catalogue's KPI when it has one,
else the built-in), judged once on their current process; the tiles are the Overview's. A month is
left out, and the KPI judged again by the same path, when the ratings-by-month model hides its
numerator or base, or in public-safe figures when its base is too small for one response to move it
by at most one display step (pulse.pages.voice_ratings.public_base).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import pandas as pd

from pulse import db, registry, wording
from pulse.charts import voice as charts
from pulse.disclosure import LABEL, RATE, TEXT, Chart, Policy, Sentence, Table, reference, sentence, static
from pulse.filters import Filters
from pulse.metrics import kpis, process
from pulse.metrics.kpis import KpiResult
from pulse.pages import kpis as kpi_page
from pulse.pages import overview, policy_for
from pulse.pages import voice_ratings as vr

MEASURES = ("user_satisfaction", "net_satisfaction")


@dataclass(frozen=True)
class Satisfaction:
    """One satisfaction measure over time: its tile (latest month, change, verdict) and its XmR chart."""

    tile: overview.Tile
    chart: Chart | None
    note: Sentence | None


def satisfaction_results(view: Filters, first: date | None, last: date | None) -> dict[str, KpiResult]:
    """User and net satisfaction from the one KPI path: the catalogue's own KPI when it has one, else built in."""
    inputs = kpi_page.cost_inputs(kpi_page.loaded_costs(), kpis.default_baseline(first, last))
    # Only the catalogue's satisfaction KPIs: each is judged alone, so this is what the KPI page shows for
    # them, without running every other KPI's query for a page that shows none of them.
    queries = {registry.measure(key).query for key in MEASURES}
    ids = tuple(k.id for k in kpi_page.catalogue() if k.definition in queries)
    catalogued = {r.kpi.definition: r for r in kpi_page.results(view, inputs, only=ids)} if ids else {}
    out = {}
    for key in MEASURES:
        query = registry.measure(key).query
        if query in catalogued:
            out[key] = catalogued[query]
            continue
        built_in = next(k for k in kpis.BUILT_IN if k.definition == query)
        out[key] = kpis.evaluate_all([built_in], lambda name: db.query(name, **view.params()),
                                     db.query("kpi_values_by_period", **view.params()), policy_for(view))[0]
    return out


FAMILIES = {"user_satisfaction": ("satisfied", "scale"), "net_satisfaction": ("net", "responses")}
SPREAD = {"user_satisfaction": 1.0, "net_satisfaction": 2.0}  # how far one response can move each (vr.public_base)
BASES = {"user_satisfaction": "ratings on the 5-point scale", "net_satisfaction": "responses"}


def masked(result: KpiResult, key: str, rated: vr.Ratings) -> KpiResult:
    """The result with months hidden whose rate would give a hidden count away beside the page's tables."""
    if not result.ok or not rated.any:
        return result
    least = vr.public_base(rated.policy, registry.measure(key).unit, SPREAD[key])
    # Months that add up to a total another table hides would give it back: then none is shown.
    keep = vr.masked_months(rated, *FAMILIES[key], least=least) if vr.consistent(rated, "month") else set()
    series = result.series.where(result.series.index.isin(list(keep or ())))
    if series.equals(result.series):
        return result
    if series.dropna().empty:
        why = (f"Public-safe figures show a month only when it rests on {least} {BASES[key]} or more; no month "
               "here does." if least and not result.series.dropna().empty and
               vr.masked_months(rated, *FAMILIES[key]) else "Every month rests on too few records to show.")
        return replace(result, series=series, problem=why)
    return judged(result, series)


def judgement(result: KpiResult) -> process.Judgement | None:
    """The KPI's current-process judgement, which the KPI engine keeps as the result's chart."""
    return result.chart if isinstance(result.chart, process.Judgement) else None


def judged(result: KpiResult, series: pd.Series) -> KpiResult:
    """The result on another series, judged again by the KPI path (kpis.judge), never by a second engine."""
    return replace(result, series=series, chart=kpis.judge(series, result.kpi))


def points_table(result: KpiResult, policy: Policy) -> Table:
    """The XmR chart's points as published: values as shown, mean and limits at the same precision."""
    points = judgement(result).reported_points()
    unit = result.kpi.unit
    rounded = {c: pd.Series([policy.round_rate(v, unit) for v in points[c]], dtype=float)
               for c in ("value", "mean", "lower", "upper")}
    fmt = lambda v: "–" if pd.isna(v) else f"{v:.2f}" if unit == "score" else \
        result.kpi.fmt(v, policy.digits(unit) if unit == "%" else None)  # noqa: E731
    frame = pd.DataFrame({"period": pd.to_datetime(points.index), **rounded, "part": points["part"].to_numpy()})
    frame["status"] = [charts.status_label(c) for c in points["special_cause"]]
    frame["value_text"] = [fmt(v) for v in frame["value"]]
    frame["mean_text"] = [fmt(v) for v in frame["mean"]]
    frame["limits_text"] = [f"{fmt(lo)} to {fmt(hi)}" if not pd.isna(lo) else "–"
                            for lo, hi in zip(frame["lower"], frame["upper"])]
    frame["part"] = frame["part"].astype(str)
    kinds = {"period": LABEL, "value": RATE, "mean": RATE, "lower": RATE, "upper": RATE, "part": LABEL,
             "status": LABEL, "value_text": TEXT, "mean_text": TEXT, "limits_text": TEXT}
    return Table(frame, kinds)


UNMARKED = static("Public-safe figures: single months are not marked as special causes, since one step of "
                  "rounding can move a mark; the verdict is for the latest month.")


def satisfaction(key: str, result: KpiResult, rated: vr.Ratings, actions: Table | None,
                 policy: Policy) -> Satisfaction:
    """A satisfaction measure's tile and XmR chart, with the actions drawn on it."""
    measure = registry.measure(key)
    result = masked(result, key, rated)
    tile = overview.tile(measure, result, policy)
    judged = judgement(result)
    if not result.ok or judged is None:
        return Satisfaction(tile, None, None)
    title = sentence("{name}: {verdict}", name=measure.name, verdict=wording.variation_words(
        judged.variation).lower() if judged.variation else "not judged yet")
    chart = charts.satisfaction_xmr(points_table(result, policy), title, measure.unit, actions,
                                    marked=not policy.public_safe)
    least = vr.public_base(policy, measure.unit, SPREAD[key])
    based = [sentence("Public-safe figures show a month only when it rests on {n} {what} or more.",
                      n=reference(least), what=BASES[key])] if least else []
    notes = [sentence("{n}", n=n) for n in result.notes] + based + ([UNMARKED] if policy.public_safe else [])
    return Satisfaction(tile, chart, Sentence(" ".join(notes)) if notes else None)
