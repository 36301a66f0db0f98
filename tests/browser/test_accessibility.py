"""axe-core on every page, presentation mode and the high-contrast theme: no serious or critical
violation. axe-core ships in the pinned PyPI package axe-playwright-python (installed by make test);
it is injected into the page with Playwright and run on the whole document."""

from __future__ import annotations

from pathlib import Path

import pytest

from .test_pages_render import PAGES

BLOCKING = ("serious", "critical")
VIEWS = [(p.name, p.url, {}) for p in PAGES] + [
    ("presentation", "/", {"present": "1"}),
    ("presentation-public-chart", "/", {"present": "1", "public": "1", "slide": "2"}),
    ("presentation-kpi", "/", {"present": "1", "slide": "3"}),
    # With one KPI slide: the ward map with its key (4), leadership's heatmap (6), the voice themes (9).
    ("presentation-map", "/", {"present": "1", "kpi": "digital_takeup", "slide": "4"}),
    ("presentation-leadership", "/", {"present": "1", "kpi": "digital_takeup", "slide": "6"}),
    ("presentation-voice-public", "/", {"present": "1", "kpi": "digital_takeup", "public": "1", "slide": "9"}),
    ("high-contrast", "/", {"contrast": "high"}),
]


def axe_script() -> str:
    """axe.min.js from the pinned axe-playwright-python package."""
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


def violations(page) -> list[dict]:
    """axe-core's violations on the page as it is now: rule, impact, how many elements and the first few."""
    page.add_script_tag(content=axe_script())
    return page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']})).violations.map(
        v => ({id: v.id, impact: v.impact, count: v.nodes.length,
               where: v.nodes.slice(0, 3).map(n => n.target.join(' '))}))""")


def blocking(found: list[dict]) -> list[dict]:
    return [v for v in found if v["impact"] in BLOCKING]


@pytest.mark.parametrize("name, path, query", VIEWS, ids=[v[0] for v in VIEWS])
def test_no_serious_or_critical_accessibility_violation(open_page, name, path, query):
    page = open_page(path, **query)
    found = violations(page)
    print(f"{name}: " + (", ".join(f"{v['id']} ({v['impact']}, {v['count']})" for v in found) or "none"))
    assert not blocking(found), blocking(found)


def test_the_sidebars_presenting_controls_are_accessible(open_page, wait_until_idle):
    page = open_page("/")
    for label in ("Slides and board pack", "Saved views"):
        page.locator('[data-testid="stSidebar"] [data-testid="stExpander"] summary', has_text=label).click()
    wait_until_idle(page)
    assert page.get_by_role("button", name="Board pack (PowerPoint)").is_visible()
    assert not blocking(violations(page)), blocking(violations(page))


def test_presentation_mode_is_reached_and_left_with_the_keyboard_alone(open_page, wait_until_idle):
    page = open_page("/")
    toggle = page.locator('[data-testid="stSidebar"] label', has_text="Presentation mode").locator("input")
    toggle.focus()
    page.keyboard.press("Space")
    page.wait_for_url(lambda url: "/present" in url, timeout=30_000)
    wait_until_idle(page)
    leave = page.get_by_role("button", name="Leave presentation")
    for _ in range(60):  # Tab through the slide until the Leave button has the focus
        if leave.evaluate("el => el === document.activeElement"):
            break
        page.keyboard.press("Tab")
    assert leave.evaluate("el => el === document.activeElement"), "Leave presentation is not reachable by Tab"
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/present" not in url, timeout=30_000)
    wait_until_idle(page)
    assert page.locator('[data-testid="stMain"] h1').first.inner_text() == "How are we doing?"
