"""Read one export file into chunks of raw rows, each row tagged with its line number."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import charset_normalizer
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from pulse.ingest.mapping import IngestError

CHUNK_ROWS = 250_000
# Arrow parses a block at a time; 8 MB holds tens of thousands of rows, so chunks gather a few blocks.
BLOCK_BYTES = 8 << 20
DELIMITERS = ",;\t|"
# Keys under which Open311 and other JSON exports wrap their list of records.
JSON_LIST_KEYS = ("service_requests", "requests", "records", "data", "items", "rows")
RAGGED_COLUMNS = ["line", "fields", "text"]


@dataclass
class Chunk:
    """Raw rows from one file: source columns as read, and `lines`, the line (or record) of each row.

    `ragged` holds the records whose number of fields differs from the header's (CSV only): their
    line, how many fields they have and their text as read. They are rows read, to be rejected.
    """

    frame: pd.DataFrame
    lines: pd.Series
    ragged: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=RAGGED_COLUMNS))
    delimiter: str = ","  # how the ragged records' text splits into fields


def read_chunks(path: Path, sheet: str | int | None = None) -> Iterator[Chunk]:
    """Yield the rows of a CSV, Parquet, Excel or JSON export in chunks."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        # Never guess: an unknown suffix read as CSV would load nonsense or reject every row.
        kinds = ", ".join(READERS)
        raise IngestError(f"no reader for {path.suffix or 'files without a suffix'} files (readable: {kinds}); "
                          "save it as CSV or .xlsx")
    try:
        yield from reader(path, sheet)
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


def _csv_chunks(path: Path, sheet: str | int | None = None) -> Iterator[Chunk]:
    data = path.read_bytes()
    if not data.strip():
        raise IngestError("the file is empty")
    text = decode(data)
    del data
    delimiter = sniff_delimiter(text)
    # Old Macs end lines with a lone CR; count those when no LF is present.
    newline = "\n" if "\n" in text else "\r"
    header_end, closed = _scan_record(text, 0, delimiter)
    if not closed:
        raise IngestError("the header row opens a quoted field that is never closed")
    header = text[:header_end]
    if not header.strip():
        raise IngestError("the file has no header row")
    names = _column_names(next(csv.reader([header.rstrip("\r\n")], delimiter=delimiter), []))
    first_line = 1 + header.count(newline)
    # Arrow reads UTF-8 bytes; holding only those from here on keeps one copy of the file in memory.
    body = text[header_end:].encode("utf-8")
    del text
    if not body.strip():
        yield Chunk(pd.DataFrame({name: pd.Series(dtype="str") for name in names}), pd.Series([], dtype="int64"))
        return
    for chunk in _csv_body_chunks(body, names, delimiter, newline, first_line):
        chunk.delimiter = delimiter
        yield chunk


def _csv_body_chunks(body: bytes, names: list[str], delimiter: str, newline: str, first_line: int) -> Iterator[Chunk]:
    """Chunks of the records after the header; records with the wrong number of fields come back as ragged.

    Arrow's parser is the fast path: it reads every well-formed record and hands each ragged one
    to a callback with its record number and text. Lines are counted as an editor shows them: a
    record spans one line plus one per newline inside its quoted fields.
    """
    ragged: list[tuple[int, int, str]] = []  # record number (1 = first after the header), fields, text

    def on_ragged(row) -> str:
        if row.number is None:  # only a multi-threaded read loses the numbers; ours is single-threaded
            return "error"
        ragged.append((row.number, row.actual_columns, row.text))
        return "skip"

    reader = pacsv.open_csv(
        io.BytesIO(body),
        read_options=pacsv.ReadOptions(use_threads=False, block_size=BLOCK_BYTES, column_names=names),
        parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=True, ignore_empty_lines=False,
                                         invalid_row_handler=on_ragged),
        convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names}, strings_can_be_null=False,
                                             quoted_strings_can_be_null=False),
    )
    state = {"record": 1, "line": first_line, "taken": 0, "last_start": first_line}
    pending: list[pa.RecordBatch] = []
    rows = yielded = 0
    for batch in reader:
        pending.append(batch)
        rows += batch.num_rows
        if rows >= CHUNK_ROWS:
            yield _csv_chunk(pa.Table.from_batches(pending), ragged, state, newline)
            pending, rows, yielded = [], 0, yielded + 1
    # The last chunk also takes the ragged records after the last good one.
    schema = pa.schema([(name, pa.string()) for name in names])
    chunk = _csv_chunk(pa.Table.from_batches(pending, schema=schema), ragged, state, newline, final=True)
    if len(chunk.frame) or len(chunk.ragged) or not yielded:
        yield chunk
    last = body[_line_offset(body, newline.encode(), state["last_start"] - first_line):].decode("utf-8")
    if not _scan_record(last, 0, delimiter)[1]:
        # Arrow reads the rest of such a file as one value; nothing after the quote would be a row.
        raise IngestError(f"the quoted field on line {state['last_start']} is never closed")


