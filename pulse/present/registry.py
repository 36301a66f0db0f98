"""The slide builders, keyed by page, and the slide sequence they make.

A page that has slides provides ONE function,

    def slides(view: Filters, context: Context) -> list[Slide]

built from that page's own published results (its pulse.pages module), and is listed once in
BUILDERS below under its page key (the page's url_path in app.py). BUILDERS' order is the standard
sequence of a presentation and a board pack: the Overview, the chosen KPIs, the ward map, leadership
adoption and resident voice (pulse/present/<page>.py each). The Data page has no slides: it is about
the files, not the council's figures.

A sequence is built in the background (SlideSequence), so presentation mode can draw its first slide
before the last is made; sequence() keeps one per view, data and policy for every reader.
"""

from __future__ import annotations

import sys
import threading
import time
import weakref
from collections.abc import Callable
from concurrent.futures import Future, wait
from dataclasses import dataclass
from functools import partial

import streamlit as st

from pulse import db
from pulse.filters import Filters, Options
from pulse.pages import policy_for
from pulse.present import kpis, leadership, overview, voice, wards
from pulse.present.slide import Context, Slide
from pulse.threads import side_by_side

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
    return SlideSequence(parts, options).all()


class SlideSequence:
    """A slide sequence being built in a background thread, page by page in the sequence's order.

    The first page's slides are built alone, so that the first slide is on screen as soon as they are;
    then the rest, two pages at a time (pulse.threads: each mostly waits on its own queries). upto()
    gives the slides ready so far, waiting only for the pages that hold the slide asked for, so a
    presenter sees slide 1 while the others are still being made. A page whose builder failed raises
    its exception where its slides would be.
    """

    def __init__(self, parts: list[Part] | tuple[Part, ...], options: Options) -> None:
        self.parts = tuple(parts)
        self._pages = [(part, page) for part in self.parts for page in part.pages]
        self._made: list[Future] = [Future() for _ in self._pages]
        self._all: list[Slide] | None = None
        self._started = time.perf_counter()
        self.seconds: float | None = None  # how long the whole sequence took, once it is built
        self._options = options
        self._thread = threading.Thread(target=self._build, name="pulse-slides", daemon=True)
        _BUILDING.add(self)
        self._thread.start()

    def _build(self) -> None:
        if self._pages:
            self._make(0)
        side_by_side([partial(self._make, n) for n in range(1, len(self._pages))])
        self.seconds = time.perf_counter() - self._started

    def _make(self, n: int) -> None:
        part, page = self._pages[n]
        try:
            self._made[n].set_result(BUILDERS[page](part.view, Context(self._options, part.kpis)))
        except BaseException as exc:  # raised to the reader who reaches these slides
            self._made[n].set_exception(exc)

    @property
    def complete(self) -> bool:
        """Whether every page's slides are built (or failed)."""
        return all(made.done() for made in self._made)

    @property
    def failed(self) -> bool:
        return any(made.done() and made.exception() is not None for made in self._made)

    def upto(self, count: int) -> tuple[list[Slide], bool]:
        """The slides ready so far, in order, waiting until there are at least `count` or the sequence
        is complete; and whether these are all of them."""
        out: list[Slide] = []
        seen: set[tuple] = set()
        for (part, _), made in zip(self._pages, self._made):
            if len(out) >= count and not made.done():
                return out, False
            for slide in self._result(made):
                identity = (slide.key, part.view)
                if identity not in seen:
                    seen.add(identity)
                    out.append(slide)
        return out, True

    def _result(self, made: Future) -> list[Slide]:
        """One page's slides, waiting for them; an error rather than a wait for ever if the building
        thread is gone without making them (it catches every builder's error, so it never should be)."""
        while not made.done():
            wait([made], timeout=1.0)
            if not made.done() and not self._thread.is_alive():
                raise RuntimeError("the slides stopped being built before this page's were made")
        return made.result()

    def all(self) -> list[Slide]:
        """Every slide, once the sequence is complete (the same list each time)."""
        if self._all is None:
            self._all = self.upto(sys.maxsize)[0]
        return self._all

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until every page's slides are built; whether they are."""
        self._thread.join(timeout)
        return not self._thread.is_alive()


_BUILDING: weakref.WeakSet[SlideSequence] = weakref.WeakSet()


def wait_for_all(timeout: float | None = None) -> None:
    """Wait until every slide sequence this process is building is built (a benchmark's "every slide
    ready", and a test's settled presentation)."""
    for building in list(_BUILDING):
        building.wait(timeout)


def sequence(parts: list[Part] | tuple[Part, ...], options: Options) -> SlideSequence:
    """The slide sequence, kept per sequence, database and disclosure policy, and shared by every reader:
    moving to the next slide (a rerun) draws the slide, it does not build the sequence again. One that
    failed is started afresh, so a passing fault is not kept."""
    key = (tuple(parts), options, db.database_stamp(db.db_path()), tuple(policy_for(p.view) for p in parts))
    made = _sequence(*key)
    if made.complete and made.failed:
        _sequence.clear(*key)
        made = _sequence(*key)
    return made


def built(parts: list[Part] | tuple[Part, ...], options: Options) -> list[Slide]:
    """Every slide of the sequence (waiting for those still being built). Slides are frozen, so one copy
    serves every reader."""
    return sequence(parts, options).all()


@st.cache_resource(show_spinner=False, max_entries=32)
def _sequence(parts: tuple[Part, ...], options: Options, stamp: tuple, policies: tuple) -> SlideSequence:
    return SlideSequence(parts, options)
