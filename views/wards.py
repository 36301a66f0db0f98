"""Ward maps: is it working in every neighbourhood?"""

import geopandas as gpd
import pandas as pd
import streamlit as st

from pulse import db, geo, ui, wards
from pulse.charts import maps
from pulse.config import db_path


@st.cache_data(show_spinner=False)
def ward_shapes(stamp: tuple) -> gpd.GeoDataFrame:
    """The ward boundaries simplified for drawing, once per database file."""
    return geo.simplify_for_drawing(geo.wards_from_frame(db.query("boundaries_by_ward")))


@st.cache_data(show_spinner=False, max_entries=64)
def ward_themes(context: dict, stamp: tuple, limit: int, public_safe: bool) -> pd.DataFrame:
    """Comment themes of one ward: a regex pass over every comment, so done once per view."""
    return wards.themes(db.query("ward_comments_by_feedback", **context), limit, public_safe)


st.title("Is it working in every neighbourhood?")
filters, options = ui.filters(), ui.options()
# Every ward stays on the map to be compared; the sidebar's ward filter only picks the profile.
params = {**filters.params(), "wards": None}
everything = {**params, "date_from": options.min_date, "date_to": options.max_date} | dict.fromkeys(
    ("directorates", "services", "channels"))
if db.query("boundaries_by_ward").empty:
    st.info(wards.NO_BOUNDARIES)
    st.stop()
shapes = ward_shapes(db.database_stamp(db_path()))
names = dict(zip(shapes["ward_code"], shapes["ward_name"]))
raw = db.query("metrics_by_ward", **params)
safe = wards.safe_metrics(raw, public_safe=filters.public_safe)
limit = safe.attrs["threshold"]
available, unavailable = wards.available_metrics(db.query("metrics_by_ward", **everything))
st.caption(wards.intro_caption(len(names), filters.date_from, filters.date_to, limit, filters.public_safe))

pick, method_col, extras_col = st.columns([3, 3, 5])
key = pick.selectbox("Show", available, key="ward_metric", format_func=lambda k: wards.METRICS[k].label,
                     help="; ".join(f"{wards.METRICS[k].label}: {why}" for k, why in unavailable.items()) or None)
metric = wards.METRICS[key]
method = method_col.selectbox("Colour classes", list(wards.CLASS_METHODS), key="ward_classes",
                              format_func=wards.CLASS_METHODS.get, help=wards.CLASS_HELP)
extras = {"names": "Ward names", "beside": "Deprivation map", "density": "Request density"}
if safe["imd_decile"].isna().all():
    extras.pop("beside")
chosen = extras_col.pills("Add to the map", list(extras), selection_mode="multi", key="ward_extras",
                          format_func=extras.get)
labels, beside, density = "names" in chosen, "beside" in chosen, "density" in chosen

# A click on the map picks a ward, as does the list below. Once read, the click is cleared by
# drawing a fresh chart: Streamlit fades every unpicked ward while a chart holds a selection.
if "ward_profile" not in st.session_state:
    wanted = (st.session_state.get("ward_profile_kept") or st.query_params.get("ward_profile")
              or next(iter(filters.wards), None))
    st.session_state["ward_profile"] = wanted if wanted in names else None
map_key = f"ward_map_{st.session_state.setdefault('ward_map_clicks', 0)}"
event = st.session_state.get(map_key)
if maps.any_selection(event):
    if maps.selected_ward(event) in names:
        st.session_state["ward_profile"] = maps.selected_ward(event)
    st.session_state["ward_map_clicks"] += 1
    map_key = f"ward_map_{st.session_state['ward_map_clicks']}"
selected = st.session_state["ward_profile"]

classes = wards.classify(wards.values(safe[safe["level"] == "ward"], metric), method)
entries, title = wards.legend(classes, metric, safe), f"{metric.label} ({wards.CLASS_METHODS[method].lower()})"
hexagons, size, per_degree = None, 0.0, wards.metres_per_degree(float(shapes["centroid_lat"].mean()))
if density:
    hexagons, size = wards.choose_hexagons(lambda m: db.query(
        "requests_by_hexagon", **params, size=m, metres_per_lon=per_degree[0], metres_per_lat=per_degree[1]))
    hexagons, entries = wards.density_frame(hexagons, filters.public_safe)
    title = "Requests made in each hexagon"
width = 430 if beside else 640  # pixels the map gets in a wide layout, so the borough fits the view
deck = maps.ward_deck(shapes, wards.map_frame(safe, metric, classes), labels=labels, selected=selected,
                      hexagons=hexagons, hexagon_size_m=size, metres_per_degree=per_degree, width=width)
