"""Overview: how are we doing, in one screen."""

import streamlit as st

from pulse import icons, ui, wording
from pulse.disclosure import sentence
from pulse.pages import overview

st.title("How are we doing?")
options = ui.options()
page = overview.build(ui.filters(), options.start, options.end)
ui.caption(page.intro)
if page.readiness:
    ui.callout(page.readiness, icon=":material/database:")

columns = st.columns(len(page.tiles) + 1)
for column, tile in zip(columns, page.tiles):
    measure = tile.measure
    with column:
        # Grey changes: one month's movement is judged by the SPC icon below, not by red and green.
        ui.metric(measure.name, tile.value, tile.change, help=measure.definition, trend=tile.trend,
                  delta_description=sentence("vs {month}", month=tile.previous) if tile.previous else None)
        verdict = sentence("{words} · {month}", words=wording.variation_words(tile.variation), month=tile.period)
        ui.icon_note(icons.variation_icon(tile.variation, measure.higher_is_better, 22, side=tile.side),
                     tile.note or verdict)
with columns[-1]:
    ui.metric("Digital health index", page.health, help=overview.HEALTH_HELP)
    ui.caption(page.health_note)
ui.caption(page.uncosted)

left, right = st.columns([3, 2])
with left:
    if page.chart is None:
        ui.callout("No service requests match these filters.")
    else:
        ui.chart(page.chart, data_label="Requests by month and channel, as a table")
        ui.caption(page.chart_note)
with right:
    ui.heading("What changed", level=2)
    st.caption("The last full quarter against the one before.")
    if page.changes:
        ui.bullets(list(page.changes))
    else:
        ui.callout(page.no_changes)

with st.expander("The KPIs behind the digital health index"):
    ui.table(page.health_table)
ui.show_sql(*page.queries)
