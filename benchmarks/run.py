"""make bench: generate a demo of N requests, time ingest and every page cold and warm, record peak memory;
the 50-KPI matrix and the other pages' own harnesses; the Overview's aggregate in pandas against DuckDB;
N readers opening one link at once as the server sees them (benchmarks.readers: each reader fetches what a
browser fetches and runs its session, without N browsers on the server's cores); and, in headless Chromium
against a real server, each page's first complete render and N real browsers at once (benchmarks.browser).

Writes benchmarks/results/<date>-<N>.json and a markdown table beside it (benchmarks.report), and prints
both. Goals (issue 12): every page's cold view ≤ 1.5 s at 1M and ≤ 3 s at 10M, every warm rerun ≤ 0.3 s,
the 10M ingest ≤ 120 s with peak memory ≤ 2 GB, twenty readers of one link served within 3 s.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from benchmarks import report

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "benchmarks" / "work"
RESULTS = ROOT / "benchmarks" / "results"
# Page-specific harnesses written alongside each page: module name → what it measures.
EXTRA = ("benchmarks.kpi_matrix", "benchmarks.ward_map", "benchmarks.leadership", "benchmarks.voice_page",
         "benchmarks.pack", "benchmarks.pandas_compare")


@dataclass
class Child:
    """What one child process took: wall seconds, CPU-seconds, peak resident memory, and its output."""

    seconds: float
    cpu_s: float
    peak_mb: int
    stdout: str


def timed_child(args: list[str]) -> Child:
    """Run a Python child process and measure it alone (os.wait4 gives that child's own resource usage).

    The machine is often shared, so wall time measures the neighbours too; CPU-seconds do not.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen([sys.executable, *args], cwd=ROOT, stdout=out, stderr=err)
        _, status, used = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode != 0:
            raise SystemExit(f"{' '.join(args)} failed:\n{err.read().decode(errors='replace')}")
        return Child(seconds, used.ru_utime + used.ru_stime, round(used.ru_maxrss / 1024),
                     out.read().decode(errors="replace"))


def load_average() -> float:
    """The one-minute load average: how many processes wanted the machine's cores."""
    return round(os.getloadavg()[0], 2)


def main() -> None:
    """Generate, ingest, time pages, print and save the results."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--reuse", action="store_true", help="reuse the demo already generated for this size")
    parser.add_argument("--readers", type=int, default=20, help="concurrent Chromium sessions against one server")
    parser.add_argument("--no-browser", action="store_true", help="skip the headless-Chromium measurements")
    parser.add_argument("--no-warmup", action="store_true",
                        help="serve the browser sessions without the warm-up (PULSE_WARMUP=0), for a before figure")
    args = parser.parse_args()
    load_before = load_average()
    source, db = WORK / f"demo-{args.requests}", WORK / f"pulse-{args.requests}.duckdb"
    generate = Child(0.0, 0.0, 0, "")
    if not (args.reuse and (source / "README.txt").exists()):
        generate = timed_child(["-m", "pulse", "demo", "--requests", str(args.requests), "--seed",
                                str(args.seed), "--out", str(source)])
    ingest = timed_child(["-m", "pulse", "ingest", str(source), "--db", str(db)])
    pages = json.loads(timed_child(["-m", "benchmarks.pages", str(db)]).stdout)
    extra = {}
    for name in EXTRA:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError:
            continue
        try:
            extra[name.split(".")[-1]] = module.bench(db)
        except Exception as exc:  # a page being rebuilt must not cost the rest of the run its figures
            extra[name.split(".")[-1]] = {"error": f"{type(exc).__name__}: {exc}"[:300]}
    readers = None
    if not args.no_browser:  # its presenter opens the link in Chromium first
        try:
            readers = json.loads(timed_child(["-m", "benchmarks.readers", str(db), "--readers", str(args.readers)]).stdout)
        except SystemExit as exc:
            readers = {"error": str(exc)[-300:]}
    browser = None
    if not args.no_browser:
        try:
            browser = json.loads(timed_child(["-m", "benchmarks.browser", str(db), "--readers", str(args.readers)]
                                             + (["--no-warmup"] if args.no_warmup else [])).stdout)
        except SystemExit as exc:  # no Chromium here, or the server failed: recorded, the rest still reported
            browser = {"error": str(exc)[-300:]}
    result = {
        "requests": args.requests,
        "when": datetime.now().isoformat(timespec="seconds"),
        "generate_s": round(generate.seconds, 1),
        "ingest_s": round(ingest.seconds, 1),
        "ingest_cpu_s": round(ingest.cpu_s, 1),
        "ingest_peak_mb": ingest.peak_mb,
        "db_mb": round(db.stat().st_size / 1e6),
        "app_peak_mb": pages["peak_memory_mb"],
        "pages": pages["pages"],
        "extra": extra,
        "readers": readers,
        "browser": browser,
        "load_average": {"start": load_before, "end": load_average()},
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{datetime.now():%Y%m%d-%H%M%S}-{args.requests}.json"
    path.write_text(json.dumps(result, indent=2))
    path.with_suffix(".md").write_text(report.markdown(result))
    print(f"Council Pulse benchmark: {args.requests:,} requests")
    print(f"  generate demo     {generate.seconds:7.1f} s   (peak {generate.peak_mb:,} MB)")
    print(f"  ingest            {ingest.seconds:7.1f} s   ({ingest.cpu_s:.1f} CPU-s, peak {ingest.peak_mb:,} MB, "
          f"database {result['db_mb']:,} MB)")
    print(f"  {'page':28} {'cold s':>7} {'warm s':>7} {'cold CPU-s':>10} {'warm CPU-s':>10}")
    for page, t in pages["pages"].items():
        if "error" in t:
            print(f"  {page:28} failed: {t['error']}")
        else:
            print(f"  {page:28} {t['cold_s']:7.3f} {t['warm_s']:7.3f} {t['cold_cpu_s']:10.3f} {t['warm_cpu_s']:10.3f}"
                  + (f"   every slide built {t['settled_s']:.3f} s" if "settled_s" in t else ""))
    print(f"  app process peak memory {pages['peak_memory_mb']:,} MB")
    for name, figures in extra.items():
        print(f"  {name}: " + ", ".join(f"{k} {v}" for k, v in figures.items()))
    if readers:
        print("  readers: " + json.dumps(readers))
    if browser:
        print("  browser: " + json.dumps(browser))
    print(f"  load average {result['load_average']['start']} at the start, {result['load_average']['end']} at the end"
          " (2 cores: above 2, others were using the machine and wall times stretch)")
    print(f"written to {path.relative_to(ROOT)} and {path.with_suffix('.md').relative_to(ROOT)}")


if __name__ == "__main__":
    main()
