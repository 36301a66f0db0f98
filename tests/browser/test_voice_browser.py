"""Resident voice (/voice) in real Chromium on the small demo borough: the page renders its charts, the
reader follows other themes and reads example comments, and a public-safe link leaves comments out."""

from __future__ import annotations

import re

from .test_pages_render import check_shown_charts

MAIN = '[data-testid="stMain"]'


def choose(page, label: str, option: str, wait_until_idle) -> str:
    """Open the main area's selectbox with this label, click the option, wait for the rerun; what it then shows."""
    box = page.locator(f'{MAIN} [data-testid="stSelectbox"]').filter(
        has=page.locator('[data-testid="stWidgetLabel"]', has_text=re.compile(rf"^\s*{re.escape(label)}")))
    field = box.locator("input")
    field.scroll_into_view_if_needed()
    listbox = page.get_by_role("listbox")
    field.click()
    if not listbox.is_visible():
        field.press("ArrowDown")  # a click that landed while the page was still settling
    listbox.get_by_role("option", name=option, exact=True).click()
    wait_until_idle(page)
    return field.input_value()


def test_voice_page_renders_and_reads_out_examples(open_page, save_screenshot, wait_until_idle):
    page = open_page("/voice")
    save_screenshot(page, "voice.png")
    assert page.locator(f"{MAIN} h1").first.inner_text().strip() == "What residents tell us"
    for label in ("User satisfaction", "Net satisfaction", "Responses", "Comments"):
        assert page.locator(f'{MAIN} [data-testid="stMetricLabel"]', has_text=label).count() == 1, label
    checked, problems = check_shown_charts(page, "")
    assert not problems, problems
    assert checked >= 6  # two sparklines, two XmR charts, the themes and their trend
    # The planted story's actions are drawn on the trends and named under them.
    assert page.get_by_text("Password reset emails fixed", exact=False).count() >= 1

    # Choose the examples of another theme: its comments appear, redacted and with their request's details.
    assert choose(page, "Read what residents wrote about", "Long wait on the phone",
                  wait_until_idle) == "Long wait on the phone"
    # Each example is a quotation with its month, rating, service, channel and ward.
    assert page.locator(f"{MAIN} li", has_text="(details from the request)").count() >= 1

    # The Wards tab draws its chart when shown.
    page.get_by_role("tab", name="Wards").click()
    wait_until_idle(page)
    more, problems = check_shown_charts(page, "tab Wards: ")
    assert more >= 1 and not problems, problems


def test_public_safe_link_leaves_comments_out(open_page, save_screenshot):
    page = open_page("/voice", public="1")
    save_screenshot(page, "voice-public.png")
    assert page.get_by_text("residents' comments are left out", exact=False).count() == 1
    assert page.get_by_text("Read what residents wrote about").count() == 0
    _, problems = check_shown_charts(page, "")
    assert not problems, problems
