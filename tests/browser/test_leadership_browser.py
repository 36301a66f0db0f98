"""Leadership adoption (/leadership) in real Chromium on the demo borough: the privacy note is on show, and
the directorate heatmaps and the adoption-against-outcomes scatters really drew."""

from __future__ import annotations

import io
import re

from pulse.disclosure import Policy
from pulse.pages import leadership, leadership_words

CHARTS = '[data-testid="stMain"] [data-testid="stVegaLiteChart"]'
HEATMAPS = "Directorate by directorate"  # the page's section headings (h3) the charts sit under
SCATTERS = "Does it show in services?"

# Per Vega mark group: its type and its drawn items, each with a fill and a position, from the SVG.
VEGA_ITEMS = """chart => {
    const svg = chart.querySelector('svg.marks');
    if (!svg) return null;
    return [...svg.querySelectorAll('g.role-mark')].map(group => ({
        kind: [...group.classList].find(k => k.startsWith('mark-')).slice(5),
        items: [...group.children].filter(el => el.tagName !== 'path' || (el.getAttribute('d') || '').length > 2)
            .map(el => { const box = el.getBoundingClientRect();
                         return {fill: el.getAttribute('fill') || '', x: Math.round(box.x), y: Math.round(box.y),
                                 w: box.width, h: box.height}; }),
    }));
}"""


def colours(png: bytes) -> tuple[int, float]:
    """How many distinct colours an image has, and the share of its most common colour."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        counts = image.convert("RGB").getcolors(maxcolors=image.width * image.height)
    return len(counts), max(n for n, _ in counts) / sum(n for n, _ in counts)


def charts_under(page, heading: str) -> list:
    """The charts laid out between this section heading and the next one, top to bottom."""
    headings = page.locator('[data-testid="stMain"] h3')
    tops = {text.strip(): headings.nth(i).bounding_box()["y"] for i, text in enumerate(headings.all_inner_texts())}
    assert heading in tops, f"no “{heading}” section on the page; sections: {list(tops)}"
    start = tops[heading]
    end = min((y for y in tops.values() if y > start), default=float("inf"))
    charts = page.locator(CHARTS)
    found = []
    for i in range(charts.count()):
        box = charts.nth(i).bounding_box()
        if box and start < box["y"] < end:
            found.append((box["y"], box["x"], charts.nth(i)))
    return [chart for _, _, chart in sorted(found, key=lambda f: f[:2])]


def drawn(page, chart, kind: str, minimum: int, tries: int = 40) -> list[dict]:
    """The chart's drawn items of one mark type, waiting (up to 10 s) for at least `minimum` of them."""
    items: list[dict] = []
    for _ in range(tries):
        groups = chart.evaluate(VEGA_ITEMS) or []
        items = [item for g in groups if g["kind"] == kind for item in g["items"] if item["w"] > 0 and item["h"] > 0]
        if len(items) >= minimum:
            break
        page.wait_for_timeout(250)
    return items


def not_flat(page, chart, label: str) -> None:
    """The chart's own screenshot has several colours, none covering nearly all of it."""
    chart.scroll_into_view_if_needed()
    distinct, dominant = colours(chart.screenshot())
    assert distinct >= 8 and dominant < 0.97, f"{label} looks blank ({distinct} colours, {dominant:.1%} one colour)"


def test_privacy_note_heatmaps_and_scatters(open_page, save_screenshot):
    """The privacy note is on show; each directorate heatmap has coloured rect cells; each outcome scatter
    has dots in different places. (One test, so the page is opened and drawn only once.)"""
    page = open_page("/leadership")
    save_screenshot(page, "leadership_full.png")

    policy = Policy()
    promise = str(leadership_words.privacy_note(policy))
    note = page.locator('[data-testid="stMain"] [data-testid="stAlert"]').filter(
        has_text=re.compile(re.escape(promise[:60])))
    assert note.count() == 1, "the privacy note is missing from /leadership"
    assert note.is_visible()
    assert " ".join(promise.split()) in " ".join(note.inner_text().split())
    assert f"groups of {policy.staff_min} or more" in note.inner_text()

    heatmaps = charts_under(page, HEATMAPS)
    assert len(heatmaps) == 2, f"expected the leaders' and the staff heatmap under “{HEATMAPS}”, found {len(heatmaps)}"
    for n, chart in enumerate(heatmaps, 1):
        cells = drawn(page, chart, "rect", minimum=4)
        assert len(cells) >= 4, f"heatmap #{n} drew {len(cells)} rect cells"
        fills = {c["fill"] for c in cells}
        assert len(fills) >= 3, f"heatmap #{n}: its {len(cells)} cells share {len(fills)} fill(s), not a heat scale"
        assert len({(c["x"], c["y"]) for c in cells}) == len(cells), f"heatmap #{n}: cells drawn on top of each other"
        not_flat(page, chart, f"heatmap #{n}")

    scatters = charts_under(page, SCATTERS)
    assert len(scatters) == len(leadership.MEASURES), (
        f"expected one scatter per outcome ({list(leadership.MEASURES)}) under “{SCATTERS}”, found {len(scatters)}")
    for n, chart in enumerate(scatters, 1):
        dots = drawn(page, chart, "symbol", minimum=3)
        assert len(dots) >= 3, f"scatter #{n} drew {len(dots)} points"
        assert len({d["x"] for d in dots}) >= 3 and len({d["y"] for d in dots}) >= 2, (
            f"scatter #{n}: its {len(dots)} points are stacked in one place")
        not_flat(page, chart, f"scatter #{n}")
