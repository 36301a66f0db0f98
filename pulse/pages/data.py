"""Data: can I trust this? Every file loaded, every row read accounted for as loaded or rejected.

Inside the council the page is for analysts checking their own load: counts of rows are exact per
file (pulse.pages.data_counts says why), rejected rows are shown as read, and a new export can be
added. In public-safe mode, a view fit to show outsiders, every count is rounded to 5 from one
CountModel over files × outcome, and what is record by record or quotes the exports — rejected
rows, notes on files, outcome values as written — is left out, as is the upload form; the page
says why. Free text never reaches the page or a download unredacted: whatever the ingest did,
every rejected row and every note is passed through pulse.ingest.redact's redaction here too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd
import streamlit as st

from pulse import db, upload
from pulse.disclosure import COUNT, LABEL, REFERENCE, Figure, Policy, Sentence, Table, join, reference, sentence
from pulse.filters import Filters
from pulse.metrics import kpis
from pulse.ingest.redact import redact_series
from pulse.pages import data_counts, data_sections, policy_for
from pulse.pages import kpis as kpi_page
from pulse.pages.data_sections import SNAPPED, Section, available, optional_sections
from pulse.schema import TABLES

SHOWN_REJECTS = 1000  # rows drawn on screen; the download has them all
UPLOAD_KEY = "data_upload_outcome"
QUERIES = ("meta_by_key", "sources_by_file", "rejections_by_file_reason", "unit_costs_by_channel")


@dataclass(frozen=True)
class Total:
    """One headline count with its label and what it means."""

    label: str
    value: Figure
    help: Sentence


@dataclass(frozen=True)
class UploadForm:
    """What the upload form offers: the tables an export can hold and the file types accepted."""

    tables: tuple[str, ...]
    accepted: tuple[str, ...]


@dataclass(frozen=True)
class Uploaded:
    """What became of an uploaded export, in words."""

    ok: bool
    message: Sentence


@dataclass(frozen=True)
class DataPage:
    """Everything the Data page shows, published."""

    intro: Sentence
    public_note: Sentence | None  # in public-safe mode: what is left out, and why
    totals: tuple[Total, ...]
    sources: Table
    wards: Table | None  # files of tables with wards: rows loaded without one
    wards_note: Sentence | None
    sections: tuple[Section, ...]  # notes and counts a newer ingest adds, each from one query
    unit_costs: Sentence
    problems: Table | None  # KPIs that cannot be shown, and why
    reasons: Table | None  # rejected rows by table and kind of reason
    rejected_tables: tuple[str, ...]  # tables whose rejected rows may be listed (none in public-safe mode)
    rejected_note: Sentence | None
    nothing_rejected: bool  # inside the council, with no rejected rows: said as good news
    upload: UploadForm | None
    upload_note: Sentence | None
    queries: tuple[str, ...]


@dataclass(frozen=True)
class RejectedRows:
    """One table's rejected rows as published: the first rows on screen, all of them in the download."""

    shown: Table
    note: Sentence
    download: Table
    file_name: str


def build(view: Filters, first: date | None, last: date | None) -> DataPage:
    """The Data page for one view (its filters matter only to the KPIs that cannot be shown)."""
    policy = policy_for(view)
    page = _build(policy, db.database_stamp(db.db_path()))
    problems = kpi_page.problems(kpi_page.results(view, kpi_page.cost_inputs(
        kpi_page.loaded_costs(), kpis.default_baseline(first, last))))
    table = None if problems.empty else Table(
        problems.rename(columns={"kpi": "KPI", "name": "Name", "definition": "Definition", "problem": "Problem"}),
        dict.fromkeys(["KPI", "Name", "Definition", "Problem"], LABEL))
    return DataPage(**{**page, "problems": table})


@st.cache_data(show_spinner=False, max_entries=8)
def _build(policy: Policy, stamp: tuple) -> dict:
    meta = dict(db.query("meta_by_key").itertuples(index=False))
    sources = db.query("sources_by_file")
    reasons = db.query("rejections_by_file_reason")
    reasons = reasons.assign(reason=redact_series(reasons["reason"]))
    snapped = db.query(SNAPPED.query) if available(SNAPPED) else None
    counts = data_counts.publish(data_counts.cells(sources, reasons, snapped), policy, snapped is not None)
    public = policy.public_safe
    sections = optional_sections(policy)
    return {
        "intro": intro(meta, public),
        "public_note": public_note(policy) if public else None,
        "totals": totals(counts),
        "sources": sources_table(sources, counts, public),
        "wards": wards_table(sources, counts, snapped, public),
        "wards_note": wards_note(snapped) if sources["no_ward"].notna().any() else None,
        "sections": sections,
        "unit_costs": unit_costs_sentence(db.query("unit_costs_by_channel")),
        "reasons": None if reasons.empty else reasons_table(counts),
        "rejected_tables": () if public else tuple(sorted(reasons["table_name"].unique())),
        "rejected_note": rejected_note(public, not reasons.empty),
        "nothing_rejected": reasons.empty and not public,
        "upload": None if public or not meta.get("source_dir") else UploadForm(tuple(TABLES), upload.ACCEPTED),
        "upload_note": upload_note(public, bool(meta.get("source_dir"))),
        "queries": QUERIES + ((SNAPPED.query,) if snapped is not None else ()) + data_sections.queries(sections),
    }


