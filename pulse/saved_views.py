"""Saved views: a name for a set of filters and a page, written and read through this one module.

They live in a small SQLite database beside the analytic one (data/pulse.duckdb → data/pulse.views.sqlite),
not in it: the analytic database is opened read-only and is replaced whole by every ingest, and a
saved view must outlive both. SQLite rather than DuckDB because several processes use it at once
(every app server, and `python -m pulse pack --view` from a monthly job): SQLite lets them all read
and takes turns to write, where a DuckDB file can be open for writing in one process only. It is
in Python's standard library, so it costs no dependency.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlencode

from pulse.config import QUERIES_DIR, db_path
from pulse.filters import URL_KEYS, Filters, Options, from_query_params

SUFFIX = ".views.sqlite"
# What a saved view remembers from the link: the shared filters and the KPIs chosen for slides.
KEPT = (*URL_KEYS, "kpi")
MAX_NAME = 60
TIMEOUT = 5.0  # seconds to wait for another process's write before giving up


class ViewError(ValueError):
    """A view cannot be saved as asked (an empty or unusable name)."""


@dataclass(frozen=True)
class SavedView:
    """A named view: the page it opens on and its URL parameters."""

    name: str
    page: str  # the page's url_path: "" for the Overview
    query: tuple[tuple[str, tuple[str, ...]], ...]
    saved_at: str = ""

    @property
    def params(self) -> dict[str, list[str]]:
        """The URL parameters, each a list of values."""
        return {key: list(values) for key, values in self.query}

    @property
    def link(self) -> str:
        """The view's address relative to the app: 'kpis?ward=E05900011&public=1'."""
        query = urlencode(self.params, doseq=True)
        return f"{self.page}{'?' + query if query else ''}" or "./"

    def opened(self, options: Options) -> tuple[Filters, list[str]]:
        """The view's filters in today's data, and a note for each filter that no longer exists."""
        return from_query_params(self.params, options)

    @property
    def kpis(self) -> tuple[str, ...] | None:
        """The KPIs chosen for its slides, if any."""
        return tuple(self.params.get("kpi", ())) or None


def store_path(db: str | Path | None = None) -> Path:
    """The saved-views database beside an analytic database: data/pulse.duckdb → data/pulse.views.sqlite."""
    path = db_path(db)
    return path.with_name(path.stem + SUFFIX)


def clean_name(name: str) -> str:
    """A view's name with its spaces tidied; an empty or over-long name is refused with a reason."""
    tidy = re.sub(r"\s+", " ", str(name or "")).strip()
    if not tidy:
        raise ViewError("Give the view a name.")
    if len(tidy) > MAX_NAME:
        raise ViewError(f"Names are at most {MAX_NAME} characters.")
    if any(ord(c) < 32 for c in tidy):
        raise ViewError("Names cannot hold control characters.")
    return tidy


def kept(query: Mapping[str, Sequence[str] | str]) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """The URL parameters a saved view keeps (filters and chosen KPIs), in a stable order."""
    out = []
    for key in KEPT:
        values = query.get(key)
        if values:
            out.append((key, (values,) if isinstance(values, str) else tuple(str(v) for v in values)))
    return tuple(out)


def save(name: str, page: str, query: Mapping[str, Sequence[str] | str], db: str | Path | None = None) -> SavedView:
    """Save a view under a name (replacing one of the same name) and return it."""
    view = SavedView(clean_name(name), page.strip("/"), kept(query),
                     datetime.now(timezone.utc).isoformat(timespec="seconds"))
    with _connect(store_path(db)) as con:
        con.execute(_sql("saved_view_save"), {"name": view.name, "page": view.page,
                                              "query": json.dumps(view.params), "saved_at": view.saved_at})
    return view


def listed(db: str | Path | None = None) -> list[SavedView]:
    """Every saved view, by name; none when nothing has been saved yet."""
    return _select(None, db)


def load(name: str, db: str | Path | None = None) -> SavedView | None:
    """One saved view by name (case-insensitive), or None."""
    found = _select(str(name).strip(), db)
    return found[0] if found else None


def delete(name: str, db: str | Path | None = None) -> bool:
    """Delete a saved view; whether there was one."""
    with _connect(store_path(db)) as con:
        return con.execute(_sql("saved_view_delete"), {"name": str(name).strip()}).rowcount > 0


def _select(name: str | None, db: str | Path | None) -> list[SavedView]:
    path = store_path(db)
    if not path.exists():
        return []
    with _connect(path) as con:
        rows = con.execute(_sql("saved_views_by_name"), {"name": name}).fetchall()
    return [SavedView(n, page, kept(json.loads(query)), saved_at) for n, page, query, saved_at in rows]


@contextmanager
def _connect(path: Path) -> Iterator[sqlite3.Connection]:
    """A short-lived connection that commits on success, so no process holds the file for long."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(path, timeout=TIMEOUT)) as con:
        with con:  # one transaction: committed on success, rolled back on an error
            con.execute(_sql("saved_views_schema"))
            yield con


def _sql(name: str) -> str:
    return (QUERIES_DIR / "views" / f"{name}.sql").read_text()
