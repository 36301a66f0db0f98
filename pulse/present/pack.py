"""The board pack: the slide sequence with a cover, its charts and maps drawn offline, as a PowerPoint
file or a PDF. The app's download button and `python -m pulse pack` both call make()."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from pulse.disclosure import Sentence, sentence, static
from pulse.filters import Filters, Options
from pulse.pages import policy_for
from pulse.present import images, pdf_file, pptx_file, registry
from pulse.present.registry import Part
from pulse.present.slide import PUBLIC_SAFE_NOTE, Slide, describe

FORMATS = {".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
           ".pdf": "application/pdf"}
TITLE = "Council Pulse board pack"
NOTHING = static("There is nothing to show for this view: no page in it has slides, or none of its KPIs has "
                 "figures. Widen the filters, or choose other KPIs.")


@dataclass(frozen=True)
class Request:
    """What a board pack is made of: the slide sequence's parts, in a format. Calling it makes the file."""

    parts: tuple[Part, ...]
    options: Options
    suffix: str = ".pptx"

    def __call__(self) -> bytes:
        """The file's bytes (Streamlit calls this when the download button is clicked)."""
        return make(self.parts, self.options, self.suffix)


def make(parts: Sequence[Part], options: Options, suffix: str, made: date | None = None) -> bytes:
    """The board pack of a slide sequence, as .pptx or .pdf."""
    if suffix not in FORMATS:
        raise ValueError(f"a board pack is .pptx or .pdf, not {suffix or 'a file without an extension'}")
    slides = with_cover(registry.built(parts, options), parts, options, made or date.today())
    pictures = render(slides)
    writer = pptx_file.write if suffix == ".pptx" else pdf_file.write
    return writer(slides, pictures, TITLE)


def render(slides: Sequence[Slide]) -> dict[int, bytes]:
    """Every slide's chart or map as a PNG, by position."""
    pictures = {}
    for number, slide in enumerate(slides):
        if slide.empty is not None:
            continue
        if slide.chart is not None:
            pictures[number] = images.chart_png(slide.chart, *picture_size(slide))
        elif slide.deck is not None:
            width = 980 if slide.legend is not None else 1100  # a map with its key beside it: the two fit the box
            pictures[number] = images.deck_png(slide.deck, width, legend=slide.legend, legend_title=slide.legend_title)
    return pictures


def picture_size(slide: Slide) -> tuple[int, int]:
    """A chart's size in CSS pixels for its box (96 to the inch), so its type reads at slide size."""
    from pulse.present import layout

    box = next(b for b in layout.boxes(slide) if b.kind in ("chart", "map"))
    return int(box.w * 96), int(box.h * 96)


def with_cover(slides: list[Slide], parts: Sequence[Part], options: Options, made: date) -> list[Slide]:
    """The slides after a cover that lists their messages; an empty sequence says so on a slide of its own."""
    first = parts[0].view if parts else None
    filters = describe(first, options) if first else static("no view")
    public = any(policy_for(part.view).public_safe for part in parts) or any(s.public_safe for s in slides)
    through = max((s.data_through for s in slides if s.data_through), default=None)
    if not slides:
        slides = [nothing(first or Filters(), options)]
    views = tuple(sentence("Saved view “{name}”: {words}", name=p.name, words=describe(p.view, options))
                  if p.name else sentence("This view: {words}", words=describe(p.view, options)) for p in parts)
    cover = Slide(
        key="cover", page="pack", filters=filters, public_safe=public, data_through=through,
        title=sentence("{title}: figures to {day:%-d %b %Y}", title=TITLE, day=through) if through else Sentence(TITLE),
        points=tuple(s.title for s in slides), points_title="In this pack",
        notes=(sentence("Made on {day:%-d %b %Y}.", day=made),) + views + ((PUBLIC_SAFE_NOTE,) if public else ()),
    )
    return [cover] + slides


def nothing(view: Filters, options: Options) -> Slide:
    """The slide of an empty sequence: it says so, rather than failing."""
    return Slide(key="nothing", page="pack", title=static("Nothing to show for this view"),
                 filters=describe(view, options), public_safe=policy_for(view).public_safe, empty=NOTHING,
                 notes=(NOTHING,))


def file_name(suffix: str, through: date | None = None) -> str:
    """'council-pulse-board-pack-2026-10-31.pptx'."""
    return f"council-pulse-board-pack{'-' + through.isoformat() if through else ''}{suffix}"
