"""Build the database from a folder of exports: read, map, validate, reject with reasons, write."""

from __future__ import annotations

import json
import os
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from pulse import geo
from pulse.config import QUERIES_DIR
from pulse.ingest import voice
from pulse.ingest.boundaries import BoundaryError, read_boundaries
from pulse.ingest.deprivation import DeprivationError, derive_ward_deprivation, deprivation_note, screen_deprivation
from pulse.ingest.locate import OUTSIDE, SNAPPED, UNMATCHED, WardIndex
from pulse.ingest.mapping import MAPPING_FILE, IngestError, TableMapping, find_files, load_mapping
from pulse.ingest.readers import read_chunks
from pulse.ingest.wide import melt_wide_adoption
from pulse.ingest.validate import (
    HIDDEN, OTHER_GIVEN, REJECT_COLUMNS, ChunkValidator, Validated, outcome_note, ragged_rejects, raw_records,
    resolve_columns, safe_raw,
)
from pulse.schema import DEFAULT_UNIT_COSTS, SCHEMA_VERSION, TABLES

# The columns that identify a row: a later row with the same key is a duplicate.
KEYS = {
    "service_requests": ("request_id",),
    "feedback": ("feedback_id",),
    "adoption": ("month", "person_id", "activity"),
    "ward_population": ("ward_code",),
    "kpis": ("id",),
    "kpi_values": ("kpi_id", "period"),
    "unit_costs": ("channel",),
    "maturity": ("directorate", "assessed_on", "framework", "dimension"),
}


INGEST_MEMORY = "512MB"


def sql(name: str) -> str:
    """The text of a query file under queries/ingest/."""
    return (QUERIES_DIR / "ingest" / f"{name}.sql").read_text()


@dataclass
class FileReport:
    """What happened to one source file."""

    table: str
    source_file: str
    read: int = 0
    loaded: int = 0
    rejected: int = 0
    min_date: pd.Timestamp | None = None
    max_date: pd.Timestamp | None = None
    no_ward: int | None = None  # None: the table has no ward column
    unmatched: Counter = field(default_factory=Counter)
    snapped: int | None = None  # None: the table has no points
    snap_metres: float | None = None
    others: Counter = field(default_factory=Counter)  # outcome as written → loaded rows with outcome 'other'
    notes: list[tuple[str | None, str, str]] = field(default_factory=list)  # (column, kind, sentence)
    modified: datetime | None = None


@dataclass
class Report:
    """What an ingest run read, loaded and rejected, file by file."""

    folder: Path
    files: list[FileReport] = field(default_factory=list)
    wards: int = 0
    wards_repaired: int = 0
    wards_notes: list[str] = field(default_factory=list)
    synthetic: bool = False

    def notes(self) -> list[str]:
        """Each file's notes as one line: the file, then what to know about it."""
        return [f"{f.source_file}: {note}" for f in self.files for _, _, note in f.notes]

    def by_table(self) -> pd.DataFrame:
        """One row per table: files, read, loaded, rejected, date range, unmatched wards."""
        rows = []
        for table in dict.fromkeys(f.table for f in self.files):
            files = [f for f in self.files if f.table == table]
            starts = [f.min_date for f in files if f.min_date is not None]
            ends = [f.max_date for f in files if f.max_date is not None]
            rows.append({
                "table": table,
                "files": len(files),
                "read": sum(f.read for f in files),
                "loaded": sum(f.loaded for f in files),
                "rejected": sum(f.rejected for f in files),
                "from": min(starts).date() if starts else None,
                "to": max(ends).date() if ends else None,
                "unmatched wards": sum(sum(f.unmatched.values()) for f in files),
            })
        return pd.DataFrame(rows)


