"""Many readers at once, and each page's first render, in real headless Chromium against `streamlit run`.

    python -m benchmarks.browser path/to/pulse.duckdb [--readers 20] [--no-warmup]

Starts a server (benchmarks.serve: `python -m pulse.serve run server.py` plus a log of every script run), waits until
it is idle (its warm-up done), and measures:

- **pages** (its own server): each page once, in a fresh browser context: seconds from the request
  to the first complete render (script finished, nothing loading, every visible chart and map drawn),
  and the server's CPU-seconds for it.
- **shared link** (a second, fresh server): N browser sessions open the same link (/) at the same
  moment. Server side: when each session's script run started and finished (the server's own clock),
  the span from the first start to the last finish, and the server's CPU-seconds per view
  (/proc/PID/stat, the whole process, every thread). Browser side, separately: seconds from the
  request to a complete render.
- **mixed pages** (the same server, next): N sessions at once spread over the navigation's pages.

--no-warmup serves with PULSE_WARMUP=0: the server as it was before the warm-up, for a before figure.

The browsers share the machine's two cores with the server (at a real roundtable they run on the
readers' own machines): twenty Chromiums loading and drawing take most of the CPU, so they connect to
the server over tens of seconds rather than at once, and may not finish drawing within the 120 s
allowed (counted). The server's CPU-seconds per view are the figure to compare between runs; wall
times stretch with whatever else is running. (Pinning the browsers to one core was tried: on this
machine twenty of them then did not reach the server within a minute.)
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
READERS = 20
IDLE_CPU_S = 0.05  # a server using less than this per half second is idle
TICKS = os.sysconf("SC_CLK_TCK")


def _screenshot_helpers():
    """scripts/screenshot.py: the server and browser helpers the browser tests use."""
    spec = importlib.util.spec_from_file_location("pulse_screenshot_script", ROOT / "scripts" / "screenshot.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)
    spec.loader.exec_module(module)
    return module


def page_urls(app: Path = ROOT / "app.py") -> dict[str, str]:
    """Page file → URL path, from app.py's st.Page declarations (the default page is /)."""
    urls = {}
    for call in re.findall(r"st\.Page\(([^)]*)\)", app.read_text()):
        source = re.match(r'\s*"([^"]+)"', call).group(1)
        path = re.search(r'url_path="([^"]+)"', call)
        urls[source] = "/" if "default=True" in call else "/" + (path.group(1) if path else Path(source).stem)
    return urls


def process_cpu(pid: int) -> float:
    """CPU-seconds (user + system, every thread) a process has used, from /proc/PID/stat."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def process_rss_mb(pid: int) -> int:
    """Resident memory of a process now, and its peak, in MB (from /proc/PID/status)."""
    status = Path(f"/proc/{pid}/status").read_text()
    return round(int(re.search(r"VmHWM:\s+(\d+)", status).group(1)) / 1024)


def wait_idle(pid: int, timeout: float = 300.0) -> tuple[float, float]:
    """Wait until a process stops using CPU (its warm-up done); seconds waited and CPU-seconds used."""
    started, first = time.monotonic(), process_cpu(pid)
    last, quiet = first, 0
    while time.monotonic() - started < timeout:
        time.sleep(0.5)
        now = process_cpu(pid)
        quiet = quiet + 1 if now - last < IDLE_CPU_S else 0
        last = now
        if quiet >= 3:
            break
    return time.monotonic() - started - 1.5, last - first


async def _until_rendered(page, timeout: float = 120.0) -> float:
    """Wait until the page has finished running and drawing; the monotonic time it first was, confirmed quiet."""
    helpers = sys.modules["pulse_screenshot_script"]
    deadline = time.monotonic() + timeout
    await page.wait_for_selector('[data-testid="stApp"]', timeout=timeout * 1000)
    since = None
    while True:
        state = await page.evaluate(helpers._APP_STATE)
        now = time.monotonic()
        idle = (state["script"] == "notRunning" and state["connection"] == "CONNECTED" and not state["running"]
                and not state["loading"] and not state["undrawn"])
        if idle:
            since = since or now
            if now - since >= 0.5:
                return since
        else:
            since = None
        if now > deadline:
            raise TimeoutError(f"{page.url} did not finish running and drawing within {timeout:.0f} s ({state})")
        await asyncio.sleep(0.05)


async def _open(browser, url: str, timeout: float = 120.0) -> tuple[float, float | None, bool]:
    """Open a URL in a fresh context; (epoch of the request, seconds to rendered or None if it did not finish
    drawing within `timeout`, whether an exception shows)."""
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        page = await context.new_page()
        asked, asked_at = time.time(), time.monotonic()
        try:
            await page.goto(url, wait_until="commit", timeout=timeout * 1000)
            done = await _until_rendered(page, timeout)
        except Exception:  # Playwright's or our timeout: counted as not rendered; the server's figures stand
            done = None
        failed = await page.locator('[data-testid="stException"]').count() > 0
        return asked, None if done is None else done - asked_at, failed
    finally:
        await context.close()


async def _browser(playwright, server):
    """Chromium, started and used once on the server's health check (its own first start is not the server's)."""
    helpers = sys.modules["pulse_screenshot_script"]
    browser = await playwright.chromium.launch(executable_path=str(helpers.CHROMIUM), args=helpers.CHROMIUM_ARGS,
                                               headless=True)
    context = await browser.new_context()
    await (await context.new_page()).goto(server.url + "/_stcore/health")
    await context.close()
    return browser


async def _readers(server, pid: int, paths: list[str], log: Path) -> dict:
    """len(paths) sessions opening their paths at the same moment: server-side and browser-side figures."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await _browser(playwright, server)
        try:
            wait_idle(pid)
            log.write_text("")
            cpu = process_cpu(pid)
            opened = await asyncio.gather(*(_open(browser, server.url + path, 120.0) for path in paths))
            cpu = process_cpu(pid) - cpu
            readers = len(paths)
            runs = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
            first_asked = min(asked for asked, _, _ in opened)
            served = [r["end"] - r["start"] for r in runs if r["start"] is not None]
            rendered = [s for _, s, _ in opened if s is not None]
            return {
                "readers": readers,
                "paths": sorted(set(paths)),
                "script_runs": len(runs),
                "server_cpu_s": round(cpu, 2),
                "server_cpu_per_view_s": round(cpu / readers, 3),
                "server_run_s_median": round(statistics.median(served), 3) if served else None,
                "server_run_s_max": round(max(served), 3) if served else None,
                # First script start to last script finish on the server's clock: all N served.
                "server_all_served_s": round(max(r["end"] for r in runs) - min(r["start"] for r in runs), 3)
                if runs else None,
                "request_to_last_finished_s": round(max(r["end"] for r in runs) - first_asked, 3) if runs else None,
                "browser_rendered_s_median": round(statistics.median(rendered), 3) if rendered else None,
                "browser_rendered_s_max": round(max(rendered), 3) if rendered else None,
                "browser_not_rendered": readers - len(rendered),
                "exceptions": sum(failed for _, _, failed in opened),
            }
        finally:
            await browser.close()


