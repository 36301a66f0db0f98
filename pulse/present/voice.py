"""The Resident voice page's slides, from the page's own results (pulse.pages.voice.build).

Two slides, one message each: user satisfaction over time (the page's XmR chart and tiles), then
what residents write about (the page's theme chart). Every figure is the page's published one.
Example comments are free text: only inside the council, and then only in the speaker notes, as
the page shows them; in public-safe mode the page has none to give and the slides say so.
"""

from __future__ import annotations

import re

from pulse import wording
from pulse.disclosure import Sentence, sentence, static
from pulse.filters import Filters
from pulse.pages import overview, policy_for
from pulse.pages import voice as voice_page
from pulse.pages import voice_gaps, voice_themes
from pulse.present.overview import data_through, tile_note, tile_words, untitled
from pulse.present.slide import Context, Slide, Tile, definitions, describe

PAGE = "voice"
QUOTES = 2  # example comments per theme in the speaker notes
NO_RATINGS = static("No rated feedback matches these filters: widen the dates or clear a filter.")
NO_COMMENTS = static("No comments match these filters, so there are no themes to show.")
NO_THEMES = static("Every theme has too few comments in this view to show; widen the dates or clear a filter.")
NO_FREE_TEXT = static("Residents' own words are left out of public-safe figures.")
ESCAPED = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>~<])")  # the page's Markdown escapes (voice_themes.quotes)


def slides(view: Filters, context: Context) -> list[Slide]:
    """The Resident voice page's slides for one view: satisfaction over time, then the comments' themes."""
    options = context.options
    page = voice_page.build(view, options.min_date, options.max_date)
    public = policy_for(view).public_safe
    common = dict(page=PAGE, filters=describe(view, options), public_safe=public, data_through=data_through(view))
    if page.distribution is None and page.themes is None:  # no feedback in view: one slide says so
        return [satisfaction_slide(page, common)]
    return [satisfaction_slide(page, common), themes_slide(page, public, common)]


def no_feedback(page: voice_page.Voice) -> Sentence:
    """Why there are no ratings: no feedback export at all, or none in this view."""
    return voice_gaps.NO_FEEDBACK if voice_gaps.NO_FEEDBACK in page.gaps else NO_RATINGS


def satisfaction_slide(page: voice_page.Voice, common: dict) -> Slide:
    """User satisfaction's XmR chart, with its tile and the responses beside it."""
    defined = definitions(m.tile.measure.key for m in page.measures)
    if page.distribution is None:
        why = no_feedback(page)
        return Slide(key=PAGE, title=static("No resident ratings to show for this view"), empty=why, notes=(why,),
                     definitions=defined, **common)
    first = page.measures[0]
    tiles = (Tile(first.tile.measure.name, first.tile.value, first.tile.change, tile_note(first.tile)),
             Tile("Responses", page.responses, None, sentence("{n} with a comment", n=page.comments)))
    title = headline(first.tile)
    notes = (title,) + tuple(tile_words(m.tile) for m in page.measures) + tuple(
        s for s in (sentence("{n} rated responses, {c} with a comment.", n=page.responses, c=page.comments),
                    page.channel_sentence, first.note, page.public_note) if s)
    points = (page.channel_sentence,) if page.channel_sentence else ()
    if first.chart is None:  # no month to follow (public-safe figures need big months): how residents rated us
        why = first.tile.note or static("Too few months with ratings to draw satisfaction over time.")
        return Slide(key=PAGE, title=rated_title(page), chart=untitled(page.distribution_chart), tiles=tiles[1:],
                     points=(why,), notes=notes, definitions=defined, **common)
    return Slide(key=PAGE, title=title, chart=untitled(first.chart), tiles=tiles, points=points, notes=notes,
                 definitions=defined, **common)


def headline(tile: overview.Tile) -> Sentence:
    """'User satisfaction is improving: 80.4% in Oct 2026', from the tile's published figure and SPC verdict."""
    name = tile.measure.name
    if not tile.value.shown:
        return sentence("{name}: no figure to show for the latest month", name=name)
    return sentence("{name} {verb}: {value} in {month}", name=name, verb=wording.VARIATION_VERB[tile.variation],
                    value=tile.value, month=tile.period)


def rated_title(page: voice_page.Voice) -> Sentence:
    """'How residents rated us: 2,075 rated responses' (the title when no month of satisfaction can be followed)."""
    if not page.responses.shown:
        return static("How residents rated us in this view")
    return sentence("How residents rated us: {n} rated responses", n=page.responses)


def themes_slide(page: voice_page.Voice, public: bool, common: dict) -> Slide:
    """The page's theme chart; the title says which themes residents mention most, and the most negative."""
    key = f"{PAGE}:themes"
    if page.themes is None or page.theme_chart is None:
        why = NO_COMMENTS if page.themes is None else NO_THEMES
        return Slide(key=key, title=static("No comment themes to show for this view"), empty=why, notes=(why,),
                     **common)
    top, worst = leading(page)
    title = static("What residents write about") if top is None else sentence(
        "Residents write most about “{top}”", top=top) if worst is None else sentence(
        "Residents write most about “{top}”; the commonest complaint is “{worst}”", top=top, worst=worst)
    caption = sentence("From {n} comments; a comment can mention several themes, and counts in each.",
                       n=page.comments)
    notes = (title, voice_page.theme_title(page.themes), caption) + page.withheld + (
        quotes(page, top, worst) if not public else (NO_FREE_TEXT,))
    return Slide(key=key, title=title, chart=untitled(page.theme_chart), caption=caption, notes=notes, **common)


def leading(page: voice_page.Voice) -> tuple[str | None, str | None]:
    """The most mentioned theme and the most mentioned negative one, among those whose count the page shows
    (as its chart title picks them, voice.theme_title)."""
    frame = page.themes.frame
    shown = frame[frame["comments_value"].notna() & (frame["Theme"] != voice_themes.OTHER)]
    negative = shown[shown["Feeling"] == "Negative"].sort_values("comments_value", ascending=False, kind="stable")
    if shown.empty:  # only "Other" can be shown
        return None, None
    return str(shown["Theme"].iloc[0]), str(negative["Theme"].iloc[0]) if len(negative) else None


def quotes(page: voice_page.Voice, *themes: str | None) -> tuple[Sentence, ...]:
    """A few of residents' own words about these themes, redacted as the page shows them (free text, so never in
    public-safe mode)."""
    out: list[Sentence] = []
    for theme in dict.fromkeys(t for t in themes if t):
        if theme in page.examples:
            lines = voice_themes.quotes(page.examples[theme])[:QUOTES]
            out += [sentence("{theme}: {quote}", theme=theme, quote=ESCAPED.sub(r"\1", str(line))) for line in lines]
    return tuple(out)
