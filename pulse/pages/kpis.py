"""KPI trends: every catalogue KPI evaluated once per view (the Overview reads the same results), the
matrix, the unit costs and channel-shift baseline the cost KPIs take as query parameters."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

import pandas as pd
import streamlit as st

from pulse import db, registry
from pulse.charts.spc import sparkline
from pulse.disclosure import Policy
from pulse.filters import Filters
from pulse.icons import assurance_icon, assurance_label, variation_icon, variation_label
from pulse.metrics import kpis
from pulse.metrics.kpis import KpiResult
from pulse.metrics.process import Projection
from pulse.pages import kpi_words, policy_for


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


def results(view: Filters, inputs: CostInputs) -> list[KpiResult]:
    """Every catalogue KPI for a view, cached: the one place KPIs are evaluated (KPI page, Overview, slides)."""
    return _results(view, inputs, db.database_stamp(db.db_path()))


@st.cache_data(show_spinner=False, max_entries=64)
def _results(view: Filters, inputs: CostInputs, stamp: tuple) -> list[KpiResult]:
    params = {**view.params(), **inputs.params()}
    return kpis.evaluate_all(kpis.catalogue(db.query("kpis_by_id")), lambda name: db.query(name, **params),
                             db.query("kpi_values_by_period", **view.params()), policy_for(view))


def headline_results(view: Filters, inputs: CostInputs) -> dict[str, KpiResult]:
    """GOV.UK's four service KPIs: the catalogue's own KPI for each (with its target) or the built-in one."""
    return _headlines(view, inputs, db.database_stamp(db.db_path()))


@st.cache_data(show_spinner=False, max_entries=64)
def _headlines(view: Filters, inputs: CostInputs, stamp: tuple) -> dict[str, KpiResult]:
    catalogued = {r.kpi.definition: r for r in _results(view, inputs, stamp)}
    out = {}
    for measure in registry.HEADLINES:
        if measure.query in catalogued:
            out[measure.key] = catalogued[measure.query]
            continue
        built_in = next(k for k in kpis.BUILT_IN if k.definition == measure.query)
        params = {**view.params(), **inputs.params()}
        out[measure.key] = kpis.evaluate_all([built_in], lambda name: db.query(name, **params),
                                             db.query("kpi_values_by_period", **view.params()), policy_for(view))[0]
    return out


def default_results(view: Filters, first: date | None, last: date | None) -> list[KpiResult]:
    """Results with the loaded unit costs and the default baseline (the data's first twelve months)."""
    return results(view, cost_inputs(loaded_costs(), kpis.default_baseline(first, last)))


def data_uri(svg: str) -> str:
    """An SVG as a data URI, for a table's image column."""
    return "data:image/svg+xml;utf8," + quote(svg)


def sparkline_svg(result: KpiResult, width: int = 120, height: int = 32) -> str:
    """A small line of the KPI's values, the target dashed and the latest point coloured by variation."""
    variation = result.variation
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
        judged = result.ok and not result.uninformative
        variation = result.variation if judged else None
        side = result.side if judged else None
        assurance = result.assurance if judged else None
        outlook = projections.get(kpi.id) if judged else None
        rows.append({
            "id": kpi.id,
            "challenge": kpi.challenge,
            "kpi": kpi.name,
            "latest": kpi.fmt(value),
            "period": kpi_words.period_label(period, kpi),
            "target": kpi.fmt(kpi.target) if kpi.target is not None else "–",
            "variation_icon": data_uri(variation_icon(variation, kpi.higher_is_better, side=side)) if judged else "",
            "variation": kpi_words.variation_words(result),
            "variation_label": (variation_label(variation, kpi.higher_is_better, side) if judged
                                else result.problem or result.uninformative or ""),
            "assurance_icon": data_uri(assurance_icon(assurance)) if judged else "",
            "assurance": kpi_words.assurance_words(result),
            "assurance_label": assurance_label(assurance) if judged else "",
            "year_end": outlook.status.capitalize() if outlook else "",
            "trend": data_uri(sparkline_svg(result)) if result.ok else "",
            "note": result.problem or result.uninformative or " ".join(result.notes),
        })
    return pd.DataFrame(rows, columns=["id", "challenge", "kpi", "latest", "period", "target", "variation_icon",
                                       "variation", "variation_label", "assurance_icon", "assurance",
                                       "assurance_label", "year_end", "trend", "note"])


def problems(results: Iterable[KpiResult]) -> pd.DataFrame:
    """KPIs that cannot be shown and why, for the Data page."""
    rows = [{"kpi": r.kpi.id, "name": r.kpi.name, "definition": r.kpi.definition, "problem": r.problem}
            for r in results if not r.ok]
    return pd.DataFrame(rows, columns=["kpi", "name", "definition", "problem"])


def icon_legend() -> list[tuple[str, str]]:
    """Every Making Data Count icon the matrix uses, with its meaning in words."""
    variations = [(variation_icon(v, True, side=s), variation_label(v, True, s))
                  for v, s in (("improvement", "high"), ("concern", "low"), ("neutral", "high"),
                               ("common_cause", None), (None, None))]
    return variations + [(assurance_icon(a), assurance_label(a)) for a in ("pass", "fail", "hit_or_miss", None)]


def unit_costs_changed(original: pd.DataFrame, edited: pd.DataFrame) -> bool:
    """Whether the reader's unit costs differ from those loaded."""
    key = ["channel", "cost_gbp"]
    a = original[key].sort_values("channel").reset_index(drop=True)
    b = edited[key].dropna(subset=["channel"]).sort_values("channel").reset_index(drop=True)
    return not a.equals(b.astype(a.dtypes.to_dict()))


def saving_sentence(monthly: pd.DataFrame, baseline_from: date, baseline_to: date, policy: Policy) -> str:
    """'Against the channel mix of Nov 2023 to Oct 2024, the 1,234 costed requests cost £567 less (£0.46 a request).'

    Public-safe: the count is rounded to 5 and the pounds to £10, so neither gives the other back;
    a hidden count hides the pounds too.
    """
    from pulse.disclosure import count, money_total, rate
    from pulse.formatting import month_label

    frame = monthly.dropna(subset=["numerator"])
    requests = float(frame["denominator"].sum())
    if frame.empty or not requests:
        return "No costed requests to compare with the baseline's channel mix."
    saved = float(frame["numerator"].sum())
    shown = count(requests, policy, "costed requests")
    if not shown.shown:
        return (f"Fewer than {policy.threshold} costed requests in view: too few to say what the channel mix "
                "saved.")
    total = money_total(saved, shown, policy)
    each = rate(abs(saved) / requests, requests, "£", policy)
    return (f"Against the channel mix of {month_label(baseline_from)} to {month_label(baseline_to)}, the "
            f"{shown} costed requests in view cost {total.text.lstrip('-')} {'less' if saved >= 0 else 'more'} "
            f"({each} a request).")
