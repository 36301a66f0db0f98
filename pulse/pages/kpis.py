"""KPI trends: every catalogue KPI evaluated once per view (the Overview reads the same results), and the
page made from them, every figure published: the unit costs and baseline, the matrix, one KPI up close,
before and after an event.

- results() is the one place KPIs are evaluated (cached per view, cost inputs and database): each KPI's
  query, the small-number gate (pulse.metrics.kpis.evaluate), what the data cannot support or leaves fixed
  (pulse.metrics.readiness), and a reader's rebase override from the link.
- Unit costs and the channel-shift baseline are query parameters (CostInputs), never sums redone here.
- build(), close_up() and difference() return frozen dataclasses that views/kpis.py only draws; the parts
  are made in pulse.pages.kpi_parts, the words in pulse.pages.kpi_words.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date

import pandas as pd
import streamlit as st

from pulse import db, registry, wording
from pulse.disclosure import (
    LABEL, REFERENCE, Policy, Sentence, Table, count, money_total, rate, reference, sentence,
)
from pulse.filters import Filters
from pulse.formatting import month_label, month_span
from pulse.metrics import kpis, readiness
from pulse.metrics.kpis import OFF, KpiResult, Override
from pulse.metrics.projection import Projection
from pulse.pages import kpi_parts, kpi_words, policy_for
from pulse.pages.kpi_parts import Change, Closer, Matrix
from pulse.threads import raised

READINESS_QUERY = "data_readiness_by_fact"
SAVING_QUERY = "kpi_channel_shift_saving_by_month"


@dataclass(frozen=True)
class CostInputs:
    """What the cost KPIs take as query parameters: unit costs per channel and the baseline period."""

    channels: tuple[str, ...]
    values: tuple[float, ...]
    baseline_from: date | None
    baseline_to: date | None

    def params(self) -> dict:
        """The bound parameters of the cost queries."""
        return {"cost_channels": list(self.channels), "cost_values": list(self.values),
                "baseline_from": self.baseline_from, "baseline_to": self.baseline_to}


def loaded_costs() -> pd.DataFrame:
    """The unit costs loaded with the data (channel, cost_gbp, source, year)."""
    return db.query("unit_costs_by_channel")


def cost_inputs(costs: pd.DataFrame, baseline: tuple[date | None, date | None]) -> CostInputs:
    """Cost query parameters from a unit-cost table (loaded, or edited for a session) and a baseline."""
    usable = costs.dropna(subset=["channel", "cost_gbp"]).drop_duplicates("channel", keep="last")
    return CostInputs(tuple(usable["channel"].astype(str)), tuple(float(v) for v in usable["cost_gbp"]),
                      baseline[0], baseline[-1])


def unit_costs_changed(original: pd.DataFrame, edited: pd.DataFrame) -> bool:
    """Whether the reader's unit costs differ from those loaded."""

    def pairs(frame: pd.DataFrame) -> list[tuple[str, float | None]]:
        # Plain tuples: this runs on every rerun, and a pandas sort and compare costs more than the page.
        return sorted((str(c), None if pd.isna(v) else float(v))
                      for c, v in zip(frame["channel"], frame["cost_gbp"]) if not pd.isna(c))

    return pairs(original) != pairs(edited)


@dataclass(frozen=True)
class Costs:
    """The cost KPIs' inputs as the page offers them: the loaded unit costs to edit, and the baseline."""

    heading: Sentence
    table: Table  # channel, cost_gbp, source, year: set figures, editable for a session
    baseline: tuple[date | None, date | None]


def costs(first: date | None, last: date | None, chosen: object = None) -> Costs:
    """The unit costs loaded and the baseline (the reader's, while it is a full range; else the default)."""
    baseline = tuple(chosen) if isinstance(chosen, (tuple, list)) and len(chosen) == 2 else \
        kpis.default_baseline(first, last)
    return _costs(baseline, db.database_stamp(db.db_path()))


@st.cache_data(show_spinner=False, max_entries=64)
def _costs(baseline: tuple[date | None, date | None], stamp: tuple) -> Costs:
    loaded = loaded_costs()
    start, end = (month_label(day) if day else "–" for day in (baseline[0], baseline[-1]))
    heading = sentence("Unit costs per channel: {source} · channel-shift baseline {span}",
                       source=kpi_words.costs_source(loaded), span=start if start == end else f"{start} to {end}")
    table = Table(loaded[["channel", "cost_gbp", "source", "year"]].reset_index(drop=True),
                  {"channel": LABEL, "cost_gbp": REFERENCE, "source": LABEL, "year": REFERENCE})
    return Costs(heading, table, baseline)


