"""The slide builders, keyed by page, and the slide sequence they make.

A page that has slides provides ONE function,

    def slides(view: Filters, context: Context) -> list[Slide]

built from that page's own published results (its pulse.pages module), and is listed once in
BUILDERS below under its page key (the page's url_path in app.py). BUILDERS' order is the standard
sequence of a presentation and a board pack: the Overview, the chosen KPIs, the ward map, leadership
adoption and resident voice (pulse/present/<page>.py each). The Data page has no slides: it is about
the files, not the council's figures.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

import streamlit as st

from pulse import db
from pulse.filters import Filters, Options
from pulse.pages import policy_for
from pulse.present import kpis, leadership, overview, voice, wards
from pulse.present.slide import Context, Slide
from pulse.threads import raised, side_by_side

SlideBuilder = Callable[[Filters, Context], list[Slide]]

BUILDERS: dict[str, SlideBuilder] = {
    "overview": overview.slides,
    "kpis": kpis.slides,
    "wards": wards.slides,
    "leadership": leadership.slides,
    "voice": voice.slides,
}
STANDARD = tuple(BUILDERS)


@dataclass(frozen=True)
class Part:
    """One part of a slide sequence: some pages' slides for one view (the current one, or a saved view)."""

    view: Filters
    pages: tuple[str, ...] = STANDARD
    kpis: tuple[str, ...] | None = None  # KPI slides chosen; None: the default choice
    name: str | None = None  # the saved view's name, when it comes from one


def pages_for(page: str | None) -> tuple[str, ...]:
    """The pages a saved view of `page` puts on slides: that page's own, or the standard sequence."""
    return (page,) if page in BUILDERS and page != "overview" else STANDARD


def build(parts: list[Part] | tuple[Part, ...], options: Options) -> list[Slide]:
    """Every part's slides in order; a slide repeated by two parts with the same view is kept once."""
    out: list[Slide] = []
    seen: set[tuple] = set()
    for part in parts:
        context = Context(options, part.kpis)
        # The pages' builders side by side (pulse.threads): each mostly waits on its own queries.
        made = side_by_side([partial(BUILDERS[page], part.view, context) for page in part.pages])
        for slides in made:
            for slide in raised(slides):
                identity = (slide.key, part.view)
                if identity in seen:
                    continue
                seen.add(identity)
                out.append(slide)
    return out


def built(parts: list[Part] | tuple[Part, ...], options: Options) -> list[Slide]:
    """build(), kept per sequence, database and disclosure policy: moving to the next slide (a rerun) draws
    the slide, it does not build the sequence again. Slides are frozen, so one copy serves every reader."""
    parts = tuple(parts)
    return _built(parts, options, db.database_stamp(db.db_path()), tuple(policy_for(p.view) for p in parts))


@st.cache_resource(show_spinner=False, max_entries=32)
def _built(parts: tuple[Part, ...], options: Options, stamp: tuple, policies: tuple) -> list[Slide]:
    return build(parts, options)
