"""Where each part of a slide goes on a 16:9 page, in inches: one layout for the PowerPoint and the PDF.

Reading order is the order of the boxes (title first, then the body, then the footer), which is
also the order screen readers take the shapes of a PowerPoint slide in.
"""

from __future__ import annotations

from dataclasses import dataclass

from pulse.present.slide import Slide

WIDTH, HEIGHT = 13.333, 7.5
MARGIN = 0.5
INNER = WIDTH - 2 * MARGIN
BODY_TOP, BODY_BOTTOM = 1.75, 6.25
INK = (11, 12, 12)  # GOV.UK text colour
MUTED = (80, 90, 95)  # GOV.UK secondary text (#505a5f): 7:1 on white
BLUE = (29, 112, 184)
BADGE = (11, 12, 12)  # the public-safe badge: white on near-black
TILE_FILL = (243, 242, 241)
FONT = "DejaVu Sans"


@dataclass(frozen=True)
class Box:
    """A rectangle on the slide and what goes in it."""

    kind: str  # title, badge, tiles, points, chart, map, table, caption, empty, footer, definitions, number
    x: float
    y: float
    w: float
    h: float
    size: float = 14.0  # type size in points


def title_size(text: str) -> float:
    """Type size of a title by its length: a short message large, a long one still on two lines."""
    return 32.0 if len(text) <= 60 else 28.0 if len(text) <= 100 else 24.0


def boxes(slide: Slide) -> list[Box]:
    """The slide's boxes in reading order."""
    badge = slide.public_safe
    out = [Box("title", MARGIN, 0.35, INNER - (2.9 if badge else 0), 1.3, title_size(slide.title))]
    if badge:
        out.append(Box("badge", WIDTH - MARGIN - 2.7, 0.4, 2.7, 0.45, 13))
    out += body(slide)
    out += [Box("footer", MARGIN, 6.45, INNER - 0.8, 0.3, 10),
            Box("number", WIDTH - MARGIN - 0.7, 6.45, 0.7, 0.3, 10),
            Box("definitions", MARGIN, 6.78, INNER, 0.62, 8.5)]
    return out


def body(slide: Slide) -> list[Box]:
    """The body's boxes: the empty message, or tiles, a chart or map, a table and points."""
    top, height = BODY_TOP, BODY_BOTTOM - BODY_TOP
    if slide.empty is not None:
        return [Box("empty", MARGIN, top + 0.6, INNER, 1.6, 24)]
    picture = "chart" if slide.chart is not None else "map" if slide.deck is not None else None
    if picture and slide.tiles:
        # A chart with its figures beside it: the chart wide on the left, the tiles in a column.
        side = 2.9
        out = [Box(picture, MARGIN, top, INNER - side - 0.3, height)]
        out.append(Box("tiles", WIDTH - MARGIN - side, top, side, min(1.45 * len(slide.tiles), height - 1.2)))
        if slide.points:
            used = min(1.45 * len(slide.tiles), height - 1.2) + 0.15
            out.append(Box("points", WIDTH - MARGIN - side, top + used, side, height - used, 11))
        return out
    if picture:
        caption = 0.45 if slide.caption else 0.0
        out = [Box(picture, MARGIN, top, INNER, height - caption)]
        if slide.caption:
            out.append(Box("caption", MARGIN, top + height - caption + 0.05, INNER, caption, 13))
        return out
    out = []
    if slide.tiles:
        out.append(Box("tiles", MARGIN, top, INNER, 1.5))
        top, height = top + 1.75, height - 1.75
    if slide.table is not None:
        out.append(Box("table", MARGIN, top, INNER, height))
    elif slide.points:
        out.append(Box("points", MARGIN, top, INNER, height, 17))
    return out


def tile_cells(box: Box, count: int) -> list[tuple[float, float, float, float]]:
    """Each tile's rectangle: a row across a wide box, a column down a narrow one."""
    gap = 0.2
    if box.w >= box.h * 2:
        w = (box.w - gap * (count - 1)) / max(count, 1)
        return [(box.x + i * (w + gap), box.y, w, box.h) for i in range(count)]
    h = (box.h - gap * (count - 1)) / max(count, 1)
    return [(box.x, box.y + i * (h + gap), box.w, h) for i in range(count)]


def fitted(lines: list[str], box: Box, gap: float = 0.0) -> float:
    """A type size at which the lines fit the box, estimated from their length (Arial's average
    character is about half an em wide), no smaller than 60% of the box's size."""
    import math

    size = box.size
    while size > box.size * 0.6:
        per_line = max(box.w * 72 / (size * 0.5), 1)
        rows = sum(max(math.ceil(len(line) / per_line), 1) for line in lines)
        if (rows + gap * (len(lines) - 1)) * size * 1.2 / 72 <= box.h:
            break
        size -= 0.5
    return size
