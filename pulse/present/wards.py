"""The Ward maps page's slides, from the page's own results (pulse.pages.wards.build).

Two slides, one message each: the ward map of digital take-up (or, when the data cannot show
take-up, of the first measure it can) with its key, then the priority wards — below the borough's
take-up and in its more deprived half — in the page's own sentences. Every figure is the page's
published one for the same view and the same chosen ward; only the wording around them is new.
"""

from __future__ import annotations

import re

from pulse import registry
from pulse.disclosure import Sentence, Table, join, reference, sentence, static
from pulse.filters import Filters
from pulse.pages import policy_for
from pulse.pages import wards as ward_page
from pulse.present.overview import data_through
from pulse.present.slide import Context, Slide, definitions, describe, on_slide

PAGE = "wards"
MEASURE = "digital_takeup"  # the map a board sees first, when the data can show it
PRIORITY_SHOWN = 5  # priority wards on the slide; the notes and the page list them all
NO_WARD_FIGURES = static("No ward has a figure that can be shown for these filters: widen the date range or remove "
                         "a filter.")
NO_PRIORITY = static("No ward has both digital take-up below the borough's and deprivation in its more deprived "
                     "half, or take-up or deprivation figures are missing for these filters.")
PRIORITY_POINTS = "Priority wards, most in need first: where assisted-digital help is likely to do most"
RANKED = re.compile(r"^\d+\. ")


def slides(view: Filters, context: Context) -> list[Slide]:
    """The Ward maps page's slides for one view: the map, then the priority wards."""
    common = dict(page=PAGE, filters=describe(view, context.options), public_safe=policy_for(view).public_safe,
                  data_through=data_through(view))
    if not ward_page.has_boundaries():
        return [empty_slide(PAGE, static("Ward map: no ward boundaries are loaded"), ward_page.NO_BOUNDARIES, common)]
    available = ward_page.availability().keys
    if not available:
        return [empty_slide(PAGE, static("Ward map: no requests or feedback are loaded"), ward_page.NO_RECORDS, common)]
    key = MEASURE if MEASURE in available else available[0]
    page = ward_page.build(view, ward_page.MapChoice(key), chosen_ward(view))
    shown = map_slide(page, key, common)
    if shown.empty is not None:  # no ward has a figure: one slide says so
        return [shown]
    return [shown, priority_slide(page, common)]


def chosen_ward(view: Filters) -> str | None:
    """The ward whose profile the page opens for this view: the sidebar's first ward (as views/wards.py does)."""
    ward = next(iter(view.wards), None)
    return ward if ward in ward_page.ward_names() else None


def empty_slide(key: str, title: Sentence, why: Sentence, common: dict) -> Slide:
    """A slide that says why there is nothing to show."""
    return Slide(key=key, title=title, empty=why, notes=(why,), **common)


def plain(text: Sentence | None) -> Sentence | None:
    """The page's words without Markdown emphasis (a slide has no Markdown)."""
    return None if text is None else Sentence(str(text).replace("**", ""))


def map_slide(page: ward_page.WardPage, key: str, common: dict) -> Slide:
    """The map, its key beside it, the borough's figure under it; the title names the highest and lowest wards."""
    measure = registry.measure(key)
    ends = extremes(page.ranked)
    if ends is None:
        return empty_slide(PAGE, sentence("{name} by ward: no ward can be shown", name=measure.name), NO_WARD_FIGURES,
                           common)
    highest, lowest = ends
    title = sentence("{name} is highest in {high} and lowest in {low}", name=measure.name, high=highest, low=lowest)
    borough = plain(page.borough)
    key_words = [sentence("{label}: {note}", label=row.label, note=row.note)
                 for row in page.legend.frame.itertuples(index=False)]
    notes = (title, borough, sentence("The map's colours, lowest first: {rows}.", rows=join(key_words, sep="; ")),
             page.deprivation_note, page.unmapped)
    return Slide(key=PAGE, title=title, deck=page.deck, legend=page.legend, legend_title=page.legend_title,
                 caption=borough, notes=tuple(n for n in notes if n is not None),
                 definitions=definitions([key]), **common)


def extremes(ranked: Table) -> tuple[str, str] | None:
    """The highest- and lowest-ranked wards of the page's rank table (rank 1 is the highest), or None when no
    ward has a figure (or only one does)."""
    frame = ranked.frame
    shown = frame[frame["Rank"].notna()]
    if len(shown) < 2:
        return None
    ordered = shown.sort_values(["Rank", "Ward"], kind="stable")
    return str(ordered["Ward"].iloc[0]), str(ordered["Ward"].iloc[-1])


def priority_slide(page: ward_page.WardPage, common: dict) -> Slide:
    """The priority wards, most in need first, in the page's own sentences."""
    key_name = f"{PAGE}:priority"
    defined = definitions([MEASURE])
    if page.priority is None:  # the data cannot show digital take-up
        return Slide(key=key_name, title=static("Priority wards need digital take-up figures"),
                     empty=on_slide(page.priority_note), notes=(page.priority_note,), definitions=defined, **common)
    # The page numbers its list ("1. **Ward** — …"); a slide's points are bullets in the same order.
    lines = tuple(plain(Sentence(RANKED.sub("", line))) for line in str(page.priority).split("\n") if line.strip())
    if not lines:
        return Slide(key=key_name, title=static("No ward stands out as a priority for assisted-digital help"),
                     empty=NO_PRIORITY, notes=tuple(n for n in (NO_PRIORITY, page.deprivation_note) if n),
                     definitions=defined, **common)
    wards = list(page.priority_table.frame["Ward"].astype(str))
    title = priority_title(wards)
    rule = plain(ward_page.PRIORITY_RULE)
    notes = (title, rule) + lines + ((page.deprivation_note,) if page.deprivation_note else ())
    return Slide(key=key_name, title=title, points=lines[:PRIORITY_SHOWN], points_title=PRIORITY_POINTS,
                 notes=notes, definitions=defined, **common)


def priority_title(wards: list[str]) -> Sentence:
    """'Digital take-up is below the borough's in 9 wards of its more deprived half'."""
    if len(wards) == 1:
        return sentence("Digital take-up is below the borough's in one ward of its more deprived half: {ward}",
                        ward=wards[0])
    return sentence("Digital take-up is below the borough's in {n} wards of its more deprived half",
                    n=reference(len(wards)))
