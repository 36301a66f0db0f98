"""Leadership adoption: are leaders setting the digital example, and does it show in services?"""

import streamlit as st

from pulse import ui
from pulse.pages import leadership

st.title("Are our leaders leading?")
page = leadership.build(ui.filters())
if page.empty:
    ui.callout(page.empty, icon=":material/groups:")
    ui.callout(page.privacy, icon=":material/lock:")
    st.stop()
ui.caption(page.intro)
ui.callout(page.privacy, icon=":material/lock:")
ui.caption(page.left_out)

if page.story:
    ui.heading(page.story, level=4)
ui.bullets(list(page.bullets))
ui.caption(page.used_note)

st.subheader("Leaders and staff, activity by activity")
ui.chart(page.lines, data_label="Leaders and staff by month, as a table")
ui.chart(page.gap, data_label="The gap by month, as a table")
if page.gap_note:
    ui.callout(page.gap_note)
left, right = st.columns([3, 2], gap="large")
with left:
    ui.chart(page.roles, data_label="By role level, as a table")
with right:
    ui.caption(page.roles_note)

st.subheader("Directorate by directorate")
left, right = st.columns(2, gap="large")
with left:
    ui.chart(page.heat_leaders, data_label="Leaders by directorate, as a table")
with right:
    ui.chart(page.heat_staff, data_label="Staff by directorate, as a table")

st.subheader("Scorecard")
ui.caption(page.card_note)
percent = f"%.{page.digits}f%%"
ui.table(page.card, column_order=["directorate", "leaders_pct", "staff_pct", "gap_pts", "trained_pct", "leader_trend",
                                  "leader_icon", "leader_verdict", "staff_icon", "staff_verdict"],
         column_config={
             "directorate": st.column_config.TextColumn("Directorate", pinned=True),
             "leaders_pct": st.column_config.NumberColumn("Leaders", format=percent),
             "staff_pct": st.column_config.NumberColumn("Staff", format=percent),
             "gap_pts": st.column_config.NumberColumn("Gap", format=f"%+.{page.digits}f pts",
                                                      help="Leaders minus staff, in percentage points"),
             "trained_pct": st.column_config.NumberColumn("Trained", format=percent),
             "leader_trend": st.column_config.LineChartColumn("Leaders by month", y_min=0, y_max=1, width="medium"),
             "leader_icon": st.column_config.ImageColumn("", width=40),
             "leader_verdict": st.column_config.TextColumn("Leaders, SPC"),
             "staff_icon": st.column_config.ImageColumn("", width=40),
             "staff_verdict": st.column_config.TextColumn("Staff, SPC"),
         })

st.subheader("Does it show in services?")
ui.caption(page.services_note)
if page.scatters:
    for column, scatter in zip(st.columns(2, gap="large"), page.scatters):
        with column:
            ui.chart(scatter.chart, data_label="The directorates, as a table")
            ui.caption(scatter.caption)
if page.services_missing:
    ui.callout(page.services_missing, icon=":material/link_off:")

if page.maturity_table is not None:
    st.subheader("Maturity self-assessment")
    left, right = st.columns(2, gap="large")
    with left:
        ui.chart(page.maturity, data_label="Maturity and adoption, as a table")
    with right:
        if not page.maturity_table.empty:
            ui.table(page.maturity_table, column_order=["directorate", "assessed_on", "maturity_pct", "leaders_pct",
                                                        "staff_pct"],
                     column_config={"directorate": "Directorate",
                                    "assessed_on": st.column_config.DateColumn("Assessed", format="MMM YYYY"),
                                    "maturity_pct": st.column_config.NumberColumn("Maturity", format="%.0f%%"),
                                    "leaders_pct": st.column_config.NumberColumn("Leaders", format=percent),
                                    "staff_pct": st.column_config.NumberColumn("Staff", format=percent)})
    ui.caption(page.maturity_note)

st.subheader("Download what is shown (CSV)")
for column, download in zip(st.columns(len(page.downloads)), page.downloads):
    with column:
        ui.download(download.table, download.label, download.file_name, key=f"download_{download.file_name}")
ui.show_sql(*page.queries)
