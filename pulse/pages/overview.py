"""Overview: GOV.UK's four service KPIs, the digital health index, requests by channel, what changed.

Every count on the page — the channel chart's cells, the quarter totals in its sentence, the requests
left out of cost per transaction — is published from one CountModel over requests by month and
channel, together with what the page's rates let a reader work out (each month's and quarter's
total, digital requests and costed requests, and the money behind cost per transaction). So no
hidden cell can be recovered from a total, a rate or a sentence beside it; a month whose rates would
give a hidden cell away is a gap on the tiles too. The KPI tiles are the KPI page's own results.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import pandas as pd
import streamlit as st

from pulse import db, registry
from pulse.charts import requests_by_channel
from pulse.disclosure import (
    MISSING, Chart, CountModel, Figure, Policy, Protection, Sentence, Table, change, label_table, rate, reference,
    sentence,
    static,
)
from pulse.disclosure.published import RATE, Table as _Table
from pulse.filters import Filters
from pulse.formatting import month_label, month_span, quarter_label
from pulse.metrics import health, kpis
from pulse.metrics.kpis import KpiResult
from pulse.pages import kpi_words
from pulse.pages import kpis as kpi_page
from pulse.pages import policy_for
from pulse.schema import DIGITAL_CHANNELS

CHANNELS_QUERY = "requests_by_month_channel"
HEALTH_HELP = static("Each KPI's latest value ÷ its target (target ÷ value when lower is better), capped at 1.25, "
                     "then averaged: 1.00 means on target on average.")


@dataclass(frozen=True)
class Tile:
    """One headline KPI as the Overview shows it: latest month, change on the month before, trend, verdict."""

    measure: registry.Measure
    value: Figure
    change: Figure
    period: str
    previous: str | None
    trend: Table  # period, value: the published monthly series, gaps where hidden
    variation: str | None
    side: str | None
    note: Sentence | None


NO_QUARTERS = static("Two complete quarters are needed to say what changed; widen the date range.")
NOTHING_TO_COMPARE = static("Nothing to compare with these exports: each of the four service KPIs is either "
                            "fixed by the data or needs data they do not have (see above).")

@dataclass(frozen=True)
class Overview:
    """Everything the Overview page shows, published."""

    intro: Sentence
    tiles: tuple[Tile, ...]
    health: Figure
    health_note: Sentence
    health_table: Table
    uncosted: Sentence | None
    chart: Chart | None
    chart_note: Sentence | None
    changes: tuple[Sentence, ...]
    queries: tuple[str, ...]
    readiness: Sentence | None = None  # which headline KPIs these exports cannot show, and what would, said once
    # Why "what changed" is empty, when it is: nothing these exports can compare, or too few quarters.
    no_changes: Sentence = NO_QUARTERS


def build(view: Filters, first: date | None, last: date | None) -> Overview:
    """The Overview for one view of the data (cached per view and database)."""
    return _build(view, first, last, db.database_stamp(db.db_path()))


@st.cache_data(show_spinner=False, max_entries=64)
def _build(view: Filters, first: date | None, last: date | None, stamp: tuple) -> Overview:
    policy = policy_for(view)
    inputs = kpi_page.cost_inputs(kpi_page.loaded_costs(), kpis.default_baseline(first, last))
    results = kpi_page.headline_results(view, inputs)
    cells = db.query(CHANNELS_QUERY, **view.params())
    protection = protect_channels(cells, dict(zip(inputs.channels, inputs.values)), policy)
    tiles = tuple(tile(m, _masked(results[m.key], m, protection), policy) for m in registry.HEADLINES)
    score, parts = health.health_index(kpi_page.results(view, inputs))
    monthly = {m.key: db.query(m.query, **view.params(), **inputs.params()) for m in registry.HEADLINES}
    return Overview(
        intro=sentence("GOV.UK's four service KPIs, {span}: the latest month against the month before, "
                       "the trend, and whether the latest month is a real change or normal variation (statistical "
                       "process control).", span=month_span(view.date_from, view.date_to))
        if view.date_from and view.date_to else Sentence("GOV.UK's four service KPIs."),
        tiles=tiles,
        health=reference(score, "ratio", 2) if score is not None else MISSING,
        health_note=health_note(parts),
        health_table=health_table(parts, policy),
        uncosted=uncosted_sentence(protection) if not cells.empty else None,
        chart=channel_chart(protection, policy) if not cells.empty else None,
        chart_note=volume_sentence(protection),
        # A KPI the data fixes (100% digital) "holds steady" by construction: that is not news.
        changes=tuple(s for s in (change_sentence(m, monthly[m.key], protection, policy)
                                  for m in registry.HEADLINES if not results[m.key].uninformative) if s),
        queries=tuple(m.query for m in registry.HEADLINES) + (CHANNELS_QUERY,),
        readiness=kpi_words.readiness(results.values()),
        no_changes=NO_QUARTERS if any(r.ok and not r.uninformative for r in results.values()) else NOTHING_TO_COMPARE,
    )


# --------------------------------------------------------------------------- the count model


def protect_channels(cells: pd.DataFrame, costs: dict[str, float], policy: Policy) -> Protection | None:
    """Requests by month × channel, and everything the page's rates and sentences let a reader work out."""
    if cells.empty:
        return None
    frame = cells.assign(period=pd.to_datetime(cells["period"]))
    frame = frame.assign(quarter=frame["period"].dt.to_period("Q").dt.start_time)
    months = frame.groupby("quarter")["period"].nunique()
    complete = set(months[months == 3].index)
    digital = lambda c: c["channel"].isin(DIGITAL_CHANNELS)  # noqa: E731 (a row filter, read where it is used)
    costed = lambda c: c["channel"].isin(list(costs))  # noqa: E731
    in_complete = lambda c: c["quarter"].isin(complete)  # noqa: E731
    price = lambda c: c["channel"].map(costs).fillna(0.0)  # noqa: E731
    model = CountModel(frame, ["period", "quarter", "channel"], "requests", policy, "requests by month and channel")
    model.add("months", ["period"], role="denominator")
    # Take-up is published before cost per transaction when the two together would give a cell away.
    model.add("digital", ["period"], where=digital, role="numerator", priority=3)
    model.add("costed", ["period"], where=costed, role="denominator")
    model.add("cost", ["period"], where=costed, role="numerator", weight=price)
    model.add("quarters", ["quarter"], where=in_complete, priority=3)
    model.add("quarter_digital", ["quarter"], where=lambda c: in_complete(c) & digital(c), role="numerator",
              priority=3)
    model.add("quarter_costed", ["quarter"], where=lambda c: in_complete(c) & costed(c), role="denominator")
    model.add("quarter_cost", ["quarter"], where=lambda c: in_complete(c) & costed(c), role="numerator",
              weight=price)
    model.add("uncosted", [], where=lambda c: ~costed(c))
    model.add("cells", ["period", "channel"])
    return model.protect()


