"""Presentation mode in a real browser: slide by slide with the keyboard and the buttons, every chart
drawn, no sidebar or toolbar, public-safe on every slide, a timer that moves on by itself, and back."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from .test_pages_render import check_shown_charts

TITLE = '[data-testid="stMain"] h1'


def title(page) -> str:
    return page.locator(TITLE).first.inner_text().strip()


def position(page) -> str:
    return page.locator('[data-testid="stMain"] p', has_text=re.compile(r"^Slide \d+ of \d+$")).first.inner_text()


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def press(page, key: str, wait_until_idle) -> None:
    """A key pressed with nothing focused, as a presenter's clicker or keyboard sends it."""
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.keyboard.press(key)
    page.wait_for_timeout(300)
    wait_until_idle(page)


def test_slide_by_slide_with_the_keyboard(open_page, wait_until_idle, save_screenshot):
    page = open_page("/", present="1")
    assert urlsplit(page.url).path.endswith("/present") and query(page)["present"] == ["1"]
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    assert not page.locator('[data-testid="stHeader"]').is_visible()
    first = position(page)
    count = int(first.split()[-1])
    assert first == f"Slide 1 of {count}" and count >= 3
    seen, problems = [], []
    for number in range(1, count + 1):
        assert position(page) == f"Slide {number} of {count}"
        seen.append(title(page))
        _, found = check_shown_charts(page, f"slide {number}: ")
        problems += found
        save_screenshot(page, f"present-slide-{number}.png")
        if number < count:
            press(page, "ArrowRight", wait_until_idle)
            page.wait_for_url(re.compile(rf"[?&]slide={number + 1}(&|$)"), timeout=30_000)
    assert not problems, problems
    assert len(set(seen)) == count, f"every slide states its own message: {seen}"
    assert seen[0].endswith("getting worse") or "improving" in seen[0] or "change" in seen[0]
    assert page.get_by_role("button", name=re.compile("^Next")).is_disabled()
    press(page, "ArrowLeft", wait_until_idle)
    assert title(page) == seen[-2] and query(page)["slide"] == [str(count - 1)]
    press(page, "Escape", wait_until_idle)
    page.wait_for_url(lambda url: "present" not in url, timeout=30_000)
    wait_until_idle(page)
    assert title(page) == "How are we doing?"
    assert page.locator('[data-testid="stSidebar"]').is_visible()
    assert "from" not in query(page) and "to" not in query(page), f"the filters survive the way back: {page.url}"


def test_the_buttons_and_the_sidebar_toggle(open_page, wait_until_idle):
    page = open_page("/", kpi="digital_takeup")
    page.locator('[data-testid="stSidebar"] [data-testid="stCheckbox"]', has_text="Presentation mode").locator(
        "label").click()
    page.wait_for_url(re.compile(r"/present\?"), timeout=30_000)
    wait_until_idle(page)
    assert position(page) == "Slide 1 of 9" and query(page)["kpi"] == ["digital_takeup"]
    page.get_by_role("button", name=re.compile("^Next")).click()
    page.wait_for_url(re.compile(r"[?&]slide=2"), timeout=30_000)
    wait_until_idle(page)
    assert position(page) == "Slide 2 of 9" and title(page).startswith("Online and app carried")
    page.get_by_role("button", name=re.compile("^Leave presentation")).click()
    page.wait_for_url(lambda url: "present" not in url, timeout=30_000)
    wait_until_idle(page)
    assert title(page) == "How are we doing?" and query(page)["kpi"] == ["digital_takeup"]


def test_public_safe_is_written_on_every_slide(open_page, wait_until_idle):
    page = open_page("/", present="1", public="1", kpi="digital_takeup")
    for number in range(1, 10):  # the Overview's two, the KPI's, and the ward, leadership and voice slides
        badge = page.locator(".pulse-badge")
        assert badge.is_visible() and badge.inner_text().strip().lower() == "public-safe figures", number
        if number < 9:
            press(page, "ArrowRight", wait_until_idle)
            page.wait_for_url(re.compile(rf"[?&]slide={number + 1}(&|$)"), timeout=30_000)


def test_a_timer_moves_the_slides_on_by_itself(open_page, wait_until_idle):
    page = open_page("/", present="1", every="2", kpi="digital_takeup", slide="8")
    # Opened near the end (on a busy machine the timer may already have moved it on by one).
    assert position(page) in ("Slide 8 of 9", "Slide 9 of 9")
    # No timing is asserted: only that, left alone, the screen moves on and goes round after the last.
    page.wait_for_url(lambda url: "slide=" not in url or "slide=1&" in url or url.endswith("slide=1"),
                      timeout=60_000)
    page.get_by_role("button", name=re.compile("^Stop the timer")).click()
    wait_until_idle(page)
    assert "every" not in query(page)


def test_the_board_pack_downloads_in_one_click(open_page, tmp_path):
    from pptx import Presentation
    from pypdf import PdfReader

    page = open_page("/", kpi="digital_takeup", public="1")
    page.locator('[data-testid="stSidebar"] [data-testid="stExpander"] summary', has_text="Slides and board pack").click()
    for label, suffix in (("Board pack (PowerPoint)", ".pptx"), ("Board pack (PDF)", ".pdf")):
        with page.expect_download(timeout=120_000) as download:
            page.get_by_role("button", name=label).click()
        path = tmp_path / f"pack{suffix}"
        download.value.save_as(path)
        assert download.value.suggested_filename == f"council-pulse-board-pack{suffix}"
        if suffix == ".pptx":
            titles = [s.shapes.title.text for s in Presentation(str(path)).slides]
            assert len(titles) == 10 and titles[0] == "Council Pulse board pack: figures to 31 Oct 2026"
        else:
            reader = PdfReader(str(path))
            assert len(reader.pages) == 10 and all("PUBLIC-SAFE FIGURES" in p.extract_text() for p in reader.pages)
