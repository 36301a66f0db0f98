"""The mapping file pulse.toml: which source files and columns mean what."""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath, PureWindowsPath

from pulse.ingest import boundaries
from pulse.ingest.clean import value_key
from pulse.schema import CHANNELS, FREQUENCIES, OUTCOMES, POLARITIES, RATING_BANDS, ROLE_LEVELS, TABLES, Table

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
    snap_metres: float | None = None  # [service_requests], [feedback]: None means the default


# The settings each kind of section takes; anything else is a typo worth stopping for.
COMMON_KEYS = ("files", "date_format", "sheet", "columns", "values")
EXTRA_KEYS = {
    "adoption": ("wide_activities",),
    "service_requests": ("snap_metres",),
    "feedback": ("snap_metres",),
}
WARDS_KEYS = ("files", "code", "name")
DEPRIVATION_KEYS = ("files", "lookup", "population", "columns")
# What [deprivation.columns] may name; the derivation recognises each by these names.
DEPRIVATION_COLUMNS = ("lsoa_code", "imd_decile", "ward_code", "population")
# Canonical values a [<table>.values.<column>] section may map source values to.
CANONICAL_VALUES = {
    "channel": CHANNELS,
    "outcome": OUTCOMES,
    "role_level": ROLE_LEVELS,
    "rating": RATING_BANDS,
    "polarity": POLARITIES,
    "frequency": FREQUENCIES,
}
MAX_SNAP_METRES = 1000


def load_mapping(folder: Path) -> dict[str, TableMapping]:
    """Read pulse.toml in the folder (if any) into a mapping per table name; any bad value is fatal."""
    path = folder / MAPPING_FILE
    if not path.exists():
        return {}
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise IngestError(f"{MAPPING_FILE}: not valid TOML ({exc})") from None
    known = (*TABLES, "wards", "deprivation")
    mappings = {}
    for name, section in raw.items():
        if name not in known:
            raise IngestError(f"{MAPPING_FILE}: unknown table [{name}] (known: {', '.join(sorted(known))})")
        if not isinstance(section, dict):
            raise IngestError(f"{MAPPING_FILE}: {name} = {_shown(section)} must be a section, [{name}], "
                              "holding its settings")
        if name == "wards":
            mappings[name] = _wards_mapping(section)
        elif name == "deprivation":
            mappings[name] = _deprivation_mapping(section)
        else:
            mappings[name] = _table_mapping(name, section)
    return mappings


def _table_mapping(name: str, section: dict) -> TableMapping:
    _known_keys(name, section, (*COMMON_KEYS, *EXTRA_KEYS.get(name, ())))
    table = TABLES[name]
    columns = _columns(name, section.get("columns", {}), (*table.names, "ward_name"))
    sheet = section.get("sheet")
    if sheet is not None and (isinstance(sheet, bool) or not isinstance(sheet, (str, int))
                              or (isinstance(sheet, int) and sheet < 0)):
        raise _expected(name, "sheet", sheet, "a sheet name, or its number counting from 0")
    snap = section.get("snap_metres")
    if snap is not None and (isinstance(snap, bool) or not isinstance(snap, (int, float))
                             or not 0 <= snap <= MAX_SNAP_METRES):
        raise _expected(name, "snap_metres", snap, f"a distance in metres from 0 (no snapping) to {MAX_SNAP_METRES}")
    wide = section.get("wide_activities", ())
    if "wide_activities" in section and not _strings(wide):
        raise _expected(name, "wide_activities", wide, "a list of the column names that hold one activity each")
    return TableMapping(
        name=name,
        files=_files(name, section),
        columns=columns,
        values=_values(name, section.get("values", {}), table),
        date_format=_date_format(name, section.get("date_format")),
        sheet=sheet,
        wide_activities=tuple(wide),
        snap_metres=None if snap is None else float(snap),
    )


def _wards_mapping(section: dict) -> TableMapping:
    _known_keys("wards", section, WARDS_KEYS)
    for key in ("code", "name"):
        if key in section and not _text(section[key]):
            raise _expected("wards", key, section[key], f"the name of the property that holds the ward {key}")
    return TableMapping(name="wards", files=_files("wards", section), code=section.get("code"),
                        name_field=section.get("name"))


def _deprivation_mapping(section: dict) -> TableMapping:
    _known_keys("deprivation", section, DEPRIVATION_KEYS)
    files = _files("deprivation", section)
    if len(files) != 1 or "lookup" not in section:
        raise IngestError(f"{MAPPING_FILE}: [deprivation] needs files = (IMD by LSOA) and lookup = (LSOA → ward), "
                          "one file each")
    lookup = _paths("deprivation", "lookup", section["lookup"], single=True)[0]
    population = (_paths("deprivation", "population", section["population"], single=True)[0]
                  if "population" in section else None)
    columns = _columns("deprivation", section.get("columns", {}), DEPRIVATION_COLUMNS)
    return TableMapping(name="deprivation", files=files, lookup=lookup, population=population, columns=columns)


