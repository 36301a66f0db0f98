"""The Data page's optional sections: notes and counts per file that a newer load records.

Each section is drawn from one query and needs certain tables and columns; it is left out, without
a word, when the database does not have them (a load made before they existed) or when the query
finds nothing. Adding one is a query file and an entry in SECTIONS.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from pulse import db
from pulse.disclosure import COUNT, LABEL, REFERENCE, Policy, Sentence, Table, sentence
from pulse.ingest.redact import redact_series

COLUMNS_QUERY = "columns_by_table"


@dataclass(frozen=True)
class OptionalQuery:
    """A query that reads tables and columns only some databases have."""

    query: str
    needs: dict[str, tuple[str, ...]]  # table → the columns the query reads


@dataclass(frozen=True)
class Section:
    """One optional section as published: its heading, what it means, and its table or its lines."""

    title: str
    note: Sentence | None
    table: Table | None
    lines: tuple[Sentence, ...] = ()


@dataclass(frozen=True)
class Spec:
    """How one optional section is made: its query, when it may be shown, how its rows read."""

    source: OptionalQuery
    title: str
    note: Sentence
    shape: Callable[[pd.DataFrame], Table | tuple[Sentence, ...]]  # long text reads better as lines
    public: bool = False  # whether it may be shown in public-safe mode (no counts, no text from the exports)


def available(source: OptionalQuery) -> bool:
    """Whether the database has every table and column the query reads."""
    columns = db.query(COLUMNS_QUERY)
    have = set(zip(columns["table_name"], columns["column_name"]))
    return all((table, column) in have for table, wanted in source.needs.items() for column in wanted)


def _text(values: pd.Series) -> pd.Series:
    """Text written by the load or taken from an export, redacted whatever the load did, None when missing."""
    text = redact_series(values.astype(object)).astype(object)
    return text.where(text.notna(), None)


def _notes(frame: pd.DataFrame) -> tuple[Sentence, ...]:
    # Whole sentences, some with a pulse.toml line to copy: a table cell would cut them short.
    return tuple(sentence("**{file}**: {note}", file=f, note=n)
                 for f, n in zip(frame["source_file"], _text(frame["note"])) if n)


def _outcomes(frame: pd.DataFrame) -> Table:
    # Inside the council only (see Spec.public): counts of loaded records, exact.
    out = pd.DataFrame({"Outcome as written": _text(frame["source_value"]),
                        "Requests": frame["rows"].astype(object), "Files": frame["files"].astype(object)})
    return Table(out, {"Outcome as written": LABEL, "Requests": COUNT, "Files": COUNT})


def _deprivation(frame: pd.DataFrame) -> Table:
    ward = frame["ward_code"].astype(object)
    out = pd.DataFrame({"LSOA": frame["lsoa_code"].astype(object), "Ward": ward.where(ward.notna(), None),
                        "IMD decile": frame["imd_decile"].astype("Int64"), "Why left out": frame["problem"]})
    return Table(out, {"LSOA": LABEL, "Ward": LABEL, "IMD decile": REFERENCE, "Why left out": LABEL})


SNAPPED = OptionalQuery("snapped_by_file", {"sources": ("table_name", "source_file", "snapped", "snap_metres")})
SECTIONS = (
    Spec(OptionalQuery("notes_by_file", {"source_notes": ("table_name", "source_file", "column_name", "kind", "note")}),
         "Notes on the files",
         Sentence("What the load noticed about a file that is not one row's rejection: dates written day first "
                  "(with the line to add to pulse.toml), outcomes that read like statuses, how deprivation was "
                  "worked out."), _notes),
    Spec(OptionalQuery("outcomes_by_value", {"other_values": ("table_name", "source_file", "column_name",
                                                              "source_value", "rows")}),
         "Outcomes loaded as 'other'",
         Sentence("Closed requests whose outcome matched none of completed, not eligible, error or dropped out: "
                  "they count as closed but not successful. If one of them means completed, list it under "
                  "[service_requests.values.outcome] in pulse.toml."), _outcomes),
    Spec(OptionalQuery("deprivation_gaps_by_lsoa", {"deprivation_lsoas": ("lsoa_code", "ward_code", "imd_decile",
                                                                          "problem")}),
         "Neighbourhoods left out of ward deprivation",
         Sentence("A ward's deprivation decile is worked out from the IMD deciles of its LSOAs (small census "
                  "areas); these LSOAs count towards no ward's, for the reason given."), _deprivation,
         public=True),
)


def optional_sections(policy: Policy) -> tuple[Section, ...]:
    """Every optional section this database can fill, in order; in public-safe mode only those fit for it."""
    out = []
    for spec in SECTIONS:
        if (policy.public_safe and not spec.public) or not available(spec.source):
            continue
        frame = db.query(spec.source.query)
        if not frame.empty:
            shaped = spec.shape(frame)
            out.append(Section(spec.title, spec.note, shaped, ()) if isinstance(shaped, Table) else
                       Section(spec.title, spec.note, None, shaped))
    return tuple(out)


def queries(sections: tuple[Section, ...]) -> tuple[str, ...]:
    """The queries behind the sections shown, for the page's SQL expander."""
    titles = {s.title for s in sections}
    return tuple(spec.source.query for spec in SECTIONS if spec.title in titles)
