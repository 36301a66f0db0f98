"""Resident voice: what residents tell us — satisfaction, what they write about, and what we did."""

import streamlit as st

from pulse import icons, ui, wording
from pulse.disclosure import sentence
from pulse.pages import voice, voice_gaps, voice_themes

st.title("What residents tell us")
filters, options = ui.filters(), ui.options()
page = voice.build(filters, options.start, options.end)
ui.caption(page.intro)
if page.public_note:
    ui.callout(page.public_note, "info", icon=":material/public:")
if page.gaps:
    ui.callout(voice_gaps.gaps_note(page.gaps), "info", icon=":material/info:")
if page.distribution is None:
    if voice_gaps.NO_FEEDBACK not in page.gaps:
        ui.callout("No rated feedback matches these filters: widen the dates or clear a filter.")
    st.stop()

columns = st.columns(4)
for column, measure in zip(columns, page.measures):
    tile = measure.tile
    with column:
        ui.metric(tile.measure.name, tile.value, tile.change, help=tile.measure.definition, trend=tile.trend,
                  delta_description=sentence("vs {month}", month=tile.previous) if tile.previous else None)
        verdict = sentence("{words} · {month}", words=wording.variation_words(tile.variation), month=tile.period)
        ui.icon_note(icons.variation_icon(tile.variation, tile.measure.higher_is_better, 22, side=tile.side),
                     tile.note or verdict)
with columns[2]:
    ui.metric("Responses", page.responses, help="Rated survey responses and comments in view.")
with columns[3]:
    ui.metric("Comments", page.comments, help="Responses that came with a comment; blank ones count as ratings "
                                              "without a comment.")

st.subheader("Satisfaction over time")
if not any(measure.chart for measure in page.measures):
    ui.callout(page.measures[0].tile.note or "No figures for these filters.")
else:
    for column, measure in zip(st.columns(2), page.measures):
        with column:
            if measure.chart is None:
                ui.callout(measure.tile.note or "No figures for these filters.")
            ui.chart(measure.chart, data_label="The chart's figures, as a table")
            ui.caption(measure.note)
    ui.caption(page.actions_legend)

st.subheader("By channel, service and ward")
ui.markdown(page.channel_sentence or "")
for note in page.withheld:
    ui.caption(note)
channels, services, wards, ratings = st.tabs(["Digital and assisted", "Services", "Wards", "Ratings given"])
with channels:
    if page.groups is None:
        ui.callout("The feedback names no channel, so digital and assisted channels cannot be compared.")
    else:
        ui.table(voice.display(page.groups))
        ui.table(voice.display(page.channels))
with services:
    if page.services is None:
        ui.callout("The feedback names no service.")
    else:
        ui.table(voice.display(page.services))
        ui.download(voice.display(page.services), "Download satisfaction by service (CSV)", "satisfaction_by_service.csv",
                    key="voice_services_csv")
with wards:
    if page.wards is None:
        ui.callout("Nothing places the feedback in a ward.")
    else:
        left, right = st.columns(2)
        with left:
            ui.chart(page.ward_chart, data_label="User satisfaction by ward, as a table")
        with right:
            ui.table(voice.display(page.wards))
with ratings:
    ui.chart(page.distribution_chart, data_label="Ratings given, as a table")
    ui.caption(voice.BANDS_NOTE)

st.subheader("What residents write about")
if page.themes is None:
    ui.callout("No comments match these filters, so there are no themes to show.")
else:
    if page.theme_chart is None:
        ui.callout("Every theme has too few comments in this view to show; widen the dates or clear a filter.")
    ui.chart(page.theme_chart, data_label="Themes, as a table")
    ui.download(voice.display(page.themes), "Download themes (CSV)", "themes.csv", key="voice_themes_csv")
    # A choice made under other filters keeps only the themes still on offer.
    st.session_state["voice_trend"] = [t for t in st.session_state.get("voice_trend", page.trend_default)
                                       if t in page.trend_choices]
    chosen = st.multiselect("Themes to follow over time", page.trend_choices, max_selections=7, key="voice_trend")
    trend, why = voice.theme_trend(filters, tuple(chosen), page.theme_hidden)
    if trend is not None:
        ui.chart(trend, data_label="The trend's figures, as a table")
        ui.caption(page.actions_legend)
    ui.caption(why)
    if page.theme_wards is not None:
        with st.expander("Themes ward by ward"):
            ui.caption("Comments mentioning each theme in each ward; a comment with several themes counts in each, "
                       "and once in the last row.")
            ui.table(page.theme_wards)
    if page.examples:
        if st.session_state.get("voice_examples") not in page.examples:
            st.session_state.pop("voice_examples", None)
        pick = st.selectbox("Read what residents wrote about", list(page.examples), key="voice_examples")
        ui.bullets(voice_themes.quotes(page.examples[pick]))
        ui.caption("The most recent comments of the theme, redacted when loaded and shortened here; service, channel "
                   "and ward are the linked request's when there is one, else the feedback's own.")
    if page.rules is not None:
        with st.expander("How comments are sorted into themes"):
            ui.table(page.rules)

st.subheader("You said, we did")
if page.actions is None:
    ui.callout("No changes are recorded for these dates and services.")
else:
    ui.table(page.actions.select(columns=["When", "What we did", "Theme", "Service"]))
ui.show_sql(*page.queries)
