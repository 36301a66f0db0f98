"""Data: can I trust this? Every source loaded, every row accounted for."""

import streamlit as st

from pulse import ui
from pulse.pages import data

st.title("Can I trust this data?")
options = ui.options()
page = data.build(ui.filters(), options.start, options.end)
ui.caption(page.intro)
if page.public_note:
    ui.callout(page.public_note, icon=":material/public:")

for column, total in zip(st.columns(len(page.totals)), page.totals):
    with column:
        ui.metric(total.label, total.value, help=total.help)

st.subheader("Sources")
ui.table(page.sources)
ui.caption(page.unit_costs)

if page.wards is not None:
    st.subheader("Rows without a ward")
    ui.caption(page.wards_note)
    ui.table(page.wards)

for section in page.sections:
    ui.heading(section.title)
    ui.caption(section.note)
    if section.table is not None:
        ui.table(section.table)
    ui.bullets(list(section.lines))

if page.problems is not None:
    st.subheader("KPIs that cannot be shown")
    ui.table(page.problems)

st.subheader("Rejected rows")
if page.reasons is not None:
    ui.table(page.reasons)
if page.nothing_rejected:
    ui.callout(page.rejected_note, "success")
else:
    ui.caption(page.rejected_note)
if page.rejected_tables:
    table = st.selectbox("Show the rejected rows of", page.rejected_tables, format_func=data.table_words,
                         key="data_rejected_table")
    search = st.text_input("Only reasons containing", key="data_reason_search", placeholder="e.g. channel")
    rejected = data.rejected_rows(ui.filters(), table, search)
    if rejected is not None:
        ui.table(rejected.shown, column_config={"Row as read": st.column_config.TextColumn(width="large")})
        ui.caption(rejected.note)
        ui.download(rejected.download, "Download these rejected rows (CSV)", rejected.file_name,
                    key="data_rejected_download")

if page.upload is not None or page.upload_note:
    st.subheader("Add a new export")
    ui.caption(page.upload_note)
if page.upload is not None:
    with st.form("upload", clear_on_submit=True):
        target = st.selectbox("It holds", page.upload.tables, format_func=data.table_words)
        file = st.file_uploader("Export file", type=list(page.upload.accepted))
        submitted = st.form_submit_button("Validate and load")
    if submitted:
        with st.spinner("Validating and loading…"):
            data.remember(data.add_export(target, file.name if file else None, file.getvalue() if file else None))
        st.rerun()  # draw the whole page again from the database the upload rebuilt
    outcome = data.recall()
    if outcome is not None:
        ui.callout(outcome.message, "success" if outcome.ok else "error")

ui.show_sql(*page.queries)
