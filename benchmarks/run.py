"""make bench: generate a demo of N requests, time ingest and every page cold and warm, record peak memory.

Prints a table and writes benchmarks/results/<date>-<N>.json. Goals (issue 2): at 1M requests ingest ≤ 20 s,
each page ≤ 1.5 s cold and ≤ 0.3 s warm; at 10M ingest ≤ 120 s, pages ≤ 3 s cold, ≤ 0.3 s warm, ≤ 2 GB.
"""

from __future__ import annotations

import argparse
import importlib
import json
import resource
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / "work"
RESULTS = ROOT / "benchmarks" / "results"
# Page-specific harnesses written alongside each page: module name → what it measures.
EXTRA = ("benchmarks.kpi_matrix", "benchmarks.ward_map", "benchmarks.leadership", "benchmarks.voice_page",
         "benchmarks.pack")


def timed_child(args: list[str]) -> tuple[float, str]:
    """Run a Python child process; seconds taken and its standard output."""
    started = time.perf_counter()
    done = subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed:\n{done.stderr}")
    return time.perf_counter() - started, done.stdout


def peak_child_mb() -> int:
    """Peak resident memory of the largest child so far, in MB."""
    return round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)


def main() -> None:
    """Generate, ingest, time pages, print and save the results."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    source, db = WORK / f"demo-{args.requests}", WORK / f"pulse-{args.requests}.duckdb"
    generate_s, _ = timed_child(["-m", "pulse", "demo", "--requests", str(args.requests), "--seed", str(args.seed),
                                 "--out", str(source)])
    generate_mb = peak_child_mb()
    ingest_s, _ = timed_child(["-m", "pulse", "ingest", str(source), "--db", str(db)])
    ingest_mb = peak_child_mb()
    _, out = timed_child(["-m", "benchmarks.pages", str(db)])
    pages = json.loads(out)
    extra = {}
    for name in EXTRA:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        extra[name.split(".")[-1]] = module.bench(db)
    result = {
        "requests": args.requests,
        "when": datetime.now().isoformat(timespec="seconds"),
        "generate_s": round(generate_s, 1),
        "ingest_s": round(ingest_s, 1),
        "ingest_peak_mb": ingest_mb,
        "db_mb": round(db.stat().st_size / 1e6),
        "app_peak_mb": pages["peak_memory_mb"],
        "pages": pages["pages"],
        "extra": extra,
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{datetime.now():%Y%m%d-%H%M%S}-{args.requests}.json"
    path.write_text(json.dumps(result, indent=2))
    print(f"Council Pulse benchmark: {args.requests:,} requests")
    print(f"  generate demo     {generate_s:7.1f} s   (peak {generate_mb:,} MB)")
    print(f"  ingest            {ingest_s:7.1f} s   (peak {ingest_mb:,} MB, database {result['db_mb']:,} MB)")
    print(f"  {'page':28} {'cold s':>7} {'warm s':>7}")
    for page, t in pages["pages"].items():
        print(f"  {page:28} {t['cold_s']:7.3f} {t['warm_s']:7.3f}")
    print(f"  app process peak memory {pages['peak_memory_mb']:,} MB")
    for name, figures in extra.items():
        print(f"  {name}: " + ", ".join(f"{k} {v}" for k, v in figures.items()))
    print(f"written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
