"""Slides and saved views: a figure on a slide is the figure on the page for the same view, titles state
the message, the registry orders the sequence, and saved views live beside the database and outlive an
ingest (board packs: test_present_pack.py; presentation mode in the frame: test_present_app.py)."""

from __future__ import annotations

import datetime as dt
import re
import threading
from dataclasses import replace

import numpy as np
import pandas as pd
import pytest

from pulse import registry as measures
from pulse import saved_views
from pulse.disclosure import Policy
from pulse.filters import Filters, Options
from pulse.metrics import kpis
from pulse.pages import kpi_words, overview
from pulse.pages import kpis as kpi_page
from pulse.present import registry
from pulse.present import kpis as kpi_slides
from pulse.present import overview as overview_slides
from pulse.filters import read_options
from pulse.present.slide import Context



@pytest.fixture
def demo(demo_db, monkeypatch) -> Options:
    """The demo borough as the current database, and its filter values."""
    monkeypatch.setenv("PULSE_DB", str(demo_db))
    return read_options()[0]


def whole(options: Options, **chosen) -> Filters:
    return Filters(options.min_date, options.max_date, **chosen)


# --------------------------------------------------------------------------- slides are the pages' figures


@pytest.mark.parametrize("public", [False, True])
@pytest.mark.parametrize("ward", [None, 0])
def test_overview_slides_show_the_overview_pages_figures(demo, public, ward):
    view = whole(demo, public_safe=public, wards=(list(demo.wards)[ward],) if ward is not None else ())
    page = overview.build(view, demo.min_date, demo.max_date)
    headline, channels = overview_slides.slides(view, Context(demo))
    assert [t.label for t in headline.tiles] == [t.measure.name for t in page.tiles] + ["Digital health index"]
    assert [t.value for t in headline.tiles] == [t.value for t in page.tiles] + [page.health]
    assert [t.change for t in headline.tiles[:4]] == [t.change for t in page.tiles]
    assert headline.points == page.changes
    assert channels.title == page.chart.spec.title
    assert channels.chart.data.frame.equals(page.chart.data.frame)
    assert channels.caption == page.chart_note
    assert headline.public_safe is public and channels.public_safe is public


def test_overview_slide_words(demo):
    view = whole(demo)
    headline, channels = overview_slides.slides(view, Context(demo))
    assert headline.key == "overview" and channels.key == "overview:channels"
    assert headline.title == ("Digital take-up, user satisfaction and cost per transaction are improving; none is "
                              "getting worse")
    assert headline.filters == "1 Nov 2023 to 31 Oct 2026 · the whole council"
    assert headline.data_through == dt.date(2026, 10, 31)
    assert headline.footer == "1 Nov 2023 to 31 Oct 2026 · the whole council · Data through 31 Oct 2026"
    assert [name for name, _ in headline.definitions] == ["Digital take-up", "Completion rate", "User satisfaction",
                                                           "Cost per transaction", "Digital health index"]
    assert headline.definitions[0][1] == measures.measure("digital_takeup").formula
    page = overview.build(view, demo.min_date, demo.max_date)
    takeup = page.tiles[0]
    assert headline.notes[0] == (f"Digital take-up: {takeup.value} in Oct 2026, {takeup.change} on Sep 2026. "
                                 "Improving.")


def test_a_kpi_slide_is_the_kpi_pages_result(demo):
    view = whole(demo)
    result = next(r for r in kpi_page.default_results(view, demo.min_date, demo.max_date)
                  if r.kpi.id == "first_contact_resolution")
    (slide,) = kpi_slides.slides(view, Context(demo, ("first_contact_resolution",)))
    period, value = result.latest
    assert slide.title == kpi_words.headline(result)  # no event in view made a real difference
    assert slide.tiles[0].value.text == result.kpi.fmt(value)
    assert slide.tiles[0].note == f"{kpi_words.variation_words(result)} · {kpi_words.period_label(period, result.kpi)}"
    assert slide.tiles[1].value.text == result.kpi.fmt(result.kpi.target)
    assert slide.tiles[1].note == kpi_words.assurance_words(result)
    # The KPI page's own chart: each month's value as the page shows it.
    data = slide.chart.data.frame
    assert list(data["Value"]) == [result.kpi.fmt(v) for v in result.series]
    assert slide.definitions == (("Resolved at first contact", measures.measure("first_contact_resolution").formula),)
    assert "Owner: Contact Centre Manager." in slide.notes


