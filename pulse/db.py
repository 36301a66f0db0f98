"""One read-only connection per database file, a cursor per query, results cached by name + params."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache, partial
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from pulse.config import QUERIES_DIR, db_path
from pulse.threads import side_by_side

_PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


class NoDatabase(Exception):
    """There is no database yet: nothing has been ingested."""


@lru_cache(maxsize=None)
def query_text(name: str) -> str:
    """The SQL of queries/<name>.sql."""
    path = QUERIES_DIR / f"{name}.sql"
    if not path.is_file() or path.parent != QUERIES_DIR:
        raise KeyError(f"no query named {name!r} in {QUERIES_DIR}")
    return path.read_text()


@lru_cache(maxsize=None)
def query_parameters(name: str) -> frozenset[str]:
    """The $named parameters a query file uses (comments excluded)."""
    body = "\n".join(line.split("--", 1)[0] for line in query_text(name).splitlines())
    return frozenset(_PARAMETER.findall(body))


def database_stamp(path: Path) -> tuple[int, int, int]:
    """Changes whenever the database file is replaced or rewritten."""
    try:
        stat = path.stat()
    except FileNotFoundError:
        raise NoDatabase(str(path)) from None
    return stat.st_mtime_ns, stat.st_ino, stat.st_size


_OPEN: dict[str, duckdb.DuckDBPyConnection] = {}


@st.cache_resource(max_entries=2, show_spinner=False)
def _connection(path: str, stamp: tuple[int, int, int]) -> duckdb.DuckDBPyConnection:
    # DuckDB hands connect() the database still open on a path, even after the file was replaced (a
    # reload, an upload from the Data page): close the old file's connection first, or the app would
    # keep reading the old data until it restarted.
    previous = _OPEN.pop(path, None)
    if previous is not None:
        previous.close()
    _OPEN[path] = duckdb.connect(path, read_only=True)
    return _OPEN[path]


def connection(path: Path | None = None) -> duckdb.DuckDBPyConnection:
    """The shared read-only connection to the current database file."""
    path = path or db_path()
    return _connection(str(path), database_stamp(path))


def with_complete_from(name: str, params: dict, answer: Callable[[str, dict], pd.DataFrame]) -> dict:
    """The parameters, plus $complete_from when the query uses it and it is not given: the first complete
    month of closures for the same filters (queries/closure_complete_from.sql, asked through `answer`, so
    that query() works it out once per filters for all three closure KPIs instead of once in each)."""
    if "complete_from" not in query_parameters(name) or "complete_from" in params:
        return params
    frame = answer("closure_complete_from", params)
    value = frame["complete_from"].iloc[0] if len(frame) else None
    return {**params, "complete_from": None if pd.isna(value) else pd.Timestamp(value).date()}


def run(name: str, params: dict | None = None, path: Path | None = None) -> pd.DataFrame:
    """Run a named query now, binding only the parameters it uses."""
    wanted = query_parameters(name)
    given = with_complete_from(name, params or {}, lambda source, given: run(source, given, path))
    missing = wanted - set(given)
    if missing:
        raise KeyError(f"query {name} needs parameter(s) {', '.join(sorted(missing))}")
    bound = {k: (list(v) if isinstance(v, tuple) else v) for k, v in given.items() if k in wanted}
    # A connection is not thread-safe; every browser session runs in its own thread.
    cursor = connection(path).cursor()
    try:
        return cursor.execute(query_text(name), bound).df()
    finally:
        cursor.close()


def query_all(names: Iterable[str], **params) -> dict[str, pd.DataFrame | BaseException]:
    """Several named queries, each exactly as query() gives it (and cached as it caches), run side by side
    (pulse.threads); a failed query's exception is its answer, for the caller to raise or report."""
    wanted = list(dict.fromkeys(names))
    return dict(zip(wanted, side_by_side([partial(query, name, **params) for name in wanted])))


@st.cache_data(max_entries=1024, show_spinner=False)
def _cached(name: str, params: tuple, path: str, stamp: tuple[int, int, int]) -> pd.DataFrame:
    return run(name, dict(params), Path(path))


def query(name: str, **params) -> pd.DataFrame:
    """A named query's result, cached by name, parameters and the database file's identity."""
    path = db_path()
    stamp = database_stamp(path)
    params = with_complete_from(name, params, lambda source, given: query(source, **given))
    frozen = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()
                          if k in query_parameters(name)))
    return _cached(name, frozen, str(path), stamp)
