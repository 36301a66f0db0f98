"""Slides as a PDF (fpdf2): each page the slide as the PowerPoint lays it out, with its speaker notes
printed underneath, as PowerPoint's notes pages are. Text stays text (searchable, read aloud), each
picture carries its alt text, and each slide is a bookmark named by its message."""

from __future__ import annotations

import io
from collections.abc import Sequence

import pandas as pd
from fpdf import FPDF
from fpdf.enums import MethodReturnValue, XPos, YPos

from pulse.disclosure import COUNT
from pulse.present import layout
from pulse.present.images import font_dir
from pulse.present.layout import Box
from pulse.present.pptx_file import MAX_ROWS, notes
from pulse.present.slide import PUBLIC_SAFE, Slide

NOTES_HEIGHT = 2.6  # inches of notes under the slide
PAGE = (layout.WIDTH, layout.HEIGHT + NOTES_HEIGHT)


def write(slides: Sequence[Slide], pictures: dict[int, bytes], title: str) -> bytes:
    """The PDF of a slide sequence; pictures[i] is slide i's chart or map as a PNG."""
    pdf = FPDF(orientation="L", unit="in", format=(PAGE[1], PAGE[0]))
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    fonts = font_dir()
    pdf.add_font(layout.FONT, "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font(layout.FONT, "B", str(fonts / "DejaVuSans-Bold.ttf"))
    pdf.set_title(title)
    pdf.set_author("Council Pulse")
    pdf.set_lang("en-GB")
    pdf.set_creator("Council Pulse")
    for number, slide in enumerate(slides):
        pdf.add_page()
        pdf.start_section(str(slide.title))
        for box in layout.boxes(slide):
            _draw(pdf, box, slide, pictures.get(number), number + 1, len(slides))
        _notes(pdf, slide)
    return bytes(pdf.output())


def _draw(pdf: FPDF, box: Box, slide: Slide, picture: bytes | None, number: int, total: int) -> None:
    if box.kind == "title":
        _text(pdf, box, str(slide.title), bold=True)
    elif box.kind == "badge":
        pdf.set_fill_color(*layout.BADGE)
        pdf.rect(box.x, box.y, box.w, box.h, style="F")
        _text(pdf, box, PUBLIC_SAFE.upper(), bold=True, colour=(255, 255, 255), align="C", middle=True)
    elif box.kind == "tiles":
        for tile, (x, y, w, h) in zip(slide.tiles, layout.tile_cells(box, len(slide.tiles))):
            pdf.set_fill_color(*layout.TILE_FILL)
            pdf.rect(x, y, w, h, style="F")
            lines = [(tile.label, 11, False, layout.MUTED), (tile.value.text, 26 if w > 2.2 else 22, True, layout.INK)]
            if tile.change is not None and tile.change.shown:
                lines.append((tile.change.text, 11, False, layout.INK))
            if tile.note:
                lines.append((str(tile.note), 10, False, layout.MUTED))
            pdf.set_xy(x + 0.1, y + 0.08)
            for text, size, bold, colour in lines:
                pdf.set_font(layout.FONT, "B" if bold else "", size)
                pdf.set_text_color(*colour)
                pdf.set_x(x + 0.1)
                pdf.multi_cell(w - 0.2, size / 72 * 1.25, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    elif box.kind in ("chart", "map") and picture is not None:
        shown = slide.chart if box.kind == "chart" else slide.deck
        pdf.image(io.BytesIO(picture), x=box.x, y=box.y, w=box.w, h=box.h, keep_aspect_ratio=True,
                  alt_text=str(shown.alt_text))
    elif box.kind == "table" and slide.table is not None:
        _table(pdf, box, slide.table.frame, slide.table.kinds)
    elif box.kind == "points":
        if slide.points_title:
            _text(pdf, Box("heading", box.x, box.y, box.w, 0.35, 13), slide.points_title, bold=True,
                  colour=layout.MUTED)
            box = Box(box.kind, box.x, box.y + 0.4, box.w, box.h - 0.4, box.size)
        _text(pdf, box, "\n".join(f"• {p}" for p in slide.points), gap=0.35)
    elif box.kind == "caption" and slide.caption:
        _text(pdf, box, str(slide.caption), colour=layout.MUTED)
    elif box.kind == "empty" and slide.empty:
        _text(pdf, box, str(slide.empty))
    elif box.kind == "footer":
        _text(pdf, box, str(slide.footer), colour=layout.MUTED)
    elif box.kind == "number":
        _text(pdf, box, f"{number} / {total}", colour=layout.MUTED, align="R")
    elif box.kind == "definitions" and slide.definitions:
        _text(pdf, box, "Definitions: " + "  ·  ".join(f"{n}: {w}" for n, w in slide.definitions),
              colour=layout.MUTED)


def _notes(pdf: FPDF, slide: Slide) -> None:
    """The speaker notes under a rule, below the slide."""
    top = layout.HEIGHT + 0.1
    pdf.set_draw_color(*layout.MUTED)
    pdf.set_line_width(0.01)
    pdf.line(layout.MARGIN, top, layout.WIDTH - layout.MARGIN, top)
    heading = Box("notes", layout.MARGIN, top + 0.1, layout.INNER, 0.3, 11)
    _text(pdf, heading, "Speaker notes", bold=True, colour=layout.MUTED)
    lines = notes(slide, context=False)
    body = Box("notes", layout.MARGIN, top + 0.45, layout.INNER, NOTES_HEIGHT - 0.65, 10)
    _text(pdf, body, "\n".join(lines), colour=layout.INK)


def _text(pdf: FPDF, box: Box, text: str, bold: bool = False, colour: tuple = layout.INK, align: str = "L",
          middle: bool = False, gap: float = 0.0) -> None:
    """Text wrapped in a box, its type made smaller (to 60%) until it fits."""
    size = box.size
    pdf.set_text_color(*colour)
    while True:
        pdf.set_font(layout.FONT, "B" if bold else "", size)
        height = size / 72 * 1.22
        lines = [pdf.multi_cell(box.w, height, part, align=align, dry_run=True, output=MethodReturnValue.LINES)
                 for part in text.split("\n")]
        needed = sum(len(parts) for parts in lines) * height + gap * height * (len(lines) - 1)
        if needed <= box.h or size <= box.size * 0.6:
            break
        size -= 0.5
    y = box.y + (box.h - needed) / 2 if middle else box.y
    for part in text.split("\n"):
        pdf.set_xy(box.x, y)
        pdf.multi_cell(box.w, height, part, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        y = pdf.get_y() + gap * height


def _table(pdf: FPDF, box: Box, frame: pd.DataFrame, kinds: dict) -> None:
    """A published table as a PDF table."""
    shown = [c for c in frame.columns if f"{c}_text" not in frame.columns]
    pdf.set_font(layout.FONT, "", 10)
    pdf.set_text_color(*layout.INK)
    pdf.set_xy(box.x, box.y)
    with pdf.table(width=box.w, col_widths=None, text_align="LEFT", line_height=0.25) as table:
        table.row([str(c).removesuffix("_text").replace("_", " ").capitalize() for c in shown])
        for record in frame.head(MAX_ROWS)[shown].itertuples(index=False):
            cells = []
            for column, value in zip(shown, record):
                if kinds.get(column) == COUNT and not isinstance(value, str) and not pd.isna(value):
                    value = f"{int(value):,}"
                cells.append("–" if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value))
            table.row(cells)
