"""Check one chunk of raw rows against the data contract: canonical rows out, rejects with reasons."""

from __future__ import annotations

import csv
import io
import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

import pandas as pd

from pulse.ingest import clean
from pulse.ingest.dates import DATE_SHAPE, date_note, date_order
from pulse.ingest.locate import DEFAULT_SNAP_METRES, WardIndex
from pulse.ingest.mapping import MAPPING_FILE, IngestError, TableMapping
from pulse.ingest.redact import redact, redact_series
from pulse.schema import CHANNELS, Table

WARD_TABLES = ("service_requests", "feedback")
# Records of what already happened; KPI targets and events may lie ahead.
FUTURE_CHECKED = ("service_requests", "feedback", "adoption", "kpi_values")
TYPE_WORDS = {"TIMESTAMP": "a date", "DATE": "a date", "DOUBLE": "a number", "BIGINT": "a whole number",
              "INTEGER": "a whole number", "BOOLEAN": "yes or no"}
PERSON_HIDDEN = "[person id hidden]"
PERSONAL_HIDDEN = "[personal detail hidden]"
REJECT_COLUMNS = ["table_name", "source_file", "line", "reason", "raw"]
# A loaded row's outcome as written, where no canonical outcome matched it ('other'); counted, never stored.
OTHER_GIVEN = "_outcome_given"
# Words a CRM writes in a status column: an outcome column holding them holds statuses, not outcomes.
STATUS_WORDS = {"open", "closed", "resolved", "done", "complete and closed", "in progress", "pending", "new",
                "cancelled", "canceled", "on hold", "assigned", "acknowledged", "fixed", "investigating"}
DATE_SAMPLE = 200  # distinct failing date values kept per file and column to tell their order
# What a rejected row may show. Mapped canonical columns are kept as read (the reason is about
# them, and they hold ids, dates, numbers, codes and categories), except free text, which is
# redacted, and pseudonymised ids, which never leave the loaded tables. Every other column is
# unknown to the contract: its text is redacted, and a column whose name says it holds a
# person's details is hidden whole, since redaction cannot recognise a bare name.
FREE_TEXT = ("comment", "label")
HIDDEN = {"person_id": PERSON_HIDDEN, "customer_ref": PERSONAL_HIDDEN}
PERSONAL_HEADER = re.compile(
    r"\b(e ?mail|phone|telephone|tel|mobile|fax|address|postcode|post code|contact|surname|forename|"
    r"first ?name|last ?name|full ?name|given name|family name|dob|birth|nino|ni number|national insurance|"
    r"reporter|customer|resident|person|caller|applicant|citizen|user ?name|username|name)\b"
)


@dataclass
class Validated:
    """The outcome for one chunk: canonical rows to load and rejected rows with reasons."""

    rows: pd.DataFrame
    rejected: pd.DataFrame


def resolve_columns(table: Table, source_columns: list[str], mapping: TableMapping | None) -> dict[str, str]:
    """Canonical column → source column, from the mapping, exact names, then known synonyms."""
    by_key = {clean.value_key(c): c for c in source_columns}
    mapped = mapping.columns if mapping else {}
    resolved: dict[str, str] = {}
    for canonical in (*table.names, "ward_name"):
        if canonical in mapped:
            if mapped[canonical] not in source_columns:
                raise IngestError(
                    f"{MAPPING_FILE} maps {canonical} to column '{mapped[canonical]}', which is not in "
                    f"the file (columns: {', '.join(source_columns)})"
                )
            resolved[canonical] = mapped[canonical]
            continue
        for candidate in (canonical, *table.synonyms.get(canonical, ())):
            if clean.value_key(candidate) in by_key:
                resolved[canonical] = by_key[clean.value_key(candidate)]
                break
    missing = [c for c in table.required if c not in resolved and not _derived(table, c, mapping)]
    if missing:
        raise IngestError(
            f"required column {', '.join(missing)} missing (columns found: {', '.join(source_columns)}; "
            f"name it under [{table.name}.columns] in {MAPPING_FILE})"
        )
    return resolved


def _derived(table: Table, column: str, mapping: TableMapping | None) -> bool:
    """Columns a wide adoption export creates from its activity columns."""
    return table.name == "adoption" and column in ("activity", "value") and bool(mapping and mapping.wide_activities)


