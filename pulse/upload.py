"""Add one new export file to the source folder and reload, with the outcome in plain words."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pulse.ingest import IngestError, ingest
from pulse.ingest.mapping import TABULAR_SUFFIXES, UPLOADS_DIR

ACCEPTED = tuple(suffix.lstrip(".") for suffix in TABULAR_SUFFIXES)


@dataclass(frozen=True)
class UploadOutcome:
    """What happened to an uploaded file."""

    ok: bool
    message: str
    read: int = 0
    loaded: int = 0
    rejected: int = 0


def add_export(source_dir: Path, table: str, file_name: str, data: bytes, db: Path) -> UploadOutcome:
    """Save the file under uploads/<table>/ in the source folder and rebuild the database from it all."""
    name = Path(file_name).name
    if not name or Path(name).suffix.lower().lstrip(".") not in ACCEPTED:
        return UploadOutcome(False, f"{name or 'That file'} is not a CSV, Excel, Parquet or JSON export.")
    target = source_dir / UPLOADS_DIR / table / name
    if target.exists():
        return UploadOutcome(False, f"{name} was uploaded before; rename the file if it holds new rows.")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    try:
        report = ingest(source_dir, db)
    except IngestError as exc:
        target.unlink()
        return UploadOutcome(False, f"Nothing was loaded: {exc}. The data already loaded is unchanged.")
    except OSError as exc:
        target.unlink(missing_ok=True)
        return UploadOutcome(False, f"Nothing was loaded: could not write the database ({exc}).")
    uploaded = next(f for f in report.files if f.source_file == target.relative_to(source_dir).as_posix())
    message = (f"{name}: {uploaded.read:,} rows read, {uploaded.loaded:,} loaded into {table}, "
               f"{uploaded.rejected:,} rejected" + (" — their reasons are listed below." if uploaded.rejected else "."))
    return UploadOutcome(True, message, uploaded.read, uploaded.loaded, uploaded.rejected)
