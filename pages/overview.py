"""Overview: how are we doing, in one screen."""

import streamlit as st

from pulse import charts, overview, ui
from pulse.formatting import month_label

st.title("How are we doing?")
filters = ui.filters()
st.caption(f"GOV.UK's four service KPIs, {month_label(filters.date_from)} to {month_label(filters.date_to)}. "
           "Each tile shows the latest month against the month before.")

monthly = {h.query: ui.query(h.query) for h in overview.HEADLINES}
by_channel = ui.query("requests_by_month_channel")

columns = st.columns(len(overview.HEADLINES))
for column, headline in zip(columns, overview.HEADLINES):
    tile = overview.tile(headline, monthly[headline.query])
    with column:
        st.metric(
            headline.title,
            tile.shown_value,
            delta=tile.shown_change,
            delta_color="normal" if headline.higher_is_better else "inverse",
            delta_description=f"vs {tile.previous_period}" if tile.previous_period else None,
            help=headline.help,
            border=True,
            chart_data=list(tile.series.round(4)) or None,
            chart_type="line",
        )
        st.caption(tile.note or tile.period)

cost = monthly["kpi_cost_per_transaction_by_month"]
if not cost.empty and cost["uncosted"].sum():
    st.caption(f"Cost per transaction leaves out {int(cost['uncosted'].sum()):,} requests through channels "
               "with no unit cost (see the Data page to add them).")

left, right = st.columns([3, 2])
with left:
    if by_channel.empty:
        st.info("No service requests match these filters.")
    else:
        sentence = overview.volume_sentence(by_channel)
        st.altair_chart(charts.requests_by_channel(by_channel, "Requests by channel, month by month"),
                        width="stretch")
        if sentence:
            st.caption(sentence)
with right:
    st.subheader("What changed")
    sentences = [overview.change_sentence(h, monthly[h.query]) for h in overview.HEADLINES]
    sentences = [s for s in sentences if s]
    if sentences:
        st.markdown("\n".join(f"- {s}" for s in sentences))
    else:
        st.info("Two complete quarters are needed to say what changed; widen the date range.")

ui.show_sql(*(h.query for h in overview.HEADLINES), "requests_by_month_channel")

# Digital health index (CityScore): every catalogue KPI's latest value against its target; see KPI trends.
from pulse.metrics import kpis  # noqa: E402  (kept with the one block that uses it)

health, parts = kpis.health_index(kpis.evaluate_all(
    kpis.catalogue(ui.query("kpis_by_id")), lambda name: ui.query(name, **dict(zip(
        ("baseline_from", "baseline_to"), kpis.default_baseline(ui.options().min_date, ui.options().max_date)))),
    ui.query("kpi_values_by_period")))
st.columns(len(overview.HEADLINES))[0].metric(
    "Digital health index", "–" if health is None else f"{health:.2f}", border=True,
    help="Each KPI's latest value ÷ its target (target ÷ value when lower is better), capped at 1.25, averaged: "
         "1.00 means on target on average.")
with st.expander(f"The {sum(p.score is not None for p in parts)} KPIs behind the digital health index"):
    st.dataframe(kpis.health_table(parts), hide_index=True)
