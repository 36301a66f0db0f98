"""Leadership adoption: are leaders setting the digital example, and does it show in services?"""

import streamlit as st

from pulse import adoption, db, ui
from pulse.charts import adoption as charts
from pulse.config import db_path


@st.cache_data(show_spinner=False, max_entries=32)
def prepared(params: dict, public_safe: bool, stamp: tuple) -> tuple[adoption.View, dict[str, dict]]:
    """The page's figures and chart specs for one set of filters; building the charts is the slow part."""
    found = {name: db.query(name, **params) for name in adoption.QUERIES}
    has_maturity = bool(db.query(adoption.MATURITY_AVAILABLE)["available"].iloc[0])
    shown = adoption.view(found, db.query(adoption.MATURITY, **params) if has_maturity else None)
    shown = shown.public_safe() if public_safe else shown
    return shown, charts.specs(shown)


def chart(key: str, name: str = "") -> None:
    """Draw one prepared chart, if the filters left anything to draw."""
    if key in specs:
        st.vega_lite_chart(specs[key], width="stretch")
    elif name:
        st.info(f"No {name} to show for these filters.")


filters = ui.filters()
shown, specs = prepared(filters.params(), filters.public_safe, db.database_stamp(db_path()))

st.title("Are our leaders leading?")
if shown.empty:
    st.info("No staff adoption records for these filters. Widen the dates or directorates, or load an adoption "
            "export (docs/leadership.md says how).", icon=":material/groups:")
    st.stop()
st.caption(f"Digital adoption by executives, senior leaders, managers and staff, {shown.period}. Leaders are "
           "executives and senior leaders. Dates and directorates filter everything here; service, channel and "
           "ward filter only the services side.")
st.info(adoption.PRIVACY_NOTE, icon=":material/lock:")

if shown.story:
    st.markdown(f"#### {shown.story}")
st.markdown("\n".join(f"- {sentence}" for sentence in shown.bullets))
st.caption(f"A directorate's leaders \"used\" a tool when at least {adoption.USED_SHARE:.0%} of them were active "
           f"that month; someone is active when their record for the month is above zero. {shown.note or ''}")

st.subheader("Leaders and staff, activity by activity")
chart("lines", "leaders or staff")
chart("gap")
left, right = st.columns([3, 2], gap="large")
with left:
    chart("roles", "role levels")
with right:
    st.caption("A gap in a line or a missing bar is a month with no data, or one whose group was too small to "
               "show; never a zero. Executives and senior leaders appear separately only while neither group, "
               "nor any directorate's share of it, is too small to show.")

st.subheader("Directorate by directorate")
left, right = st.columns(2, gap="large")
with left:
    chart("heat_leaders", "leaders")
with right:
    chart("heat_staff", "staff")

st.subheader("Scorecard")
card = shown.card
st.caption(f"Adoption is the share of tools (every activity but training) a group's people used in "
           f"{adoption.month_name(card['month'].max())}; trained is everyone who has completed training. The icons "
           "judge each directorate's monthly series with statistical process control (NHS Making Data Count) "
           "once it has 12 months: blue improving, orange worsening, grey no significant change.")
percent = ["leader_adoption", "staff_adoption", "gap", "training_completion"]
st.dataframe(
    card.assign(**{column: card[column] * 100 for column in percent}),
    hide_index=True,
    column_order=["directorate", "leader_adoption", "staff_adoption", "gap", "training_completion", "leader_trend",
                  "leader_icon", "leader_variation", "staff_icon", "staff_variation"],
    column_config={
        "directorate": st.column_config.TextColumn("Directorate", pinned=True),
        "leader_adoption": st.column_config.NumberColumn("Leaders", format="%.0f%%"),
        "staff_adoption": st.column_config.NumberColumn("Staff", format="%.0f%%"),
        "gap": st.column_config.NumberColumn("Gap", format="%+.0f pts", help="Leaders minus staff, in points"),
        "training_completion": st.column_config.NumberColumn("Trained", format="%.0f%%"),
        "leader_trend": st.column_config.LineChartColumn("Leaders by month", y_min=0, y_max=1, width="medium"),
        "leader_icon": st.column_config.ImageColumn("", width=40),
        "leader_variation": st.column_config.TextColumn("Leaders, SPC"),
        "staff_icon": st.column_config.ImageColumn("", width=40),
        "staff_variation": st.column_config.TextColumn("Staff, SPC"),
    },
)

st.subheader("Does it show in services?")
st.caption(f"Each directorate's leader adoption over {shown.period}, against the digital take-up and the "
           "satisfaction of its services over the same months. Rates resting on too few requests or ratings are "
           "left out.")
left, right = st.columns(2, gap="large")
for column, (outcome, label) in zip((left, right), adoption.OUTCOMES.items()):
    with column:
        chart(f"scatter_{outcome}")
        st.caption(adoption.association_caption(shown.fits[outcome], label))
if shown.left_out:
    st.caption(f"{shown.left_out} directorate{'s are' if shown.left_out > 1 else ' is'} left out: fewer than "
               f"{adoption.STAFF_GROUP_MIN} leaders in at least one month.")

if shown.maturity is not None:
    st.subheader("Maturity self-assessment")
    if shown.maturity.empty:
        st.info("No maturity self-assessment falls in this period.")
    else:
        left, right = st.columns(2, gap="large")
        with left:
            chart("maturity")
        with right:
            beside = shown.maturity
            percent = ("maturity", "leader_adoption", "staff_adoption")
            st.dataframe(beside.assign(**{column: beside[column] * 100 for column in percent}), hide_index=True,
                         column_config={
                             "directorate": "Directorate", "framework": None,
                             "assessed_on": st.column_config.DateColumn("Assessed", format="MMM YYYY"),
                             "maturity": st.column_config.NumberColumn("Maturity", format="%.0f%%"),
                             "leader_adoption": st.column_config.NumberColumn("Leaders", format="%.0f%%"),
                             "staff_adoption": st.column_config.NumberColumn("Staff", format="%.0f%%")})
        frameworks = ", ".join(sorted(set(shown.maturity["framework"].dropna())))
        st.caption(f"Maturity is a directorate's own score against {frameworks or 'its framework'}, as a share of "
                   "the top score; adoption is measured from staff records. Where the two disagree is worth a "
                   "conversation.")

st.subheader("Download what is shown (CSV)")
downloads = shown.downloads()
for column, (file_name, frame) in zip(st.columns(len(downloads)), downloads.items()):
    with column:
        label = file_name.removeprefix("leadership_").removesuffix(".csv").replace("_", " ").capitalize()
        ui.legacy_download(frame, label, file_name, key=f"download_{file_name}")
ui.show_sql(*adoption.QUERIES, adoption.MATURITY_AVAILABLE,
            *((adoption.MATURITY,) if shown.maturity is not None else ()))
