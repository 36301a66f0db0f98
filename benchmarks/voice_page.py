"""The Resident voice page: rerun time cold and warm, for the whole borough, one ward and public-safe figures,
and a new choice of themes to follow over time.

bench(db_path) is called by benchmarks/run.py; `python -m benchmarks.voice_page DB` prints the same JSON.
Goal (issue 10): on the 1M-request demo a warm rerun takes ≤ 0.5 s. Theme building at ingest has its own
harness, benchmarks/resident_voice.py.
"""

from __future__ import annotations

import json
import os
import sys
import time

import duckdb
import streamlit as st
from streamlit.testing.v1 import AppTest

from benchmarks.apptest import ROOT, open_cold, using_db, warm

PAGE = "views/voice.py"


def _open(query: dict[str, str]) -> tuple[AppTest, float]:
    """The page opened with URL parameters and every cache cleared; seconds for its run."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(PAGE)
    at.run()
    st.cache_data.clear()
    st.cache_resource.clear()
    started = time.perf_counter()
    at.run()
    took = time.perf_counter() - started
    if at.exception:
        raise RuntimeError(f"{PAGE}: {at.exception[0].message}")
    return at, took


def bench(db_path: str | os.PathLike) -> dict[str, float]:
    """Cold and warm seconds of the page: whole borough, one ward, public-safe, and a new trend choice."""
    ward = duckdb.connect(str(db_path), read_only=True).execute(
        "select ward_code from wards order by ward_code limit 1").fetchone()
    out: dict[str, float] = {}
    with using_db(db_path):
        at, cold = open_cold(PAGE)
        out |= {"page_cold_s": round(cold, 3), "page_warm_s": round(warm(at), 3)}
        trend = at.multiselect(key="voice_trend")
        chosen = [t for t in trend.options if t not in trend.value][:2] or trend.value[:1]
        started = time.perf_counter()
        trend.set_value(chosen).run()
        out |= {"new_trend_s": round(time.perf_counter() - started, 3), "new_trend_warm_s": round(warm(at), 3)}
        for name, query in (("ward", {"ward": ward[0]} if ward else {}), ("public", {"public": "1"})):
            at, cold = _open(query)
            out |= {f"{name}_cold_s": round(cold, 3), f"{name}_warm_s": round(warm(at), 3)}
    return out


if __name__ == "__main__":
    print(json.dumps(bench(sys.argv[1])))
