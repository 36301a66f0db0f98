"""Data: can I trust this? Every source loaded, every row accounted for."""

from pathlib import Path

import streamlit as st

from pulse import db, ui, upload
from pulse.pages import kpis as kpi_page
from pulse.config import db_path
from pulse.schema import TABLES

st.title("Can I trust this data?")
meta = dict(db.query("meta_by_key").itertuples(index=False))
sources = db.query("sources_by_file")
st.caption(f"Loaded from `{meta.get('source_dir', '?')}` at {meta.get('loaded_at', '?').replace('T', ' ')}. "
           "Every row read is either loaded or rejected with a reason.")

totals = sources[["rows_read", "rows_loaded", "rows_rejected", "unmatched_wards"]].sum()
cols = st.columns(4)
cols[0].metric("Rows read", f"{int(totals['rows_read']):,}", border=True)
cols[1].metric("Loaded", f"{int(totals['rows_loaded']):,}", border=True)
cols[2].metric("Rejected", f"{int(totals['rows_rejected']):,}", border=True)
cols[3].metric("No matching ward", f"{int(totals['unmatched_wards']):,}", border=True,
               help="Rows whose ward code matches no boundary, or whose point lies outside every ward. "
                    "They count in every borough total but cannot be mapped.")

st.subheader("Sources")
st.dataframe(
    sources,
    hide_index=True,
    placeholder="–",
    column_config={
        "table_name": "Table", "source_file": "File", "rows_read": st.column_config.NumberColumn("Read", format="localized"),
        "rows_loaded": st.column_config.NumberColumn("Loaded", format="localized"),
        "rows_rejected": st.column_config.NumberColumn("Rejected", format="localized"),
        "first_date": st.column_config.DateColumn("From", format="D MMM YYYY"),
        "last_date": st.column_config.DateColumn("To", format="D MMM YYYY"),
        "no_ward": st.column_config.NumberColumn("No ward", format="localized"),
        "unmatched_wards": st.column_config.NumberColumn("Unmatched ward", format="localized"),
        "unmatched_codes": "Unmatched codes (rows)",
        "file_modified": st.column_config.DatetimeColumn("File saved", format="D MMM YYYY HH:mm"),
        "loaded_at": st.column_config.DatetimeColumn("Loaded", format="D MMM YYYY HH:mm"),
    },
)
if meta.get("wards_notes"):
    st.caption(f"Ward boundaries: {meta['wards_notes']}.")
costs = db.query("unit_costs_by_channel")
st.caption("Unit costs used for cost per transaction: " + "; ".join(
    f"{c.replace('_', ' ')} £{v:.2f} ({s})" for c, v, s in costs[["channel", "cost_gbp", "source"]].itertuples(index=False)))

problems = kpi_page.problems(ui.kpi_results())
if not problems.empty:
    st.subheader("KPIs that cannot be shown")
    st.dataframe(problems, hide_index=True, column_config={"kpi": "KPI", "name": "Name", "definition": "Definition",
                                                           "problem": "Problem"})

st.subheader("Rejected rows")
reasons = db.query("rejections_by_reason")
if reasons.empty:
    st.success("No rows were rejected.")
else:
    st.dataframe(reasons, hide_index=True, column_config={"table_name": "Table", "reason": "Reason", "rows": "Rows"})
    tables = sorted(reasons["table_name"].unique())
    table = st.selectbox("Show the rejected rows of", tables, key="data_rejected_table")
    rejected = db.query("rejected_rows_by_row", table_name=table)
    search = st.text_input("Only reasons containing", key="data_reason_search", placeholder="e.g. channel")
    if search:
        rejected = rejected[rejected["reason"].str.contains(search, case=False, regex=False)]
    st.dataframe(rejected.head(1000), hide_index=True, column_config={"raw": st.column_config.TextColumn("Row as read")})
    st.caption(f"{len(rejected):,} rejected rows" + (" (first 1,000 shown; the download has them all)." if len(rejected) > 1000 else "."))
    ui.legacy_download(rejected, "Download these rejected rows (CSV)", f"rejected_{table}.csv", key="data_rejected_download")

st.subheader("Add a new export")
source_dir = meta.get("source_dir")
with st.form("upload", clear_on_submit=True):
    target = st.selectbox("It holds", list(TABLES), format_func=lambda t: t.replace("_", " "))
    file = st.file_uploader("Export file", type=list(upload.ACCEPTED))
    submitted = st.form_submit_button("Validate and load")
if submitted:
    if file is None:
        st.warning("Choose a file first.")
    elif not source_dir:
        st.error("The source folder of the loaded data is unknown; load it with `python -m pulse ingest` first.")
    else:
        with st.spinner("Validating and loading…"):
            outcome = upload.add_export(Path(source_dir), target, file.name, file.getvalue(), db_path())
        (st.success if outcome.ok else st.error)(outcome.message)
