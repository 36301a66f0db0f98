"""Overview: how are we doing, in one screen."""

import streamlit as st

from pulse import charts, icons, overview, ui
from pulse.formatting import month_label
from pulse.metrics import kpis

st.title("How are we doing?")
filters = ui.filters()
st.caption(f"GOV.UK's four service KPIs, {month_label(filters.date_from)} to {month_label(filters.date_to)}: "
           "the latest month against the month before, the trend, and whether the latest month is a real "
           "change or normal variation (statistical process control).")

monthly = {h.query: ui.query(h.query) for h in overview.HEADLINES}
by_channel = ui.query("requests_by_month_channel")
health, parts = kpis.health_index(ui.kpi_results())

columns = st.columns(len(overview.HEADLINES) + 1)
for column, headline in zip(columns, overview.HEADLINES):
    tile = overview.tile(headline, monthly[headline.query])
    with column:
        # Grey changes: one month's movement is judged by the SPC icon below, not by red and green.
        st.metric(headline.title, tile.shown_value, delta=tile.shown_change, delta_color="off",
                  delta_description=f"vs {tile.previous_period}" if tile.previous_period else None,
                  help=headline.help, border=True, chart_data=list(tile.series.round(4)) or None)
        label = icons.variation_label(tile.variation, headline.higher_is_better, tile.side)
        ui.icon_note(icons.variation_icon(tile.variation, headline.higher_is_better, 22, side=tile.side),
                     tile.note or f"{label} · {tile.period}")
with columns[-1]:
    st.metric("Digital health index", "–" if health is None else f"{health:.2f}", border=True,
              help="Each KPI's latest value ÷ its target (target ÷ value when lower is better), capped at "
                   "1.25, then averaged: 1.00 means on target on average.")
    st.caption(f"1.00 = on target, across {sum(p.score is not None for p in parts)} KPIs (see below)")

cost = monthly["kpi_cost_per_transaction_by_month"]
if not cost.empty and cost["uncosted"].sum():
    st.caption(f"Cost per transaction leaves out {int(cost['uncosted'].sum()):,} requests through channels "
               "with no unit cost (see the Data page to add them).")

left, right = st.columns([3, 2])
with left:
    if by_channel.empty:
        st.info("No service requests match these filters.")
    else:
        st.altair_chart(charts.requests_by_channel(by_channel, overview.channel_title(by_channel)), width="stretch")
        sentence = overview.volume_sentence(by_channel, filters.public_safe)
        if sentence:
            st.caption(sentence)
with right:
    st.subheader("What changed")
    st.caption("The last full quarter against the one before.")
    sentences = [s for s in (overview.change_sentence(h, monthly[h.query]) for h in overview.HEADLINES) if s]
    if sentences:
        st.markdown("\n".join(f"- {s}" for s in sentences))
    else:
        st.info("Two complete quarters are needed to say what changed; widen the date range.")

with st.expander("The KPIs behind the digital health index"):
    st.dataframe(kpis.health_table(parts), hide_index=True)
ui.show_sql(*(h.query for h in overview.HEADLINES), "requests_by_month_channel")
