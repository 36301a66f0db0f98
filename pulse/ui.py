"""The Streamlit pieces every page shares: the filter state, headings, notes and 'show the SQL'."""

from __future__ import annotations

import html

import pandas as pd
import streamlit as st

from pulse import db
from pulse.config import db_path
from pulse.filters import Filters, Options

FILTERS_KEY = "pulse_filters"
OPTIONS_KEY = "pulse_options"


def filters() -> Filters:
    """The shared filters the sidebar set for this run."""
    return st.session_state.get(FILTERS_KEY, Filters())


def options() -> Options:
    """The values the shared filters can take."""
    return st.session_state.get(OPTIONS_KEY, Options())


def query(name: str, **extra) -> pd.DataFrame:
    """A named query's result for the current shared filters."""
    return db.query(name, **filters().params(), **extra)


def show_sql(*names: str) -> None:
    """An expander with the SQL behind what the page shows, for analysts."""
    with st.expander("The SQL behind these figures"):
        for name in names:
            st.caption(f"queries/{name}.sql")
            st.code(db.query_text(name), language="sql")


def download(frame: pd.DataFrame, label: str, file_name: str, key: str) -> None:
    """A CSV download of exactly the table shown."""
    st.download_button(label, frame.to_csv(index=False).encode("utf-8"), file_name=file_name,
                       mime="text/csv", key=key)


def icon_note(svg: str, text: str) -> None:
    """A drawn icon (inline SVG with its own label for screen readers) followed by a short note."""
    st.markdown(
        f'<div style="display:flex;align-items:center;gap:0.4rem;font-size:0.85rem;color:#505a5f">'
        f"{svg}<span>{html.escape(text)}</span></div>",
        unsafe_allow_html=True,
    )


def kpi_results(baseline: tuple | None = None) -> list:
    """Every catalogue KPI evaluated for the shared filters (and a channel-shift baseline), cached."""
    from pulse.metrics import kpis  # the KPI engine is only needed by the pages that show KPIs

    baseline = tuple(baseline or kpis.default_baseline(options().min_date, options().max_date))
    return _kpi_results(filters(), baseline, db.database_stamp(db_path()))


@st.cache_data(show_spinner=False, max_entries=32)
def _kpi_results(view: Filters, baseline: tuple, stamp: tuple) -> list:
    from pulse.metrics import kpis

    params = view.params()
    return kpis.evaluate_all(
        kpis.catalogue(db.query("kpis_by_id")),
        lambda name: db.query(name, **params, baseline_from=baseline[0], baseline_to=baseline[-1]),
        db.query("kpi_values_by_period", **params),
    )
