"""What the frame (app.py) reads from the data before any page runs, cached per database file, and the
view a link without parameters opens (what the warm-up computes ahead of the first reader)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pulse import db
from pulse.disclosure import forced_public
from pulse.filters import Filters, Options, dense_start, from_query_params


@st.cache_data(show_spinner=False)
def load_options(stamp: tuple) -> tuple[Options, bool]:
    """Filter values from the data, and whether it is the synthetic demo."""
    values = db.run("filter_options_by_value")
    span = db.run("date_range_overall").iloc[0]

    def listed(dimension: str) -> tuple[str, ...]:
        return tuple(values.loc[values["dimension"] == dimension, "value"])

    wards = values[values["dimension"] == "ward"]
    monthly = db.run("records_by_month_overall")
    options = Options(
        min_date=None if pd.isna(span["min_date"]) else pd.Timestamp(span["min_date"]).date(),
        max_date=None if pd.isna(span["max_date"]) else pd.Timestamp(span["max_date"]).date(),
        directorates=listed("directorate"), services=listed("service"), channels=listed("channel"),
        wards=dict(zip(wards["value"], wards["label"])),
        default_from=dense_start(dict(zip(monthly["month"], monthly["records"]))),
    )
    return options, bool(span["synthetic"])


def schema_version() -> str | None:
    """The schema version the loaded database was built with (cached with the other named queries)."""
    return dict(db.query("meta_by_key").itertuples(index=False)).get("schema_version")


def default_view(options: Options) -> Filters:
    """The filters a link without parameters opens: the frame's view before a reader changes anything."""
    initial, _ = from_query_params({}, options)
    return Filters(date_from=initial.date_from or options.start, date_to=initial.date_to or options.max_date,
                   directorates=tuple(initial.directorates), services=tuple(initial.services),
                   channels=tuple(initial.channels), wards=tuple(initial.wards),
                   public_safe=True if forced_public() else initial.public_safe)