def test_default_kpi_slides_are_those_showing_special_cause(demo):
    view = whole(demo)
    results = kpi_page.default_results(view, demo.min_date, demo.max_date)
    special = [r.kpi.id for r in results if r.ok and r.chart and r.chart.variation in ("improvement", "concern",
                                                                                      "neutral")]
    slides = kpi_slides.slides(view, Context(demo))
    assert [s.key for s in slides] == [f"kpi:{k}" for k in special]
    # On the test demo the current-process engine finds these latest months special cause (catalogue order).
    assert special == ["digital_takeup", "cost_per_transaction", "channel_shift_saving", "median_days_to_resolve",
                       "first_contact_resolution", "user_satisfaction", "staff_digital_training"]


def test_without_special_causes_the_default_kpi_slides_are_headlines_with_something_to_say():
    from pulse.metrics.kpis import BUILT_IN, KpiResult

    by_query = {k.definition: k for k in BUILT_IN}
    takeup, completion, costs = (by_query[f"kpi_{name}_by_month"] for name in (
        "digital_takeup", "completion_rate", "cost_per_transaction"))
    results = [KpiResult(takeup, uninformative="every request in view was made online or by app"),
               KpiResult(completion, problem="Needs a closed date", needs="closed_at"), KpiResult(costs)]
    # Take-up fixed at 100% (a FixMyStreet export) is no slide's message; completion has no figures.
    assert [r.kpi.id for r in kpi_slides.chosen(results, None)] == ["cost_per_transaction"]


def test_public_safe_kpi_slides_leave_out_the_owner(demo):
    (slide,) = kpi_slides.slides(whole(demo, public_safe=True), Context(demo, ("digital_takeup",)))
    assert slide.public_safe and not any("Owner" in n for n in slide.notes)


def test_a_kpi_reported_by_hand_says_the_filters_do_not_narrow_it(demo):
    (slide,) = kpi_slides.slides(whole(demo, channels=("phone",)), Context(demo, ("calls_answered_60s",)))
    assert kpi_slides.WHOLE_COUNCIL in slide.points


def test_a_kpi_title_says_what_an_event_changed():
    kpi = kpis.Kpi("takeup", "Digital take-up", unit="%", polarity="higher", definition="kpi_digital_takeup_by_month")
    months = pd.date_range("2024-01-01", periods=24, freq="MS")
    wobble = np.tile([0.01, -0.01], 12)
    values = np.where(months < pd.Timestamp("2025-01-01"), 0.40, 0.46) + wobble
    frame = pd.DataFrame({"period": months, "numerator": values * 1000, "denominator": 1000.0, "value": values})
    result = kpis.evaluate(kpi, frame, Policy())
    events = pd.DataFrame({"date": [pd.Timestamp("2025-01-06")], "label": ["Online form launched"],
                           "service": [None], "ward_code": [None]})
    view = Filters(dt.date(2024, 1, 1), dt.date(2025, 12, 31))
    title = kpi_slides.message(result, events, view, Policy())
    assert title == "Digital take-up is up 6.0 points since “Online form launched” (Jan 2025)"
    assert kpi_slides.message(result, events, view, Policy(public_safe=True)) == (
        "Digital take-up is up 6 points since “Online form launched” (Jan 2025)")
    # An event scoped to one service is judged in that service's view, not in this slide's.
    scoped = events.assign(service=["Missed bin collection"])
    assert kpi_slides.message(result, scoped, view, Policy()) == kpi_words.headline(result)


def _tile(name: str, variation: str | None) -> overview.Tile:
    from pulse.disclosure import MISSING

    key = {m.name: m for m in measures.HEADLINES}[name]
    return overview.Tile(key, MISSING, MISSING, "Oct 2026", None, None, variation, None, None)


@pytest.mark.parametrize("variations, said", [
    ((None, None, None, None), "GOV.UK's four service KPIs: too few months with figures to judge yet"),
    (("common_cause",) * 4, "GOV.UK's four service KPIs show no significant change"),
    (("improvement", "common_cause", "common_cause", "improvement"),
     "Digital take-up and cost per transaction are improving; none is getting worse"),
    (("common_cause", "concern", "common_cause", "common_cause"), "Completion rate is getting worse; none is improving"),
    (("improvement", "concern", "concern", None),
     "Digital take-up is improving; completion rate and user satisfaction are getting worse"),
])
def test_the_overview_title_names_what_really_changed(variations, said):
    tiles = tuple(_tile(m.name, v) for m, v in zip(measures.HEADLINES, variations))
    assert overview_slides.message(tiles) == said


