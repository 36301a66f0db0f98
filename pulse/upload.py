"""Add one new export file to the source folder and reload, with the outcome in plain words.

Whatever goes wrong — the file cannot be saved, the ingest refuses it, or something unexpected
breaks — the saved file is removed again, so a failed upload never stays behind to break the next
ingest, and the database already loaded is left as it was (the ingest swaps a new one in only at
the very end).
"""

from __future__ import annotations

import errno
from dataclasses import dataclass
from pathlib import Path

from pulse.ingest import IngestError, ingest
from pulse.ingest.mapping import TABULAR_SUFFIXES, UPLOADS_DIR
from pulse.schema import TABLES

ACCEPTED = tuple(suffix.lstrip(".") for suffix in TABULAR_SUFFIXES)
UNCHANGED = "The data already loaded is unchanged."


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
    if table not in TABLES:
        return UploadOutcome(False, f"{table!r} is not a table an export can be added to.")
    target = Path(source_dir) / UPLOADS_DIR / table / name
    if target.exists():
        return UploadOutcome(False, f"{name} was uploaded before; rename the file if it holds new rows.")
    created = _missing_folders(target.parent, Path(source_dir))
    finished = False
    try:
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        except OSError as exc:
            return UploadOutcome(False, f"Nothing was loaded: {name} could not be saved in the source folder "
                                        f"({_plainly(exc)}). {UNCHANGED}")
        try:
            report = ingest(source_dir, db)
        except IngestError as exc:
            return UploadOutcome(False, f"Nothing was loaded: {exc}. {UNCHANGED}")
        except OSError as exc:
            return UploadOutcome(False, f"Nothing was loaded: the database could not be written ({_plainly(exc)}). "
                                        f"{UNCHANGED}")
        except Exception as exc:  # a fault in the ingest itself: still never leave the file behind
            return UploadOutcome(False, f"Nothing was loaded: {name} could not be loaded ({_plainly(exc)}). "
                                        f"{UNCHANGED}")
        relative = target.relative_to(source_dir).as_posix()
        uploaded = next((f for f in report.files if f.source_file == relative), None)
        if uploaded is None:  # cannot happen while find_files reads uploads/<table>/; never claim success
            return UploadOutcome(False, f"Nothing was loaded: {name} was not read by the ingest. {UNCHANGED}")
        finished = True
    finally:
        if not finished:
            _remove(target)
            for folder in created:
                _remove_if_empty(folder)
    message = (f"{name}: {uploaded.read:,} rows read, {uploaded.loaded:,} loaded into {table}, "
               f"{uploaded.rejected:,} rejected" + (" — their reasons are listed below." if uploaded.rejected else "."))
    return UploadOutcome(True, message, uploaded.read, uploaded.loaded, uploaded.rejected)


def _missing_folders(folder: Path, root: Path) -> list[Path]:
    """The folders between root and folder that do not exist yet, deepest first."""
    missing = []
    while folder != root and not folder.exists():
        missing.append(folder)
        folder = folder.parent
    return missing


def _remove(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass  # never saved (its folder could not be made): nothing to remove


def _remove_if_empty(folder: Path) -> None:
    try:
        folder.rmdir()
    except OSError:
        pass  # not empty, or already gone: either way nothing of the failed upload is left in it


def _plainly(exc: BaseException) -> str:
    """An error in a few plain words, without a path or a traceback."""
    if isinstance(exc, OSError):
        words = {errno.ENOSPC: "the disk is full", errno.EACCES: "permission denied", errno.EROFS: "the disk is "
                 "read-only", errno.ENOTDIR: "a file is in the way of the uploads folder",
                 errno.EEXIST: "a file is in the way of the uploads folder"}
        return words.get(exc.errno, exc.strerror or type(exc).__name__)
    text = str(exc).strip().splitlines()
    return (text[0][:200] if text else type(exc).__name__)
