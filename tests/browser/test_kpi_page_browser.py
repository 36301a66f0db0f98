"""KPI trends (/kpis) in real Chromium on the demo borough: the summary matrix with its Making Data Count
icons, one KPI's SPC chart chosen with the page's own selectbox, and its before/after view of an event."""

from __future__ import annotations

import io
import re
import time
import xml.etree.ElementTree as ET
from urllib.parse import unquote

import duckdb
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from .conftest import wait_until_idle

# A computed KPI (not hand-reported), so an event scoped to one service can be judged against it.
CHOSEN = "Digital take-up"
EVENT = "New online bin form launched"
# The MDC icons' fills (pulse.icons): blue improvement / pass, orange concern / fail.
FILLS = {"blue": (0x1D, 0x70, 0xB8), "orange": (0xED, 0x8B, 0x00)}
SVG = "{http://www.w3.org/2000/svg}"

# Vega's SVG renderer: drawn data marks per mark type (a path counts only with real geometry).
VEGA_MARKS = """chart => {
    const svg = chart.querySelector('svg.marks');
    if (!svg) return null;
    const out = {};
    for (const group of svg.querySelectorAll('g.role-mark')) {
        const kind = [...group.classList].find(k => k.startsWith('mark-')).slice(5);
        const drawn = [...group.children].filter(el =>
            el.tagName === 'path' ? (el.getAttribute('d') || '').length > 2 : true).length;
        out[kind] = (out[kind] || 0) + drawn;
    }
    return out;
}"""
VEGA_TITLE = """chart => [...chart.querySelectorAll('svg.marks g.role-title text')].map(t => t.textContent).join(' ')"""
# The matrix is a glide data grid: drawn on a canvas, mirrored in an accessible <table> for screen readers.
GRID_CELLS = """frame => [...frame.querySelectorAll('table[role="grid"] tbody tr')].map(row =>
    [...row.querySelectorAll('td[role="gridcell"]')].map(td => td.textContent))"""
GRID_HEADERS = """frame => [...frame.querySelectorAll('table[role="grid"] thead th')].map(th => th.textContent)"""


@pytest.fixture(scope="module")
def catalogue(demo_db) -> list[str]:
    """The demo catalogue's KPI names, straight from the database the server reads."""
    with duckdb.connect(str(demo_db), read_only=True) as con:
        names = [name for (name,) in con.execute("select name from kpis order by source_file, source_line")
                 .fetchall()]
    assert CHOSEN in names, f"the demo catalogue no longer has {CHOSEN!r}: {names}"
    return names


def selectbox(page, label: str):
    """The main area's selectbox whose label starts with this text."""
    return page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').filter(
        has=page.locator('[data-testid="stWidgetLabel"]', has_text=re.compile(rf"^\s*{re.escape(label)}")))


def choose(page, label: str, option: str | re.Pattern) -> str:
    """Pick an option the way a person does: open the selectbox, click the option; wait for the rerun.

    `option` is the option's whole text, or a pattern it matches. Returns what the selectbox then shows.
    """
    field = selectbox(page, label).locator("input")
    # The dropdown closes when the page scrolls, so bring the field into view before opening it.
    field.scroll_into_view_if_needed()
    listbox = page.get_by_role("listbox")
    for attempt in range(3):
        if attempt == 0:
            field.click()
        else:  # a click that landed while the page was still settling: the keyboard opens it too
            field.press("ArrowDown")
        try:
            listbox.wait_for(timeout=5_000)
            break
        except PlaywrightTimeout:
            continue
    else:
        raise AssertionError(f"the “{label}” selectbox did not open")
    listbox.get_by_role("option", name=option, exact=isinstance(option, str)).click()
    wait_until_idle(page)
    shown = field.input_value()
    assert (shown == option) if isinstance(option, str) else option.search(shown), (
        f"“{label}” shows {shown!r} after choosing {option!r}")
    return shown


