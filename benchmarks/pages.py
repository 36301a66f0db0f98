"""Time every page's full run, cold (caches cleared) and warm, in this process; print JSON.

Run by benchmarks/run.py in a child process so that its peak memory is that of one app server.
"""

from __future__ import annotations

import json
import re
import resource
import sys

from benchmarks.apptest import ROOT, open_cold, using_db, warm


def pages() -> list[str]:
    """The page files registered in app.py's navigation, in order."""
    return re.findall(r'st\.Page\("(views/[a-z_]+\.py)"', (ROOT / "app.py").read_text())


def main(db: str) -> dict:
    """Cold and warm seconds per page, and this process's peak memory."""
    results = {}
    with using_db(db):
        for page in pages():
            at, cold = open_cold(page)
            results[page] = {"cold_s": round(cold, 3), "warm_s": round(warm(at), 3)}
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"pages": results, "peak_memory_mb": round(peak_mb)}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
