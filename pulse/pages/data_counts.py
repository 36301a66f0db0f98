"""The Data page's counts of rows: read, loaded and rejected per file, with and without a ward.

Every count the page shows is an aggregate of one set of cells, file × outcome × reason, where the
outcomes split the rows a file read: loaded with a ward, snapped to the nearest ward, loaded with no
ward given, loaded with a ward that matches no boundary, rejected (one cell per kind of reason).
The families below are everything the page publishes about them.

Inside the council the counts are exact, whatever their size: the page is for analysts checking
their own load, and these are counts of records, not of people; it exists to account for every
row. In public-safe mode the same families go through one CountModel, so every count is rounded to
5, small ones read "[c]", and a file too small to show cannot be worked out from a total and the
other files (secondary suppression hides a second file instead).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pulse.disclosure import COUNT, LABEL, SUPPRESSED, CountModel, Figure, Policy, Protection, Table, withheld

FILE = ("table_name", "source_file")
LOADED, SNAPPED, NO_WARD, UNMATCHED, REJECTED = "loaded", "snapped", "no ward given", "unmatched", "rejected"
DIMS = ["table_name", "source_file", "outcome", "reason"]
# The headline totals are published before any file's counts (a small file's neighbour is hidden
# instead), and rows loaded, what every other page counts, before rows read.
TOTAL_PRIORITY, LOADED_PRIORITY = 2, 3

Where = Callable[[pd.DataFrame], pd.Series]


@dataclass(frozen=True)
class Family:
    """One kind of count the page shows: grouped by `by`, over the cells `where` chooses."""

    name: str
    by: tuple[str, ...]
    where: Where | None
    priority: int | None = None


def _outcome(*outcomes: str) -> Where:
    return lambda cells: cells["outcome"].isin(outcomes)


FAMILIES = (
    Family("read", (), None, TOTAL_PRIORITY),
    Family("loaded", (), lambda c: c["outcome"] != REJECTED, LOADED_PRIORITY),
    Family("rejected", (), _outcome(REJECTED), TOTAL_PRIORITY),
    Family("unmatched", (), _outcome(UNMATCHED), TOTAL_PRIORITY),
    Family("file_read", FILE, None),
    Family("file_loaded", FILE, lambda c: c["outcome"] != REJECTED),
    Family("file_rejected", FILE, _outcome(REJECTED)),
    Family("file_no_ward", FILE, _outcome(NO_WARD, UNMATCHED)),
    Family("file_unmatched", FILE, _outcome(UNMATCHED)),
    Family("reasons", ("table_name", "reason"), lambda c: (c["outcome"] == REJECTED) & (c["reason"] != "")),
)
SNAPPED_FAMILY = Family("file_snapped", FILE, _outcome(SNAPPED))


def cells(sources: pd.DataFrame, reasons: pd.DataFrame, snapped: pd.DataFrame | None = None) -> pd.DataFrame:
    """File × outcome × reason → rows, from sources_by_file, rejections_by_file_reason and snapped_by_file.

    A file of a table with wards (no_ward known) has a cell for every ward outcome, zero or not, so that
    its "no ward" count exists even when it is zero; other files have loaded and rejected cells only.
    """
    snaps = {} if snapped is None else {
        (t, f): int(n) for t, f, n in snapped[["table_name", "source_file", "snapped"]].itertuples(index=False)
        if pd.notna(n)}
    by_file = {key: group for key, group in reasons.groupby(list(FILE), sort=False)} if not reasons.empty else {}
    rows = []
    for source in sources.itertuples(index=False):
        key = (source.table_name, source.source_file)
        loaded, rejected = int(source.rows_loaded), int(source.rows_rejected)
        if pd.notna(source.no_ward):
            unmatched = int(source.unmatched_wards or 0)
            no_ward = int(source.no_ward)
            snap = snaps.get(key, 0)
            rows += [(*key, LOADED, "", max(loaded - no_ward - snap, 0)), (*key, SNAPPED, "", snap),
                     (*key, NO_WARD, "", max(no_ward - unmatched, 0)), (*key, UNMATCHED, "", unmatched)]
        else:
            rows.append((*key, LOADED, "", loaded))
        given = by_file.get(key)
        explained = 0
        if given is not None:
            for reason, n in given[["reason", "rows"]].itertuples(index=False):
                rows.append((*key, REJECTED, str(reason), int(n)))
                explained += int(n)
        # Rejections the reasons do not cover (there should be none) still count towards the file.
        rows.append((*key, REJECTED, "", max(rejected - explained, 0)))
    frame = pd.DataFrame(rows, columns=[*DIMS, "rows"])
    return frame.astype({"rows": "int64"})


@dataclass(frozen=True)
class Counts:
    """Every count the Data page shows, published: totals as Figures, the rest as Tables (keys + rows)."""

    totals: dict[str, Figure]
    tables: dict[str, Table]
    protection: Protection | None  # None inside the council: exact counts, nothing to protect


def publish(frame: pd.DataFrame, policy: Policy, with_snapped: bool = False) -> Counts:
    """The page's counts of the cells: exact inside the council, through one CountModel in public-safe mode."""
    families = FAMILIES + ((SNAPPED_FAMILY,) if with_snapped else ())
    if not policy.public_safe:
        return Counts({f.name: exact(_grouped(frame, f)["rows"].sum()) for f in families if not f.by},
                      {f.name: exact_table(_grouped(frame, f), f.by) for f in families if f.by}, None)
    # Zero cells are left out of the model: an empty aggregate is zero by construction and reads "[c]"
    # without hiding anything else, where a declared zero would hide a file's loaded rows (read − 0).
    nonzero = frame[frame["rows"] > 0].reset_index(drop=True)
    protection = None
    if not nonzero.empty:
        model = CountModel(nonzero, DIMS, "rows", policy, "rows by file and outcome")
        for family in families:
            model.add(family.name, family.by, where=family.where, priority=family.priority)
        protection = model.protect()
    totals = {f.name: protection.figure(f.name) if protection is not None else withheld(_ZERO.format(policy.threshold))
              for f in families if not f.by}
    tables = {f.name: _every_key(_grouped(frame, f)[list(f.by)], protection.table(f.name) if protection else None)
              for f in families if f.by}
    return Counts(totals, tables, protection)