def chart_titled(page, words: str, timeout: float = 20.0):
    """The Vega chart whose title holds these words, once its data marks have drawn."""
    charts = page.locator('[data-testid="stMain"] [data-testid="stVegaLiteChart"]')
    deadline = time.monotonic() + timeout
    while True:
        titles = [charts.nth(i).evaluate(VEGA_TITLE) for i in range(charts.count())]
        for i, title in enumerate(titles):
            if words in title:
                chart = charts.nth(i)
                marks = chart.evaluate(VEGA_MARKS) or {}
                if marks.get("symbol") and marks.get("line"):
                    return chart, title, marks
        if time.monotonic() > deadline:
            raise AssertionError(f"no drawn chart titled “{words}” within {timeout:.0f} s; chart titles: {titles}")
        page.wait_for_timeout(250)


def pixels_near(png: bytes, rgb: tuple[int, int, int], tolerance: int = 24) -> int:
    """How many pixels of an image are within `tolerance` of a colour on every channel."""
    import numpy as np
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        pixels = np.asarray(image.convert("RGB"), dtype=np.int16)
    return int((np.abs(pixels - np.array(rgb, dtype=np.int16)) <= tolerance).all(axis=-1).sum())


def flat(png: bytes) -> tuple[int, float]:
    """How many distinct colours an image has, and the share of its most common colour."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        counts = image.convert("RGB").getcolors(maxcolors=image.width * image.height)
    return len(counts), max(n for n, _ in counts) / sum(n for n, _ in counts)


def icon(uri: str) -> ET.Element:
    """An icon cell's image: an SVG data URI, parsed."""
    assert uri.startswith("data:image/svg+xml"), f"an icon cell holds {uri[:60]!r}, not an SVG image"
    return ET.fromstring(unquote(uri.split(",", 1)[1]))


def test_summary_matrix_lists_every_kpi_with_drawn_mdc_icons(open_page, catalogue, save_screenshot):
    """Every catalogued KPI has a row; each row's variation and assurance icons are labelled SVGs, and drawn."""
    page = open_page("/kpis")
    save_screenshot(page, "kpis_matrix.png")
    frames = page.locator('[data-testid="stMain"] [data-testid="stDataFrame"]')
    matrices, listed, labelled, varied = 0, [], 0, 0
    for i in range(frames.count()):
        frame = frames.nth(i)
        if not frame.is_visible() or "KPI" not in frame.evaluate(GRID_HEADERS):  # e.g. the unit-cost editor
            continue
        matrices += 1
        headers = frame.evaluate(GRID_HEADERS)
        rows = frame.evaluate(GRID_CELLS)
        kpi = headers.index("KPI")
        # The icon columns are the untitled ones (the words beside them say the same in text).
        icon_columns = [n for n, header in enumerate(headers) if not header.strip()]
        assert len(icon_columns) == 2, f"matrix #{matrices}: expected two untitled icon columns, got {headers}"
        listed += [row[kpi] for row in rows]
        expected = dict.fromkeys(FILLS, 0)
        for row in rows:
            # A KPI with nothing to judge, or a status ("assurance after 4 more months") in place of an
            # icon, leaves the icon cell empty; the words beside it must then say why.
            for n in icon_columns:
                assert row[n] or row[n + 1].strip() not in ("", "–"), (
                    f"{row[kpi]}: an empty icon cell with nothing said beside it ({headers[n + 1]})")
            icons = [icon(row[n]) for n in icon_columns if row[n]]
            varied += bool(row[icon_columns[0]])
            for svg in icons:
                label, title = svg.get("aria-label"), svg.findtext(f"{SVG}title")
                assert svg.get("role") == "img" and label and label == title, (
                    f"{row[kpi]}: an icon without matching aria-label and <title> ({label!r}, {title!r})")
                labelled += 1
                disc = svg.find(f"{SVG}circle")
                for name, rgb in FILLS.items():
                    if disc is not None and disc.get("fill", "").lower() == "#%02x%02x%02x" % rgb:
                        expected[name] += 1
        # The grid draws on a canvas: a filled icon leaves a disc of its colour there (~450 px at 28 px).
        frame.scroll_into_view_if_needed()
        shot = frame.screenshot()
        distinct, dominant = flat(shot)
        assert distinct >= 16 and dominant < 0.95, f"matrix #{matrices} looks blank ({distinct} colours)"
        for name, count in expected.items():
            found = pixels_near(shot, FILLS[name])
            assert found >= 250 * count, (
                f"matrix #{matrices} should show {count} {name} icon(s) but has only {found} {name} pixels")
    assert matrices >= 1, "no KPI matrix (a table with a KPI column) is visible on /kpis"
    assert sorted(listed) == sorted(catalogue), f"the matrices list {listed}, the catalogue has {catalogue}"
    # Every demo KPI is judged, so each has a variation icon; an assurance icon may give way to a status.
    assert varied == len(catalogue) and labelled >= len(catalogue)


