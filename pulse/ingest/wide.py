"""Wide adoption exports (one column per activity) turned into the long form of the data contract.

A council's export often has one row per person and month with a column per tool, e.g.

    month, person_id, grade, directorate, Teams meetings, E-signature, Dashboard views

`melt_wide_adoption` turns each such row into one row per activity. The activity is named after
its column, in lower case with underscores ("E-signature" → "e_signature"), so a wide export and
a long one of the same tools give the same activity names. Every cell becomes a row, blanks
included, so that the validator rejects a blank with its source line rather than the row
disappearing; a council whose blanks mean "not used" should export 0.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from pulse.ingest.clean import value_key
from pulse.ingest.mapping import IngestError


def activity_name(column: str) -> str:
    """The activity a wide column stands for: 'E-signature' → 'e_signature'."""
    return re.sub(r"\s+", "_", value_key(column))


def melt_wide_adoption(
    frame: pd.DataFrame, lines: pd.Series, activity_columns: list[str]
) -> tuple[pd.DataFrame, pd.Series]:
    """One row per person × month × activity from one per person × month; source lines repeated."""
    missing = [c for c in activity_columns if c not in frame.columns]
    if missing:
        raise IngestError(f"wide_activities names column(s) {', '.join(missing)} not in the file "
                          f"(columns: {', '.join(map(str, frame.columns))})")
    if not activity_columns:
        raise IngestError("wide_activities is empty: list the columns that hold one activity each")
    names = [activity_name(c) for c in activity_columns]
    if len(set(names)) != len(names) or "" in names:
        raise IngestError(f"wide_activities columns {', '.join(activity_columns)} do not give distinct activity names")
    kept = [c for c in frame.columns if c not in activity_columns]
    clash = [c for c in kept if value_key(c) in ("activity", "value")]
    if clash:
        raise IngestError(f"a wide export cannot also have a column named {clash[0]!r}: its activity columns "
                          "become the activity and value columns")
    n, k = len(frame), len(activity_columns)
    rows = np.repeat(np.arange(n), k)
    out = frame[kept].iloc[rows].reset_index(drop=True)
    out["activity"] = np.tile(np.array(names, dtype=object), n)
    # Row-major order keeps each source row's activities together and the lines ascending.
    cells = frame[activity_columns]
    out["value"] = pd.Series(cells.to_numpy().reshape(-1), dtype=_common_dtype(cells))
    repeated = pd.Series(np.repeat(lines.to_numpy(), k), name=lines.name)
    return out, repeated


def _common_dtype(cells: pd.DataFrame) -> object:
    """Keep numbers numeric when every activity column is; otherwise leave the raw text for the validator."""
    if len(cells.columns) and all(pd.api.types.is_numeric_dtype(t) and not pd.api.types.is_bool_dtype(t)
                                  for t in cells.dtypes):
        return "float64"
    return object