def inputs_for(offered: Costs, edited: pd.DataFrame) -> CostInputs:
    """The cost inputs from the reader's edits (the loaded costs when nothing changed)."""
    loaded = offered.table.frame
    return cost_inputs(edited if unit_costs_changed(loaded, edited) else loaded, offered.baseline)


# --------------------------------------------------------------------------- the one evaluation path


def results(view: Filters, inputs: CostInputs, rebase: str | None = None, only: tuple[str, ...] = ()
            ) -> list[KpiResult]:
    """Every catalogue KPI (or those in `only`) for a view, cached: the one place KPIs are evaluated.

    `rebase` is a reader's override from the link ('<kpi id>:2026-03' or '<kpi id>:off'); the KPI it
    names is judged again with it, the others are the cached results as they are.
    """
    stamp = db.database_stamp(db.db_path())
    if rebase is None:
        return _results(view, inputs, only, stamp)
    return _rebased(view, inputs, rebase, only, stamp)


def catalogue() -> tuple[kpis.Kpi, ...]:
    """The council's KPIs (kpis.catalogue of the kpis table), read once per database."""
    return _catalogue(db.database_stamp(db.db_path()))


@st.cache_data(show_spinner=False, max_entries=4)
def _catalogue(stamp: tuple) -> tuple[kpis.Kpi, ...]:
    return kpis.catalogue(db.query("kpis_by_id"))


@st.cache_data(show_spinner=False, max_entries=64)
def _results(view: Filters, inputs: CostInputs, only: tuple[str, ...], stamp: tuple) -> list[KpiResult]:
    return _evaluate([k for k in _catalogue(stamp) if not only or k.id in only], view, inputs)


@st.cache_data(show_spinner=False, max_entries=64)
def _rebased(view: Filters, inputs: CostInputs, rebase: str, only: tuple[str, ...], stamp: tuple
             ) -> list[KpiResult]:
    kpi_id, override = parse_rebase(rebase)
    return [kpis.rejudge(r, override) if r.kpi.id == kpi_id else r for r in _results(view, inputs, only, stamp)]


def _evaluate(catalogue: Iterable[kpis.Kpi], view: Filters, inputs: CostInputs) -> list[KpiResult]:
    """Evaluate KPIs through the gate, then mark what this data cannot support or leaves fixed."""
    catalogue = list(catalogue)
    params = {**view.params(), **inputs.params()}
    # Every query this needs at once, side by side (db.query_all); each keeps query()'s own cache entry.
    answers = db.query_all([k.definition for k in catalogue if not k.is_manual]
                           + ["kpi_values_by_period", READINESS_QUERY], **params)
    found = kpis.evaluate_all(catalogue, lambda name: raised(answers[name]), raised(answers["kpi_values_by_period"]),
                              policy_for(view))
    counted = readiness.facts(raised(answers[READINESS_QUERY]))
    return [ready(result, counted) for result in found]


def ready(result: KpiResult, counted: Mapping[str, int]) -> KpiResult:
    """A result marked with what the data cannot support (no figures) or fixes (shown, never judged)."""
    measure = None if result.kpi.is_manual else registry.by_query(result.kpi.definition)
    verdict = readiness.assess(measure.needs if measure else None, counted)
    if verdict.needs:
        return replace(result, series=pd.Series(dtype=float), chart=None, notes=(),
                       problem=f"Needs {verdict.needs}.", needs=verdict.needs)
    if verdict.fixed and result.ok:
        return replace(result, chart=None, uninformative=f"{wording.NOT_INFORMATIVE}: {verdict.fixed}")
    return result


def headline_results(view: Filters, inputs: CostInputs) -> dict[str, KpiResult]:
    """GOV.UK's four service KPIs: the catalogue's own KPI for each (with its target) or the built-in one."""
    return _headlines(view, inputs, db.database_stamp(db.db_path()))


@st.cache_data(show_spinner=False, max_entries=64)
def _headlines(view: Filters, inputs: CostInputs, stamp: tuple) -> dict[str, KpiResult]:
    catalogued = {r.kpi.definition: r for r in _results(view, inputs, (), stamp)}
    missing = [k for k in kpis.BUILT_IN
               if k.definition not in catalogued and registry.by_query(k.definition) in registry.HEADLINES]
    built = {r.kpi.definition: r for r in _evaluate(missing, view, inputs)} if missing else {}
    return {m.key: catalogued.get(m.query) or built[m.query] for m in registry.HEADLINES}


