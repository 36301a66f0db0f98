"""A benchmark result as a markdown table, optionally beside an earlier one (before → after).

    python -m benchmarks.report benchmarks/results/AFTER.json [BEFORE.json]

benchmarks/run.py writes one beside each JSON result. Goals are the issue's (issue 12).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

COLD_GOAL = {1_000_000: 1.5, 10_000_000: 3.0}
WARM_GOAL = 0.3


def _s(value: object, digits: int = 2) -> str:
    return "–" if value is None else f"{value:.{digits}f}"


def _pair(after: object, before: object, digits: int = 2) -> str:
    return _s(after, digits) if before is None else f"{_s(before, digits)} → {_s(after, digits)}"


def markdown(result: dict, before: dict | None = None) -> str:
    """The headline figures of one run (and an earlier one, shown as before → after)."""
    n = result["requests"]
    was = before or {}
    lines = [f"## make bench, {n:,} requests, {result['when'][:16].replace('T', ' ')} UTC"
             + (f" (before: {was['when'][:16].replace('T', ' ')})" if before else ""), "",
             f"Load average {result['load_average']['start']} at the start, {result['load_average']['end']} at the end "
             "(2 cores; above 2, other work shared the machine and wall times stretch).", "",
             "| Measure | Figure | Goal |", "|---|---|---|",
             f"| Ingest | {_pair(result['ingest_s'], was.get('ingest_s'), 1)} s "
             f"({_s(result.get('ingest_cpu_s'), 1)} CPU-s) | ≤ {20 if n <= 1_000_000 else 120} s |",
             f"| Ingest peak memory | {_pair(result['ingest_peak_mb'], was.get('ingest_peak_mb'), 0)} MB | ≤ 2,048 MB |",
             f"| Database | {result['db_mb']:,} MB | |",
             f"| App process peak memory | {_pair(result['app_peak_mb'], was.get('app_peak_mb'), 0)} MB | |", "",
             "Pages in AppTest (every cache cleared; the page's imports done once before, as a server does at "
             "start): seconds, wall (CPU).", "",
             "| Page | Cold s | Warm s | Goal |", "|---|---|---|---|"]
    cold_goal = COLD_GOAL.get(n, 3.0)
    for page, t in result["pages"].items():
        old = was.get("pages", {}).get(page, {})
        if "error" in t:
            lines.append(f"| {page} | failed: {t['error'][:80]} | | |")
            continue
        lines.append(f"| {page} | {_pair(t['cold_s'], old.get('cold_s'))} ({_pair(t.get('cold_cpu_s'), old.get('cold_cpu_s'))}) | "
                     f"{_pair(t['warm_s'], old.get('warm_s'))} ({_pair(t.get('warm_cpu_s'), old.get('warm_cpu_s'))}) | "
                     f"≤ {cold_goal} cold, ≤ {WARM_GOAL} warm |")
        if "settled_s" in t:
            lines.append(f"| {page}, every slide built (in the background, after the first is drawn) | "
                         f"{_pair(t['settled_s'], old.get('settled_s'))} | | |")
    extra = result.get("extra", {})
    matrix, old_matrix = extra.get("kpi_matrix", {}), was.get("extra", {}).get("kpi_matrix", {})
    if "cold_s" in matrix:
        lines += ["", "| 50-KPI matrix | Cold s | Warm s | Matrix alone, warm s |", "|---|---|---|---|",
                  f"| KPI trends, 50 KPIs | {_pair(matrix['cold_s'], old_matrix.get('cold_s'))} | "
                  f"{_pair(matrix['warm_s'], old_matrix.get('warm_s'), 3)} | "
                  f"{_pair(matrix['matrix_warm_s'], old_matrix.get('matrix_warm_s'), 3)} |"]
    compare = extra.get("pandas_compare", {})
    if "borough_duckdb_s" in compare:
        lines += ["", f"The Overview's chart aggregate (requests by month and channel) over {compare['rows']:,.0f} "
                  f"requests: pandas with the data in memory ({compare['pandas_frame_mb']:,.0f} MB, loaded in "
                  f"{compare['pandas_load_s']} s first) against DuckDB from the file.", "",
                  "| Aggregate | pandas s | DuckDB s | pandas ÷ DuckDB |", "|---|---|---|---|"]
        for label, words in (("borough", "Whole borough"), ("one_ward", "One ward")):
            lines.append(f"| {words} | {compare[f'{label}_pandas_s']} | {compare[f'{label}_duckdb_s']} | "
                         f"{compare[f'{label}_pandas_over_duckdb']} × |")
    lines += _readers(result.get("readers"), was.get("readers"))
    lines += _browser(result.get("browser"), was.get("browser"))
    return "\n".join(lines) + "\n"


def _readers(now: dict | None, was: dict | None) -> list[str]:
    if not now:
        return []
    if "error" in now:
        return ["", f"Readers at once: failed ({now['error'][:200]})."]
    was = was if was and "error" not in was else {}
    return ["", f"{now['readers']} readers opening {now['path']} at the same moment, as the server sees them "
            f"(benchmarks.readers): each fetches the {now['files_per_reader']} files a browser fetches "
            f"({now['bytes_per_reader'] / 1e6:.1f} MB), opens its session and waits for its script run; one "
            "Chromium (the presenter) opened the link first.", "",
            "| Readers at once | Start → last reader's script finished, s | Median reader, s | Server CPU-s per reader "
            "| Exceptions | Goal |", "|---|---|---|---|---|---|",
            f"| {now['readers']}, {now['path']} | {_pair(now['all_served_s'], was.get('all_served_s'))} | "
            f"{_pair(now['reader_served_s_median'], was.get('reader_served_s_median'))} | "
            f"{_pair(now['server_cpu_per_reader_s'], was.get('server_cpu_per_reader_s'), 3)} | "
            f"{_pair(now['exceptions'], was.get('exceptions'), 0)} | 20 within 3 s |"]


def _browser(now: dict | None, was: dict | None) -> list[str]:
    if not now:
        return []
    if "error" in now:
        return ["", f"Headless Chromium: failed ({now['error'][:200]})."]
    was = was if was and "error" not in was else {}
    lines = ["", "Headless Chromium against one server"
             + (" (before: the same server without the warm-up)" if was else "")
             + f"; warm-up {'on' if now.get('warmup') else 'off'}, "
             f"{_s(now['readers'].get('warmup_s'))} s after the server answered "
             f"({_s(now['readers'].get('warmup_cpu_s'))} CPU-s).", "",
             "| Readers at once | Server: first start → last script finished, s | Server CPU-s per view | "
             "Browser: slowest complete render, s | Exceptions; readers whose page was not drawn in time |", "|---|---|---|---|---|"]
    for key, words in (("shared_link", "one shared link (/)"), ("mixed_pages", "spread over the pages")):
        r, o = now["readers"].get(key, {}), was.get("readers", {}).get(key, {})
        lines.append(f"| {r.get('readers')}, {words} | {_pair(r.get('server_all_served_s'), o.get('server_all_served_s'))}"
                     f" | {_pair(r.get('server_cpu_per_view_s'), o.get('server_cpu_per_view_s'), 3)} | "
                     f"{_pair(r.get('browser_rendered_s_max'), o.get('browser_rendered_s_max'))} | "
                     f"{_pair(r.get('exceptions'), o.get('exceptions'), 0)} shown; "
                     f"{_pair(r.get('browser_not_rendered'), o.get('browser_not_rendered'), 0)} of {r.get('readers')} "
                     "not drawn in time |")
    lines += ["", "| Page | First complete render in Chromium, s | Server CPU-s |", "|---|---|---|"]
    old_pages = was.get("first_render", {}).get("pages", {})
    for page, t in now["first_render"]["pages"].items():
        o = old_pages.get(page, {})
        lines.append(f"| {page} | {_pair(t['rendered_s'], o.get('rendered_s'))}"
                     f"{' (exception shown)' if t.get('exception') else ''} | "
                     f"{_pair(t['server_cpu_s'], o.get('server_cpu_s'))} |")
    return lines


if __name__ == "__main__":
    after = json.loads(Path(sys.argv[1]).read_text())
    earlier = json.loads(Path(sys.argv[2]).read_text()) if len(sys.argv) > 2 else None
    print(markdown(after, earlier))