async def _pages(server, pid: int, urls: dict[str, str]) -> dict:
    """Each page once, in order, in a fresh context: seconds to its first complete render, server CPU-seconds."""
    from playwright.async_api import async_playwright

    pages = {}
    async with async_playwright() as playwright:
        browser = await _browser(playwright, server)
        try:
            for source, url in urls.items():
                wait_idle(pid)
                cpu = process_cpu(pid)
                _, seconds, failed = await _open(browser, server.url + url)
                pages[source] = {"rendered_s": None if seconds is None else round(seconds, 3), "server_cpu_s": round(process_cpu(pid) - cpu, 3),
                                 "exception": failed}
        finally:
            await browser.close()
    return pages


def _serving(db: str | os.PathLike, warmup: bool, measure) -> dict:
    """A fresh server for one measurement: its start, its warm-up (waited for) and what `measure` found."""
    helpers = _screenshot_helpers()
    folder = Path(tempfile.mkdtemp(prefix="pulse-browser-bench-"))
    log = folder / "runs.jsonl"
    started = time.monotonic()
    server = helpers.start_server(Path(db).resolve(), log_dir=folder, timeout=120, module="benchmarks.serve",
                                  env={"PULSE_RUN_LOG": str(log), "PULSE_WARMUP": "1" if warmup else "0"})
    try:
        pid = server.process.pid
        healthy = time.monotonic() - started
        warm_s, warm_cpu = wait_idle(pid)
        result = {"server_healthy_s": round(healthy, 2), "warmup_s": round(max(warm_s, 0.0), 2),
                  "warmup_cpu_s": round(warm_cpu, 2)}
        result.update(asyncio.run(measure(server, pid, log)))
        result["server_peak_mb"] = process_rss_mb(pid)
        return result
    finally:
        server.stop()


def bench(db: str | os.PathLike, readers: int = READERS, warmup: bool = True) -> dict:
    """Each page's first render on one server; N readers of one link, then of mixed pages, on another."""
    urls = page_urls()
    shown = [url for source, url in urls.items() if source != "views/present.py"]

    async def first_renders(server, pid, log):
        return {"pages": await _pages(server, pid, urls)}

    async def crowds(server, pid, log):
        return {"shared_link": await _readers(server, pid, ["/"] * readers, log),
                "mixed_pages": await _readers(server, pid, [shown[i % len(shown)] for i in range(readers)], log)}

    return {"warmup": warmup, "first_render": _serving(db, warmup, first_renders),
            "readers": _serving(db, warmup, crowds)}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db")
    parser.add_argument("--readers", type=int, default=READERS)
    parser.add_argument("--no-warmup", action="store_true")
    args = parser.parse_args()
    print(json.dumps(bench(args.db, args.readers, not args.no_warmup)))
