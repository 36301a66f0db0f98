"""KPI trends: are we solving the challenges we named? KPIs judged with statistical process control."""

from functools import partial

import streamlit as st

from pulse import state, ui
from pulse.pages import kpi_parts
from pulse.pages import kpis as kpi_page

st.title("Are we solving the challenges we named?")
view, options = ui.filters(), ui.options()
if view.date_from is None:  # run without the app's frame (app.py), which sets the filters
    ui.callout("Open this page from the Council Pulse navigation, which sets its filters.")
    st.stop()

# The cost KPIs' inputs: unit costs (editable for this browser session only) and the channel-shift baseline.
costs = kpi_page.costs(options.start, options.end, state.current("kpi_baseline"))
settings = st.expander(ui.words(costs.heading), icon=":material/payments:")
with settings:
    edited = st.data_editor(costs.table.frame, key="kpi_costs", hide_index=True, disabled=["source", "year"],
                            num_rows="dynamic", column_config={
                                "channel": "Channel", "source": "Source", "year": "Year",
                                "cost_gbp": st.column_config.NumberColumn("£ per transaction", min_value=0.0,
                                                                          format="£%.2f")})
    ui.caption("Edits apply to this browser session only; load a unit_costs file to change them for everyone.")
    st.date_input("Baseline period for channel-shift saving", key="kpi_baseline", value=costs.baseline,
                  min_value=options.min_date, max_value=options.max_date, format="DD/MM/YYYY")
inputs = kpi_page.inputs_for(costs, edited)

# A reader's override of the automatic rebase, for one KPI, held in the link (?rebase=<kpi>:2026-03 or :off).
rebase = state.choice("rebase", kpi_page.rebase_choices(view, inputs))
page = kpi_page.build(view, inputs, rebase)
with settings:
    ui.caption(page.saving)

ui.caption(page.intro)
ui.heading(page.summary, 5)
if page.built_in:
    ui.callout(page.built_in)
if page.cannot:
    ui.callout(page.cannot, icon=":material/database:")

for number, matrix in enumerate(page.matrices):
    key = f"{state.fresh_key('kpi_matrix')}_{number}"
    ui.markdown(matrix.challenge)
    ui.table(matrix.table, key=key, on_select=state.pick_row("kpi_matrix", key, matrix.ids, "kpi"),
             selection_mode="single-row", row_height=36, column_config=kpi_parts.MATRIX_COLUMNS, alt=matrix.alt)
ui.caption(kpi_parts.MATRIX_NOTE)
if page.problems:
    ui.callout(page.problems, "warning", icon=":material/error:")
with st.expander("How to read the icons"):
    for svg, meaning in page.legend:
        ui.icon_note(svg, meaning)

# One KPI up close (ticked in the matrix or chosen here, and kept in the link): its XmR chart and card.
state.keep("kpi", state.choice("kpi", page.ids, page.default))
st.selectbox("Look closer at (or tick a row above)", page.ids, key="kpi", format_func=page.names.get,
             on_change=state.follow("kpi", "kpi"))
closer = kpi_page.close_up(view, inputs, state.current("kpi"), rebase)
chart_col, card_col = st.columns([3, 1], gap="large")
with chart_col:
    if closer.chart is not None:
        ui.chart(closer.chart)
        ui.markdown(closer.meaning)
    else:
        ui.callout(closer.problem, closer.problem_kind)
    for note in closer.notes:
        ui.caption(note)
    if closer.year_end:
        ui.markdown(closer.year_end)
with card_col:
    for svg, meaning in closer.icons:
        ui.icon_note(svg, meaning)
    ui.markdown(closer.name)
    ui.markdown(closer.formula)
    ui.caption(closer.details)
    if closer.rebase_options:
        box = f"kpi_rebase_{closer.kpi_id}"
        st.selectbox("Process limits", closer.rebase_options, index=closer.rebase_index, key=box,
                     format_func=closer.rebase_labels.get,
                     on_change=state.follow(box, "rebase", partial(kpi_page.rebase_link, closer.kpi_id)))
    ui.caption(closer.process)
    ui.caption(closer.seasonality)

# Before and after an event, measured where the event happened, with the limits rebased at it.
ui.heading(closer.question)
if closer.no_events:
    ui.callout(closer.no_events)
else:
    event = st.selectbox("Event", closer.events, index=len(closer.events) - 1, key="kpi_event")
    change = kpi_page.difference(view, inputs, closer.kpi_id, event, options.wards)
    ui.caption(change.scope)
    ui.chart(change.chart)
    ui.callout(change.verdict, change.kind)
    ui.bullets(list(change.reasons))

ui.show_sql(*page.queries)
