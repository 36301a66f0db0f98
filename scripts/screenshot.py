"""Screenshot one page of the dashboard in real headless Chromium.

    python scripts/screenshot.py --db data/pulse.duckdb --page / --out docs/overview.png [--full-page]

Starts `streamlit run app.py` on a free port against the given database, waits until the page has
finished running and its charts and maps have drawn, saves the PNG, and stops the server. The same
helpers start the server and the browser for the browser tests (tests/browser/conftest.py).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--enable-unsafe-swiftshader", "--disable-dev-shm-usage",
    "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "[::1]"}

# Streamlit's own markers: the app root says whether a script run is in progress; a skeleton stands
# in for an element whose code (charts, metrics, maps) is still loading; Vega and deck.gl draw
# into an SVG or a canvas some time after their element appears.
_APP_STATE = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    const widget = document.querySelector('[data-testid="stStatusWidget"]');
    const vega = [...document.querySelectorAll('[data-testid="stVegaLiteChart"], [data-testid="stMetricChart"]')];
    const decks = [...document.querySelectorAll('[data-testid="stDeckGlJsonChart"]')];
    return {
        script: app ? app.getAttribute('data-test-script-state') : null,
        connection: app ? app.getAttribute('data-test-connection-state') : null,
        running: !!document.querySelector('[data-testid="stStatusWidgetRunningIcon"]')
                 || (!!widget && /running/i.test(widget.innerText)),
        loading: document.querySelectorAll('[data-testid="stSkeleton"]').length,
        // A chart in a tab not shown (or a closed expander) is drawn only once it is shown.
        undrawn: vega.filter(c => c.checkVisibility() && !c.querySelector('svg.marks, canvas')).length
                 + decks.filter(d => d.checkVisibility() && !d.querySelector('canvas')).length,
    };
}"""


@dataclass
class Server:
    """A `streamlit run app.py` process serving one database on one local port."""

    process: subprocess.Popen
    url: str
    stderr_path: Path

    def stderr(self, tail: int = 4000) -> str:
        """The last characters the server wrote to stderr."""
        try:
            return self.stderr_path.read_text(errors="replace")[-tail:]
        except OSError:
            return ""

    def stop(self) -> None:
        """Terminate the server, and kill it if it does not stop within 10 s."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def free_port() -> int:
    """A TCP port nobody is listening on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(db: Path, log_dir: Path | None = None, timeout: float = 60.0, attempts: int = 3,
                 module: str = "pulse.serve", env: dict[str, str] | None = None) -> Server:
    """Start the app on a random free port and return once /_stcore/health answers.

    `module` is what `python -m` runs with Streamlit's own arguments (the benchmark's logging
    wrapper, benchmarks.serve, takes the same); `env` adds to the environment.
    """
    log_dir = Path(log_dir or tempfile.mkdtemp(prefix="pulse-server-"))
    log_dir.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, **(env or {}), "PULSE_DB": str(db)}
    for attempt in range(1, attempts + 1):
        port = free_port()
        stderr_path = log_dir / f"streamlit-{port}.stderr.log"
        with open(log_dir / f"streamlit-{port}.stdout.log", "wb") as out, open(stderr_path, "wb") as err:
            process = subprocess.Popen(
                [sys.executable, "-m", module, "run", "server.py", "--server.port", str(port),
                 "--server.address", "127.0.0.1", "--server.headless", "true",
                 "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
                cwd=ROOT, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
            )
        server = Server(process, f"http://127.0.0.1:{port}", stderr_path)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                break
            try:
                with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        return server
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.1)
        server.stop()
        # Another process may have taken the port between choosing it and binding it: try again.
        if process.returncode not in (None, 0) and "already in use" in server.stderr() and attempt < attempts:
            continue
        why = f"exited with code {process.returncode}" if process.returncode is not None else f"no answer in {timeout:.0f} s"
        raise RuntimeError(f"streamlit server at {server.url} did not become healthy ({why}). "
                           f"Its stderr:\n{server.stderr() or '(empty)'}")
    raise AssertionError("unreachable")