class ChunkValidator:
    """Validates chunks of one table, with the wards and the clock fixed for the whole run."""

    def __init__(self, table: Table, mapping: TableMapping | None, wards: WardIndex, now: datetime):
        self.table = table
        self.mapping = mapping
        self.wards = wards
        self.now = pd.Timestamp(now)
        self.values = mapping.values if mapping else {}
        self.date_format = mapping.date_format if mapping else None
        self.snap_metres = (mapping.snap_metres if mapping and mapping.snap_metres is not None
                            else DEFAULT_SNAP_METRES)
        self.known_kpis: set[str] | None = None
        # Per source file and date column: distinct values that failed, and how many rows of that shape.
        self._bad_dates: dict[tuple[str, str], dict[str, None]] = {}
        self._bad_date_rows: Counter = Counter()

    def validate(self, frame: pd.DataFrame, lines: pd.Series, source_file: str, columns: dict[str, str]) -> Validated:
        """Canonical rows and rejects for one chunk of one file."""
        frame = frame.reset_index(drop=True)
        n = len(frame)
        reasons = pd.Series("", index=frame.index, dtype=object)
        out = pd.DataFrame(index=frame.index)

        def flag(mask: pd.Series, reason) -> None:
            mask = mask.fillna(False).astype(bool) if hasattr(mask, "fillna") else mask
            if not mask.any():
                return
            text = reason if isinstance(reason, str) else reason[mask]
            reasons.loc[mask] = reasons[mask] + "; " + text

        for column in self.table.columns:
            if column.name not in columns:
                out[column.name] = None
                continue
            raw = frame[columns[column.name]]
            out[column.name], bad = self._convert(column.name, column.type, raw)
            if bad.any():
                shown = clean.text_of(raw[bad]).str.slice(0, 60)
                flag(bad, self._bad_reason(column.name, column.type, shown))
                if column.type in ("TIMESTAMP", "DATE") and column.name != "month" and not self.date_format:
                    self._remember_bad_dates(source_file, column.name, clean.text_of(raw[bad]).str.strip())
            if column.name == "outcome":
                other = (out["outcome"] == "other").to_numpy()
                if other.any():
                    out[OTHER_GIVEN] = clean.as_text(raw).where(other)
            if column.required:
                present = out[column.name].notna()
                if column.name == "rating":
                    present |= self._bands.notna()
                flag(~present & ~bad, f"missing {column.name}")
        self._rules(out, flag)
        if self.table.name in WARD_TABLES:
            wards = self.wards.locate(
                frame[columns["ward_code"]] if "ward_code" in columns else None,
                frame[columns["ward_name"]] if "ward_name" in columns else None,
                out["longitude"], out["latitude"], n, self.snap_metres,
            )
            out["ward_code"] = wards["ward_code"]
            out["ward_match"] = wards["ward_match"]
            out["ward_given"] = wards["ward_given"]
        bad_rows = reasons != ""
        out["source_file"] = source_file
        out["source_line"] = lines.to_numpy()
        rejected = pd.DataFrame(
            {
                "table_name": self.table.name,
                "source_file": source_file,
                "line": lines[bad_rows].to_numpy(),
                "reason": reasons[bad_rows].str.slice(2).to_numpy(),
                "raw": [json.dumps(r, ensure_ascii=False, default=str) for r in raw_records(safe_raw(frame[bad_rows], columns))],
            },
            columns=REJECT_COLUMNS,
        )
        return Validated(out.loc[~bad_rows].reset_index(drop=True), rejected)

    def _remember_bad_dates(self, source_file: str, column: str, values: pd.Series) -> None:
        shaped = values[values.str.fullmatch(DATE_SHAPE).fillna(False).astype(bool)]
        if shaped.empty:
            return
        self._bad_date_rows[(source_file, column)] += len(shaped)
        seen = self._bad_dates.setdefault((source_file, column), {})
        for value in shaped.unique()[:DATE_SAMPLE]:
            if len(seen) >= DATE_SAMPLE:
                break
            seen[value] = None

    def file_notes(self, source_file: str) -> list[tuple[str, str, str]]:
        """(column, kind, note) for one file just validated: dates in a day/month order the mapping must name."""
        notes = []
        for column in [c for f, c in self._bad_dates if f == source_file]:
            order = date_order(self._bad_dates.pop((source_file, column)))
            rows = self._bad_date_rows.pop((source_file, column))
            if order is not None:
                notes.append((column, "date_order", date_note(self.table.name, column, rows, order)))
        return notes

    def reject_ragged(self, ragged: pd.DataFrame, header: list[str], delimiter: str, source_file: str,
                      columns: dict[str, str]) -> pd.DataFrame:
        """Rejects for records whose number of fields is not the header's, their text made safe to show."""
        return ragged_rejects(self.table.name, ragged, header, delimiter, source_file, columns)

    def _convert(self, name: str, type_: str, raw: pd.Series) -> tuple[pd.Series, pd.Series]:
        mapped = self.values.get(name)
        if name == "channel":
            return clean.normalise_values(raw, clean.CHANNEL_SYNONYMS, mapped)
        if name == "role_level":
            return clean.normalise_values(raw, clean.ROLE_SYNONYMS, mapped)
        if name == "outcome":
            # Unrecognised outcomes are kept as "other": they count as closed but not successful.
            values, unknown = clean.normalise_values(raw, clean.OUTCOME_SYNONYMS, mapped)
            return values.where(~unknown, "other"), unknown & False
        if name == "polarity":
            return clean.normalise_values(raw, {"higher": ("higher is better", "up", "increase", "high"),
                                                "lower": ("lower is better", "down", "decrease", "low")}, mapped)
        if name == "frequency":
            return clean.normalise_values(raw, {"weekly": ("week",), "monthly": ("month",),
                                                "quarterly": ("quarter",)}, mapped)
        if name == "rating":
            return self._rating(raw)
        if name == "month":
            return clean.month_start(raw)
        if type_ == "TIMESTAMP":
            return clean.parse_timestamps(raw, self.date_format)
        if type_ == "DATE":
            stamps, bad = clean.parse_timestamps(raw, self.date_format)
            return stamps.dt.normalize(), bad
        if type_ in ("DOUBLE", "BIGINT", "INTEGER"):
            numbers, bad = clean.parse_numbers(raw)
            if type_ != "DOUBLE":
                fractional = numbers.notna() & (numbers != numbers.round())
                return numbers.where(~fractional).astype("Int64"), bad | fractional
            return numbers, bad
        if type_ == "BOOLEAN":
            return clean.parse_booleans(raw)
        if mapped:
            values, _ = clean.normalise_values(raw, {}, mapped)
            return values.fillna(clean.as_text(raw)), clean.blank(raw) & False
        return clean.as_text(raw), clean.blank(raw) & False

    def _rating(self, raw: pd.Series) -> tuple[pd.Series, pd.Series]:
        numbers, not_number = clean.parse_numbers(raw)
        whole = numbers.notna() & (numbers == numbers.round()) & numbers.between(1, 5)
        bands, unknown_band = clean.normalise_values(raw.where(not_number), clean.BAND_SYNONYMS,
                                                     self.values.get("rating"))
        self._bands = bands
        bad = (numbers.notna() & ~whole) | (not_number & unknown_band)
        return numbers.where(whole).astype("Int64"), bad

    def _bad_reason(self, name: str, type_: str, shown: pd.Series) -> pd.Series:
        if name == "channel":
            hint = f" (add it under [{self.table.name}.values.channel] in {MAPPING_FILE}; known: {', '.join(CHANNELS)})"
            return "unknown channel '" + shown + "'" + hint
        if name == "role_level":
            return "unknown role level '" + shown + f"' (map it under [adoption.values.role_level] in {MAPPING_FILE})"
        if name == "rating":
            return "rating '" + shown + "' is not 1–5 or good/average/poor"
        if name in ("polarity", "frequency"):
            return f"{name} '" + shown + "' is not recognised"
        expected = TYPE_WORDS.get(type_, "valid")
        if type_ in ("TIMESTAMP", "DATE"):
            expected += f" (expected ISO 8601{' or ' + self.date_format if self.date_format else ''})"
        return f"{name} '" + shown + f"' is not {expected}"

    def _rules(self, out: pd.DataFrame, flag) -> None:
        name = self.table.name
        if name in FUTURE_CHECKED:
            stamps = pd.to_datetime(out[self.table.date_column])
            flag(stamps > self.now, f"{self.table.date_column} is in the future")
        if name == "kpi_values" and self.known_kpis is not None:
            unknown = out["kpi_id"].notna() & ~out["kpi_id"].isin(self.known_kpis)
            flag(unknown, "unknown KPI '" + out["kpi_id"] + "' (not in the kpis table)")
        if "closed_at" in out:
            flag(out["closed_at"].notna() & (out["closed_at"] < out["created_at"]), "closed before created")
        if "latitude" in out:
            lat, lon = out["latitude"], out["longitude"]
            flag(~lat.between(-90, 90) & lat.notna(), "latitude out of range")
            flag(~lon.between(-180, 180) & lon.notna(), "longitude out of range")
            flag(lat.notna() != lon.notna(), "latitude without longitude, or the reverse")
        if name == "feedback":
            out["rating_band"] = _band(out["rating"]).fillna(self._bands)
            # Redacted before anything is written: unredacted text never reaches the database.
            out["comment"] = redact_series(out["comment"])
        if name == "ward_population":
            flag(out["population"] < 0, "population is negative")
            flag(~out["imd_decile"].between(1, 10) & out["imd_decile"].notna(), "imd_decile is not 1–10")
        if name == "adoption":
            flag(out["value"] < 0, "value is negative")
        if name == "unit_costs":
            flag(~out["channel"].isin(CHANNELS) & out["channel"].notna(), "unknown channel")
            flag(out["cost_gbp"] < 0, "cost_gbp is negative")
        if name == "kpis" and "frequency" in out:
            out["frequency"] = out["frequency"].fillna("monthly")