def test_an_overview_of_exports_that_cannot_judge_any_kpi_says_so_without_pointing_at_the_page():
    from pulse.disclosure import MISSING, Sentence

    notes = ("Not informative with this data: see above.", "Needs more data: see above.")
    tiles = tuple(overview.Tile(m, MISSING, MISSING, "Apr 2024", None, None, None, None, Sentence(notes[i % 2]))
                  for i, m in enumerate(measures.HEADLINES))
    assert overview_slides.message(tiles) == "GOV.UK's four service KPIs: none can be judged with this data"
    assert [overview_slides.on_slide(Sentence(n)) for n in notes] == ["Not informative with this data.",
                                                                     "Needs more data."]
    assert overview_slides.on_slide(overview.NOTHING_TO_COMPARE).endswith("needs data they do not have.")
    assert overview_slides.on_slide(Sentence("Priority wards need digital take-up, which this data cannot show "
                                             "(see the note at the top).")) == (
        "Priority wards need digital take-up, which this data cannot show.")


def test_the_registry_orders_the_standard_sequence():
    assert registry.STANDARD == ("overview", "kpis", "wards", "leadership", "voice")
    assert registry.pages_for("kpis") == ("kpis",)
    assert registry.pages_for("wards") == ("wards",)
    assert registry.pages_for("") == registry.STANDARD  # the Overview: the whole sequence
    assert registry.pages_for("data") == registry.STANDARD  # no Data slides: the standard ones


def test_a_sequence_keeps_each_slide_of_a_view_once(demo):
    view = whole(demo)
    parts = [registry.Part(view, kpis=("digital_takeup",)), registry.Part(view, ("kpis",), ("digital_takeup",))]
    assert [s.key for s in registry.build(parts, demo)] == [
        "overview", "overview:channels", "kpi:digital_takeup", "wards", "wards:priority", "leadership",
        "leadership:services", "voice", "voice:themes"]


def test_a_sequence_is_built_once_per_view_data_and_policy(demo, monkeypatch):
    view = whole(demo)
    parts = [registry.Part(view, ("overview",))]
    first = registry.built(parts, demo)
    assert registry.built(parts, demo) is first  # the next slide is a rerun: drawn, not built again
    assert [s.key for s in first] == [s.key for s in registry.build(parts, demo)]
    public = [registry.Part(replace(view, public_safe=True), ("overview",))]
    assert all(s.public_safe for s in registry.built(public, demo))
    monkeypatch.setenv("PULSE_SUPPRESS_THRESHOLD", "20")  # another deployment's policy: built afresh
    assert registry.built(parts, demo) is not first


def held(monkeypatch, page: str, fail: bool = False) -> threading.Event:
    """Hold a page's slide builder until the returned event is set (then build, or fail, as asked)."""
    release, real = threading.Event(), registry.BUILDERS[page]

    def builder(view, context):
        assert release.wait(60), "never released"
        if fail:
            raise RuntimeError("the voice export was replaced while it was read")
        return real(view, context)

    monkeypatch.setitem(registry.BUILDERS, page, builder)
    return release


def test_the_first_pages_slides_are_given_while_the_rest_are_built(demo, monkeypatch):
    release = held(monkeypatch, "voice")
    sequence = registry.SlideSequence([registry.Part(whole(demo), ("overview", "leadership", "voice"))], demo)
    slides, complete = sequence.upto(1)
    assert [s.key for s in slides][:2] == ["overview", "overview:channels"] and not complete
    assert not sequence.complete and sequence.seconds is None
    threading.Timer(0.2, release.set).start()
    slides, complete = sequence.upto(5)  # slide 5 is voice's: waited for
    assert complete and sequence.complete and sequence.wait(60) and sequence.seconds > 0
    assert [s.key for s in slides] == ["overview", "overview:channels", "leadership", "leadership:services", "voice",
                                       "voice:themes"]
    assert sequence.all() is sequence.all() and [s.key for s in sequence.all()] == [s.key for s in slides]