def launch_chromium(playwright):
    """Debian's headless Chromium with the arguments known to work here (WebGL on SwiftShader)."""
    if not CHROMIUM.exists():
        raise FileNotFoundError(f"{CHROMIUM} is absent: apt-get install -y chromium (never `playwright install`)")
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)


def wait_for_app(page, timeout: float = 60.0, quiet: float = 1.0) -> None:
    """Wait until the script run is over, nothing is loading and every chart has drawn, for `quiet` seconds."""
    deadline = time.monotonic() + timeout
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout * 1000)
    quiet_since = None
    state: dict = {}
    while True:
        now = time.monotonic()
        state = page.evaluate(_APP_STATE)
        idle = (state["script"] == "notRunning" and state["connection"] == "CONNECTED" and not state["running"]
                and not state["loading"] and not state["undrawn"])
        if idle:
            quiet_since = quiet_since or now
            if now - quiet_since >= quiet:
                break
        else:
            quiet_since = None
        if now > deadline:
            raise TimeoutError(f"the page did not finish running and drawing within {timeout:.0f} s "
                               f"(last state {state})")
        page.wait_for_timeout(100)


def main_height(page) -> int:
    """The height of the whole main area, which scrolls inside the window rather than the document."""
    return page.evaluate("""() => {
        const main = document.querySelector('[data-testid="stMain"]');
        return Math.max(main ? main.scrollHeight : 0, document.documentElement.scrollHeight);
    }""")


def screenshot(page, out: Path, full_page: bool = False) -> Path:
    """Save a PNG of the window; with full_page, the window is stretched to show the whole main area."""
    out.parent.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    if full_page:
        height = main_height(page)
        if height > size["height"]:
            page.set_viewport_size({"width": size["width"], "height": height})
            wait_for_app(page, timeout=20.0, quiet=0.3)  # let charts and maps redraw at the new size
    try:
        page.screenshot(path=str(out))
    finally:
        if page.viewport_size != size:
            page.set_viewport_size(size)
    return out


def shrink_png(path: Path, limit: int) -> None:
    """If a PNG is over `limit` bytes, re-save it optimised, then with fewer colours, until it fits."""
    from PIL import Image

    if path.stat().st_size <= limit:
        return
    with Image.open(path) as image:
        image = image.convert("RGB")
    image.save(path, optimize=True)
    for colours in (256, 128, 64):
        if path.stat().st_size <= limit:
            return
        image.quantize(colors=colours, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
            path, optimize=True)


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True, help="the DuckDB database to serve")
    parser.add_argument("--page", default="/", help="path of the page, e.g. / or /kpis, optionally with ?query")
    parser.add_argument("--out", type=Path, required=True, help="PNG file to write")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=1000)
    parser.add_argument("--full-page", action="store_true", help="the whole page, not just the window")
    parser.add_argument("--max-kb", type=int, default=0, help="shrink the PNG (optimise, fewer colours) below this size")
    args = parser.parse_args(argv)
    if not args.db.exists():
        parser.error(f"no database at {args.db}")

    from playwright.sync_api import sync_playwright

    server = start_server(args.db.resolve())
    try:
        with sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            try:
                context = browser.new_context(viewport={"width": args.width, "height": args.height})
                page = context.new_page()
                path = args.page if args.page.startswith("/") else "/" + args.page
                page.goto(server.url + path, wait_until="domcontentloaded", timeout=60_000)
                wait_for_app(page)
                errors = page.locator('[data-testid="stException"]')
                if errors.count():
                    print(f"warning: the page shows an exception: {errors.first.inner_text()[:300]}", file=sys.stderr)
                screenshot(page, args.out, full_page=args.full_page)
            finally:
                browser.close()
    finally:
        server.stop()
    if args.max_kb:
        shrink_png(args.out, args.max_kb * 1024)
    print(f"{args.out} ({args.out.stat().st_size / 1024:.0f} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
