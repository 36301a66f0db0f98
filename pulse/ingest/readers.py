"""Read one export file into chunks of raw rows, each row tagged with its line number."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import charset_normalizer
import pandas as pd
import pyarrow.parquet as pq

from pulse.ingest.mapping import IngestError

CHUNK_ROWS = 250_000
DELIMITERS = ",;\t|"
# Keys under which Open311 and other JSON exports wrap their list of records.
JSON_LIST_KEYS = ("service_requests", "requests", "records", "data", "items", "rows")


@dataclass
class Chunk:
    """Raw rows from one file: source columns as read, plus the 1-based `_line` of each."""

    frame: pd.DataFrame
    lines: pd.Series


def read_chunks(path: Path, sheet: str | int | None = None) -> Iterator[Chunk]:
    """Yield the rows of a CSV, Parquet, Excel or JSON export in chunks."""
    suffix = path.suffix.lower()
    try:
        if suffix == ".parquet":
            yield from _parquet_chunks(path)
        elif suffix == ".xlsx":
            yield from _excel_chunks(path, sheet)
        elif suffix == ".json":
            yield from _json_chunks(path)
        else:
            yield from _csv_chunks(path)
    except IngestError:
        raise
    except (OSError, ValueError, UnicodeError, pd.errors.ParserError) as exc:
        message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise IngestError(f"cannot read this file ({message})") from None


def decode(data: bytes) -> str:
    """Decode bytes whatever their encoding: BOMs, UTF-8, else the best guess, else Latin-1."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    guess = charset_normalizer.from_bytes(data[:200_000]).best()
    if guess is not None and guess.encoding not in ("utf_8", "ascii"):
        try:
            return data.decode(guess.encoding)
        except (UnicodeDecodeError, LookupError):
            pass
    # Windows-1252 is what UK council systems emit when they are not UTF-8.
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def sniff_delimiter(text: str) -> str:
    """The delimiter of a CSV: the csv sniffer's choice, else the commonest in the header."""
    sample = text[:65_536]
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        header = sample.splitlines()[0] if sample else ""
        return max(DELIMITERS, key=header.count)


def _csv_chunks(path: Path) -> Iterator[Chunk]:
    data = path.read_bytes()
    if not data.strip():
        raise IngestError("the file is empty")
    text = decode(data)
    delimiter = sniff_delimiter(text)
    # Old Macs end lines with a lone CR; count those when no LF is present.
    newline = "\n" if "\n" in text else "\r"
    reader = pd.read_csv(
        io.StringIO(text),
        sep=delimiter,
        dtype=str,
        keep_default_na=False,
        skip_blank_lines=False,
        chunksize=CHUNK_ROWS,
        engine="c",
    )
    next_line = 2
    try:
        for frame in reader:
            frame.columns = [str(c).strip() for c in frame.columns]
            # Quoted fields may span lines; each record starts after the previous one ends.
            extra = sum(frame[c].str.count(newline) for c in frame.columns)
            span = 1 + extra
            starts = next_line + span.cumsum() - span
            next_line = int(starts.iloc[-1] + span.iloc[-1]) if len(frame) else next_line
            blank = (frame == "").all(axis=1)
            frame = frame.loc[~blank].reset_index(drop=True)
            yield Chunk(frame, starts.loc[~blank].reset_index(drop=True).astype("int64"))
    except pd.errors.EmptyDataError:
        raise IngestError("the file has no header row") from None


def _parquet_chunks(path: Path) -> Iterator[Chunk]:
    parquet = pq.ParquetFile(path)
    offset = 0
    for batch in parquet.iter_batches(batch_size=CHUNK_ROWS):
        frame = batch.to_pandas()
        lines = pd.Series(range(offset + 1, offset + len(frame) + 1), dtype="int64")
        offset += len(frame)
        yield Chunk(frame, lines)


def _excel_chunks(path: Path, sheet: str | int | None) -> Iterator[Chunk]:
    frame = pd.read_excel(path, sheet_name=sheet if sheet is not None else 0, dtype=object)
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame.dropna(how="all").reset_index(drop=True)
    yield Chunk(frame, pd.Series(range(1, len(frame) + 1), dtype="int64"))


def _json_chunks(path: Path) -> Iterator[Chunk]:
    text = decode(path.read_bytes())
    if not text.strip():
        raise IngestError("the file is empty")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise IngestError(f"not valid JSON (line {exc.lineno}: {exc.msg})") from None
    if isinstance(data, dict):
        for key in JSON_LIST_KEYS:
            if isinstance(data.get(key), list):
                data = data[key]
                break
        else:
            raise IngestError("JSON holds no list of records")
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise IngestError("JSON is not a list of records")
    frame = pd.json_normalize(data, max_level=0)
    frame = frame.astype(object).where(frame.notna(), None)
    yield Chunk(frame, pd.Series(range(1, len(frame) + 1), dtype="int64"))