# --------------------------------------------------------------------------- words


def table_words(table: str) -> str:
    """A table's name as words: 'service requests'."""
    return table.replace("_", " ")


def when(value: object, with_time: bool = False, month_only: bool = False) -> str | None:
    """A date as people read it ('1 Nov 2023', 'Nov 2023', '2 Dec 2026 16:53'); None when there is none."""
    stamp = pd.to_datetime(value, errors="coerce")
    if pd.isna(stamp):
        return None
    if month_only:
        return stamp.strftime("%b %Y")
    return f"{stamp.day} {stamp.strftime('%b %Y')}" + (stamp.strftime(" %H:%M") if with_time else "")


def intro(meta: dict, public: bool) -> Sentence:
    """Where and when the data was loaded, and the promise the page checks."""
    stamp = pd.to_datetime(meta.get("loaded_at"), errors="coerce")
    loaded = None if pd.isna(stamp) else f"{when(stamp)} at {stamp:%H:%M}"
    promise = ("Every row read is either loaded or rejected with a reason: read = loaded + rejected, file by "
               "file. These counts cover everything loaded; the sidebar's filters do not change them.")
    if not loaded:
        return Sentence(promise)
    if public or not meta.get("source_dir"):
        return sentence("Loaded on {loaded}. {promise}", loaded=loaded, promise=promise)
    return sentence("Loaded from `{folder}` on {loaded}. {promise}", folder=meta["source_dir"], loaded=loaded,
                    promise=promise)


def public_note(policy: Policy) -> Sentence:
    """What public-safe mode does to this page, and why."""
    return sentence(
        "Public-safe figures: every count is rounded to the nearest {five} and counts under {threshold} show as "
        "[c]; where a total would let a hidden file be worked out from the others, a second file is hidden "
        "too. Rounded counts may not add up exactly. Rejected rows, notes that quote the exports and adding an "
        "export are for the council's own analysts, so they are left out here: turn public-safe figures off "
        "to see them.", five=reference(5), threshold=reference(policy.threshold))


HELP = {
    "read": Sentence("Every row of every file, header excluded: read = loaded + rejected."),
    "loaded": Sentence("Rows that passed every check: everything the other pages count."),
    "rejected": Sentence("Rows set aside, each with the reason why (below)."),
    "unmatched": Sentence("Rows whose ward code matches no boundary, or whose point lies outside every ward. "
                          "They count in every borough total but cannot be mapped."),
}
LABELS = {"read": "Rows read", "loaded": "Loaded", "rejected": "Rejected", "unmatched": "No matching ward"}
WARDS_NOTE = Sentence("Loaded, and counted in every borough total, but not on the map: no ward was given, or "
                      "its code matches no boundary (an old code after a boundary review, say), or its point "
                      "lies outside every ward.")


def totals(counts: data_counts.Counts) -> tuple[Total, ...]:
    """The four headline counts."""
    out = []
    for name, label in LABELS.items():
        figure = counts.totals[name]
        why = sentence("{help} Shown as [c]: {why}.", help=HELP[name], why=figure.why) if figure.why else HELP[name]
        out.append(Total(label, figure, why))
    return tuple(out)


def rejected_note(public: bool, any_rejected: bool) -> Sentence | None:
    """What the rejected-rows section says when it lists no rows."""
    if public:
        return Sentence("Rejected rows themselves are not shown in public-safe figures: each is a row of an "
                        "export as it was read, one record at a time.")
    return None if any_rejected else Sentence("No rows were rejected.")


def upload_note(public: bool, known_folder: bool) -> Sentence | None:
    """Why there is no upload form, when there is none."""
    if public:
        return None  # the page's public-safe note says why there is no form
    if not known_folder:
        return Sentence("The folder the data was loaded from is unknown, so a new export cannot be added here; "
                        "load the folder with `python -m pulse ingest` first.")
    return None


