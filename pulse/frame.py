"""What the frame (app.py) reads from the data before any page runs, cached per database file, and the
view a link without parameters opens (what the warm-up computes ahead of the first reader)."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from pulse import db
from pulse.disclosure import forced_public
from pulse.filters import Filters, Options, from_query_params, read_options


@st.cache_data(show_spinner=False)
def load_options(stamp: tuple) -> tuple[Options, bool]:
    """Filter values from the data, the default period, and whether it is the synthetic demo."""
    return read_options()


def schema_version() -> str | None:
    """The schema version the loaded database was built with (cached with the other named queries)."""
    return dict(db.query("meta_by_key").itertuples(index=False)).get("schema_version")


def default_view(options: Options) -> Filters:
    """The filters a link without parameters opens: the frame's view before a reader changes anything."""
    initial, _ = from_query_params({}, options)
    return replace(initial, public_safe=forced_public())
