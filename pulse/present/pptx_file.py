"""Slides as a PowerPoint file (python-pptx): a real title on every slide, pictures with alt text,
the view, data-through date and definitions on the slide, and the figures in the speaker notes."""

from __future__ import annotations

import io
from collections.abc import Sequence

import pandas as pd
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Inches, Pt

from pulse.disclosure import COUNT
from pulse.present import layout
from pulse.present.layout import Box
from pulse.present.slide import PUBLIC_SAFE, Slide

TITLE_ONLY = 5  # the default template's "Title Only" layout: a title placeholder screen readers announce
MAX_ROWS = 14


def write(slides: Sequence[Slide], pictures: dict[int, bytes], title: str) -> bytes:
    """The PowerPoint file of a slide sequence; pictures[i] is slide i's chart or map as a PNG."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(layout.WIDTH), Inches(layout.HEIGHT)
    deck.core_properties.title = title
    deck.core_properties.author = "Council Pulse"
    for number, slide in enumerate(slides):
        page = deck.slides.add_slide(deck.slide_layouts[TITLE_ONLY])
        for box in layout.boxes(slide):
            _draw(page, box, slide, pictures.get(number), number + 1, len(slides))
        page.notes_slide.notes_text_frame.text = "\n".join(notes(slide))
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def notes(slide: Slide, context: bool = True) -> list[str]:
    """The speaker notes: the figures in words, one sentence a line; with context, then the view,
    data-through date and definitions (a PDF prints those on the page already)."""
    lines = [_stop(str(n)) for n in slide.notes] or [_stop(str(slide.title))]
    if context:
        lines += ["", str(slide.footer)] + [f"{name}: {words}" for name, words in slide.definitions]
    return lines


def _stop(text: str) -> str:
    """A note ends with a full stop."""
    return text if text.endswith((".", "!", "?")) else text + "."


def _draw(page, box: Box, slide: Slide, picture: bytes | None, number: int, total: int) -> None:
    if box.kind == "title":
        shape = page.shapes.title
        shape.left, shape.top, shape.width, shape.height = (Inches(v) for v in (box.x, box.y, box.w, box.h))
        _fill(shape.text_frame, [str(slide.title)], layout.fitted([str(slide.title)], box), bold=True,
              anchor=MSO_ANCHOR.TOP)
    elif box.kind == "badge":
        shape = _text(page, box, [PUBLIC_SAFE.upper()], bold=True, colour=(255, 255, 255), align=PP_ALIGN.CENTER,
                      anchor=MSO_ANCHOR.MIDDLE)
        shape.fill.solid()
        shape.fill.fore_color.rgb = RGBColor(*layout.BADGE)
        shape.name = "Public-safe badge"
    elif box.kind == "tiles":
        for tile, (x, y, w, h) in zip(slide.tiles, layout.tile_cells(box, len(slide.tiles))):
            shape = page.shapes.add_textbox(Inches(x), Inches(y), Inches(w), Inches(h))
            shape.fill.solid()
            shape.fill.fore_color.rgb = RGBColor(*layout.TILE_FILL)
            frame = shape.text_frame
            frame.word_wrap = True
            frame.auto_size = MSO_AUTO_SIZE.NONE
            lines = [(tile.label, 12, False, layout.MUTED), (tile.value.text, 30 if w > 2.2 else 26, True, layout.INK)]
            if tile.change is not None and tile.change.shown:
                lines.append((tile.change.text, 12, False, layout.INK))
            if tile.note:
                lines.append((str(tile.note), 11, False, layout.MUTED))
            for i, (text, size, bold, colour) in enumerate(lines):
                paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
                _run(paragraph, text, size, bold, colour)
    elif box.kind in ("chart", "map") and picture is not None:
        shown = slide.chart if box.kind == "chart" else slide.deck
        image = page.shapes.add_picture(io.BytesIO(picture), Inches(box.x), Inches(box.y), width=Inches(box.w))
        if image.height > Inches(box.h):  # keep the picture's shape: fit the height instead
            image.width = int(image.width * Inches(box.h) / image.height)
            image.height = Inches(box.h)
        # Alt text (cNvPr descr) is what PowerPoint and screen readers read out for a picture.
        image._element.nvPicPr.cNvPr.set("descr", str(shown.alt_text))
        image.name = "Map" if box.kind == "map" else "Chart"
    elif box.kind == "table" and slide.table is not None:
        _table(page, box, slide.table.frame, slide.table.kinds)
    elif box.kind == "points":
        heading = [slide.points_title] if slide.points_title else []
        shape = _text(page, box, heading + [f"• {p}" for p in slide.points], space=6)
        if heading:
            shape.text_frame.paragraphs[0].runs[0].font.bold = True
            shape.text_frame.paragraphs[0].runs[0].font.color.rgb = RGBColor(*layout.MUTED)
    elif box.kind == "caption" and slide.caption:
        _text(page, box, [str(slide.caption)], colour=layout.MUTED)
    elif box.kind == "empty" and slide.empty:
        _text(page, box, [str(slide.empty)], colour=layout.INK)
    elif box.kind == "footer":
        _text(page, box, [str(slide.footer)], colour=layout.MUTED)
    elif box.kind == "number":
        _text(page, box, [f"{number} / {total}"], colour=layout.MUTED, align=PP_ALIGN.RIGHT)
    elif box.kind == "definitions" and slide.definitions:
        _text(page, box, ["Definitions: " + "  ·  ".join(f"{n}: {w}" for n, w in slide.definitions)],
              colour=layout.MUTED)


def _text(page, box: Box, lines: list[str], bold: bool = False, colour: tuple = layout.INK,
          align: PP_ALIGN = PP_ALIGN.LEFT, anchor: MSO_ANCHOR = MSO_ANCHOR.TOP, space: float = 0):
    shape = page.shapes.add_textbox(Inches(box.x), Inches(box.y), Inches(box.w), Inches(box.h))
    _fill(shape.text_frame, lines, layout.fitted(lines, box, space / box.size), bold, colour, align, anchor, space)
    return shape


def _fill(frame, lines: list[str], size: float, bold: bool = False, colour: tuple = layout.INK,
          align: PP_ALIGN = PP_ALIGN.LEFT, anchor: MSO_ANCHOR = MSO_ANCHOR.TOP, space: float = 0) -> None:
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE  # the box keeps its place in the layout, whatever its text
    frame.vertical_anchor = anchor
    frame.margin_left = frame.margin_right = Inches(0.08)
    for i, line in enumerate(lines):
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        paragraph.alignment = align
        paragraph.space_after = Pt(space)
        for run in list(paragraph.runs):
            run._r.getparent().remove(run._r)
        _run(paragraph, line, size, bold, colour)


def _run(paragraph, text: str, size: float, bold: bool, colour: tuple) -> None:
    run = paragraph.add_run()
    run.text = text
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.name = "Arial"
    run.font.color.rgb = RGBColor(*colour)


def _table(page, box: Box, frame: pd.DataFrame, kinds: dict) -> None:
    """A published table as a native PowerPoint table (text, so it is read out and searchable)."""
    shown = [c for c in frame.columns if f"{c}_text" not in frame.columns]  # a rate's text, not its number
    rows = frame.head(MAX_ROWS)
    table = page.shapes.add_table(len(rows) + 1, len(shown), Inches(box.x), Inches(box.y), Inches(box.w),
                                  Inches(min(box.h, 0.32 * (len(rows) + 1)))).table
    for j, column in enumerate(shown):
        table.cell(0, j).text = str(column).removesuffix("_text").replace("_", " ").capitalize()
        for i, value in enumerate(rows[column]):
            if kinds.get(column) == COUNT and not isinstance(value, str) and not pd.isna(value):
                value = f"{int(value):,}"
            table.cell(i + 1, j).text = "–" if value is None or (not isinstance(value, str) and pd.isna(value)) \
                else str(value)
    for cell in (table.cell(i, j) for i in range(len(rows) + 1) for j in range(len(shown))):
        for paragraph in cell.text_frame.paragraphs:
            for run in paragraph.runs:
                run.font.size = Pt(11)
