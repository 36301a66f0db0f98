"""The shared filters live in the URL: a link sets them, the widgets write them, page changes keep them."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from .conftest import exception_text, shared


def sidebar_multiselect(page, label: str):
    """The sidebar multiselect with this label."""
    return page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(
        has=page.locator('[data-testid="stWidgetLabel"]', has_text=re.compile(rf"^\s*{re.escape(label)}\s*$")))


def chosen(page, label: str) -> list[str]:
    """The values shown as chosen (tags) in a sidebar multiselect."""
    tags = sidebar_multiselect(page, label).locator('[data-testid="stMultiSelectTagsContainer"] [data-tag]')
    return [t.strip() for t in tags.all_inner_texts()]


def metric_value(page, label: str) -> str:
    """The big number of the metric tile with this label."""
    tile = page.locator('[data-testid="stMetric"]').filter(
        has=page.locator('[data-testid="stMetricLabel"]', has_text=label))
    return tile.locator('[data-testid="stMetricValue"]').inner_text().strip()


def query(page) -> dict[str, list[str]]:
    """The page's current URL query parameters."""
    return parse_qs(urlsplit(page.url).query)


def test_link_sets_channel_filter(open_page):
    """?channel=phone shows phone as chosen and no digital take-up at all."""
    page = open_page("/", channel="phone")
    assert chosen(page, "Channel") == ["phone"]
    assert metric_value(page, "Digital take-up") == "0.0%"
    assert query(page).get("channel") == ["phone"]


def test_widget_writes_url_and_page_change_keeps_it(open_page, wait_until_idle):
    """Picking a ward adds ward= to the URL; the sidebar link to Data keeps every filter."""
    page = open_page("/", channel="phone")
    ward = sidebar_multiselect(page, "Ward")
    ward.locator("input").click()
    option = page.locator('[data-testid="stMultiSelectDropdown"] [role="option"]:not([data-key="__select_all__"])').first
    ward_name = option.inner_text().strip()
    option.click()
    page.keyboard.press("Escape")
    page.wait_for_url(re.compile(r"[?&]ward="), timeout=30_000)
    wait_until_idle(page)
    assert chosen(page, "Ward") == [ward_name]
    before = query(page)
    assert before.get("channel") == ["phone"] and len(before.get("ward", [])) == 1, page.url

    page.locator('[data-testid="stSidebarNav"] a', has_text="Data").click()
    page.wait_for_url(re.compile(r"/data(\?|$)"), timeout=30_000)
    wait_until_idle(page)
    page.wait_for_url(re.compile(r"[?&]ward="), timeout=30_000)
    assert urlsplit(page.url).path.rstrip("/").endswith("/data"), page.url
    assert query(page) == before, f"filters lost on the way to the Data page: {page.url}"
    assert chosen(page, "Ward") == [ward_name]
    assert chosen(page, "Channel") == ["phone"]
    assert page.locator('[data-testid="stMain"] h1').first.is_visible()


def test_hostile_link_value_is_shown_as_a_note_and_never_runs(open_page):
    """A script in a filter value is ignored with a visible note; no dialog, no script element."""
    page = open_page("/", service="<script>alert(1)</script>")
    note = page.locator('[data-testid="stSidebar"] [data-testid="stAlert"]').filter(has_text="Ignored service")
    assert note.is_visible(), "no visible note about the ignored service value"
    assert "<script" not in note.inner_text()
    assert not page.evaluate("() => [...document.scripts].some(s => s.textContent.includes('alert(1)'))")
    assert not page.locator('[data-testid="stSidebar"] script, [data-testid="stMain"] script').count()
    assert chosen(page, "Service") == []
    assert "service" not in query(page), f"the ignored value stayed in the URL: {page.url}"
    assert page.dialogs == [], page.dialogs


def test_link_to_a_page_is_the_first_visit_after_a_restart(demo_db, page, wait_until_idle, tmp_path):
    """A shared link straight to a page, opened before anyone has opened /, still gets the frame and filters."""
    fresh = shared.start_server(demo_db, log_dir=tmp_path, timeout=60)
    try:
        page.goto(f"{fresh.url}/data?channel=phone", wait_until="domcontentloaded")
        wait_until_idle(page)
        assert not page.locator('[data-testid="stException"]').count(), exception_text(page)
        # A link's text is its Material icon's name (drawn as a ligature), then its label.
        links = page.locator('[data-testid="stSidebarNav"] a').all_inner_texts()
        nav = [([line.strip() for line in text.splitlines() if line.strip()] or [""])[-1] for text in links]
        assert "Overview" in nav and "Data" in nav, (
            f"the sidebar lists {nav}: Streamlit ran pages/data.py on its own, without app.py's frame "
            "(its legacy pages/ folder mode, used until app.py has run once)")
        assert chosen(page, "Channel") == ["phone"]
        assert query(page).get("channel") == ["phone"], page.url
    finally:
        page.goto("about:blank")
        fresh.stop()