left, right = st.columns([1, 1] if beside else [3, 1])
left.pydeck_chart(deck, on_select="rerun", selection_mode="single-object", key=map_key, height=maps.MAP_HEIGHT,
                  alt=f"Map of {metric.label.lower()} by ward; the ranked table below holds the same figures.")
box = right
if beside:
    frame, dep_entries = wards.deprivation_frame(safe)
    right.pydeck_chart(maps.ward_deck(shapes, frame, labels=labels, selected=selected, layer_id="deprivation",
                                      width=width), key="deprivation_map", height=maps.MAP_HEIGHT,
                       alt="Map of deprivation (IMD decile) by ward.")
    box, dep_box = st.columns(2)
    dep_box.html(maps.legend_html(dep_entries, "Deprivation: IMD 2019 decile in England"))
box.html(maps.legend_html(entries, title, "ward" if hexagons is None else "hexagon"))
if hexagons is None:
    box.markdown(wards.borough_line(safe, metric))
box.caption(metric.definition + " Click a ward for its profile." if hexagons is None else
            wards.density_caption(hexagons, size))
note = wards.unmatched_note(db.query("unmatched_by_ward_code", **params), limit, filters.public_safe)
if note:
    st.warning(note, icon=":material/location_off:")

st.subheader("Ward profile")
code = st.selectbox("Ward", list(names), key="ward_profile", index=None, format_func=names.get,
                    placeholder="Pick a ward, or click one on the map")
st.session_state["ward_profile_kept"] = code
if code:
    st.query_params["ward_profile"] = code
    prof = wards.profile(safe, raw, code, available)
    st.markdown(f"#### {wards.md_text(names[code])}")
    st.caption(wards.profile_caption(prof))
    for start in range(0, len(prof), 4):
        for column, (_, row) in zip(st.columns(4), prof.iloc[start:start + 4].iterrows()):
            better = wards.METRICS[row["metric"]].higher_is_better
            column.metric(row["label"], row["ward_shown"], delta=wards.difference_text(row), border=True,
                          delta_color="off" if better is None else "normal" if better else "inverse",
                          help=wards.metric_help(row))
    context = {**params, "ward_code": code}
    series = wards.trend(db.query("ward_trend_by_month", **context), limit, tuple(available))
    for column, measure in zip(st.columns(2), series["measure"].unique()):
        column.altair_chart(maps.trend_chart(series, measure, f"{measure}, quarter by quarter"))
    for column, (by, title, top) in zip(st.columns(2), (("service", "Top services asked for", 8),
                                                        ("channel", "How residents got in touch", None))):
        shares = wards.shares(db.query(f"ward_requests_by_{by}", **context), by, limit, top=top)
        column.altair_chart(maps.share_chart(shares, by, title))
    topics = ward_themes(context, db.database_stamp(db_path()), limit, filters.public_safe)
    if not topics.empty:
        st.markdown("**What residents here comment on:** " + "; ".join(
            f"{t} ({n} comments)" for t, n in topics.itertuples(index=False)))

ranked, deprivation, priority = st.tabs(["All wards, ranked", "Against deprivation", "Priority wards"])
with ranked:
    table = wards.rank_table(safe, metric)
    st.dataframe(table, hide_index=True, placeholder="–", column_config={
        wards.value_label(metric): st.column_config.NumberColumn(format="%.1f"),
        "Population": st.column_config.NumberColumn(format="localized")})
    st.markdown(wards.borough_line(safe, metric))
    ui.legacy_download(table, "Download this table (CSV)", f"wards_{key}.csv", key="ward_rank_download")
with deprivation:
    points = wards.deprivation_points(safe, metric)
    if points.empty:
        st.info(wards.NO_DEPRIVATION)
    else:
        st.altair_chart(maps.deprivation_scatter(points, metric.label, metric.unit == "%", selected))
        st.caption("Each dot is a ward whose figure can be shown. " + wards.deprivation_sentence(points, metric))
    for method, count in db.query("deprivation_method_overall").itertuples(index=False):
        st.caption(f"Deprivation (IMD 2019 decile, 1 = most deprived 10% in England) of {count} wards: {method}.")
with priority:
    st.markdown(wards.PRIORITY_RULE)
    top = wards.priority_wards(safe) if "digital_takeup" in available else None
    if top is None:
        st.info(f"Priority wards need digital take-up, which this data cannot show: {unavailable['digital_takeup']}.")
    elif top.empty:
        st.info("No ward meets both tests, or take-up or deprivation figures are missing for these filters.")
    else:
        st.markdown(wards.priority_markdown(top))
        ui.legacy_download(top, "Download priority wards (CSV)", "priority_wards.csv", key="ward_priority_download")
ui.show_sql("metrics_by_ward", "ward_trend_by_month", "ward_requests_by_service", "ward_requests_by_channel",
            "ward_comments_by_feedback", "requests_by_hexagon", "unmatched_by_ward_code")