def _published_months(protection: Protection | None, *families: str) -> set[pd.Timestamp] | None:
    """Months whose every named family is published, or None when there is no model."""
    if protection is None:
        return None
    months: set[pd.Timestamp] | None = None
    for family in families:
        shown = protection.hidden_of(family)
        here = set(pd.to_datetime(shown.loc[~shown["hidden"], "period"]))
        months = here if months is None else months & here
    return months or set()


MASKS = {"digital_takeup": ("months", "digital"), "cost_per_transaction": ("costed", "cost")}


def _masked(result: KpiResult, measure: registry.Measure, protection: Protection | None) -> KpiResult:
    """A headline's result with the months hidden that would give a hidden count away beside this chart."""
    families = MASKS.get(measure.key)
    if not result.ok or not families or protection is None:
        return result
    keep = _published_months(protection, *families)
    series = result.series.where(result.series.index.isin(list(keep)))
    if series.equals(result.series):
        return result
    return replace(result, series=series, chart=kpis.judge(series, result.kpi))


# --------------------------------------------------------------------------- tiles


def tile(measure: registry.Measure, result: KpiResult, policy: Policy) -> Tile:
    """The tile for one headline: latest month against the month before, and its SPC verdict."""
    empty = label_table(pd.DataFrame({"period": pd.Series(dtype="datetime64[ns]")}), labels=["period"])
    if not result.ok:
        # What these exports lack is said once, above the tiles.
        return Tile(measure, MISSING, MISSING, "no data", None, empty, None, None,
                    Sentence("Needs more data: see above.") if result.needs else
                    Sentence("No data for these filters.") if "No data" in (result.problem or "")
                    else sentence("{why}", why=result.problem or "No figures."))
    series = result.series
    trend = _Table(pd.DataFrame({"period": series.index, "value": series.to_numpy(dtype=float)}),
                   {"period": "label", "value": RATE})
    latest_period = series.index[-1]
    latest = series.iloc[-1]
    unit = measure.unit
    digits = policy.digits(unit) if unit == "%" else None
    if pd.isna(latest):
        return Tile(measure, MISSING, MISSING, month_label(latest_period), None, trend, None, None,
                    sentence("Fewer than {n} in the latest month, or it would give a hidden count away: not shown.",
                             n=reference(policy.threshold)))
    value = Figure(float(latest), result.kpi.fmt(float(latest), digits))
    previous = series.iloc[-2] if len(series) > 1 else None
    before = MISSING if previous is None or pd.isna(previous) else Figure(float(previous), "")
    # A KPI the data fixes (every request digital) cannot move: no change is shown for it.
    moved = MISSING if result.uninformative else change(value, before, unit)
    note = Sentence("Not informative with this data: see above.") if result.uninformative else None
    chart = result.chart if not result.uninformative else None
    return Tile(measure, value, moved, month_label(latest_period),
                month_label(series.index[-2]) if moved.shown else None, trend,
                chart.variation if chart else None, chart.side if chart else None, note)


