"""KPI trends: are we solving the challenges we named? KPIs judged with statistical process control."""

from dataclasses import replace

import pandas as pd
import streamlit as st

from pulse import db, ui
from pulse.charts import spc as spc_charts
from pulse.formatting import month_label
from pulse.icons import assurance_icon, variation_icon
from pulse.metrics import kpis, spc
from pulse.metrics.before_after import before_after
from pulse.pages import kpi_words
from pulse.pages import kpis as kpi_page

st.title("Are we solving the challenges we named?")
filters, options = ui.filters(), ui.options()
if filters.date_from is None:  # run without the app's frame (app.py), which sets the filters
    st.info("Open this page from the Council Pulse navigation, which sets its filters.")
    st.stop()

# Inputs of the cost KPIs: unit costs (editable for this session only) and the baseline period.
loaded_costs = db.query("unit_costs_by_channel")
baseline = st.session_state.get("kpi_baseline") or kpis.default_baseline(options.min_date, options.max_date)
b_from, b_to = baseline[0], baseline[-1]
settings = st.expander(f"Unit costs per channel: {kpi_words.costs_source(loaded_costs)} · channel-shift baseline "
                       f"{month_label(b_from)} to {month_label(b_to)}", icon=":material/payments:")
with settings:
    costs = st.data_editor(loaded_costs, key="kpi_costs", hide_index=True, disabled=["source", "year"],
                           num_rows="dynamic", column_config={"channel": "Channel", "source": "Source", "year": "Year",
                                                              "cost_gbp": st.column_config.NumberColumn(
                                                                  "£ per transaction", min_value=0.0, format="£%.2f")})
    st.caption("Edits apply to this browser session only; load a unit_costs file to change them for everyone.")
    st.date_input("Baseline period for channel-shift saving", key="kpi_baseline", value=baseline,
                  min_value=options.min_date, max_value=options.max_date, format="DD/MM/YYYY")
inputs = kpi_page.cost_inputs(costs if kpi_page.unit_costs_changed(loaded_costs, costs) else loaded_costs,
                              (b_from, b_to))


def fetch(name: str, view=filters) -> pd.DataFrame:
    """A KPI query's monthly rows for a view of the data, with this session's unit costs."""
    return db.query(name, **view.params(), **inputs.params())


catalogue = kpis.catalogue(db.query("kpis_by_id"))
events = ui.query("events_by_date")
results = kpi_page.results(filters, inputs)
by_id = {r.kpi.id: r for r in results}
outlook = {r.kpi.id: kpis.projection(r) for r in results}
table = kpi_page.matrix(results, outlook)
settings.caption(kpi_page.saving_sentence(fetch("kpi_channel_shift_saving_by_month"), b_from, b_to, ui.policy()))

latest = max((r.latest[0] for r in results if r.latest[0] is not None), default=None)
st.caption(f"{len(catalogue)} KPIs under {table['challenge'].nunique()} challenges, {month_label(filters.date_from)} "
           f"to {month_label(filters.date_to)}{f'; latest figures for {month_label(latest)}' if latest else ''}. "
           "Computed KPIs follow the sidebar filters; hand-reported ones are for the whole council.")
st.markdown(f"##### {kpi_words.summary(results, outlook)}")
if catalogue is kpis.BUILT_IN:
    st.info("No KPI catalogue loaded (kpis file), so the built-in KPIs are shown without targets or owners.")


def _open(key: str) -> None:
    rows = st.session_state[key].selection.rows
    if rows:
        st.session_state["kpi_open"] = st.session_state["kpi_rows"][key][rows[0]]
        # New table keys clear the other tables' selections; the chosen KPI opens below.
        st.session_state["kpi_round"] = st.session_state.get("kpi_round", 0) + 1


text, image = st.column_config.TextColumn, st.column_config.ImageColumn
columns = {"kpi": text("KPI", width=215), "latest": text("Latest", width=70), "target": text("Target", width=65),
           "variation_icon": image("", width=36), "variation": text("Variation", width=150),
           "assurance_icon": image("", width=36), "assurance": text("Meets target?", width=130),
           "year_end": text("Year end", width=75, help="The financial year's average, projected to 31 March"),
           "trend": image("Trend", width=100)}
st.session_state["kpi_rows"] = {}
for number, (challenge, group) in enumerate(table.groupby("challenge", sort=False)):
    key = f"kpi_matrix_{number}_{st.session_state.get('kpi_round', 0)}"
    st.session_state["kpi_rows"][key] = list(group["id"])
    st.markdown(f"**{challenge}**")
    st.dataframe(group, key=key, on_select=lambda key=key: _open(key), selection_mode="single-row", hide_index=True,
                 row_height=36, column_order=list(columns), column_config=columns)
