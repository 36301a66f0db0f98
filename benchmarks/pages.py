"""Time every page's full run, cold (caches cleared) and warm, in this process; print JSON.

Run by benchmarks/run.py in a child process so that its peak memory is that of one app server.
"""

from __future__ import annotations

import json
import re
import resource
import sys

from benchmarks.apptest import ROOT, open_cold_settled, using_db, warm_measured


def pages() -> list[str]:
    """The page files registered in app.py's navigation, in order."""
    return re.findall(r'st\.Page\("(views/[a-z_]+\.py)"', (ROOT / "app.py").read_text())


def main(db: str) -> dict:
    """Cold and warm seconds and CPU-seconds per page (and, for a page that goes on building after its run,
    the seconds until that is done too), and this process's peak memory."""
    results = {}
    with using_db(db):
        for page in pages():
            try:
                at, cold, cold_cpu, settled = open_cold_settled(page)
                warm_s, warm_cpu = warm_measured(at)
            except Exception as exc:  # a page being rebuilt by someone else must not stop the others' figures
                results[page] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
                continue
            results[page] = {"cold_s": round(cold, 3), "warm_s": round(warm_s, 3), "cold_cpu_s": round(cold_cpu, 3),
                             "warm_cpu_s": round(warm_cpu, 3)}
            if settled - cold > 0.05:  # the page left work going on after its run: presentation mode's later slides
                results[page]["settled_s"] = round(settled, 3)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"pages": results, "peak_memory_mb": round(peak_mb)}


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1])))
