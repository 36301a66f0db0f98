"""The Ward maps page: rerun time cold and warm, with a ward's profile open, and the deck JSON's size.

bench(db_path) is called by benchmarks/run.py; `python -m benchmarks.ward_map DB` prints the same JSON.
Goal (issue 4): with 10M requests a warm rerun takes ≤ 0.5 s, and the deck JSON for a 60-ward
borough stays under 1 MB.
"""

from __future__ import annotations

import json
import os
import sys
import time

from benchmarks.apptest import open_cold, using_db, warm

PAGE = "views/wards.py"


def bench(db_path: str | os.PathLike) -> dict[str, float]:
    """Cold and warm seconds of the ward page (map only, and with a profile open); deck JSON bytes."""
    with using_db(db_path):
        at, cold = open_cold(PAGE)
        warm_s = warm(at)
        deck_bytes = len(at.get("deck_gl_json_chart")[0].proto.json.encode())
        started = time.perf_counter()
        at.selectbox(key="ward_profile").select(_first_ward(at)).run()
        profile_cold = time.perf_counter() - started
        profile_warm = warm(at)
        at.button_group(key="ward_extras").set_value(["density"]).run()
        density_bytes = len(at.get("deck_gl_json_chart")[0].proto.json.encode())
    return {
        "map_cold_s": round(cold, 3),
        "map_warm_s": round(warm_s, 3),
        "profile_cold_s": round(profile_cold, 3),
        "profile_warm_s": round(profile_warm, 3),
        "deck_json_bytes": float(deck_bytes),
        "deck_json_with_hexagons_bytes": float(density_bytes),
    }


def _first_ward(at) -> str:
    """A ward code from the map, as the profile list takes codes."""
    spec = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    layer = next(item for item in spec["layers"] if item["id"] == "wards")
    return layer["data"]["features"][0]["properties"]["ward_code"]


if __name__ == "__main__":
    print(json.dumps(bench(sys.argv[1])))