def default_results(view: Filters, first: date | None, last: date | None) -> list[KpiResult]:
    """Results with the loaded unit costs and the default baseline (the data's first twelve months)."""
    return results(view, cost_inputs(loaded_costs(), kpis.default_baseline(first, last)))


def year_end(result: KpiResult) -> Projection | None:
    """The year-end projection of a judged KPI (None when it is not judged or has no target)."""
    if not result.ok or result.uninformative or result.chart is None:
        return None
    return kpis.projection(result)


def problems(results: Iterable[KpiResult]) -> pd.DataFrame:
    """KPIs that cannot be shown and why, for the Data page."""
    rows = [{"kpi": r.kpi.id, "name": r.kpi.name, "definition": r.kpi.definition, "problem": r.problem}
            for r in results if not r.ok]
    return pd.DataFrame(rows, columns=["kpi", "name", "definition", "problem"])


# --------------------------------------------------------------------------- a rebase override in the link


def rebase_choices(view: Filters, inputs: CostInputs) -> frozenset[str]:
    """Every override a link may hold for this view: '<kpi id>:off', or '<kpi id>:<period>' for a period after
    the first of a judged KPI (cached, so a rerun does not read every result back)."""
    return _rebase_choices(view, inputs, db.database_stamp(db.db_path()))


@st.cache_data(show_spinner=False, max_entries=64)
def _rebase_choices(view: Filters, inputs: CostInputs, stamp: tuple) -> frozenset[str]:
    allowed = set()
    for result in _results(view, inputs, (), stamp):
        if result.chart is not None:
            allowed.add(f"{result.kpi.id}:{OFF}")
            allowed.update(f"{result.kpi.id}:{kpi_parts.rebase_code(p, result.kpi)}" for p in result.series.index[1:])
    return frozenset(allowed)


def parse_rebase(text: str | None) -> tuple[str, Override] | None:
    """'<kpi id>:off' → (id, OFF); '<kpi id>:2026-03' → (id, 1 Mar 2026); anything else → None."""
    if not text or ":" not in text:
        return None
    kpi_id, code = text.rsplit(":", 1)
    if code == OFF:
        return kpi_id, OFF
    try:
        return kpi_id, pd.Timestamp(code)
    except ValueError:
        return None


def rebase_link(kpi_id: str, option: str) -> str | None:
    """The link's value for an option of the rebase box ('auto' leaves the link without one)."""
    return None if option == kpi_parts.AUTO else f"{kpi_id}:{option}"


# --------------------------------------------------------------------------- the page


@dataclass(frozen=True)
class KpiPage:
    """Everything the KPI page shows above the close-up, published."""

    saving: Sentence
    intro: Sentence
    summary: Sentence
    built_in: Sentence | None  # said when no KPI catalogue is loaded
    cannot: Sentence | None  # what these exports cannot show yet, said once
    problems: Sentence | None  # KPIs with no figures for another reason, said once
    matrices: tuple[Matrix, ...]
    legend: tuple[tuple[str, Sentence], ...]
    ids: tuple[str, ...]
    names: Mapping[str, str]
    default: str | None  # the KPI opened first: the first one judged
    queries: tuple[str, ...]


def build(view: Filters, inputs: CostInputs, rebase: str | None = None) -> KpiPage:
    """The matrix and what surrounds it, for one view (cached per view, inputs, override and database)."""
    return _build(view, inputs, rebase, db.database_stamp(db.db_path()))


@st.cache_data(show_spinner=False, max_entries=64)
def _build(view: Filters, inputs: CostInputs, rebase: str | None, stamp: tuple) -> KpiPage:
    policy = policy_for(view)
    found = results(view, inputs, rebase)
    outlooks = {r.kpi.id: year_end(r) for r in found}
    latest = max((r.latest[0] for r in found if r.latest[0] is not None), default=None)
    challenges = len({r.kpi.challenge for r in found})
    intro = sentence("{n} KPIs under {c} challenges, {span}{latest}. Computed KPIs follow the sidebar "
                     "filters; hand-reported ones are for the whole council.", n=reference(len(found)),
                     c=reference(challenges), span=month_span(view.date_from, view.date_to),
                     latest=sentence("; latest figures for {m}", m=month_label(latest)) if latest else "")
    judged = [r for r in found if r.chart is not None and r.ok and not r.uninformative]
    return KpiPage(
        saving=saving_sentence(db.query(SAVING_QUERY, **view.params(), **inputs.params()), inputs.baseline_from,
                               inputs.baseline_to, policy),
        intro=intro,
        summary=kpi_words.summary(found, outlooks),
        built_in=None if not db.query("kpis_by_id").empty else Sentence(
            "No KPI catalogue loaded (kpis file), so the built-in KPIs are shown without targets or owners."),
        cannot=kpi_words.readiness(found),
        problems=kpi_words.problems(found),
        matrices=kpi_parts.matrices(found, outlooks),
        legend=kpi_parts.legend(),
        ids=tuple(r.kpi.id for r in found),
        names={r.kpi.id: r.kpi.name for r in found},
        default=(judged or found)[0].kpi.id if found else None,
        queries=(*dict.fromkeys(r.kpi.definition for r in found if r.ok and not r.kpi.is_manual),
                 "kpi_values_by_period", "events_by_date", READINESS_QUERY),
    )