def _known_keys(name: str, section: dict, allowed: tuple[str, ...]) -> None:
    unknown = [key for key in section if key not in allowed]
    if unknown:
        raise IngestError(f"{MAPPING_FILE}: [{name}] has no setting {unknown[0]!r} (settings: {', '.join(allowed)})")


def _files(name: str, section: dict) -> tuple[str, ...]:
    if "files" not in section:
        return ()
    return tuple(_paths(name, "files", section["files"]))


def _paths(name: str, key: str, value, single: bool = False) -> list[str]:
    """File names or globs, relative to the folder and inside it."""
    patterns = [value] if isinstance(value, str) else value
    expected = "a file name or glob" if single else "a file name or glob, or a list of them"
    if not isinstance(patterns, list) or not patterns or not all(_text(p) for p in patterns) or (single and len(patterns) > 1):
        raise _expected(name, key, value, expected + ", relative to the folder holding " + MAPPING_FILE)
    for pattern in patterns:
        posix = PurePosixPath(pattern.replace("\\", "/"))
        if posix.is_absolute() or PureWindowsPath(pattern).drive:
            raise _expected(name, key, pattern, "relative to the folder holding " + MAPPING_FILE + " (not an absolute path)")
        if ".." in posix.parts:
            raise _expected(name, key, pattern, "inside the folder holding " + MAPPING_FILE + " (no '..')")
    return patterns


def _columns(name: str, columns, allowed: tuple[str, ...]) -> dict[str, str]:
    if not isinstance(columns, dict):
        raise _expected(name, "columns", columns, f"a section, [{name}.columns], of canonical name = source column")
    unknown = sorted(set(columns) - set(allowed))
    if unknown:
        raise IngestError(f"{MAPPING_FILE}: [{name}.columns] names unknown canonical column(s) "
                          f"{', '.join(unknown)} (allowed: {', '.join(sorted(allowed))})")
    seen: dict[str, str] = {}
    for canonical, source in columns.items():
        if not _text(source):
            raise _expected(f"{name}.columns", canonical, source, "the name of a column in the file, as text")
        if source in seen:
            raise IngestError(f"{MAPPING_FILE}: [{name}.columns] maps source column {source!r} to both "
                              f"{seen[source]} and {canonical}; a column can mean one thing")
        seen[source] = canonical
    return dict(columns)


def _values(name: str, values, table: Table) -> dict[str, dict[str, tuple[str, ...]]]:
    if not isinstance(values, dict):
        raise _expected(name, "values", values,
                        f"a section per column, e.g. [{name}.values.channel] with canonical value = source values")
    types = {c.name: c.type for c in table.columns}
    out = {}
    for column, table_values in values.items():
        where = f"{name}.values.{column}"
        if types.get(column) != "VARCHAR":
            text_columns = ", ".join(c for c, t in types.items() if t == "VARCHAR")
            raise IngestError(f"{MAPPING_FILE}: [{where}]: {column} is not a text column of {name} "
                              f"(values can be mapped for: {text_columns})")
        if not isinstance(table_values, dict):
            raise _expected(name + ".values", column, table_values,
                            f"a section, [{where}], of canonical value = source value or list of them")
        allowed = CANONICAL_VALUES.get(column)
        seen: dict[str, str] = {}
        mapped = {}
        for canonical, sources in table_values.items():
            if allowed is not None and canonical not in allowed:
                raise IngestError(f"{MAPPING_FILE}: [{where}] maps to {canonical!r}, which is not one of the "
                                  f"canonical values ({', '.join(allowed)})")
            listed = [sources] if isinstance(sources, str) else sources
            if not _strings(listed) or not listed:
                raise _expected(where, canonical, sources, "a source value or a list of them, as text")
            for source in listed:
                key = value_key(source)
                if key in seen and seen[key] != canonical:
                    raise IngestError(f"{MAPPING_FILE}: [{where}] lists {source!r} under both {seen[key]} and "
                                      f"{canonical}; a source value can mean one thing")
                seen[key] = canonical
            mapped[canonical] = tuple(listed)
        out[column] = mapped
    return out


def _date_format(name: str, value) -> str | None:
    if value is None:
        return None
    if not _text(value) or "%" not in value:
        raise _expected(name, "date_format", value, 'a strptime pattern such as "%d/%m/%Y %H:%M"')
    return value


def _expected(section: str, key: str, value, expected: str) -> IngestError:
    return IngestError(f"{MAPPING_FILE}: [{section}] {key} = {_shown(value)} must be {expected}")


def _shown(value) -> str:
    """A TOML value as the council wrote it, cut short."""
    if isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, bool):
        text = str(value).lower()
    elif isinstance(value, dict):
        text = "{" + ", ".join(f"{k} = {_shown(v)}" for k, v in value.items()) + "}"
    elif isinstance(value, list):
        text = "[" + ", ".join(_shown(v) for v in value) + "]"
    else:
        text = str(value)
    return text if len(text) <= 60 else text[:59] + "…"


def _text(value) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _strings(value) -> bool:
    return isinstance(value, list) and all(_text(v) for v in value)


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
