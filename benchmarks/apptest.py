"""What every page benchmark shares: the app run in AppTest on one page against a given database."""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PAGE = "views/overview.py"
WARM_RUNS = 5


@contextmanager
def using_db(path: str | os.PathLike) -> Iterator[None]:
    """Point the app at a database for the duration, then forget its caches and put PULSE_DB back."""
    before = os.environ.get("PULSE_DB")
    os.environ["PULSE_DB"] = str(path)
    try:
        yield
    finally:
        # Cached queries and open connections belong to that database (often a temporary copy).
        st.cache_data.clear()
        st.cache_resource.clear()
        if before is None:
            os.environ.pop("PULSE_DB", None)
        else:
            os.environ["PULSE_DB"] = before


def open_cold(page: str) -> tuple[AppTest, float]:
    """The app opened on a page with every cache cleared; seconds for that page's run."""
    at, seconds, _ = open_cold_measured(page)
    return at, seconds


def open_cold_measured(page: str) -> tuple[AppTest, float, float]:
    """The app opened on a page with every cache cleared; wall seconds and CPU-seconds of that page's run.

    The page runs once first, uncounted: a server imports a page's libraries (geopandas, SciPy via
    mapclassify…) once in its life, while "cold" here means every cached query and figure gone.
    """
    at, took, cpu, _ = open_cold_settled(page)
    return at, took, cpu


def open_cold_settled(page: str) -> tuple[AppTest, float, float, float]:
    """open_cold_measured(), and the seconds from the start of that run until the work it left going on in
    the background is done too (presentation mode's later slides, pulse.present.registry); it is waited
    for before returning, so that it never runs into the next measurement."""
    from pulse.present import registry

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.run()
    if page != DEFAULT_PAGE:
        at.switch_page(page)
        at.run()
    registry.wait_for_all()
    st.cache_data.clear()
    st.cache_resource.clear()
    started, cpu = time.perf_counter(), time.process_time()
    at.run()
    took, cpu = time.perf_counter() - started, time.process_time() - cpu
    registry.wait_for_all()
    settled = time.perf_counter() - started
    if at.exception:
        raise RuntimeError(f"{page}: {at.exception[0].message}")
    if at.title and at.title[0].value == "Council Pulse":  # the frame stopped before any page ran
        raise RuntimeError(f"{page}: {at.error[0].value if at.error else 'the app did not open the page'}")
    return at, took, cpu, settled


def warm(at: AppTest, runs: int = WARM_RUNS) -> float:
    """Median seconds of a rerun with the caches filled."""
    return warm_measured(at, runs)[0]


def warm_measured(at: AppTest, runs: int = WARM_RUNS) -> tuple[float, float]:
    """Median wall seconds and median CPU-seconds (every thread of this process) of a rerun with the caches filled."""
    times, cpus = [], []
    for _ in range(runs):
        started, cpu = time.perf_counter(), time.process_time()
        at.run()
        times.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
    return statistics.median(times), statistics.median(cpus)
