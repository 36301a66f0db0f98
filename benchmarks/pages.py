"""Time every page's full AppTest run, cold (caches cleared) and warm, in this process; print JSON.

Run by benchmarks/run.py in a child process so that its peak memory is that of one app server.
"""

from __future__ import annotations

import json
import os
import re
import resource
import statistics
import sys
import time
from pathlib import Path

import streamlit as st
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
WARM_RUNS = 5


def pages() -> list[str]:
    """The page files registered in app.py's navigation, in order."""
    return re.findall(r'st\.Page\("(views/[a-z_]+\.py)"', (ROOT / "app.py").read_text())


def run_page(page: str) -> float:
    """Seconds for one full run of the app on a page."""
    started = time.perf_counter()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.run()
    if page != "views/overview.py":
        at.switch_page(page)
        at.run()
    if at.exception:
        raise RuntimeError(f"{page}: {at.exception[0].message}")
    return time.perf_counter() - started


def main(db: str) -> dict:
    """Cold and warm seconds per page, and this process's peak memory."""
    os.environ["PULSE_DB"] = db
    run_page("views/overview.py")  # imports and Streamlit start-up, not counted
    results = {}
    for page in pages():
        st.cache_data.clear()
        st.cache_resource.clear()
        cold = run_page(page)
        warm = statistics.median(run_page(page) for _ in range(WARM_RUNS))
        results[page] = {"cold_s": round(cold, 3), "warm_s": round(warm, 3)}
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"pages": results, "peak_memory_mb": round(peak_mb)}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