def _band(rating: pd.Series) -> pd.Series:
    """GovMetric's three bands from a 5-point rating: 4–5 good, 3 average, 1–2 poor."""
    band = pd.Series(None, index=rating.index, dtype="str")
    band[rating >= 4] = "good"
    band[rating == 3] = "average"
    band[rating <= 2] = "poor"
    return band


def raw_records(frame: pd.DataFrame) -> list[dict]:
    """Raw rows as plain dicts, missing values as null."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def safe_raw(frame: pd.DataFrame, columns: dict[str, str]) -> pd.DataFrame:
    """Rows as read, less what must never be shown (see FREE_TEXT, HIDDEN, PERSONAL_HEADER)."""
    if frame.empty:
        return frame
    canonical = {source: name for name, source in columns.items()}
    shown = {}
    for column in frame.columns:
        hidden = _hidden_as(column, canonical.get(column))
        if hidden is not None:
            shown[column] = frame[column].where(frame[column].isna(), hidden)
        elif canonical.get(column) in FREE_TEXT or column not in canonical:
            shown[column] = redact_series(frame[column])
    return frame.assign(**shown) if shown else frame


def ragged_rejects(table: str, ragged: pd.DataFrame, header: list[str], delimiter: str, source_file: str,
                   columns: dict[str, str]) -> pd.DataFrame:
    """Rejected rows for records with the wrong number of fields: line, 'N fields where the header has M', safe text."""
    if ragged.empty:
        return pd.DataFrame(columns=REJECT_COLUMNS)
    canonical = {source: name for name, source in columns.items()}
    private = [_hidden_as(column, canonical.get(column)) is not None for column in header]
    n = len(header)
    reasons = [f"{k} field{'' if k == 1 else 's'} where the header has {n}" for k in ragged["fields"]]
    raws = [_safe_record(text, k, n, private, delimiter) for text, k in zip(ragged["text"], ragged["fields"])]
    return pd.DataFrame({"table_name": table, "source_file": source_file, "line": ragged["line"].to_numpy(),
                         "reason": reasons, "raw": raws}, columns=REJECT_COLUMNS)


def _hidden_as(column: str, canonical: str | None) -> str | None:
    """What replaces a column's values in a rejected row, or None when they may be shown (redacted)."""
    if canonical is not None:
        return HIDDEN.get(canonical)
    return PERSONAL_HIDDEN if PERSONAL_HEADER.search(clean.value_key(column)) else None


