"""The Ward maps page: rerun time cold and warm, with a ward's profile open, and the deck JSON's size.

bench(db_path) is called by benchmarks/run.py; `python -m benchmarks.ward_map DB` prints the same JSON.
Goal (issue 4): with 10M requests a warm rerun takes ≤ 0.5 s, and the deck JSON for a 60-ward
borough stays under 1 MB.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGE = "views/wards.py"
WARM_RUNS = 5


def _open(at_class: type) -> tuple[object, float]:
    """The app opened on the ward page; seconds for the page run alone."""
    at = at_class.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.run()
    at.switch_page(PAGE)
    started = time.perf_counter()
    at.run()
    took = time.perf_counter() - started
    if at.exception:
        raise RuntimeError(f"{PAGE}: {at.exception[0].message}")
    return at, took


def bench(db_path: str | os.PathLike) -> dict[str, float]:
    """Cold and warm seconds of the ward page (map only, and with a profile open); deck JSON bytes."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    before = os.environ.get("PULSE_DB")
    os.environ["PULSE_DB"] = str(db_path)
    try:
        _open(AppTest)  # imports (geopandas, pydeck, mapclassify) and Streamlit start-up, not counted
        st.cache_data.clear()
        st.cache_resource.clear()
        at, cold = _open(AppTest)
        warm = statistics.median(_timed_rerun(at) for _ in range(WARM_RUNS))
        deck_bytes = len(at.get("deck_gl_json_chart")[0].proto.json.encode())
        code = _first_ward(at)
        started = time.perf_counter()
        at.selectbox(key="ward_profile").select(code).run()
        profile_cold = time.perf_counter() - started
        profile_warm = statistics.median(_timed_rerun(at) for _ in range(WARM_RUNS))
        at.button_group(key="ward_extras").set_value(["density"]).run()
        density_bytes = len(at.get("deck_gl_json_chart")[0].proto.json.encode())
    finally:
        if before is None:
            os.environ.pop("PULSE_DB", None)
        else:
            os.environ["PULSE_DB"] = before
    return {
        "map_cold_s": round(cold, 3),
        "map_warm_s": round(warm, 3),
        "profile_cold_s": round(profile_cold, 3),
        "profile_warm_s": round(profile_warm, 3),
        "deck_json_bytes": float(deck_bytes),
        "deck_json_with_hexagons_bytes": float(density_bytes),
    }


def _timed_rerun(at) -> float:
    started = time.perf_counter()
    at.run()
    return time.perf_counter() - started


def _first_ward(at) -> str:
    """A ward code from the map, as the profile list takes codes."""
    spec = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    layer = next(item for item in spec["layers"] if item["id"] == "wards")
    return layer["data"]["features"][0]["properties"]["ward_code"]


if __name__ == "__main__":
    print(json.dumps(bench(sys.argv[1])))