# --------------------------------------------------------------------------- tables


def labels(values: object, index: pd.Index) -> pd.Series:
    """Words for a table column, missing ones as None (drawn "–"), never NaN: pandas would make it a number."""
    series = pd.Series(list(values), index=index, dtype=object)
    return series.where(series.notna(), None)


def _merge(base: pd.DataFrame, table: Table, column: str) -> pd.DataFrame:
    """base with one published count family's `rows` as `column` (None where the family has no key)."""
    frame = table.frame.rename(columns={"rows": column})
    out = base.merge(frame, on=list(data_counts.FILE), how="left")
    out[column] = labels(out[column], out.index)
    return out


def sources_table(sources: pd.DataFrame, counts: data_counts.Counts, public: bool) -> Table:
    """One row per file: its table, rows read, loaded and rejected, the dates it spans, when it was saved."""
    frame = sources[list(data_counts.FILE)].copy()
    for family, column in (("file_read", "Read"), ("file_loaded", "Loaded"), ("file_rejected", "Rejected")):
        frame = _merge(frame, counts.tables[family], column)
    hidden = frame["Read"].map(lambda v: isinstance(v, str))
    # In public, a file's dates say only its months, and nothing for a file too small to show.
    for column, dates in (("From", sources["first_date"]), ("To", sources["last_date"])):
        frame[column] = labels((None if h and public else when(v, month_only=public) for v, h in zip(dates, hidden)),
                               frame.index)
    frame["File saved"] = labels((when(v, with_time=True) for v in sources["file_modified"]), frame.index)
    frame["table_name"] = frame["table_name"].map(table_words)
    frame = frame.rename(columns={"table_name": "Table", "source_file": "File"})
    return Table(frame, {"Table": LABEL, "File": LABEL, "Read": COUNT, "Loaded": COUNT, "Rejected": COUNT,
                         "From": LABEL, "To": LABEL, "File saved": LABEL})


def wards_table(sources: pd.DataFrame, counts: data_counts.Counts, snapped: pd.DataFrame | None,
                public: bool) -> Table | None:
    """Files of tables with wards: rows with no ward, those whose ward matched nothing, points snapped."""
    mapped = sources[sources["no_ward"].notna()]
    if mapped.empty:
        return None
    frame = mapped[list(data_counts.FILE)].copy()
    frame = _merge(frame, counts.tables["file_no_ward"], "No ward")
    frame = _merge(frame, counts.tables["file_unmatched"], "Of which unmatched")
    kinds = {"Table": LABEL, "File": LABEL, "No ward": COUNT, "Of which unmatched": COUNT}
    if snapped is not None:
        frame = _merge(frame, counts.tables["file_snapped"], "Snapped to the nearest ward")
        metres = dict(zip(zip(snapped["table_name"], snapped["source_file"]), snapped["snap_metres"]))
        has_points = [pd.notna(metres.get(k)) for k in zip(frame["table_name"], frame["source_file"])]
        # A file with no points has nothing to snap: "–", not a count.
        frame["Snapped to the nearest ward"] = frame["Snapped to the nearest ward"].where(has_points, None)
        kinds["Snapped to the nearest ward"] = COUNT
        if _tolerance(snapped) is None:  # files snapped within different distances: say which, file by file
            frame["Snapped within"] = labels((f"{metres[k]:,.0f} m" if p else None for k, p in
                                              zip(zip(frame["table_name"], frame["source_file"]), has_points)),
                                             frame.index)
            kinds["Snapped within"] = LABEL
    if not public:  # the commonest unmatched codes, each with its exact count of rows
        frame["Unmatched codes (rows)"] = labels(mapped["unmatched_codes"], frame.index)
        kinds["Unmatched codes (rows)"] = LABEL
    frame["table_name"] = frame["table_name"].map(table_words)
    return Table(frame.rename(columns={"table_name": "Table", "source_file": "File"}).reset_index(drop=True), kinds)


def _tolerance(snapped: pd.DataFrame | None) -> float | None:
    """The one distance every file's points were snapped within, or None when there is none or several."""
    if snapped is None:
        return None
    distances = set(snapped["snap_metres"].dropna())
    return distances.pop() if len(distances) == 1 else None


def wards_note(snapped: pd.DataFrame | None) -> Sentence:
    """What the rows without a ward are, and how far outside every ward a point may lie and still get one."""
    metres = _tolerance(snapped)
    if metres is None:
        return WARDS_NOTE
    return sentence("{note} A point up to {metres} outside every ward was given the nearest ward (snapped).",
                    note=WARDS_NOTE, metres=reference(metres, "", 0).text + " m")


