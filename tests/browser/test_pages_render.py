"""Every page declared in app.py renders in a real browser: a title, charts with marks, maps with pixels."""

from __future__ import annotations

import ast
import io
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import exception_text

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class PageEntry:
    """One `st.Page(...)` of the app's navigation."""

    source: str  # views/x.py
    url: str  # "/" for the default page, else "/<url_path>"
    title: str

    @property
    def name(self) -> str:
        """The page file's stem, used in test ids and screenshot names."""
        return Path(self.source).stem


def declared_pages(app: Path = ROOT / "app.py") -> list[PageEntry]:
    """The pages app.py hands to st.navigation, found by reading its `st.Page(...)` calls."""
    pages = []
    for node in ast.walk(ast.parse(app.read_text(encoding="utf-8"))):
        if not (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None)) == "Page"):
            continue
        if not (node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
            continue  # a page given as a function, not a file
        keywords = {k.arg: k.value.value for k in node.keywords if isinstance(k.value, ast.Constant)}
        source = node.args[0].value
        # Streamlit serves the default page at / and otherwise infers the path from the file name.
        url_path = keywords.get("url_path") or Path(source).stem
        url = "/" if keywords.get("default") else "/" + url_path.strip("/")
        pages.append(PageEntry(source, url, keywords.get("title") or Path(source).stem))
    return pages


PAGES = declared_pages()


def test_app_declares_pages():
    """The discovery found the pages (a rewrite of app.py must not silently empty this suite)."""
    assert any(p.url == "/" for p in PAGES), f"no default page found in app.py: {PAGES}"
    for entry in PAGES:
        assert (ROOT / entry.source).is_file(), f"app.py declares {entry.source}, which does not exist"


def colours(png: bytes) -> tuple[int, float]:
    """How many distinct colours an image has, and the share of its most common colour."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        rgb = image.convert("RGB")
        counts = rgb.getcolors(maxcolors=rgb.width * rgb.height)
    total = sum(n for n, _ in counts)
    return len(counts), max(n for n, _ in counts) / total


# Data marks of Vega's SVG renderer (axes, legends and titles have other roles) with real geometry.
_VEGA_MARKS = """chart => {
    const svg = chart.querySelector('svg.marks');
    if (!svg) return null;
    return [...svg.querySelectorAll('g.role-mark > *')].filter(el =>
        el.tagName === 'path' ? (el.getAttribute('d') || '').length > 2 : true).length;
}"""
# Altair charts, the sparklines of metric tiles (also Vega), and pydeck maps.
CHARTS = '[data-testid="stVegaLiteChart"], [data-testid="stMetricChart"]'
MAPS = '[data-testid="stDeckGlJsonChart"]'
CHECKED = "data-browser-test-checked"


def check_shown_charts(page, where: str) -> tuple[int, list[str]]:
    """Check every chart and map now visible and not checked before; return how many and what is wrong."""
    problems, checked = [], 0
    charts = page.locator(f'[data-testid="stMain"] :is({CHARTS}):not([{CHECKED}])')
    for i in range(charts.count()):
        chart = charts.nth(i)
        if not chart.is_visible():
            continue
        label = f"{where}chart {chart.get_attribute('data-testid')} #{i + 1}"
        chart.scroll_into_view_if_needed()
        # Vega draws asynchronously: give a slow machine up to 10 s before calling a chart empty.
        for _ in range(40):
            marks = chart.evaluate(_VEGA_MARKS)
            has_canvas = bool(chart.locator("canvas").count())
            distinct, dominant = colours(chart.screenshot())
            drawn = (marks or has_canvas) and distinct >= 3 and dominant <= 0.995
            if drawn:
                break
            page.wait_for_timeout(250)
        if marks == 0:
            problems.append(f"{label} has an SVG with no data marks")
        elif marks is None and not has_canvas:
            problems.append(f"{label} has neither an SVG nor a canvas")
        if distinct < 3 or dominant > 0.995:
            problems.append(f"{label} looks blank ({distinct} colours, {dominant:.1%} one colour)")
        checked += 1
    maps = page.locator(f'[data-testid="stMain"] {MAPS}:not([{CHECKED}])')
    for i in range(maps.count()):
        deck = maps.nth(i)
        if not deck.is_visible():
            continue
        canvas = deck.locator("canvas").first
        canvas.scroll_into_view_if_needed()
        # WebGL draws a frame or two after the canvas appears: allow it a few seconds to show polygons.
        distinct, dominant = 0, 1.0
        for _ in range(40):
            distinct, dominant = colours(canvas.screenshot())
            if distinct >= 16 and dominant < 0.95:
                break
            page.wait_for_timeout(250)
        else:
            problems.append(f"{where}map #{i + 1} looks blank ({distinct} colours, {dominant:.1%} one colour)")
        checked += 1
    page.locator(f'[data-testid="stMain"] :is({CHARTS}, {MAPS})').evaluate_all(
        f"(els) => els.filter(e => e.checkVisibility()).forEach(e => e.setAttribute('{CHECKED}', ''))")
    return checked, problems


@pytest.mark.parametrize("entry", PAGES, ids=[p.name for p in PAGES])
def test_page_renders(entry: PageEntry, open_page, save_screenshot, wait_until_idle):
    """The page opens without an exception, shows its title, and every chart and map really drew."""
    page = open_page(entry.url)
    save_screenshot(page, f"{entry.name}.png")
    assert page.locator('[data-testid="stException"]').count() == 0, f"{entry.source}: {exception_text(page)}"
    title = page.locator('[data-testid="stMain"] h1').first
    assert title.is_visible(), f"{entry.source}: no visible title (h1)"
    assert title.inner_text().strip(), f"{entry.source}: the title is empty"

    checked, problems = check_shown_charts(page, "")
    # Charts in tabs other than the first are drawn only when their tab is shown.
    tabs = page.locator('[data-testid="stMain"] [data-testid="stTabs"] [role="tab"]')
    for i in range(tabs.count()):
        tab = tabs.nth(i)
        if tab.get_attribute("aria-selected") == "true":
            continue
        name = tab.inner_text().strip()
        tab.click()
        wait_until_idle(page)
        more, found = check_shown_charts(page, f"tab “{name}”: ")
        checked += more
        problems += found
    assert not problems, f"{entry.source} ({entry.url}): " + "; ".join(problems)
    hidden = page.locator(f'[data-testid="stMain"] :is({CHARTS}, {MAPS}):not([{CHECKED}])').count()
    print(f"{entry.url}: {checked} charts and maps checked, {hidden} never shown (closed expanders)")