def _safe_record(text: str, fields: int, expected: int, private: list[bool], delimiter: str) -> str:
    """A ragged record's text with every field redacted, and hidden wherever it may belong to a private column.

    With k fields too many, field i holds the value of a column from i - k to i (or an extra one);
    with k too few, of a column from i to i + k.
    """
    values = next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), [])
    extra = fields - expected
    safe = []
    for i, value in enumerate(values):
        near = private[max(0, i - extra): i + 1] if extra > 0 else private[i: i - extra + 1]
        safe.append(PERSONAL_HIDDEN if any(near) and value.strip() else redact(value))
    if safe == values:
        return text
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="").writerow(safe)
    return out.getvalue()


def outcome_note(table: str, others: Counter) -> str | None:
    """A sentence when outcomes loaded as 'other' read like statuses (open, closed…): they are not successes."""
    statuses = {value: n for value, n in others.items() if clean.value_key(value) in STATUS_WORDS}
    if not statuses:
        return None
    shown = ", ".join(f"'{value}' ({n:,})" for value, n in sorted(statuses.items(), key=lambda kv: (-kv[1], kv[0]))[:5])
    total = sum(statuses.values())
    rows = f"{total:,} loaded rows have an outcome" if total != 1 else "1 loaded row has an outcome"
    return (f"outcome: {rows} that reads like a status ({shown}); "
            "a status says whether a request is closed, not whether it succeeded, so they count as 'other' "
            f"(closed, not successful). If one of them does mean completed, list it under "
            f"[{table}.values.outcome] in {MAPPING_FILE}")
