"""Browser tests: the real app served by `streamlit run`, driven by Debian's headless Chromium.

One server (on the small demo borough) and one browser per test session; a fresh browser context
per test. After every test: no request left the machine, no Streamlit exception box is on the page,
no JavaScript error escaped and no dialog opened.
"""

from __future__ import annotations

import importlib.util
import os
import sys
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts" / "browser"


def _load_shared():
    """scripts/screenshot.py holds the server and browser helpers both it and these tests use."""
    spec = importlib.util.spec_from_file_location("pulse_screenshot_script", ROOT / "scripts" / "screenshot.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


shared = _load_shared()


@pytest.fixture(scope="session")
def server(demo_db, tmp_path_factory):
    """The app serving the demo database on a random local port."""
    running = shared.start_server(demo_db, log_dir=tmp_path_factory.mktemp("streamlit"), timeout=60)
    yield running
    running.stop()


@pytest.fixture(scope="session")
def browser():
    """Headless Chromium; the suite is skipped without it, except in CI where that is a failure."""
    if not shared.CHROMIUM.exists():
        reason = f"{shared.CHROMIUM} is absent (apt-get install -y chromium; never `playwright install`)"
        if os.environ.get("CI"):
            pytest.fail(f"browser tests cannot run in CI: {reason}", pytrace=False)
        pytest.skip(f"browser tests skipped: {reason}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = shared.launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test item, so teardown can tell whether the test already failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture
def page(browser, server, request):
    """A page in a fresh 1400×1000 context that records requests leaving the machine, JS errors and dialogs."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(60_000)
    outside: list[str] = []
    js_errors: list[str] = []
    dialogs: list[str] = []

    def on_request(sent) -> None:
        host = urlsplit(sent.url).hostname or ""
        if sent.url.startswith(("http:", "https:", "ws:", "wss:")) and host not in shared.LOCAL_HOSTS:
            outside.append(f"{sent.method} {sent.url}")

    def on_dialog(dialog) -> None:
        dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    context.on("request", on_request)
    tab = context.new_page()
    tab.on("pageerror", lambda error: js_errors.append(str(error)))
    tab.on("dialog", on_dialog)
    tab.outside_requests = outside
    tab.js_errors = js_errors
    tab.dialogs = dialogs
    yield tab

    try:
        problems = []
        if outside:
            problems.append("requests left the machine:\n  " + "\n  ".join(dict.fromkeys(outside)))
            if any("fonts.gstatic.com" in url and "materialsymbols" in url for url in outside):
                problems.append("  (Streamlit fetches a `:material/…:` page_icon, the favicon, from Google Fonts; "
                                "an emoji or a local image file does not leave the machine)")
        call = getattr(request.node, "report_call", None)
        if not tab.is_closed() and not (call and call.failed):  # a failed test has already said why
            boxes = tab.locator('[data-testid="stException"]')
            if boxes.count():
                problems.append("Streamlit exception on the page:\n  " + exception_text(tab))
        if js_errors:
            problems.append("uncaught JavaScript errors:\n  " + "\n  ".join(js_errors[:5]))
        if dialogs:
            problems.append("dialogs opened:\n  " + "\n  ".join(dialogs))
        if problems:
            pytest.fail(f"after {tab.url}:\n" + "\n".join(problems), pytrace=False)
    finally:
        context.close()


def exception_text(page) -> str:
    """The text of the first Streamlit exception box on the page."""
    box = page.locator('[data-testid="stException"]').first
    return " ".join((box.text_content() or "").split())[:1500]


@pytest.fixture
def open_page(page, server) -> Callable:
    """open_page(path, **query) → the page, once Streamlit has finished running it and its charts drew.

    List values repeat the key: open_page("/", ward=["E05900001", "E05900002"]).
    """

    def go(path: str = "/", **query):
        url = server.url + (path if path.startswith("/") else "/" + path)
        if query:
            url += "?" + urlencode(query, doseq=True)
        page.goto(url, wait_until="domcontentloaded", timeout=60_000)
        wait_until_idle(page)
        return page

    return go


def wait_until_idle(page, timeout: float = 60.0) -> None:
    """Wait until the script run is over (quiet for 1 s) and every chart and map has drawn."""
    shared.wait_for_app(page, timeout=timeout, quiet=1.0)


@pytest.fixture(name="wait_until_idle")
def wait_until_idle_fixture() -> Callable:
    """wait_until_idle(page): after a click, wait as open_page does."""
    return wait_until_idle


@pytest.fixture
def save_screenshot() -> Callable:
    """save_screenshot(page, "name.png"): the whole page into test-artifacts/browser/ (gitignored) for people."""

    def save(page, name: str) -> Path:
        return shared.screenshot(page, ARTIFACTS / name, full_page=True)

    return save
