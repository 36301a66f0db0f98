"""The Resident voice page's published figures: exact values on the hand-written fixture (tests/fixtures/voice,
described in tests/test_voice_queries.py), small counts and what they hide, public-safe figures, and
ward_themes() for the ward page.

The fixture has twelve responses, so most tests lower the threshold (PULSE_SUPPRESS_THRESHOLD) to see the
arithmetic: at 1 every count of one or more is shown and only zeros are hidden.
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import pytest
import streamlit as st

from pulse.disclosure import Policy
from pulse.filters import Filters
from pulse.ingest import ingest
from pulse.pages import voice
from pulse.pages import voice_ratings as vr
from pulse.pages import voice_themes as vt
from tests.conftest import ROOT

VOICE = ROOT / "tests" / "fixtures" / "voice"
NORTH, SOUTH = "E05000001", "E05000002"
LONG = "The bins were missed again and again. " * 20


@pytest.fixture(scope="module")
def voice_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("voice-page") / "pulse.duckdb"
    ingest(VOICE, path, now=datetime(2026, 11, 29, 12, 0))
    return path


@pytest.fixture
def page(voice_db, monkeypatch):
    """The page for a view of the fixture at a threshold: page(threshold, **filters) → Voice."""
    monkeypatch.setenv("PULSE_DB", str(voice_db))

    def build(threshold: int = 1, **filters) -> voice.Voice:
        monkeypatch.setenv("PULSE_SUPPRESS_THRESHOLD", str(threshold))
        st.cache_data.clear()  # the threshold is a setting of the deployment, not part of a view's cache key
        # As the app's frame sets it: the view runs from the data's first day to its last.
        view = {"date_from": date(2026, 1, 4), "date_to": date(2026, 3, 20), **filters}
        return voice.build(Filters(**view), date(2026, 1, 4), date(2026, 3, 20))

    yield build
    st.cache_data.clear()


def rows(table) -> list[list]:
    return voice.display(table).frame.values.tolist()


# --------------------------------------------------------------------------- satisfaction


def test_satisfaction_by_channel_service_and_ward(page):
    shown = page(1)
    assert rows(shown.groups) == [["Digital (online, app)", "66.7%", "0.33", 6],
                                  ["Assisted (phone, face to face, email…)", "0.0%", "-0.40", 5],
                                  ["Channel not given", "0.0%", "0.00", 1]]
    # Email's ratings are all bands (no 5-point rating: a zero, hidden like any small count), so phone's
    # 5-point ratings beside the assisted total would give it away: phone's user satisfaction is hidden.
    assert rows(shown.channels) == [["Online", "60.0%", "0.20", 5], ["App", "100.0%", "1.00", 1],
                                    ["Phone", "[c]", "-0.50", 4], ["Email", "[c]", "0.00", 1],
                                    ["Not given", "0.0%", "0.00", 1], ["All responses", "44.4%", "0.00", 12]]
    assert rows(shown.services) == [["Council tax", "33.3%", "0.00", 4], ["Missed bin", "50.0%", "-0.20", 5],
                                    ["Pothole", "[c]", "0.50", 2], ["Not given", "[c]", "0.00", 1],
                                    ["All responses", "44.4%", "0.00", 12]]
    assert rows(shown.wards) == [["North Ward", "50.0%", "-0.20", 5], ["South Ward", "50.0%", "0.20", 5],
                                 ["Not given", "0.0%", "0.00", 2], ["All responses", "44.4%", "0.00", 12]]
    assert shown.channel_sentence == ("Residents who used online or the app were more satisfied (66.7% rated 4 or 5) "
                                      "than those who phoned, wrote or called in (0.0%).")
    assert (str(shown.responses), str(shown.comments)) == ("12", "9")


def test_the_rating_distribution_with_its_total(page):
    assert rows(page(1).distribution) == [
        ["1 (lowest)", "5-point scale", "16.7%", 2], ["2", "5-point scale", "16.7%", 2],
        ["3", "5-point scale", "8.3%", 1], ["4", "5-point scale", "16.7%", 2], ["5 (highest)", "5-point scale", "16.7%", 2],
        ["Poor", "Band only", "8.3%", 1], ["Average", "Band only", "8.3%", 1], ["Good", "Band only", "8.3%", 1],
        ["All responses", "", "", 12]]
    # At 2, a single 3 is hidden; so is one more 5-point value, for 3 = ratings on the scale − 1s − 2s − (4s and 5s,
    # which user satisfaction gives away together) once the 1s and 2s are both shown.
    assert rows(page(2).distribution)[:5] == [
        ["1 (lowest)", "5-point scale", "16.7%", 2], ["2", "5-point scale", "[c]", "[c]"],
        ["3", "5-point scale", "[c]", "[c]"], ["4", "5-point scale", "16.7%", 2], ["5 (highest)", "5-point scale", "16.7%", 2]]


def test_small_counts_and_the_complements_that_would_give_them_away(page):
    shown = page(2)
    # App (1) is hidden, so online is too: the digital total beside it would give app back. Assisted is hidden
    # because the total, digital and assisted together would give away the one response naming no channel.
    assert rows(shown.groups) == [["Digital (online, app)", "66.7%", "0.33", 6],
                                  ["Assisted (phone, face to face, email…)", "[c]", "[c]", "[c]"],
                                  ["Channel not given", "[c]", "[c]", "[c]"]]
    assert rows(shown.channels) == [["Online", "[c]", "[c]", "[c]"], ["App", "[c]", "[c]", "[c]"],
                                    ["Phone", "0.0%", "-0.50", 4], ["Email", "[c]", "[c]", "[c]"],
                                    ["Not given", "[c]", "[c]", "[c]"], ["All responses", "44.4%", "0.00", 12]]


def test_satisfaction_over_time_comes_from_the_kpi_path(page):
    user, net = page(1).measures
    assert (user.tile.value.text, user.tile.change.text, user.tile.period) == ("66.7%", "+33.4 pts", "Mar 2026")
    assert (net.tile.value.text, net.tile.change.text) == ("+0.25", "+0.50")
    assert user.tile.variation is None  # three months: too few points for a verdict
    assert user.chart.data.frame[["Month", "Value", "Mean"]].values.tolist() == [
        ["Jan 2026", "33.3%", "44.4%"], ["Feb 2026", "33.3%", "44.4%"], ["Mar 2026", "66.7%", "44.4%"]]
    assert net.chart.data.frame["Value"].tolist() == ["0.00", "-0.25", "0.25"]


def test_public_safe_rounds_counts_and_needs_a_base_one_response_cannot_move(page):
    cells = []
    for channel, values in (("online", {"5": 120, "1": 81}), ("phone", {"4": 30, "2": 13}), ("email", {"good": 12})):
        for value, n in values.items():
            cells.append(("2026-01-01", "Missed bin", "Environment", channel, NORTH, value, n))
    records = pd.DataFrame(cells, columns=["period", "service", "directorate", "channel", "ward_code", "value",
                                           "responses"])
    grains = pd.concat([records.assign(grain=grain) for grain in vr.GRAINS], ignore_index=True)
    for grain, column in vr.GRAINS.items():
        for other in set(vr.GRAINS.values()) - {column}:
            grains.loc[grains["grain"] == grain, other] = None
    rated = vr.ratings(grains, Policy(public_safe=True, threshold=10))
    loaded = pd.Series({"channels": 1, "services": 1, "wards": 1, "boundaries": 1})
    _, channels, _, _, _ = vr.grain_tables(rated, {NORTH: "North Ward"}, loaded)
    # 201 → 200 and 43 → 45; phone's 43 ratings are too few for a public rate (one more would move it a step
    # and more); net satisfaction needs 200; email's twelve band-only answers round to 10 and have no 5-point
    # rating to give a user satisfaction.
    assert rows(channels) == [["Online", "60%", "0.19", 200], ["Phone", "[c]", "[c]", 45], ["Email", "–", "[c]", 10],
                              ["All responses", "61%", "0.27", 255]]
    assert vr.public_base(Policy(public_safe=True), "%") == 100
    assert vr.public_base(Policy(public_safe=True), "score", 2.0) == 200
    assert vr.public_base(Policy(), "%") == 0


# --------------------------------------------------------------------------- themes


def test_themes_with_counts_share_sentiment_and_satisfaction(page):
    table = page(1).themes.frame
    assert table[["Theme", "Comments", "Feeling", "Share of comments", "Satisfied"]].head(8).values.tolist() == [
        ["Couldn't log in / website problems", 2, "Neutral", "22.2%", "0.0%"],
        ["Easy to do online", 2, "Positive", "22.2%", "100.0%"],
        ["Long wait on the phone", 2, "Negative", "22.2%", "0.0%"],
        ["Sorted quickly", 2, "Positive", "22.2%", "100.0%"],
        ["Council tax, bills and payments", 2, "Positive", "22.2%", "50.0%"],
        ["Bins missed", 1, "Negative", "11.1%", "0.0%"],
        ["No updates / nobody got back to me", 1, "Negative", "11.1%", "[c]"],  # a band-only answer: no scale
        ["Staff were helpful", 1, "Positive", "11.1%", "100.0%"]]
    # Themes nobody mentioned read "[c]" like small ones, in the rules' order; Other comes last.
    assert table["Theme"].iloc[8] == "New or replacement bins" and table["Comments"].iloc[8] == "[c]"
    assert table[["Theme", "Comments"]].iloc[-1].tolist() == ["Other", 1]
    assert page(3).themes.frame["Comments"].tolist()[:-1] == ["[c]"] * 24


def test_themes_ward_by_ward_with_both_margins(page):
    table = page(1).theme_wards.frame.set_index("Theme")
    assert list(table.columns) == ["North Ward", "South Ward", "No ward given", "All"]
    assert table.loc["Long wait on the phone"].tolist() == [2, "[c]", "[c]", 2]
    assert table.loc["No updates / nobody got back to me"].tolist() == ["[c]", "[c]", 1, 1]
    assert table.loc["Comments from the ward"].tolist() == [3, 4, 2, 9]


def test_the_trend_of_chosen_themes_with_what_the_council_did(page):
    shown = page(1)
    assert shown.trend_default == ("Couldn't log in / website problems", "Long wait on the phone")
    view = Filters(date_from=date(2026, 1, 4), date_to=date(2026, 3, 20))
    chart, why = voice.theme_trend(view, shown.trend_default, shown.theme_hidden)
    assert why is None
    assert chart.data.frame.values.tolist() == [
        ["Jan 2026", "Couldn't log in / website problems", "33.3%"], ["Feb 2026", "Couldn't log in / website problems", "0.0%"],
        ["Mar 2026", "Couldn't log in / website problems", "33.3%"], ["Jan 2026", "Long wait on the phone", "33.3%"],
        ["Feb 2026", "Long wait on the phone", "33.3%"], ["Mar 2026", "Long wait on the phone", "0.0%"]]
    assert [m["number"] for m in chart.spec["layer"][1]["data"]["values"]] == ["1", "2"]
    assert shown.actions_legend == ("Dotted lines (you said, we did): **1** Password reset emails fixed and a help page "
                                    "for signing in added (10 Feb 2026)  ·  **2** More call handlers on Mondays, when "
                                    "most residents ring (5 Mar 2026)")


def test_you_said_we_did_lists_the_actions_in_view(page):
    shown = page(1, services=("Pothole",))
    assert shown.actions.frame[["When", "What we did", "Theme", "Service"]].values.tolist() == [
        ["5 Mar 2026", "More call handlers on Mondays, when most residents ring", "Long wait on the phone",
         "All services"]]


def test_examples_only_from_shown_themes_with_the_linked_request(page):
    shown = page(2)
    assert list(shown.examples) == ["Couldn't log in / website problems", "Easy to do online",
                                    "Long wait on the phone", "Sorted quickly", "Council tax, bills and payments"]
    assert shown.examples["Couldn't log in / website problems"].frame.values.tolist() == [
        ["Still can't log in. Password reset never arrives.", "Mar 2026", "1 of 5", "Council tax", "online",
         "South Ward", "request"],
        ["Couldn't log in to pay my council tax. Call me on [phone]", "Jan 2026", "2 of 5", "Council tax", "online",
         "South Ward", "request"]]
    other = page(1).examples["Other"].frame.iloc[0].tolist()
    assert other == ["Nothing to add really", "Feb 2026", "3 of 5", "Pothole", "face to face", "South Ward",
                     "request"]  # the feedback names no channel or ward; its request does
    assert page(1).examples["No updates / nobody got back to me"].frame.iloc[0].tolist() == [
        "My name is [name], nobody rang back.", "Mar 2026", "band only", "–", "email", "–", "feedback"]
    public = page(1, public_safe=True)
    assert public.examples == {} and "comments are left out" in public.public_note


def test_a_long_comment_is_shortened_for_display_never_dropped():
    shown = vt.shortened(LONG)
    assert shown == "The bins were missed again and again. " * 7 + "The bins were …"
    assert len(shown) <= vt.EXAMPLE_CHARACTERS + 2
    assert vt.shortened("Short  and\nsweet") == "Short and sweet"


# --------------------------------------------------------------------------- the ward page's top themes


def test_ward_themes_for_the_ward_profile(page):
    page(1)
    north = voice.ward_themes(Filters(), NORTH).frame
    assert north[["Theme", "Share of comments", "Comments"]].values.tolist() == [
        ["Long wait on the phone", "66.7%", 2], ["Bins missed", "33.3%", 1], ["Easy to do online", "33.3%", 1],
        ["Sorted quickly", "33.3%", 1]]
    page(2)
    assert voice.ward_themes(Filters(), SOUTH).frame[["Theme", "Comments"]].values.tolist() == [
        ["Couldn't log in / website problems", 2], ["Council tax, bills and payments", 2]]
    # The ward replaces the view's own ward filter; "Other" (F06's comment has no ward) is never listed.
    assert voice.ward_themes(Filters(wards=(NORTH,)), SOUTH).frame["Theme"].tolist() == [
        "Couldn't log in / website problems", "Council tax, bills and payments"]
    page(3)
    assert voice.ward_themes(Filters(), NORTH).empty


def test_choosing_themes_and_examples_redraws_the_page(voice_db, monkeypatch):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("PULSE_DB", str(voice_db))
    monkeypatch.setenv("PULSE_SUPPRESS_THRESHOLD", "1")
    st.cache_data.clear()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    at.switch_page("views/voice.py").run()
    assert not at.exception
    trend = at.multiselect(key="voice_trend")
    assert trend.value == ["Couldn't log in / website problems", "Long wait on the phone"]
    trend.set_value(["Sorted quickly"]).run()
    shares = next(d.value for d in at.dataframe if "Share of comments" in d.value.columns
                  and "Month" in d.value.columns)
    assert shares.values.tolist() == [["Jan 2026", "Sorted quickly", "33.3%"], ["Feb 2026", "Sorted quickly", "0.0%"],
                                      ["Mar 2026", "Sorted quickly", "33.3%"]]
    at.selectbox(key="voice_examples").select("Other").run()
    assert [m.value for m in at.markdown if m.value.startswith("- “")] == [
        "- “Nothing to add really” — Feb 2026 · rated 3 of 5 · Pothole · face to face · South Ward (details from the "
        "request)"]
    st.cache_data.clear()


def test_a_threshold_set_for_the_deployment_is_never_served_another_s_figures(voice_db, monkeypatch):
    monkeypatch.setenv("PULSE_DB", str(voice_db))
    st.cache_data.clear()
    view = Filters(date_from=date(2026, 1, 4), date_to=date(2026, 3, 20))
    monkeypatch.setenv("PULSE_SUPPRESS_THRESHOLD", "1")
    low = voice.build(view, view.date_from, view.date_to)
    monkeypatch.setenv("PULSE_SUPPRESS_THRESHOLD", "3")  # no cache cleared: the policy is part of the key
    high = voice.build(view, view.date_from, view.date_to)
    assert rows(low.channels)[0] == ["Online", "60.0%", "0.20", 5]
    assert rows(high.channels)[0] == ["Online", "[c]", "[c]", "[c]"]
    assert voice.ward_themes(view, NORTH).empty and str(high.comments) == "9"
    st.cache_data.clear()