def close_up(view: Filters, inputs: CostInputs, kpi_id: str, rebase: str | None = None) -> Closer:
    """One KPI up close: its XmR chart, what it means, its year end and its card (cached)."""
    return _close_up(view, inputs, kpi_id, rebase, db.database_stamp(db.db_path()))


@st.cache_data(show_spinner=False, max_entries=64)
def _close_up(view: Filters, inputs: CostInputs, kpi_id: str, rebase: str | None, stamp: tuple) -> Closer:
    result = next(r for r in results(view, inputs, rebase) if r.kpi.id == kpi_id)
    sql = None
    if not result.kpi.is_manual and result.ok:
        sql = db.query_text(result.kpi.definition)
    chosen = parse_rebase(rebase)
    option = None
    if chosen and chosen[0] == kpi_id:
        option = OFF if chosen[1] == OFF else kpi_parts.rebase_code(chosen[1], result.kpi)
    return kpi_parts.close_up(result, year_end(result), db.query("events_by_date", **view.params()),
                              dict(db.query("data_through_by_source", **view.params()).itertuples(index=False)),
                              sql, view, policy_for(view), option)


def difference(view: Filters, inputs: CostInputs, kpi_id: str, event: str, ward_names: Mapping[str, str]
               ) -> Change:
    """Before and after an event, measured where it happened, limits rebased at it (cached)."""
    return _difference(view, inputs, kpi_id, event, dict(ward_names), db.database_stamp(db.db_path()))


@st.cache_data(show_spinner=False, max_entries=64)
def _difference(view: Filters, inputs: CostInputs, kpi_id: str, event: str, ward_names: dict, stamp: tuple
                ) -> Change:
    result = next(r for r in results(view, inputs) if r.kpi.id == kpi_id)
    events = kpis.events_for(result.kpi, db.query("events_by_date", **view.params()))
    picked = events.iloc[kpi_parts.event_labels(events).index(event)]
    scope = kpis.event_scope(view, picked)
    scoped = result if result.kpi.is_manual or scope == view else results(scope, inputs, only=(kpi_id,))[0]
    where = ", ".join(x for x in (picked.service, ward_names.get(picked.ward_code)) if isinstance(x, str))
    return kpi_parts.difference(result, scoped, picked, events, where, policy_for(view))


# --------------------------------------------------------------------------- channel-shift saving


def saving_sentence(monthly: pd.DataFrame, baseline_from: date, baseline_to: date, policy: Policy) -> Sentence:
    """'Against the channel mix of Nov 2023 to Oct 2024, the 1,234 costed requests in view cost £567 less
    (£0.46 a request).'

    Public-safe: the count is rounded to 5 and the pounds to £10, so neither gives the other back; a
    hidden count hides the pounds too, since £X ÷ £Y a request would give it back.
    """
    frame = monthly.dropna(subset=["numerator"])
    requests = float(frame["denominator"].sum())
    if frame.empty or not requests:
        return Sentence("No costed requests to compare with the baseline's channel mix.")
    shown = count(requests, policy, "costed requests")
    if not shown.shown:
        return sentence("Fewer than {n} costed requests in view: too few to say what the channel mix saved.",
                        n=reference(policy.threshold))
    saved = float(frame["numerator"].sum())
    total = money_total(saved, shown, policy)
    each = rate(abs(saved) / requests, requests, "£", policy)
    said = sentence("Against the channel mix of {span}, the {n} costed requests in view cost",
                    span=month_span(baseline_from, baseline_to), n=shown)
    if not total.value:
        # Rounded to nothing (to £10 in public) is not the same as nothing: "about" unless it was nothing.
        return sentence("{said} {same} as they would have at that mix.", said=said,
                        same="the same" if abs(saved) < 0.005 else "about the same")
    per = sentence("{each} a request", each=each) if each.value else Sentence("under a penny a request")
    return sentence("{said} {total} {direction} ({per}).", said=said, total=total,
                    direction="less" if saved > 0 else "more", per=per)