def test_a_page_that_failed_raises_where_its_slides_are_and_the_sequence_is_built_again(demo, monkeypatch):
    registry._sequence.clear()
    release = held(monkeypatch, "voice", fail=True)
    parts = [registry.Part(whole(demo), ("overview", "voice"))]
    first = registry.sequence(parts, demo)
    assert [s.key for s in first.upto(1)[0]] == ["overview", "overview:channels"]
    release.set()
    assert first.wait(60) and first.failed
    with pytest.raises(RuntimeError, match="replaced while it was read"):
        first.upto(1)
    monkeypatch.setitem(registry.BUILDERS, "voice", lambda view, context: [])
    again = registry.sequence(parts, demo)
    assert again is not first and [s.key for s in again.all()] == ["overview", "overview:channels"]
    assert registry.sequence(parts, demo) is again  # kept, now that it is built


def test_a_sequence_whose_building_stopped_says_so_rather_than_waiting_for_ever(demo, monkeypatch):
    monkeypatch.setattr(registry.SlideSequence, "_build", lambda self: None)  # a thread that makes nothing
    sequence = registry.SlideSequence([registry.Part(whole(demo), ("overview",))], demo)
    with pytest.raises(RuntimeError, match="stopped being built"):
        sequence.upto(1)


# --------------------------------------------------------------------------- saved views


def test_saved_views_live_beside_the_database(tmp_path):
    assert saved_views.store_path(tmp_path / "pulse.duckdb") == tmp_path / "pulse.views.sqlite"


def test_a_saved_view_keeps_filters_page_and_kpis_only(tmp_path):
    db = tmp_path / "pulse.duckdb"
    view = saved_views.save("  Bins   in Ashby ", "/kpis/", {"ward": ["E05900011"], "public": "1", "present": "1",
                                                          "slide": "3", "kpi": ["digital_takeup"]}, db)
    assert view.name == "Bins in Ashby" and view.page == "kpis"
    assert view.query == (("ward", ("E05900011",)), ("public", ("1",)), ("kpi", ("digital_takeup",)))
    assert view.link == "kpis?ward=E05900011&public=1&kpi=digital_takeup"
    assert view.kpis == ("digital_takeup",)
    assert saved_views.load("BINS IN ASHBY", db) == view


def test_saving_a_name_again_replaces_it_and_delete_removes_it(tmp_path):
    db = tmp_path / "pulse.duckdb"
    saved_views.save("Board", "", {"channel": ["phone"]}, db)
    saved_views.save("Audit", "data", {}, db)
    again = saved_views.save("board", "kpis", {}, db)
    assert [(v.name, v.page, v.query) for v in saved_views.listed(db)] == [("Audit", "data", ()),
                                                                          ("board", "kpis", ())]
    assert again.link == "kpis"
    assert saved_views.delete("BOARD", db) is True
    assert saved_views.delete("Board", db) is False
    assert [v.name for v in saved_views.listed(db)] == ["Audit"]


@pytest.mark.parametrize("name, why", [("   ", "Give the view a name."), ("x" * 61, "Names are at most 60 characters."),
                                       ("a\x00b", "Names cannot hold control characters.")])
def test_a_view_needs_a_usable_name(tmp_path, name, why):
    with pytest.raises(saved_views.ViewError, match=re.escape(why)):
        saved_views.save(name, "", {}, tmp_path / "pulse.duckdb")


def test_nothing_saved_reads_as_no_views_without_creating_a_file(tmp_path):
    assert saved_views.listed(tmp_path / "pulse.duckdb") == []
    assert saved_views.load("Board", tmp_path / "pulse.duckdb") is None
    assert not (tmp_path / "pulse.views.sqlite").exists()


def test_saved_views_outlive_an_ingest(tmp_path):
    from datetime import datetime

    from pulse.ingest import ingest
    from tests.conftest import TINY

    db = tmp_path / "pulse.duckdb"
    ingest(TINY, db, now=datetime(2026, 11, 29, 12, 0))
    saved_views.save("Board", "", {"channel": ["phone"]}, db)
    ingest(TINY, db, now=datetime(2026, 11, 29, 12, 0))  # builds a new database beside it and swaps it in
    assert [v.name for v in saved_views.listed(db)] == ["Board"]


def test_a_view_naming_filters_that_no_longer_exist_opens_without_them():
    view = saved_views.SavedView("Old", "", (("ward", ("E05900001", "E05899999")), ("channel", ("fax",))))
    options = Options(dt.date(2024, 1, 1), dt.date(2024, 12, 31), channels=("online", "phone"),
                      wards={"E05900001": "Ashby Green"})
    filters, notes = view.opened(options)
    assert filters.wards == ("E05900001",) and filters.channels == ()
    assert notes == ["Ignored channel value(s) in the link that are not in the data: “fax”.",
                     "Ignored ward value(s) in the link that are not in the data: “E05899999”."]
