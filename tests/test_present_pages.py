"""The ward map, leadership and resident-voice slides: each figure is the page's own for the same view (on
the demo borough and the tiny fixture), public-safe slides hold no free text and no headcount, a source
that is not loaded gives a slide that says so, and every title is a sentence made from the data."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from pulse.filters import Filters, Options, read_options
from pulse.pages import leadership, voice, wards
from pulse.present import leadership as leadership_slides
from pulse.present import registry
from pulse.present import voice as voice_slides
from pulse.present import wards as ward_slides
from pulse.present.slide import Context, Slide
from tests.conftest import TINY

NEW = ("wards", "leadership", "voice")


@pytest.fixture(params=["demo", "tiny"])
def borough(request, monkeypatch) -> Options:
    """The demo borough, then the tiny fixture, as the current database; their filter values."""
    monkeypatch.setenv("PULSE_DB", str(request.getfixturevalue(f"{request.param}_db")))
    return read_options()[0]


@pytest.fixture(scope="module")
def requests_only(tmp_path_factory) -> Path:
    """A council that has loaded one export: service requests, without boundaries, feedback or adoption."""
    from pulse.ingest import ingest

    folder = tmp_path_factory.mktemp("requests_only")
    shutil.copy(TINY / "service_requests.csv", folder / "service_requests.csv")
    ingest(folder, folder / "pulse.duckdb")
    return folder / "pulse.duckdb"


def whole(options: Options, **chosen) -> Filters:
    return Filters(options.min_date, options.max_date, **chosen)


def texts(slide: Slide) -> list[str]:
    """Every piece of words on a slide, as the screen and the pack write it."""
    out = [str(slide.title), str(slide.footer), str(slide.empty or ""), str(slide.caption or "")]
    out += [str(p) for p in slide.points] + [str(n) for n in slide.notes] + [str(w) for _, w in slide.definitions]
    out += [f"{t.label} {t.value.text} {t.change.text if t.change else ''} {t.note or ''}" for t in slide.tiles]
    return out


# --------------------------------------------------------------------------- ward map


@pytest.mark.parametrize("public", [False, True])
def test_ward_slides_show_the_ward_pages_figures(borough, public):
    view = whole(borough, public_safe=public)
    shown = ward_slides.slides(view, Context(borough))
    key = ward_slides.MEASURE if ward_slides.MEASURE in wards.availability().keys else wards.availability().keys[0]
    page = wards.build(view, wards.MapChoice(key), None)
    first = shown[0]
    if first.empty is not None:  # the tiny fixture: too few requests in any ward to show one
        assert first.empty == ward_slides.NO_WARD_FIGURES and len(shown) == 1
        assert page.ranked.frame["Rank"].notna().sum() < 2
        return
    assert first.deck.data.frame.equals(page.deck.data.frame)  # the page's map: colours and tooltips
    assert first.legend.frame.equals(page.legend.frame) and first.legend_title == page.legend_title
    assert first.caption == str(page.borough).replace("**", "")
    ranked = page.ranked.frame.dropna(subset=["Rank"])
    assert first.title == (f"{wards.metric_name(key)} is highest in {ranked['Ward'].iloc[0]} and lowest in "
                           f"{ranked['Ward'].iloc[-1]}")
    priority = shown[1]
    lines = [re.sub(r"^\d+\. ", "", line).replace("**", "") for line in str(page.priority).split("\n")]
    assert [str(p) for p in priority.points] == lines[:ward_slides.PRIORITY_SHOWN]
    assert f"in {len(page.priority_table)} wards of its more deprived half" in priority.title
    assert all(slide.public_safe is public for slide in shown)


def test_the_ward_slides_follow_the_sidebars_ward_as_the_page_does(demo_db, monkeypatch):
    monkeypatch.setenv("PULSE_DB", str(demo_db))
    options = read_options()[0]
    code = list(options.wards)[3]
    view = whole(options, wards=(code,), public_safe=True)
    (first, _) = ward_slides.slides(view, Context(options))
    # The page opens that ward's profile, which can hide more on the map: the slide shows that map.
    assert first.deck.data.frame.equals(wards.build(view, wards.MapChoice("digital_takeup"), code).deck.data.frame)


# --------------------------------------------------------------------------- leadership


@pytest.mark.parametrize("public", [False, True])
def test_leadership_slides_show_the_leadership_pages_figures(borough, public):
    view = whole(borough, public_safe=public)
    page = leadership.build(view)
    shown = leadership_slides.slides(view, Context(borough))
    if page.empty is not None:  # the tiny fixture: no group of staff is big enough to show
        (slide,) = shown
        assert slide.empty == page.empty and page.privacy in slide.notes
        return
    first = shown[0]
    assert first.caption == page.story or page.story in first.points
    if public:
        # The heatmap carries each group's headcount (staff-level detail): the page's sentences stand in for it.
        assert first.chart is None and list(first.points) == [page.story, *page.bullets][:leadership_slides.POINTS]
    else:
        assert first.chart.data.frame.equals(page.heat_leaders.data.frame)
    gaps = page.card.frame["gap_pts"].dropna()
    ahead = int((gaps >= 5).sum())
    assert first.title.startswith(f"Leaders are ahead of their own staff in {ahead} of {len(gaps)} directorates")
    scatter = next(s for s in page.scatters if s.chart is not None)
    services = shown[1]
    assert services.chart.data.frame.equals(scatter.chart.data.frame) and services.caption == scatter.caption
    assert all(scatter.caption in services.notes for scatter in page.scatters)


def test_the_leadership_title_counts_directorates_as_the_page_judges_them():
    import pandas as pd

    from pulse.disclosure import RATE, Table

    def card(gaps: list[float | None]) -> Table:
        return Table(pd.DataFrame({"gap_pts": pd.Series(gaps, dtype=float)}), {"gap_pts": RATE})

    assert leadership_slides.ahead_title(card([25.9, 12.0, 4.9, -30.0])) == (
        "Leaders are ahead of their own staff in 2 of 4 directorates and behind them in 1")
    assert leadership_slides.ahead_title(card([1.0, -2.0])) == (
        "Leaders' use of digital tools is level with their own staff's in every directorate shown")
    assert leadership_slides.ahead_title(card([None])) == "Leaders' use of digital tools, directorate by directorate"


# --------------------------------------------------------------------------- resident voice


@pytest.mark.parametrize("public", [False, True])
def test_voice_slides_show_the_voice_pages_figures(borough, public):
    view = whole(borough, public_safe=public)
    page = voice.build(view, borough.min_date, borough.max_date)
    satisfaction, themes = voice_slides.slides(view, Context(borough))
    first = page.measures[0]
    by_label = {t.label: t for t in satisfaction.tiles}
    assert by_label["Responses"].value == page.responses
    if first.chart is not None:
        assert by_label["User satisfaction"].value == first.tile.value
        assert by_label["User satisfaction"].change == first.tile.change
        assert satisfaction.chart.data.frame.equals(first.chart.data.frame)
        assert satisfaction.title == (f"User satisfaction {voice_slides.wording.VARIATION_VERB[first.tile.variation]}"
                                      f": {first.tile.value.text} in {first.tile.period}")
    else:  # no month to follow: how residents rated us, the page's own distribution chart
        assert satisfaction.chart.data.frame.equals(page.distribution_chart.data.frame)
    if page.theme_chart is None:
        assert themes.empty is not None
    else:
        assert themes.chart.data.frame.equals(page.theme_chart.data.frame)
        assert voice.theme_title(page.themes) in themes.notes  # the page's chart title, in words
        chart_title = str(voice.theme_title(page.themes))
        top = chart_title.removeprefix("Most mentioned: ").split(",")[0].split(" and ")[0].split(";")[0]
        assert themes.title.startswith(f"Residents write most about “{top}”")
        if "negative feeling: " in chart_title:
            assert themes.title.endswith(f"the commonest complaint is “{chart_title.rsplit(': ', 1)[1]}”")
        assert page.comments.text in themes.caption


def test_public_safe_voice_slides_hold_no_residents_words(demo_db, monkeypatch):
    monkeypatch.setenv("PULSE_DB", str(demo_db))
    options = read_options()[0]
    inside = voice.build(whole(options), options.min_date, options.max_date)
    written = [str(c) for table in inside.examples.values() for c in table.frame.iloc[:, 0]]
    assert written, "the demo has example comments inside the council"
    _, themes = voice_slides.slides(whole(options), Context(options))
    quoted = re.compile(r"“[^”]*” — ")  # how the page quotes a comment: “…” — Oct 2026 · rated 4 of 5
    assert sum(bool(quoted.search(str(n))) for n in themes.notes) >= 2  # inside the council, in the speaker notes
    assert not any("\\" in str(n) for n in themes.notes)  # the page's Markdown escapes taken off
    for slide in voice_slides.slides(whole(options, public_safe=True), Context(options)):
        words = " ".join(texts(slide))
        assert not quoted.search(words) and not any(comment[:30] in words for comment in written)
        if slide.key == "voice:themes":
            assert voice_slides.NO_FREE_TEXT in slide.notes


# --------------------------------------------------------------------------- nothing to show


def test_a_council_with_only_service_requests_gets_slides_that_say_why(requests_only, monkeypatch):
    monkeypatch.setenv("PULSE_DB", str(requests_only))
    options = read_options()[0]
    for public in (False, True):
        view = whole(options, public_safe=public)
        (map_slide,) = ward_slides.slides(view, Context(options))
        assert map_slide.empty == wards.NO_BOUNDARIES
        (staff,) = leadership_slides.slides(view, Context(options))
        assert staff.empty.startswith("No staff adoption records for these filters.")
        (residents,) = voice_slides.slides(view, Context(options))
        assert residents.empty.startswith("No feedback is loaded.")


def test_a_view_with_no_data_gets_slides_that_say_why(demo_db, monkeypatch):
    monkeypatch.setenv("PULSE_DB", str(demo_db))
    options = read_options()[0]
    nothing = Filters(dt.date(2020, 1, 1), dt.date(2020, 1, 31))
    shown = [s for page in NEW for s in registry.BUILDERS[page](nothing, Context(options))]
    assert [s.key for s in shown] == ["wards", "leadership", "voice"]
    assert all(s.empty for s in shown)


# --------------------------------------------------------------------------- titles


@pytest.mark.parametrize("public", [False, True])
def test_every_title_is_a_sentence_from_the_data(borough, public):
    view = whole(borough, public_safe=public)
    shown = [s for page in NEW for s in registry.BUILDERS[page](view, Context(borough))]
    assert len({s.key for s in shown}) == len(shown) and len(shown) <= 2 * len(NEW)
    for slide in shown:
        title = str(slide.title)
        assert title[:1].isupper() and not title.endswith(".") and len(title) <= 120, title
        assert "**" not in title and "\n" not in title
        for words in texts(slide):
            assert not re.search(r"\b(?:None|nan|NaN)\b", words), (slide.key, words)
            assert "**" not in words, (slide.key, words)