_ZERO = "fewer than {}"


def _every_key(keys: pd.DataFrame, published: Table | None) -> Table:
    """A family's published counts over all its keys: a key with no rows at all reads "[c]", as zero must."""
    by = list(keys.columns)
    frame = keys.reset_index(drop=True) if published is None else \
        keys.reset_index(drop=True).merge(published.frame, on=by, how="left")
    rows = frame["rows"] if "rows" in frame else pd.Series(index=frame.index, dtype=object)
    frame["rows"] = rows.astype(object).where(rows.notna(), SUPPRESSED)
    return Table(frame, {**dict.fromkeys(by, LABEL), "rows": COUNT})


def _grouped(frame: pd.DataFrame, family: Family) -> pd.DataFrame:
    chosen = frame if family.where is None else frame[np.asarray(family.where(frame), dtype=bool)]
    if not family.by:
        return chosen[["rows"]]
    return chosen.groupby(list(family.by), sort=True, as_index=False)["rows"].sum()


def exact(n: float) -> Figure:
    """A count of records as loaded, for the council's own analysts: exact, whatever its size."""
    return Figure(float(n), f"{int(n):,}")


def exact_table(frame: pd.DataFrame, by: tuple[str, ...]) -> Table:
    """Counts of records per file or reason, exact: only inside the council (see the module's docstring)."""
    out = frame[[*by, "rows"]].reset_index(drop=True)
    return Table(out.astype({"rows": object}), {**dict.fromkeys(by, LABEL), "rows": COUNT})
