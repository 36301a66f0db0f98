"""A slide: one message on one screen, made only of what the disclosure gate published.

A page's slide builder turns the page's own results (pulse.pages) into Slides; the presentation
view draws them, and the board pack writes them to PowerPoint and PDF. So a figure on a slide is
the figure on the page for the same view, and every one of them has passed pulse.disclosure.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from pulse import registry
from pulse.disclosure import Chart, Deck, Figure, Sentence, Table, sentence, static
from pulse.filters import Filters, Options

PUBLIC_SAFE = "Public-safe figures"
PUBLIC_SAFE_NOTE = static("Public-safe: counts rounded to the nearest 5, small numbers hidden, free text and "
                          "staff-level detail left out.")


@dataclass(frozen=True)
class Tile:
    """A headline figure on a slide: what it is, its value, its change and a line of words under it."""

    label: str
    value: Figure
    change: Figure | None = None
    note: Sentence | None = None  # "Improving · Oct 2026"


@dataclass(frozen=True)
class Slide:
    """One screen of a presentation and one page of a board pack."""

    key: str  # unique within a sequence: "overview", "kpi:digital_takeup"
    page: str  # the page it comes from, as the slide builder registry names it
    title: Sentence  # the message, in a sentence made from the data
    filters: Sentence  # the view, in words
    public_safe: bool
    data_through: date | None = None
    tiles: tuple[Tile, ...] = ()
    chart: Chart | None = None
    deck: Deck | None = None  # a map
    legend: Table | None = None  # the map's key: colour, label, note, hatched (as pulse.ui.legend draws it)
    legend_title: Sentence | None = None
    table: Table | None = None
    points: tuple[Sentence, ...] = ()  # short lines under the body ("what changed")
    points_title: str | None = None  # their heading: "What changed"
    caption: Sentence | None = None  # a note under the chart
    notes: tuple[Sentence, ...] = ()  # speaker notes, with the figures in words
    definitions: tuple[tuple[str, Sentence], ...] = ()  # (measure, its definition), from pulse.registry
    empty: Sentence | None = None  # why there is nothing to show, when there is nothing

    @property
    def through(self) -> Sentence:
        """'Data through 31 Oct 2026', or that there is none."""
        if self.data_through is None:
            return static("No data in this view")
        return sentence("Data through {day:%-d %b %Y}", day=self.data_through)

    @property
    def footer(self) -> Sentence:
        """The view and data-through line every slide carries."""
        parts = [self.filters, self.through] + ([static(PUBLIC_SAFE)] if self.public_safe else [])
        return Sentence(" · ".join(parts))


@dataclass(frozen=True)
class Context:
    """What slide builders need besides the view: the data's filter values, and the chosen KPIs."""

    options: Options = field(default_factory=Options)
    kpis: tuple[str, ...] | None = None  # KPI ids for slides; None: those showing special-cause variation


def describe(view: Filters, options: Options) -> Sentence:
    """The view in words: '1 Nov 2023 to 31 Oct 2026 · Ward: Riverside North · Channel: phone'."""
    parts: list[Sentence] = []
    if view.date_from and view.date_to:
        parts.append(sentence("{a:%-d %b %Y}", a=view.date_from) if view.date_from == view.date_to else
                     sentence("{a:%-d %b %Y} to {b:%-d %b %Y}", a=view.date_from, b=view.date_to))
    chosen = (("Directorate", view.directorates), ("Service", view.services),
              ("Channel", tuple(c.replace("_", " ") for c in view.channels)),
              ("Ward", tuple(options.wards.get(w, w) for w in view.wards)))
    for label, values in chosen:
        if values:
            plural = label + ("s" if len(values) > 1 else "")
            parts.append(sentence("{label}: {values}", label=plural, values=", ".join(values)))
    if not any(values for _, values in chosen):
        parts.append(static("the whole council"))
    return Sentence(" · ".join(parts))


def definitions(names_and_keys: Iterable[str]) -> tuple[tuple[str, Sentence], ...]:
    """Each built-in measure's name and definition, from pulse.registry, in the order given."""
    out = []
    for key in dict.fromkeys(names_and_keys):
        measure = registry.MEASURES.get(key)
        if measure is not None:
            out.append((measure.name, measure.definition))
    return tuple(out)


def on_slide(said: Sentence) -> Sentence:
    """A page's sentence without its pointers to the page around it ("see above", "see the note at the
    top"): a slide has no such place; what the exports cannot show is in its speaker notes."""
    for pointer, instead in ((": see above.", "."), (" (see above)", ""), (" (see below)", ""),
                             (" (see the note at the top)", "")):
        said = Sentence(said.replace(pointer, instead))
    return said
