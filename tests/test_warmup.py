"""Many readers at once: identical work is done once, and the warm-up leaves the default views computed.

No timings here (the machine is shared): these count computations, not seconds.
"""

from __future__ import annotations

import threading
import time
from collections import Counter

import pytest
import streamlit as st
from streamlit.runtime.caching import cache_utils
from streamlit.testing.v1 import AppTest

from pulse import db, ui, warmup
from pulse.frame import default_view, load_options
from pulse.pages import overview
from tests.conftest import ROOT

READERS = 20


@pytest.fixture
def counted(demo_db, monkeypatch):
    """The demo database with empty caches; a Counter of the named queries really run (each a little slow)
    and, under "computed:<function>:<key>", of every value a cached function really computed."""
    monkeypatch.setenv("PULSE_DB", str(demo_db))
    st.cache_data.clear()
    st.cache_resource.clear()
    runs: Counter = Counter()
    lock = threading.Lock()
    real_run, real_store = db.run, cache_utils.CachedFunc._store_computed_value

    def slow_run(name, params=None, path=None):
        with lock:
            runs[name] += 1
        time.sleep(0.05)  # long enough for every reader to arrive while the first one computes
        return real_run(name, params, path)

    def store(self, cache, value_key, value):
        with lock:
            runs[f"computed:{self._info.func.__module__}.{self._info.func.__qualname__}:{value_key[:8]}"] += 1
        return real_store(self, cache, value_key, value)

    monkeypatch.setattr(db, "run", slow_run)
    monkeypatch.setattr(cache_utils.CachedFunc, "_store_computed_value", store)
    yield runs
    st.cache_data.clear()
    st.cache_resource.clear()


def all_at_once(work, readers: int = READERS) -> list:
    """Call work() from `readers` threads released at the same moment; their results in order."""
    gate = threading.Barrier(readers)
    results: list = [None] * readers
    failures: list = []

    def reader(i: int) -> None:
        gate.wait()
        try:
            results[i] = work()
        except Exception as exc:  # reported below, with the others' results
            failures.append(exc)

    threads = [threading.Thread(target=reader, args=(i,)) for i in range(readers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures, failures
    return results


def queries(runs: Counter) -> Counter:
    return Counter({k: v for k, v in runs.items() if not k.startswith("computed:")})


def test_twenty_simultaneous_identical_queries_run_once(counted):
    # st.cache_data holds a lock per key while it computes: the other nineteen wait for that value.
    results = all_at_once(lambda: db.query("requests_by_month_channel", **default_view(
        load_options(db.database_stamp(db.db_path()))[0]).params()))
    assert counted["requests_by_month_channel"] == 1
    assert all(r.equals(results[0]) for r in results)


def test_twenty_readers_opening_the_overview_at_once_compute_it_once(counted, demo_db):
    options, _ = load_options(db.database_stamp(demo_db))
    view = default_view(options)
    counted.clear()
    pages = all_at_once(lambda: overview.build(view, options.start, options.end))
    assert queries(counted), "the overview ran its queries"
    assert max(counted.values()) == 1, counted
    assert len({tuple(str(t.value) for t in page.tiles) for page in pages}) == 1


@pytest.mark.parametrize("page", list(warmup.PAGES))
def test_the_warm_up_leaves_nothing_for_the_first_reader_of_a_page(counted, demo_db, page):
    assert warmup.warm(db.database_stamp(demo_db)) == []
    assert queries(counted), "the warm-up ran the default view's queries"
    before = Counter(counted)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    if page != "views/overview.py":
        at.switch_page(page)
        at.run()
    assert not at.exception, at.exception
    new = {k: v - before[k] for k, v in counted.items() if v != before[k]}
    assert not new, f"the first reader of {page} computed these itself: {new}"


def test_the_default_view_is_the_frames(demo_db, monkeypatch):
    monkeypatch.setenv("PULSE_DB", str(demo_db))
    options, _ = load_options(db.database_stamp(demo_db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    assert at.session_state[ui.FILTERS_KEY] == default_view(options)


def test_a_new_database_is_warmed_once(counted, demo_db, monkeypatch):
    monkeypatch.setitem(warmup.status, "warmed_stamp", None)
    assert warmup.warm_if_new()
    assert warmup.status["warmed_stamp"] == db.database_stamp(demo_db)
    assert not warmup.warm_if_new(), "the same database is not warmed twice"


def test_every_page_of_the_navigation_has_a_warmer():
    from benchmarks.pages import pages

    assert set(pages()) == set(warmup.PAGES)


def test_the_heavy_imports_come_from_the_frame_and_the_pages():
    names = warmup.imported_modules()
    assert {"pulse.pages.overview", "pulse.charts.maps", "pulse.frame", "pulse.pages.wards"} <= set(names)


def test_no_warm_up_thread_under_apptest_or_when_switched_off(monkeypatch):
    monkeypatch.setattr(warmup, "_thread", None)
    assert not warmup.start(), "outside a server (AppTest, pytest) the caches belong to the tests"
    monkeypatch.setenv("PULSE_WARMUP", "0")
    assert not warmup.start(before_server=True)
    assert warmup._thread is None
