"""The mapping file pulse.toml: which source files and columns mean what."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from pulse.ingest import boundaries
from pulse.schema import TABLES

MAPPING_FILE = "pulse.toml"
TABULAR_SUFFIXES = (".csv", ".txt", ".tsv", ".parquet", ".xlsx", ".json")
BOUNDARY_SUFFIXES = (*boundaries.BOUNDARY_SUFFIXES, ".zip")
UPLOADS_DIR = "uploads"


class IngestError(Exception):
    """A fatal problem with one source: printed as one line, exit code 2."""


@dataclass(frozen=True)
class TableMapping:
    """How one canonical table is found and read in a source folder."""

    name: str
    files: tuple[str, ...] = ()
    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    date_format: str | None = None
    code: str | None = None
    name_field: str | None = None
    sheet: str | int | None = None
    wide_activities: tuple[str, ...] = ()
    lookup: str | None = None  # [deprivation]: the LSOA → ward lookup file
    population: str | None = None  # [deprivation]: optional LSOA population file


def load_mapping(folder: Path) -> dict[str, TableMapping]:
    """Read pulse.toml in the folder (if any) into a mapping per table name."""
    path = folder / MAPPING_FILE
    if not path.exists():
        return {}
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise IngestError(f"{MAPPING_FILE}: not valid TOML ({exc})") from None
    known = set(TABLES) | {"wards", "deprivation"}
    mappings = {}
    for name, section in raw.items():
        if name not in known:
            raise IngestError(
                f"{MAPPING_FILE}: unknown table [{name}] (known: {', '.join(sorted(known))})"
            )
        if not isinstance(section, dict):
            raise IngestError(f"{MAPPING_FILE}: [{name}] must be a table of settings")
        mappings[name] = _table_mapping(name, section)
    return mappings


def _table_mapping(name: str, section: dict) -> TableMapping:
    files = section.get("files", ())
    if isinstance(files, str):
        files = [files]
    columns = section.get("columns", {})
    if name in TABLES:
        allowed = set(TABLES[name].names) | {"ward_name"}
        unknown = set(columns) - allowed
        if unknown:
            raise IngestError(
                f"{MAPPING_FILE}: [{name}.columns] names unknown canonical column(s) "
                f"{', '.join(sorted(unknown))} (allowed: {', '.join(sorted(allowed))})"
            )
    values = {
        column: {canon: tuple(_as_list(src)) for canon, src in table.items()}
        for column, table in section.get("values", {}).items()
    }
    return TableMapping(
        name=name,
        files=tuple(files),
        columns={k: str(v) for k, v in columns.items()},
        values=values,
        date_format=section.get("date_format"),
        code=section.get("code"),
        name_field=section.get("name"),
        sheet=section.get("sheet"),
        wide_activities=tuple(section.get("wide_activities", ())),
        lookup=section.get("lookup"),
        population=section.get("population"),
    )


def _as_list(value) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else [str(value)]


def find_files(folder: Path, table: str, mapping: TableMapping | None) -> list[Path]:
    """The files that make up one table: the mapping's globs, else the canonical name."""
    found: list[Path] = []
    if mapping and mapping.files:
        for pattern in mapping.files:
            matches = sorted(p for p in folder.glob(pattern) if p.is_file())
            if not matches:
                raise IngestError(f"{MAPPING_FILE}: [{table}] files = '{pattern}' matches no file")
            found.extend(matches)
    else:
        suffixes = BOUNDARY_SUFFIXES if table == "wards" else TABULAR_SUFFIXES
        found.extend(
            p for p in sorted(folder.glob(f"{table}*")) if p.is_file() and p.suffix.lower() in suffixes
        )
        if table == "service_requests" and not found:
            found.extend(sorted(folder.glob("open311*.json")) + sorted(folder.glob("open311*.csv")))
    uploads = folder / UPLOADS_DIR / table
    if uploads.is_dir():
        found.extend(sorted(p for p in uploads.iterdir() if p.is_file()))
    # A file named by two globs is still one file.
    return list(dict.fromkeys(found))