def test_choosing_a_kpi_draws_its_spc_chart_and_before_after(open_page, save_screenshot):
    """The “Look closer at” selectbox opens a KPI's XmR chart; picking an event draws the before/after and says why."""
    page = open_page("/kpis")
    choose(page, "Look closer at", CHOSEN)
    chart, title, marks = chart_titled(page, CHOSEN)
    assert "before and after" not in title
    assert marks["symbol"] >= 12, f"the SPC chart of {CHOSEN} plots only {marks['symbol']} points: {marks}"
    distinct, dominant = flat(chart.screenshot())
    assert distinct >= 8 and dominant < 0.97, f"the SPC chart looks blank ({distinct} colours)"
    # The definition card beside it shows the KPI's own icons, labelled for screen readers.
    card = page.locator('[data-testid="stMain"] [data-testid="stColumn"]').filter(
        has=page.locator("strong", has_text=re.compile(rf"^{re.escape(CHOSEN)}$")))
    card_icons = card.locator('svg[role="img"][aria-label]')
    assert card_icons.count() == 2, f"{card_icons.count()} labelled icons on the {CHOSEN} card, expected 2"
    for i in range(2):
        assert card_icons.nth(i).is_visible()
        assert card_icons.nth(i).get_attribute("aria-label") == card_icons.nth(i).locator("title").text_content()

    heading = page.locator('[data-testid="stMain"] h3', has_text=f"Did it make a difference to {CHOSEN.lower()}")
    assert heading.is_visible(), "no before/after heading for the chosen KPI"
    choose(page, "Event", re.compile(rf"{re.escape(EVENT)}$"))

    after, after_title, after_marks = chart_titled(page, f"{CHOSEN} before and after")
    assert after_marks["symbol"] >= 4, f"the before/after chart plots only {after_marks['symbol']} points"
    distinct, dominant = flat(after.screenshot())
    assert distinct >= 8 and dominant < 0.97, f"the before/after chart looks blank ({distinct} colours)"
    sentence = page.locator('[data-testid="stMain"] [data-testid="stAlert"]').filter(has_text=EVENT)
    assert sentence.count() == 1 and sentence.is_visible(), "no verdict sentence about the event"
    text = " ".join(sentence.inner_text().split())
    assert re.match(r"^[A-Z].{20,}\.$", text), f"the verdict is not a plain sentence: {text!r}"
    assert CHOSEN in text and not re.search(r"[<>*#`]|\bnan\b|None", text), f"odd verdict text: {text!r}"
    save_screenshot(page, "kpis_before_after.png")


def test_ticking_a_row_opens_that_kpi_and_keeps_it_in_the_link(open_page):
    """A tick in the matrix opens the KPI below, puts it in the link, and leaves no tick behind."""
    page = open_page("/kpis")
    frames = page.locator('[data-testid="stMain"] [data-testid="stDataFrame"]')
    deadline = time.monotonic() + 20
    while True:  # the grid fills its accessible table a moment after it draws
        first = next((frames.nth(i) for i in range(frames.count())
                      if frames.nth(i).is_visible() and "KPI" in frames.nth(i).evaluate(GRID_HEADERS)), None)
        if first is not None and len(first.evaluate(GRID_CELLS)) > 1:
            break
        assert time.monotonic() < deadline, "no KPI matrix with two rows is visible on /kpis"
        page.wait_for_timeout(250)
    rows = first.evaluate(GRID_CELLS)
    headers = first.evaluate(GRID_HEADERS)
    second = rows[1][headers.index("KPI")]
    first.scroll_into_view_if_needed()
    box = first.bounding_box()
    # The grid is a canvas: its header and each row are 36 px high, the tick box in the first column.
    page.mouse.click(box["x"] + 16, box["y"] + 36 + 36 * 1.5)
    wait_until_idle(page)
    assert selectbox(page, "Look closer at").locator("input").input_value() == second
    assert re.search(r"[?&]kpi=", page.url), page.url
    chart_titled(page, second)