def _csv_chunk(table: pa.Table, ragged: list[tuple[int, int, str]], state: dict, newline: str,
               final: bool = False) -> Chunk:
    """One chunk of good records, with the ragged records that fall among them, each given its line."""
    good = table.num_rows
    first = state["record"]
    # Ragged records sit between good ones: take those numbered within this chunk's run of records.
    mine: list[tuple[int, int, str]] = []
    while state["taken"] < len(ragged) and (final or ragged[state["taken"]][0] <= first + good - 1 + len(mine)):
        mine.append(ragged[state["taken"]])
        state["taken"] += 1
    total = good + len(mine)
    is_ragged = np.zeros(total, dtype=bool)
    is_ragged[[number - first for number, _, _ in mine]] = True
    spans = np.ones(total, dtype=np.int64)
    extra = np.zeros(good, dtype=np.int64)
    for column in table.columns:
        extra += pc.count_substring(column, newline).to_numpy(zero_copy_only=False)
    spans[~is_ragged] += extra
    spans[is_ragged] += np.array([text.count(newline) for _, _, text in mine], dtype=np.int64)
    starts = state["line"] + np.cumsum(spans) - spans
    if total:
        state["record"] = first + total
        state["last_start"] = int(starts[-1])
        state["line"] = int(starts[-1] + spans[-1])
    good_starts = starts[~is_ragged]
    # A line with nothing on it, or only delimiters, is no row at all.
    blank = np.ones(good, dtype=bool)
    for column in table.columns:
        blank &= pc.equal(column, "").to_numpy(zero_copy_only=False)
    if blank.any():
        table = table.filter(pa.array(~blank))
        good_starts = good_starts[~blank]
    kept = [(int(line), fields, text) for line, (_, fields, text) in zip(starts[is_ragged], mine) if text.strip()]
    return Chunk(table.to_pandas(), pd.Series(good_starts, dtype="int64"), pd.DataFrame(kept, columns=RAGGED_COLUMNS))


def _line_offset(text: bytes, newline: bytes, lines: int) -> int:
    """Where the text's line number lines + 1 starts; counted from the end, as the last record is short."""
    from_end = text.count(newline) - lines
    position = len(text)
    for _ in range(from_end + 1):
        position = text.rfind(newline, 0, position)
        if position < 0:
            return 0
    return position + 1


def _column_names(header: list[str]) -> list[str]:
    """Header names stripped, blanks named by position and repeats numbered, as pandas does."""
    names: list[str] = []
    for i, raw in enumerate(header):
        name = raw.strip() or f"Unnamed: {i}"
        base, n = name, 0
        while name in names:
            n += 1
            name = f"{base}.{n}"
        names.append(name)
    return names


def _scan_record(text: str, start: int, delimiter: str) -> tuple[int, bool]:
    """Where the record starting at `start` ends (after its line break), and whether its quotes closed.

    A quote opens a quoted field only at the start of a field, as in Arrow's and pandas' parsers.
    """
    stops = re.compile("[" + re.escape(delimiter) + "\r\n]")
    i, n, field_start = start, len(text), True
    while i < n:
        if field_start and text[i] == '"':
            # Inside quotes a doubled quote is a quote; the next single one closes the field.
            j = i + 1
            while True:
                j = text.find('"', j)
                if j < 0:
                    return n, False
                if text.startswith('"', j + 1):
                    j += 2
                    continue
                break
            i, field_start = j + 1, False
            continue
        found = stops.search(text, i)
        if found is None:
            return n, True
        i = found.end()
        char = found.group()
        if char == "\r":
            return (i + 1 if text.startswith("\n", i) else i), True
        if char == "\n":
            return i, True
        field_start = True
    return n, True


def _parquet_chunks(path: Path, sheet: str | int | None = None) -> Iterator[Chunk]:
    parquet = pq.ParquetFile(path)
    offset = 0
    for batch in parquet.iter_batches(batch_size=CHUNK_ROWS):
        frame = batch.to_pandas()
        lines = pd.Series(range(offset + 1, offset + len(frame) + 1), dtype="int64")
        offset += len(frame)
        yield Chunk(frame, lines)


def _excel_chunks(path: Path, sheet: str | int | None = None) -> Iterator[Chunk]:
    grid = pd.read_excel(path, sheet_name=sheet if sheet is not None else 0, header=None, dtype=object)
    # Row i of the grid is the sheet's row i + 1, blank rows included, so lines are Excel's row numbers.
    filled = grid.notna() & grid.map(lambda v: not (isinstance(v, str) and not v.strip())).to_numpy()
    used = filled.any(axis=1).to_numpy()
    if not used.any():
        raise IngestError("the sheet is empty")
    top = int(np.argmax(used))
    body = grid.iloc[top + 1:]
    # A column with neither a header nor a value (say an empty column A) is not a column of the export.
    keep = filled.iloc[top].to_numpy() | filled.iloc[top + 1:].any(axis=0).to_numpy()
    header = [_cell_name(v) for v in grid.iloc[top].to_numpy()[keep]]
    frame = body.loc[used[top + 1:], keep]
    frame.columns = _column_names(header)
    lines = pd.Series(frame.index.to_numpy() + 1, dtype="int64")
    yield Chunk(frame.reset_index(drop=True), lines)


def _cell_name(value: object) -> str:
    """A header cell as text: 2026.0 reads as 2026, an empty cell as nothing."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _json_chunks(path: Path, sheet: str | int | None = None) -> Iterator[Chunk]:
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


READERS = {
    ".csv": _csv_chunks,
    ".tsv": _csv_chunks,
    ".txt": _csv_chunks,
    ".parquet": _parquet_chunks,
    ".xlsx": _excel_chunks,
    ".json": _json_chunks,
}