def health_note(parts: list[health.HealthScore]) -> Sentence:
    """How many KPIs the index is taken over."""
    counted = sum(p.score is not None for p in parts)
    if not counted:
        return Sentence("No KPI has a target and a latest value yet, so there is no index (see below).")
    return sentence("1.00 = on target, across {n} KPI{s} (see below)", n=reference(counted),
                    s="" if counted == 1 else "s")


def health_table(parts: list[health.HealthScore], policy: Policy) -> Table:
    """The index's drill-down: each KPI's latest value, target and score, or why it is left out."""
    frame = pd.DataFrame([{
        "KPI": p.kpi.name,
        "Latest": p.kpi.fmt(p.actual) if p.actual is not None else "–",
        "Target": p.kpi.fmt(p.kpi.target) if p.kpi.target is not None else "–",
        "Better when": {True: "higher", False: "lower", None: "–"}[p.kpi.higher_is_better],
        "Score": "–" if p.score is None else f"{p.score:.2f}",
        "Left out because": p.reason or "",
    } for p in parts], columns=["KPI", "Latest", "Target", "Better when", "Score", "Left out because"])
    return label_table(frame, labels=["KPI", "Better when", "Left out because"], texts=["Latest", "Target", "Score"])


# --------------------------------------------------------------------------- requests by channel


def uncosted_sentence(protection: Protection) -> Sentence | None:
    """The requests cost per transaction leaves out, when there are any."""
    if not protection.any("uncosted"):
        return None
    return sentence("Cost per transaction leaves out {n} requests through channels with no unit cost (the Data "
                    "page lists the unit costs).", n=protection.figure("uncosted"))


def channel_table(protection: Protection) -> Table:
    """The chart's cells: period, channel, requests (a whole number or "[c]")."""
    return protection.table("cells")


def channel_chart(protection: Protection, policy: Policy) -> Chart:
    """The stacked chart of requests by month and channel, its title stating the message."""
    cells = channel_table(protection)
    return requests_by_channel(cells, channel_title(protection, policy))


def _quarter_rates(protection: Protection, numerator: str, denominator: str) -> pd.DataFrame:
    """Quarter, numerator, denominator and whether both are published, for complete quarters."""
    num = protection.frame(numerator).rename(columns={"count": "n"})
    den = protection.frame(denominator).rename(columns={"count": "d"})
    both = den.merge(num[["quarter", "n", "hidden"]], on="quarter", how="left", suffixes=("", "_num"))
    both["n"] = both["n"].fillna(0.0)
    both["published"] = ~both["hidden"] & ~both["hidden_num"].fillna(False).astype(bool)
    return both.sort_values("quarter").reset_index(drop=True)


