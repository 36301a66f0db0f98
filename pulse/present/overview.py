"""The Overview's slides, from the Overview page's own results (pulse.pages.overview.build).

Two slides, one message each: the four service KPIs with what changed, then requests by channel.
Every figure is the page's Figure for the same view; only the wording around them is new.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pandas as pd

from pulse import db, registry, wording
from pulse.disclosure import Chart, Sentence, join, sentence, static
from pulse.filters import Filters
from pulse.pages import overview, policy_for
from pulse.present.slide import Context, Slide, Tile, definitions, describe, on_slide

PAGE = "overview"
HEALTH = "Digital health index"
NO_REQUESTS = static("No service requests match these filters.")
NO_DATA = static("No data matches this view: widen the date range or remove a filter to see figures.")


def slides(view: Filters, context: Context) -> list[Slide]:
    """The Overview's slides for one view: headline KPIs, then requests by channel."""
    options = context.options
    page = overview.build(view, options.start, options.end)
    common = dict(page=PAGE, filters=describe(view, options), public_safe=policy_for(view).public_safe,
                  data_through=data_through(view))
    return [headline_slide(page, common), channel_slide(page, common)]


def data_through(view: Filters) -> date | None:
    """The last day every source in view has records for (capped at the view's end)."""
    lasts = db.query("data_through_by_source", **view.params())["last_date"].dropna()
    if lasts.empty:
        return None
    day = min(pd.Timestamp(d).date() for d in lasts)
    return min(day, view.date_to) if view.date_to else day


def tile_note(tile: overview.Tile) -> Sentence:
    """The words under a tile, as the Overview page writes them: 'Improving · Oct 2026'."""
    if tile.note:
        return on_slide(tile.note)
    return sentence("{words} · {month}", words=wording.variation_words(tile.variation), month=tile.period)


def headline_slide(page: overview.Overview, common: dict) -> Slide:
    """GOV.UK's four service KPIs and the health index, with what changed last quarter."""
    tiles = tuple(Tile(t.measure.name, t.value, t.change, tile_note(t)) for t in page.tiles)
    health_note = on_slide(page.health_note)
    tiles += (Tile(HEALTH, page.health, None, health_note),)
    notes = tuple(tile_words(t) for t in page.tiles) + (
        sentence("{name}: {value} ({note}).", name=HEALTH, value=page.health, note=health_note),)
    if page.uncosted:
        notes += (page.uncosted,)
    if page.readiness:
        notes += (page.readiness,)
    nothing = not any(t.value.shown for t in page.tiles)
    return Slide(
        key=PAGE, title=static("No data matches this view") if nothing else message(page.tiles), tiles=tiles,
        points=page.changes or (on_slide(page.no_changes),),
        points_title="What changed: the last full quarter against the one before",
        notes=notes + page.changes,
        definitions=definitions(m.key for m in registry.HEADLINES) + ((HEALTH, overview.HEALTH_HELP),),
        empty=NO_DATA if nothing else None, **common)


def channel_slide(page: overview.Overview, common: dict) -> Slide:
    """Requests by month and channel, the title stating how the digital share moved."""
    if page.chart is None:
        return Slide(key=f"{PAGE}:channels", title=static("Requests by channel"), empty=NO_REQUESTS,
                     notes=(NO_REQUESTS,), definitions=definitions(["digital_takeup"]), **common)
    title = Sentence(page.chart.spec.title)
    notes = (page.chart.alt_text,) + tuple(s for s in (page.chart_note, page.uncosted) if s)
    return Slide(key=f"{PAGE}:channels", title=title, chart=untitled(page.chart), caption=page.chart_note,
                 notes=notes, definitions=definitions(["digital_takeup"]), **common)


def untitled(chart: Chart) -> Chart:
    """The chart without its own title: on a slide the title above it says the same."""
    if isinstance(chart.spec, dict):  # a Vega-Lite spec written out (the pages' newer charts)
        return replace(chart, spec={k: v for k, v in chart.spec.items() if k != "title"})
    return replace(chart, spec=chart.spec.properties(title=""))


def tile_words(tile: overview.Tile) -> Sentence:
    """One tile in a sentence for the speaker: the value, its change and the verdict."""
    name = tile.measure.name
    if not tile.value.shown:
        if tile.note and tile.note.endswith("not shown."):  # not "not shown. … : not shown."
            return sentence("{name}: {why}", name=name, why=tile.note[:1].lower() + tile.note[1:])
        return sentence("{name}: not shown. {why}", name=name, why=tile_note(tile) if tile.note else
                        static("No figure."))
    verdict = wording.variation_words(tile.variation) if tile.note is None else str(tile_note(tile))
    if tile.change.shown and not any(c in "123456789" for c in tile.change.text):
        # Not "+0.0 pts on May 2026": equal figures are unchanged, not a rise of nothing.
        return sentence("{name}: {value} in {month}, unchanged on {previous}. {verdict}.", name=name,
                        value=tile.value, month=tile.period, previous=tile.previous, verdict=verdict.rstrip("."))
    if tile.change.shown:
        return sentence("{name}: {value} in {month}, {change} on {previous}. {verdict}.", name=name,
                        value=tile.value, month=tile.period, change=tile.change, previous=tile.previous,
                        verdict=verdict.rstrip("."))
    return sentence("{name}: {value} in {month}. {verdict}.", name=name, value=tile.value, month=tile.period,
                    verdict=verdict.rstrip("."))


def message(tiles: tuple[overview.Tile, ...]) -> Sentence:
    """The headline slide's title: which of the four KPIs are really improving or getting worse (SPC)."""
    judged = [t for t in tiles if t.variation is not None]
    if not judged and tiles and all(t.note for t in tiles):
        # Each is not informative, needs an export, or hides its latest month: months are not what is missing.
        return static("GOV.UK's four service KPIs: none can be judged with this data")
    if not judged:
        return static("GOV.UK's four service KPIs: too few months with figures to judge yet")
    better = [t.measure.name for t in judged if t.variation == "improvement"]
    worse = [t.measure.name for t in judged if t.variation == "concern"]
    if not better and not worse:
        return static("GOV.UK's four service KPIs show no significant change")
    parts = []
    if better:
        parts.append(f"{_names(better)} {'is' if len(better) == 1 else 'are'} improving")
    if worse:
        parts.append(f"{_names(worse)} {'is' if len(worse) == 1 else 'are'} getting worse")
    if not worse:
        parts.append("none is getting worse")
    elif not better:
        parts.append("none is improving")
    text = "; ".join(parts)
    return join([text[0].upper() + text[1:]])


def _names(names: list[str]) -> str:
    """'Digital take-up', 'digital take-up and cost per transaction', 'a, b and c' (lower case: mid-sentence)."""
    lowered = [n[0].lower() + n[1:] for n in names]
    return lowered[0] if len(lowered) == 1 else ", ".join(lowered[:-1]) + " and " + lowered[-1]