def ingest(folder: Path, db: Path | None, now: datetime | None = None) -> Report:
    """Load every table found in the folder into a new database at db (None: check only)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise IngestError(f"{folder}: no such folder")
    now = now or datetime.now()
    mappings = load_mapping(folder)
    report = Report(folder, synthetic=_is_synthetic(folder))
    tmp = None if db is None else Path(db).with_name(Path(db).name + ".tmp")
    if tmp is not None:
        tmp.parent.mkdir(parents=True, exist_ok=True)
        tmp.unlink(missing_ok=True)
    # DuckDB would take 80% of the machine; a bounded ingest spills to disk instead of crowding the app.
    con = duckdb.connect(str(tmp) if tmp else ":memory:", config={"memory_limit": INGEST_MEMORY})
    try:
        con.execute(sql("schema"))
        wards = _load_wards(con, folder, mappings.get("wards"), report)
        for name in TABLES:
            _load_table(con, folder, name, mappings.get(name), WardIndex(wards), now, report)
        if "deprivation" in mappings:
            _load_deprivation(con, folder, mappings["deprivation"], report)
        voice.build(con, folder)  # sentiment and themes of the (already redacted) comments
        _finish(con, report, now)
        con.close()
    except BaseException:
        con.close()
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        raise
    if tmp is not None:
        # Swap in one step so the dashboard never sees a half-built database.
        os.replace(tmp, db)
    return report


def _is_synthetic(folder: Path) -> bool:
    """The demo borough says so in the first line of its README.txt."""
    readme = folder / "README.txt"
    if not readme.exists():
        return False
    lines = readme.read_text(errors="ignore").splitlines()
    return bool(lines) and "synthetic demo borough" in lines[0].casefold()


def _relative(path: Path, folder: Path) -> str:
    return path.relative_to(folder).as_posix()


def _load_wards(con, folder: Path, mapping: TableMapping | None, report: Report):
    files = find_files(folder, "wards", mapping)
    if not files:
        return None
    if len(files) > 1:
        names = ", ".join(_relative(f, folder) for f in files)
        raise IngestError(f"several boundary files ({names}): name one under [wards] files in pulse.toml")
    try:
        wards = read_boundaries(files[0], mapping.code if mapping else None, mapping.name_field if mapping else None)
    except BoundaryError as exc:
        raise IngestError(f"{_relative(files[0], folder)}: {exc}") from None
    con.append("wards", geo.wards_to_frame(wards), by_name=True)
    report.wards = len(wards)
    report.wards_repaired = int(wards.attrs.get("repaired", 0))
    report.wards_notes = list(wards.attrs.get("notes", []))
    # Boundaries are a source like any other: every feature read is loaded or rejected.
    rel = _relative(files[0], folder)
    dropped = int(wards.attrs.get("dropped_empty", 0))
    report.files.append(FileReport("wards", rel, read=int(wards.attrs.get("features", len(wards))),
                                   loaded=int(wards.attrs.get("features", len(wards))) - dropped, rejected=dropped,
                                   modified=datetime.fromtimestamp(files[0].stat().st_mtime)))
    if dropped:
        codes = ", ".join(wards.attrs.get("dropped_codes", [])) or "none lost"
        con.append("rejected_rows", pd.DataFrame({
            "table_name": "wards", "source_file": rel, "line": [None] * dropped,
            "reason": f"feature with empty or missing geometry (wards left without a boundary: {codes})",
            "raw": None}), by_name=True)
    return wards


def _load_table(con, folder, name, mapping, wards: WardIndex, now, report: Report) -> None:
    table = TABLES[name]
    validator = ChunkValidator(table, mapping, wards, now)
    if name == "kpi_values":
        validator.known_kpis = {r[0] for r in con.execute("select id from kpis").fetchall()}
    for path in find_files(folder, name, mapping):
        rel = _relative(path, folder)
        file_report = FileReport(name, rel, modified=datetime.fromtimestamp(path.stat().st_mtime))
        if "latitude" in table.names:
            file_report.snapped, file_report.snap_metres = 0, validator.snap_metres
        try:
            columns = None
            for chunk in read_chunks(path, mapping.sheet if mapping else None):
                header = list(chunk.frame.columns)
                if name == "adoption" and mapping and mapping.wide_activities:
                    # Each activity cell of a wide export becomes one row read.
                    chunk.frame, chunk.lines = melt_wide_adoption(chunk.frame, chunk.lines,
                                                                  list(mapping.wide_activities))
                if columns is None:
                    columns = resolve_columns(table, list(chunk.frame.columns), mapping)
                result = validator.validate(chunk.frame, chunk.lines, rel, columns)
                result = _reject_duplicates(con, name, result)
                ragged = validator.reject_ragged(chunk.ragged, header, chunk.delimiter, rel, columns)
                if len(ragged):
                    result = Validated(result.rows, pd.concat([result.rejected, ragged], ignore_index=True))
                _append(con, name, result, file_report, len(chunk.frame) + len(chunk.ragged))
        except IngestError as exc:
            raise IngestError(f"{rel}: {exc}") from None
        file_report.notes.extend(validator.file_notes(rel))
        note = outcome_note(name, file_report.others)
        if note:
            file_report.notes.append(("outcome", "outcome_status", note))
        report.files.append(file_report)


def _load_deprivation(con, folder: Path, mapping: TableMapping, report: Report) -> None:
    """Ward deciles derived from IMD by LSOA fill the ward_population deciles the council left empty."""
    tables, lines, files = {}, {}, {}
    for role, pattern in (("imd", mapping.files[0]), ("lookup", mapping.lookup), ("population", mapping.population)):
        if not pattern:
            continue
        paths = sorted(p for p in folder.glob(pattern) if p.is_file())
        if len(paths) != 1:
            found = "matches no file" if not paths else f"matches {len(paths)} files; name one"
            raise IngestError(f"{MAPPING_FILE}: [deprivation] {role} file '{pattern}' {found}")
        rel = _relative(paths[0], folder)
        file_report = FileReport("deprivation", rel, modified=datetime.fromtimestamp(paths[0].stat().st_mtime))
        frames, parts = [], []
        try:
            for chunk in read_chunks(paths[0]):
                frames.append(chunk.frame)
                parts.append(chunk.lines)
                file_report.read += len(chunk.frame) + len(chunk.ragged)
                _reject(con, file_report, ragged_rejects("deprivation", chunk.ragged, list(chunk.frame.columns),
                                                         chunk.delimiter, rel, {}))
        except IngestError as exc:
            raise IngestError(f"{rel}: {exc}") from None
        renames = {source: canonical for canonical, source in mapping.columns.items()}
        tables[role] = pd.concat(frames, ignore_index=True).rename(columns=renames)
        lines[role] = pd.concat(parts, ignore_index=True)
        files[role] = file_report
    try:
        screened = screen_deprivation(tables["imd"], tables["lookup"], tables.get("population"), lines)
        # The whole lookup, so each ward's method can say how many of its LSOAs had no decile.
        derived = derive_ward_deprivation(screened.imd, tables["lookup"], screened.population)
    except DeprivationError as exc:
        raise IngestError(f"{files.get(exc.role, files['imd']).source_file}: {exc}") from None
    for role, file_report in files.items():
        mine = screened.rejected[screened.rejected["role"] == role]
        rows = tables[role].iloc[mine["row"].to_numpy()]
        _reject(con, file_report, pd.DataFrame({
            "table_name": "deprivation", "source_file": file_report.source_file,
            "line": lines[role].iloc[mine["row"].to_numpy()].to_numpy(), "reason": mine["reason"].to_numpy(),
            "raw": [json.dumps(r, ensure_ascii=False, default=str) for r in raw_records(safe_raw(rows, {}))]},
            columns=REJECT_COLUMNS))
        file_report.loaded = file_report.read - file_report.rejected
        report.files.append(file_report)
    files["imd"].notes.append((None, "deprivation", deprivation_note(screened.lsoas, derived,
                                                                     tables.get("population") is not None)))
    con.append("deprivation_lsoas", screened.lsoas, by_name=True)
    con.register("ward_deprivation", derived[["ward_code", "imd_decile", "method"]])
    con.execute(sql("ward_deprivation"))
    con.unregister("ward_deprivation")


def _reject(con, file_report: FileReport, rejected: pd.DataFrame) -> None:
    if len(rejected):
        con.append("rejected_rows", rejected, by_name=True)
        file_report.rejected += len(rejected)


def _reject_duplicates(con, name: str, result: Validated) -> Validated:
    """Reject rows whose key was loaded before, in this chunk or an earlier one."""
    keys = KEYS.get(name)
    rows = result.rows
    if not keys or rows.empty:
        return result
    key = rows[keys[0]].astype("str").fillna("")
    for column in keys[1:]:
        key = key + "\x1f" + rows[column].astype("str").fillna("")
    duplicate = key.duplicated(keep="first").to_numpy()
    first_file = rows["source_file"].to_numpy(dtype=object).copy()
    first_line = rows["source_line"].to_numpy().copy()
    if duplicate.any():
        # Only the few repeated keys need to know where their first copy was.
        firsts = pd.Series(np.flatnonzero(~duplicate), index=key[~duplicate].to_numpy())
        where = firsts.loc[key[duplicate].to_numpy()].to_numpy()
        first_file[duplicate] = first_file[where]
        first_line[duplicate] = first_line[where]
    con.register("chunk_keys", pd.DataFrame({"key": key[~duplicate], "line": rows["source_line"][~duplicate]}))
    earlier = con.execute(sql("duplicate_keys"), {"table_name": name}).df().set_index("key")
    con.unregister("chunk_keys")
    if not earlier.empty:
        hit = key.isin(earlier.index).to_numpy()
        first_file[hit] = earlier.loc[key[hit], "source_file"].to_numpy()
        first_line[hit] = earlier.loc[key[hit], "line"].to_numpy()
        duplicate = duplicate | hit
    if duplicate.any():
        dupes = rows[duplicate]
        rejected = pd.DataFrame({
            "table_name": name,
            "source_file": dupes["source_file"].to_numpy(),
            "line": dupes["source_line"].to_numpy(),
            "reason": [f"duplicate {' and '.join(keys)} (first at {f} line {n})"
                       for f, n in zip(first_file[duplicate], first_line[duplicate])],
            "raw": _shown_raw(dupes).to_json(orient="records", lines=True, date_format="iso").splitlines(),
        })
        result = Validated(rows[~duplicate].reset_index(drop=True), pd.concat([result.rejected, rejected]))
    loaded = result.rows
    if len(loaded):
        con.register("chunk_keys", pd.DataFrame({"key": key[~duplicate], "line": loaded["source_line"].to_numpy()}))
        con.execute(sql("remember_keys"), {"table_name": name, "source_file": loaded["source_file"].iloc[0]})
        con.unregister("chunk_keys")
    return result


def _shown_raw(rows: pd.DataFrame) -> pd.DataFrame:
    """A loaded row as it may be shown in rejected_rows: no lineage columns, no pseudonymised ids."""
    rows = rows.drop(columns=["source_file", "source_line", OTHER_GIVEN], errors="ignore")
    hidden = {column: rows[column].where(rows[column].isna(), shown) for column, shown in HIDDEN.items()
              if column in rows}
    return rows.assign(**hidden) if hidden else rows


def _append(con, name: str, result: Validated, file_report: FileReport, read: int) -> None:
    rows = result.rows
    if OTHER_GIVEN in rows:
        file_report.others.update(rows[OTHER_GIVEN].dropna().value_counts().to_dict())
        rows = rows.drop(columns=OTHER_GIVEN)
    if not rows.empty:
        con.append(name, rows, by_name=True)
    if not result.rejected.empty:
        con.append("rejected_rows", result.rejected, by_name=True)
    file_report.read += read
    file_report.loaded += len(rows)
    file_report.rejected += len(result.rejected)
    date_column = TABLES[name].date_column
    if date_column and not rows.empty:
        dates = pd.to_datetime(rows[date_column])
        lo, hi = dates.min(), dates.max()
        file_report.min_date = lo if file_report.min_date is None else min(lo, file_report.min_date)
        file_report.max_date = hi if file_report.max_date is None else max(hi, file_report.max_date)
    if "ward_match" in rows:
        file_report.no_ward = (file_report.no_ward or 0) + int(rows["ward_code"].isna().sum())
        lost = rows["ward_match"].isin([UNMATCHED, OUTSIDE])
        labels = rows.loc[lost, "ward_given"].fillna("(point outside every ward)")
        file_report.unmatched.update(labels.value_counts().to_dict())
        file_report.snapped = (file_report.snapped or 0) + int((rows["ward_match"] == SNAPPED).sum())


def _commonest(counts: Counter, n: int = 20) -> list[tuple[str, int]]:
    """The n commonest entries, ties in name order so that reruns print the same."""
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:n]


def _finish(con, report: Report, now: datetime) -> None:
    for f in report.files:
        if f.loaded + f.rejected != f.read:
            raise AssertionError(f"{f.source_file}: loaded {f.loaded} + rejected {f.rejected} != read {f.read}")
    sources = pd.DataFrame([{
        "table_name": f.table, "source_file": f.source_file, "rows_read": f.read, "rows_loaded": f.loaded,
        "rows_rejected": f.rejected, "min_date": f.min_date, "max_date": f.max_date, "no_ward": f.no_ward,
        "unmatched_wards": sum(f.unmatched.values()),
        "unmatched_codes": ", ".join(f"{code} ({n})" for code, n in _commonest(f.unmatched)) or None,
        "snapped": f.snapped, "snap_metres": f.snap_metres, "file_modified": f.modified, "loaded_at": now,
    } for f in report.files], columns=["table_name", "source_file", "rows_read", "rows_loaded", "rows_rejected",
                                        "min_date", "max_date", "no_ward", "unmatched_wards", "unmatched_codes",
                                        "snapped", "snap_metres", "file_modified", "loaded_at"])
    if not sources.empty:
        con.append("sources", sources.astype({"snapped": "Int64", "no_ward": "Int64"}), by_name=True)
    notes = pd.DataFrame([(f.table, f.source_file, column, kind, note) for f in report.files
                          for column, kind, note in f.notes],
                         columns=["table_name", "source_file", "column_name", "kind", "note"])
    if not notes.empty:
        con.append("source_notes", notes, by_name=True)
    others = pd.DataFrame([(f.table, f.source_file, "outcome", value, n) for f in report.files
                           for value, n in _commonest(f.others, len(f.others))],
                          columns=["table_name", "source_file", "column_name", "source_value", "rows"])
    if not others.empty:
        con.append("other_values", others, by_name=True)
    if con.execute("select count(*) from unit_costs").fetchone()[0] == 0:
        for channel, cost, source, year in DEFAULT_UNIT_COSTS:
            con.execute(sql("default_unit_costs"), {"channel": channel, "cost_gbp": cost, "source": source, "year": year})
    con.execute(sql("derived"))
    con.execute((QUERIES_DIR / "macros.sql").read_text())
    meta = {"source_dir": str(report.folder.resolve()), "loaded_at": now.isoformat(timespec="seconds"),
            "synthetic": "true" if report.synthetic else "false", "wards": str(report.wards),
            "schema_version": SCHEMA_VERSION, "wards_notes": "; ".join(report.wards_notes)}
    con.executemany("insert into meta values (?, ?)", list(meta.items()))
    con.execute("checkpoint")