def reasons_table(counts: data_counts.Counts) -> Table:
    """Rejected rows by table and kind of reason, the commonest first."""
    table = counts.tables["reasons"]
    frame = table.frame
    order = frame["rows"].map(lambda v: -1 if isinstance(v, str) else v)
    frame = frame.assign(_order=order).sort_values(["table_name", "_order", "reason"], ascending=[True, False, True])
    frame = frame.drop(columns="_order").assign(table_name=lambda f: f["table_name"].map(table_words))
    return Table(frame.rename(columns={"table_name": "Table", "reason": "Reason", "rows": "Rows"})
                 .reset_index(drop=True), {"Table": LABEL, "Reason": LABEL, "Rows": COUNT})


def unit_costs_sentence(costs: pd.DataFrame) -> Sentence:
    """'Unit costs used for cost per transaction: face to face £8.62 and phone £2.83, from Socitm …; …'."""
    usable = costs.dropna(subset=["channel", "cost_gbp"])
    if usable.empty:
        return Sentence("No unit costs are loaded, so cost per transaction cannot be worked out: add a "
                        "unit_costs file (channel, cost_gbp, source, year) to the exports.")
    by_source: dict[str, list[Sentence]] = {}
    for channel, cost, source in usable[["channel", "cost_gbp", "source"]].itertuples(index=False):
        by_source.setdefault(str(source) if pd.notna(source) else "no source given", []).append(
            sentence("{channel} {cost}", channel=table_words(str(channel)), cost=reference(cost, "£")))
    parts = [sentence("{costs}, from {source}", costs=join(_and(channels), ""), source=source)
             for source, channels in by_source.items()]
    return sentence("Unit costs used for cost per transaction: {costs}.", costs=join(parts, "; "))


def _and(items: list[Sentence]) -> list[Sentence]:
    """Items joined as words: 'a', 'a and b', 'a, b and c'."""
    if len(items) < 2:
        return items
    return [join(items[:-1], ", "), Sentence(" and "), items[-1]]


# --------------------------------------------------------------------------- rejected rows


def rejected_rows(view: Filters, table: str | None, search: str = "") -> RejectedRows | None:
    """One table's rejected rows, redacted, optionally only those whose reason contains `search`; never in public."""
    if table is None or policy_for(view).public_safe:
        return None
    rows = _redacted_rejects(table, db.database_stamp(db.db_path()))
    if search:
        rows = rows[rows["Reason"].fillna("").str.contains(search, case=False, regex=False)]
    kinds = {"File": LABEL, "Line": REFERENCE, "Reason": LABEL, "Row as read": LABEL}
    total = len(rows)
    note = sentence("{n} rejected row{s}{more}.", n=data_counts.exact(total), s="" if total == 1 else "s",
                    more=f" (the first {SHOWN_REJECTS:,} are shown; the download has them all)"
                    if total > SHOWN_REJECTS else "")
    return RejectedRows(Table(rows.head(SHOWN_REJECTS).reset_index(drop=True), kinds), note,
                        Table(rows.reset_index(drop=True), kinds), f"rejected_{table}.csv")


@st.cache_data(show_spinner=False, max_entries=16)
def _redacted_rejects(table: str, stamp: tuple) -> pd.DataFrame:
    rows = db.query("rejected_rows_by_row", table_name=table)
    index = rows.index
    return pd.DataFrame({
        "File": labels(rows["source_file"], index),
        "Line": rows["line"].astype("Int64"),
        "Reason": labels(redact_series(rows["reason"].astype(object)), index),
        "Row as read": labels(redact_series(rows["raw"].astype(object)), index),
    })


# --------------------------------------------------------------------------- upload


def add_export(table: str, file_name: str | None, data: bytes | None) -> Uploaded:
    """Validate and load one uploaded export with the ingest's own code (pulse.upload), in words."""
    if not file_name or data is None:
        return Uploaded(False, Sentence("Choose a file first."))
    folder = dict(db.query("meta_by_key").itertuples(index=False)).get("source_dir")
    if not folder:
        return Uploaded(False, upload_note(False, False))
    outcome = upload.add_export(Path(folder), table, file_name, data, db.db_path())
    # Counts of the analyst's own file, exact: the form exists only inside the council.
    return Uploaded(outcome.ok, sentence("{message}", message=outcome.message))


def remember(outcome: Uploaded) -> None:
    """Keep an upload's outcome for the next run, which draws the page afresh from the new database."""
    st.session_state[UPLOAD_KEY] = outcome


def recall() -> Uploaded | None:
    """The outcome of the upload just made, once."""
    return st.session_state.pop(UPLOAD_KEY, None)