st.caption("Variation and assurance judge the whole date range (Making Data Count); when a KPI is improving or "
           "getting worse, narrow the dates to judge its new level. Year end projects the year's average.")
for result in results:
    if not result.ok:
        st.warning(f"**{result.kpi.name}**: {result.problem}", icon=":material/error:")
with st.expander("How to read the icons"):
    st.markdown("  \n".join(f"{svg} {words}" for svg, words in kpi_page.icon_legend()), unsafe_allow_html=True)

# One KPI up close: its XmR chart and year-end projection beside its definition card.
if st.session_state.get("kpi_open") not in by_id:
    st.session_state["kpi_open"] = table["id"].iloc[0]
chosen = st.selectbox("Look closer at (or tick a row above)", list(table["id"]), key="kpi_open",
                      format_func=lambda i: by_id[i].kpi.name)
result, kpi = by_id[chosen], by_id[chosen].kpi
chart_col, card_col = st.columns([3, 1], gap="large")
with chart_col:
    if not result.ok:
        st.warning(result.problem)
    else:
        st.altair_chart(spc_charts.xmr_chart(result.chart.points, title=kpi_words.headline(result), unit=kpi.unit,
                                             fmt=kpi.fmt, target=kpi.target, events=events), width="stretch")
        st.markdown(spc.summarise(result.chart, number=kpi.fmt))
        for note in result.notes:
            st.caption(note)
        if outlook.get(chosen):
            st.markdown(f"**Year end: {outlook[chosen].status}.** "
                        + " ".join(kpi_words.projection_reasoning(outlook[chosen], kpi)))
with card_col:
    sql = None if kpi.is_manual or not result.ok else db.query_text(kpi.definition)
    last_dates = dict(ui.query("data_through_by_source").itertuples(index=False))
    through = kpi_words.data_through(result, last_dates, sql, filters.date_to)
    if (chart := result.chart) is not None:
        st.markdown(f"{variation_icon(chart.variation, kpi.higher_is_better, 40, side=chart.side)} "
                    f"{assurance_icon(chart.assurance, 40)}", unsafe_allow_html=True)
    st.markdown(f"**{kpi.name}**  \n{kpi_words.formula(kpi, sql)}")
    st.caption(f"Better when {kpi.polarity or 'neither'} · target "
               f"{kpi.fmt(kpi.target) if kpi.target is not None else 'none'} · owner {kpi.owner or 'not named'} · "
               f"reported {kpi.frequency} · source `{'kpi_values' if kpi.is_manual else kpi.definition + '.sql'}` · "
               f"data through {f'{through:%-d %b %Y}' if through else 'no data'}")

# Before and after an event, measured where the event happened, with the limits rebased at it.
st.subheader(f"Did it make a difference to {kpi.name.lower()}?")
judged = kpis.events_for(kpi, events)
if judged.empty:
    council = " Hand-reported KPIs cover the whole council, so only council-wide events apply." if kpi.is_manual else ""
    st.info(f"No events in this date range that {kpi.name} can be judged against (events file).{council}")
elif not result.ok:
    st.info(f"{kpi.name} has no figures to compare: {result.problem}")
else:
    labels = [f"{e.date:%-d %b %Y} · {e.label}" for e in judged.itertuples()]
    picked = judged.iloc[labels.index(st.selectbox("Event", labels, index=len(labels) - 1, key="kpi_event"))]
    scope = kpis.event_scope(filters, picked)
    scoped = (result if kpi.is_manual or scope == filters else
              kpis.evaluate(kpi, fetch(kpi.definition, scope), ui.policy()))
    where = ", ".join(x for x in (picked.service, options.wards.get(picked.ward_code)) if isinstance(x, str))
    if where and not kpi.is_manual:
        st.caption(f"Measured for {where} only: the event's scope.")
    change = before_after(scoped.series, picked.date, kpi)
    if not scoped.ok:
        st.warning(f"It cannot be judged for {where}: {scoped.problem}")
    elif change.judged:
        st.altair_chart(spc_charts.xmr_chart(change.chart.points, title=f"{kpi.name} before and after: limits "
                                             "rebased at the event", unit=kpi.unit, fmt=kpi.fmt, target=kpi.target,
                                             events=events.loc[[picked.name]], height=260), width="stretch")
    if scoped.ok:
        {"signal": st.success, "noise": st.info, "unclear": st.warning}[change.verdict](
            kpi_words.before_after_sentence(change, kpi, picked.label, picked.date))
        st.markdown("\n".join(f"- {r}" for r in kpi_words.before_after_reasons(change, kpi)
                               + (() if change.judged else scoped.notes)))

ui.show_sql(*dict.fromkeys(r.kpi.definition for r in results if r.ok and not r.kpi.is_manual),
            "kpi_values_by_period", "events_by_date")
