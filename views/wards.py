"""Ward maps: is it working in every neighbourhood?"""

import streamlit as st

from pulse import state, ui
from pulse.charts import maps
from pulse.charts.colours import CLASS_METHODS
from pulse.pages import wards

st.title("Is it working in every neighbourhood?")
view = ui.filters()
if not wards.has_boundaries():
    ui.callout(wards.NO_BOUNDARIES)
    st.stop()
names, available = wards.ward_names(), wards.availability()
if not available.keys:
    ui.callout(wards.NO_RECORDS)
    st.stop()

# What to show: the measure, its colour classes and what else goes on the map.
pick, method_col, extras_col = st.columns([3, 3, 5])
metric = pick.selectbox("Show", available.keys, key="ward_metric", format_func=wards.metric_name,
                        help=ui.words(available.note) or None)
method = method_col.selectbox("Colour classes", list(CLASS_METHODS), key="ward_classes",
                              format_func=CLASS_METHODS.get, help=ui.words(wards.CLASS_HELP))
chosen = extras_col.pills("Add to the map", list(wards.EXTRAS), selection_mode="multi", key="ward_extras",
                          format_func=wards.EXTRAS.get)

# The ward whose profile is open: a click on the map, the list below, the link, or the sidebar's ward.
# A click is read once, then the map is drawn afresh: Streamlit fades every unpicked ward while a
# chart holds a selection.
selected = state.choice("ward_profile", names, default=next(iter(view.wards), None))
clicked = state.event("ward_map")
if maps.any_selection(clicked):
    selected = maps.selected_ward(clicked) if maps.selected_ward(clicked) in names else selected
    state.renew("ward_map")
state.keep("ward_profile", selected)

choice = wards.MapChoice(metric, method, "names" in chosen, "beside" in chosen, "density" in chosen)
page = wards.build(view, choice, selected)
ui.caption(page.intro)
if available.missing:
    with st.expander("What this data cannot show, and the export that would show it"):
        ui.bullets(list(available.missing))

left, right = st.columns([1, 1] if choice.beside else [3, 1])
with left:
    ui.deck(page.deck, on_select="rerun", selection_mode="single-object", key=state.fresh_key("ward_map"),
            height=maps.MAP_HEIGHT, alt=page.map_alt)
key_box = right
if page.deprivation_deck is not None:
    with right:
        ui.deck(page.deprivation_deck, key="deprivation_map", height=maps.MAP_HEIGHT,
                alt="Map of deprivation (IMD decile) by ward.")
    key_box, deprivation_box = st.columns(2)
    with deprivation_box:
        ui.legend(wards.DEPRIVATION_TITLE, page.deprivation_legend)
with key_box:
    ui.legend(page.legend_title, page.legend)
    if page.borough is not None:
        ui.markdown(page.borough)
    ui.caption(page.map_note)
if page.unmapped is not None:
    ui.callout(page.unmapped, "warning", icon=":material/location_off:")

st.subheader("Ward profile")
st.selectbox("Ward", list(names), key="ward_profile", index=None, format_func=names.get,
             placeholder="Pick a ward, or click one on the map")
profile = page.profile
if profile is not None:
    ui.heading(profile.name, 4)
    ui.caption(profile.caption)
    for start in range(0, len(profile.tiles), 4):
        row = profile.tiles[start:start + 4]
        for column, tile in zip(st.columns(len(row)), row):  # a shorter last row gets wider tiles
            with column:
                ui.metric(tile.label, tile.value, tile.delta, help=tile.help, delta_color=tile.delta_color)
    for charts in (profile.trends, profile.mix):
        for column, drawn in zip(st.columns(2), charts):
            with column:
                ui.chart(drawn, data_label="The figures behind this chart")
    if profile.themes is not None:
        ui.markdown(profile.themes)

ranked, deprivation, priority = st.tabs(["All wards, ranked", "Against deprivation", "Priority wards"])
with ranked:
    ui.table(page.ranked, column_config={column: st.column_config.NumberColumn(format=style)
                                         for column, style in page.rank_formats.items()})
    if page.borough is not None:
        ui.markdown(page.borough)
    ui.download(page.ranked, "Download this table (CSV)", page.file_name, key="ward_rank_download")
with deprivation:
    if page.deprivation_chart is None:
        ui.callout(wards.NO_DEPRIVATION)
    else:
        ui.chart(page.deprivation_chart, data_label="The figures behind this chart")
        ui.caption(page.deprivation_note)
    for line in page.deprivation_methods:
        ui.caption(line)
with priority:
    ui.markdown(wards.PRIORITY_RULE)
    if page.priority is None:
        ui.callout(page.priority_note)
    elif not page.priority:
        ui.callout("No ward meets both tests, or take-up or deprivation figures are missing for these filters.")
    else:
        ui.markdown(page.priority)
        ui.download(page.priority_table, "Download priority wards (CSV)", "priority_wards.csv",
                    key="ward_priority_download")
ui.show_sql(*wards.QUERIES)