def channel_title(protection: Protection, policy: Policy) -> Sentence:
    """'Online and app carried 62% of requests in Q3 2026, up from 48% in Q1 2024', from published figures."""
    quarters = _quarter_rates(protection, "quarter_digital", "quarters")
    quarters = quarters[quarters["published"]]
    plain = Sentence("Requests by channel, month by month")
    if len(quarters) < 2:
        return plain
    first, last = quarters.iloc[0], quarters.iloc[-1]
    a = rate(first["n"] / first["d"], first["d"], "%", policy)
    b = rate(last["n"] / last["d"], last["d"], "%", policy)
    if not (a.shown and b.shown):
        return plain
    if a.text == b.text and b.value in (0.0, 1.0):
        # One kind of channel throughout: a share that cannot move is not a message.
        return Sentence("Requests by channel, month by month: all made online or by app" if b.value else
                        "Requests by channel, month by month: none made online or by app")
    direction = "up from" if b.value > a.value else "down from" if b.value < a.value else "the same as"
    return sentence("Online and app carried {b} of requests in {last}, {direction} {a} in {first}", b=b,
                    last=quarter_label(last["quarter"]), direction=direction, a=a,
                    first=quarter_label(first["quarter"]))


def volume_sentence(protection: Protection | None) -> Sentence | None:
    """'Requests fell 4% between Q2 and Q3 2026 (61,200 to 58,750).' from the published quarter totals."""
    if protection is None:
        return None
    quarters = protection.hidden_of("quarters")
    if len(quarters) < 2:
        return None
    before_q, after_q = quarters["quarter"].iloc[-2], quarters["quarter"].iloc[-1]
    before = protection.figure("quarters", {"quarter": before_q})
    after = protection.figure("quarters", {"quarter": after_q})
    if not (before.shown and after.shown):
        return None
    span = _span(before_q, after_q)
    moved = (after.value - before.value) / before.value if before.value else 0.0
    if before.text == after.text:  # not "(300 to 300)"
        return sentence("Requests held steady at {n} a quarter between {span}.", n=after, span=span)
    if abs(moved) < 0.005:
        return sentence("Requests held steady between {span} ({a} to {b}).", span=span, a=before, b=after)
    size = Figure(abs(moved), f"{abs(moved):.0%}")
    return sentence("Requests {verb} {size} between {span} ({a} to {b}).", verb="rose" if moved > 0 else "fell",
                    size=size, span=span, a=before, b=after)


def _span(before: pd.Timestamp, after: pd.Timestamp) -> str:
    start, end = quarter_label(before), quarter_label(after)
    return f"{start.split()[0]} and {end}" if start.split()[1] == end.split()[1] else f"{start} and {end}"


# --------------------------------------------------------------------------- what changed


QUARTER_FAMILIES = {"digital_takeup": ("quarter_digital", "quarters"),
                    "cost_per_transaction": ("quarter_cost", "quarter_costed")}


def change_sentence(measure: registry.Measure, monthly: pd.DataFrame, protection: Protection | None,
                    policy: Policy) -> Sentence | None:
    """'Digital take-up rose from 48% to 53% between Q1 and Q2 2026.' for the last two complete quarters."""
    if monthly.empty:
        return None
    frame = monthly.assign(quarter=pd.to_datetime(monthly["period"]).dt.to_period("Q").dt.start_time)
    grouped = frame.groupby("quarter").agg(n=("numerator", "sum"), d=("denominator", "sum"),
                                           months=("period", "nunique"))
    grouped = grouped[grouped["months"] == 3].tail(2)
    if len(grouped) < 2:
        return None
    families = QUARTER_FAMILIES.get(measure.key)
    if families and protection is not None:
        published = _quarter_rates(protection, *families).set_index("quarter")["published"]
        if not all(published.get(q, False) for q in grouped.index):
            return None
    figures = [rate(row.n / row.d if row.d else None, row.d, measure.unit, policy) for row in grouped.itertuples()]
    if not all(f.shown for f in figures):
        return None
    before, after = figures
    span = _span(grouped.index[0], grouped.index[1])
    if before.text == after.text:
        return sentence("{name} held steady at {b} between {span}.", name=measure.name, b=after, span=span)
    # No verdict here: whether a movement is real or noise is the SPC icon's job, not a sentence's.
    return sentence("{name} {verb} from {a} to {b} between {span}.", name=measure.name,
                    verb="rose" if after.value > before.value else "fell", a=before, b=after, span=span)
