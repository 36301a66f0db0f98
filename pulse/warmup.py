"""Warm a server before its first reader: heavy libraries imported once, the default views computed at
start and again after every ingest, so that no reader waits for either.

server.py (what `make run` serves) calls start() as the server starts; app.py calls it on every run
too, for a server started with plain `streamlit run app.py`, and only the first call in a process does
anything. It starts a daemon thread that

1. imports what the frame and the pages import (read from app.py and views/*.py, so a page added or
   rebuilt is covered without touching this file): geopandas, pydeck, Altair and the rest;
2. computes the frame (filter options, schema check) and every page's default view, the view a link
   without parameters opens (pulse.frame.default_view), through the same cached functions the
   pages call, with the same arguments: PAGES below, one function per page;
3. watches the database file, and when an ingest replaces it (a new database stamp) does step 2
   again for the new data.

A reader who arrives during the warm-up asks the same cached functions for the same keys, and
Streamlit's cache makes every caller of a key that is being computed wait for that one computation
(st.cache_data holds a lock per key while it computes), so nothing is done twice.
tests/test_warmup.py opens every page after a warm-up and checks that it runs no query of its own:
a page whose calls change without its warmer here fails that test.

Off under AppTest and pytest (tests keep their own caches) and when PULSE_WARMUP=0.
"""

from __future__ import annotations

import ast
import gc
import importlib
import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

from pulse.config import ROOT, db_path
from pulse.filters import Filters, Options

LOG = logging.getLogger(__name__)
POLL_SECONDS = 2.0  # how often the database file is checked for a new ingest
SOURCES = ("app.py", "views")  # whose imports are imported ahead of the first reader

_lock = threading.Lock()
_thread: threading.Thread | None = None
status: dict[str, object] = {"imports_s": None, "warmed_stamp": None, "warm_s": None, "errors": []}


def start(before_server: bool = False) -> bool:
    """Start the warm-up thread once per server process; whether it runs.

    before_server: called by server.py as the server starts; the thread imports at once and
    warms the caches as soon as the server is up.
    """
    global _thread
    with _lock:
        if _thread is not None:
            return True
        if os.environ.get("PULSE_WARMUP", "1") == "0" or not (before_server or _in_server()):
            return False
        _thread = threading.Thread(target=_run, name="pulse-warmup", daemon=True)
        _thread.start()
        return True


def _in_server() -> bool:
    """Whether this is a `streamlit run` server (AppTest installs a stand-in runtime)."""
    from streamlit import runtime
    from streamlit.runtime import Runtime

    return runtime.exists() and type(Runtime.instance()) is Runtime


def _run() -> None:
    started = time.perf_counter()
    import_heavy()
    status["imports_s"] = round(time.perf_counter() - started, 2)
    while not _in_server():  # started by server.py: wait for Streamlit's runtime, whose caches these are
        time.sleep(0.05)
    frozen = False
    while True:
        try:
            warm_if_new()
        except Exception:  # a warm-up must never take the server down; the reader will see the error
            LOG.exception("warm-up failed")
        if not frozen:
            # What is imported and cached at start lives as long as the server: leave it out of every
            # later garbage collection (Streamlit collects after each script run).
            gc.freeze()
            frozen = True
        time.sleep(POLL_SECONDS)


def imported_modules(root: Path = ROOT) -> list[str]:
    """Modules the frame and the pages import at their top level, in the order they name them."""
    names: list[str] = []
    files = [root / SOURCES[0], *sorted((root / SOURCES[1]).glob("*.py"))]
    for path in files:
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Import):
                names += [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.append(node.module)
                # `from pulse import db` names a module; `from pulse.x import f` a function (skipped below).
                names += [f"{node.module}.{alias.name}" for alias in node.names]
    return list(dict.fromkeys(names))


def import_heavy(root: Path = ROOT) -> None:
    """Import every module the frame and the pages import, so the first reader of a page does not."""
    for name in imported_modules(root):
        if name == "streamlit" or name.startswith("streamlit."):
            continue
        try:
            importlib.import_module(name)
        except ImportError:
            continue  # a name imported from a module, not a module


def warm_if_new() -> bool:
    """Warm the frame and every page's default view if the database changed since the last warm-up."""
    from pulse import db

    try:
        stamp = db.database_stamp(db_path())
    except db.NoDatabase:
        return False
    if stamp == status["warmed_stamp"]:
        return False
    started = time.perf_counter()
    status["errors"] = warm(stamp)
    status["warm_s"] = round(time.perf_counter() - started, 2)
    status["warmed_stamp"] = stamp
    LOG.info("warmed the default views in %.1f s", status["warm_s"])
    return True


def warm(stamp: tuple) -> list[str]:
    """Fill the caches of the frame and of every page's default view; what failed, as text."""
    from pulse.frame import default_view, load_options, schema_version
    from pulse.schema import SCHEMA_VERSION

    if schema_version() != SCHEMA_VERSION:
        return []  # the frame tells every reader to rebuild the database; nothing to warm
    options, _ = load_options(stamp)
    view = default_view(options)
    errors = []
    for page, warmer in PAGES.items():
        try:
            warmer(view, options)
        except Exception as exc:  # one page failing leaves the others warm
            LOG.warning("warm-up of %s failed: %s", page, exc)
            errors.append(f"{page}: {type(exc).__name__}: {exc}")
    return errors


# ---------------------------------------------------------------- each page's default view, as its view asks


def _overview(view: Filters, options: Options) -> None:
    from pulse.pages import overview

    overview.build(view, options.start, options.end)


def _leadership(view: Filters, options: Options) -> None:
    from pulse.pages import leadership

    leadership.build(view)


def _kpis(view: Filters, options: Options) -> None:
    from pulse.pages import kpis

    costs = kpis.costs(options.start, options.end, None)
    inputs = kpis.inputs_for(costs, costs.table.frame)
    kpis.rebase_choices(view, inputs)
    page = kpis.build(view, inputs, None)
    if page.default is None:
        return
    closer = kpis.close_up(view, inputs, page.default, None)
    if not closer.no_events:
        kpis.difference(view, inputs, closer.kpi_id, closer.events[-1], options.wards)


def _wards(view: Filters, options: Options) -> None:
    from pulse.charts.colours import CLASS_METHODS
    from pulse.pages import wards

    if not wards.has_boundaries():
        return
    wards.ward_names()
    available = wards.availability()
    if available.keys:
        choice = wards.MapChoice(available.keys[0], next(iter(CLASS_METHODS)), False, False, False)
        wards.build(view, choice, next(iter(view.wards), None))


def _voice(view: Filters, options: Options) -> None:
    from pulse.pages import voice

    page = voice.build(view, options.start, options.end)
    if page.distribution is not None and page.trend_choices:
        chosen = [t for t in page.trend_default if t in page.trend_choices]
        voice.theme_trend(view, tuple(chosen), page.theme_hidden)


def _data(view: Filters, options: Options) -> None:
    from pulse.pages import data

    page = data.build(view, options.start, options.end)
    if page.rejected_tables:
        data.rejected_rows(view, page.rejected_tables[0], "")


def _present(view: Filters, options: Options) -> None:
    from pulse.present import registry

    registry.built((registry.Part(view, registry.STANDARD, None),), options)


PAGES: dict[str, Callable[[Filters, Options], None]] = {
    "views/overview.py": _overview, "views/leadership.py": _leadership, "views/kpis.py": _kpis,
    "views/wards.py": _wards, "views/voice.py": _voice, "views/data.py": _data, "views/present.py": _present,
}
