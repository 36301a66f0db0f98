"""The Resident voice and Data pages' sentences on degenerate data (the list of builders is in
tests/test_sentences_degenerate.py)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from pulse.disclosure import LABEL, RATE, TEXT, Policy, Table
from pulse.filters import Filters
from pulse.metrics import kpis
from pulse.pages import data, data_sections, voice, voice_gaps, voice_themes, voice_time
from pulse.pages import voice_ratings as vr
from pulse.pages.voice_ratings import GROUP_LABELS, channel_sentence

INTERNAL, PUBLIC = Policy(threshold=10), Policy(public_safe=True, threshold=10)
DIGITAL, ASSISTED = GROUP_LABELS["digital"], GROUP_LABELS["assisted"]


def groups(rows: dict[str, float | None], digits: int = 1) -> Table:
    """The ratings-by-channel-group table as published: group → share satisfied (None: hidden)."""
    values = [np.nan if v is None else v for v in rows.values()]
    texts = ["[c]" if v is None else f"{v:.{digits}%}" for v in rows.values()]
    return Table(pd.DataFrame({"Channels": list(rows), "user_value": values, "User satisfaction": texts}),
                 {"Channels": LABEL, "user_value": RATE, "User satisfaction": TEXT})


# --------------------------------------------------------------------------- satisfaction by channel


@pytest.mark.parametrize("digits, share", [(1, "50.0%"), (0, "50%")])
def test_equal_satisfaction_is_as_satisfied(digits, share):
    assert channel_sentence(groups({DIGITAL: 0.5, ASSISTED: 0.5}, digits)) == (
        f"Residents who used online or the app were as satisfied ({share} rated 4 or 5) as those who phoned, "
        f"wrote or called in ({share}).")


def test_one_kind_of_channel_has_nothing_to_compare():
    assert channel_sentence(groups({DIGITAL: 0.6})) == (
        "Only digital channels are in view, so there is nothing to compare them with.")
    assert channel_sentence(groups({ASSISTED: 0.6, GROUP_LABELS["not known"]: 0.4})) == (
        "Only assisted channels are in view, so there is nothing to compare them with.")
    assert channel_sentence(groups({GROUP_LABELS["not known"]: 0.4})) is None


def test_a_hidden_side_cannot_be_compared():
    assert channel_sentence(groups({DIGITAL: 0.6, ASSISTED: None})) == (
        "Too few ratings through digital or assisted channels to compare their satisfaction.")


# --------------------------------------------------------------------------- themes


def themes(rows: list[tuple[str, float | None, str]]) -> Table:
    """The theme table as the title reads it: theme, comments (None: hidden) and feeling."""
    frame = pd.DataFrame(rows, columns=["Theme", "comments_value", "Feeling"]).astype({"comments_value": float})
    return Table(frame, {"Theme": LABEL, "comments_value": RATE, "Feeling": LABEL})


def test_theme_title_with_one_theme_none_shown_and_only_other():
    assert voice.theme_title(themes([("Kept informed", 20.0, "Positive")])) == "Most mentioned: Kept informed"
    assert voice.theme_title(themes([("Kept informed", None, "Positive")])) == "What residents write about"
    assert voice.theme_title(themes([(voice_themes.OTHER, 40.0, "Neutral")])) == "What residents write about"
    assert voice.theme_title(themes([("Slow", 20.0, "Negative"), ("Kept informed", 20.0, "Positive")])) == (
        "Most mentioned: Slow and Kept informed; most mentioned with a negative feeling: Slow")


def examples(service: str, channel: str, ward: str) -> Table:
    frame = pd.DataFrame({"Comment": ["Took a while"], "Month": ["Oct 2026"], "Rating": ["band only"],
                          "Service": [service], "Channel": [channel], "Ward": [ward], "Details from": ["feedback"]})
    return Table(frame, dict.fromkeys(frame.columns, LABEL))


def test_a_quote_leaves_out_details_not_known():
    # Before: "“Took a while” — Oct 2026 · rated band only · – · – · – (details from the feedback)".
    assert voice_themes.quotes(examples("–", "–", "–")) == [
        "“Took a while” — Oct 2026 · rated band only (details from the feedback)"]
    assert voice_themes.quotes(examples("Missed bin", "–", "Riverside")) == [
        "“Took a while” — Oct 2026 · rated band only · Missed bin · Riverside (details from the feedback)"]


def test_intro_without_dates_and_gaps_without_feedback():
    assert voice.intro(Filters()) == "How residents rated us and what they wrote."
    # Before: "…, Oct 2026 to Oct 2026:".
    assert voice.intro(Filters(dt.date(2026, 10, 1), dt.date(2026, 10, 31))).startswith(
        "How residents rated us and what they wrote, Oct 2026: satisfaction over time")
    assert voice.intro(Filters(dt.date(2026, 10, 1), dt.date(2026, 11, 30))).startswith(
        "How residents rated us and what they wrote, Oct 2026 to Nov 2026: satisfaction over time")
    nothing = pd.Series({k: False for k in ("responses", "comments", "channels", "services", "wards", "boundaries",
                                            "linked", "actions")})
    assert voice_gaps.gaps(nothing, PUBLIC) == (voice_gaps.NO_FEEDBACK,)
    assert voice_gaps.public_note(INTERNAL) is None


# --------------------------------------------------------------------------- Data page


def test_unit_costs_with_none_usable_and_one():
    costs = pd.DataFrame({"channel": ["phone", None], "cost_gbp": [np.nan, 1.0], "source": [None, None]})
    assert data.unit_costs_sentence(costs) == (
        "No unit costs are loaded, so cost per transaction cannot be worked out: add a unit_costs file (channel, "
        "cost_gbp, source, year) to the exports.")
    one = pd.DataFrame({"channel": ["phone"], "cost_gbp": [0.0], "source": [None]})
    assert data.unit_costs_sentence(one) == (
        "Unit costs used for cost per transaction: phone £0.00, from no source given.")


def test_wards_note_with_no_distance_one_and_several():
    assert data.wards_note(None) == data.WARDS_NOTE
    one = pd.DataFrame({"snap_metres": [50.0, 50.0, np.nan]})
    assert data.wards_note(one) == (
        f"{data.WARDS_NOTE} A point up to 50 m outside every ward was given the nearest ward (snapped).")
    assert data.wards_note(pd.DataFrame({"snap_metres": [50.0, 100.0]})) == data.WARDS_NOTE


def test_intro_without_a_load_time():
    assert data.intro({}, False).startswith("Every row read is either loaded or rejected with a reason")
    assert data.intro({"loaded_at": "2026-12-02 16:53", "source_dir": "/data/exports"}, True) == (
        "Loaded on 2 Dec 2026 at 16:53. Every row read is either loaded or rejected with a reason: read = loaded + "
        "rejected, file by file. These counts cover everything loaded; the sidebar's filters do not change them.")


# --------------------------------------------------------------------------- satisfaction over time


USER = next(k for k in kpis.BUILT_IN if k.id == "user_satisfaction")


def satisfaction(months: list[tuple[str, int, int]], policy: Policy) -> voice_time.Satisfaction:
    """User satisfaction from ratings of 5 and of 1, month by month, online in one ward."""
    cells = [(m, "Missed bin", "Env", "online", "N", value, n) for m, five, one in months
             for value, n in (("5", five), ("1", one))]
    records = pd.DataFrame(cells, columns=["period", "service", "directorate", "channel", "ward_code", "value",
                                           "responses"])
    grains = pd.concat([records.assign(grain=grain) for grain in vr.GRAINS], ignore_index=True)
    for grain, column in vr.GRAINS.items():
        grains.loc[grains["grain"] == grain, list(set(vr.GRAINS.values()) - {column})] = None
    frame = pd.DataFrame({"period": [dt.date.fromisoformat(m) for m, _, _ in months],
                          "numerator": [five for _, five, _ in months],
                          "denominator": [five + one for _, five, one in months]})
    result = kpis.evaluate(USER, frame.assign(value=frame["numerator"] / frame["denominator"]), policy)
    return voice_time.satisfaction("user_satisfaction", result, vr.ratings(grains, policy), None, policy)


def test_satisfaction_on_equal_months():
    shown = satisfaction([("2026-01-01", 30, 20), ("2026-02-01", 30, 20)], INTERNAL)
    assert (shown.tile.value.text, shown.tile.period, shown.note) == ("60.0%", "Feb 2026", None)
    assert shown.chart.alt_text.startswith("User satisfaction: not judged yet.")


@pytest.mark.parametrize("policy", [INTERNAL, PUBLIC])
def test_satisfaction_on_tiny_months(policy):
    tiny = satisfaction([("2026-01-01", 3, 2), ("2026-02-01", 2, 2)], policy)
    assert (tiny.tile.value.text, tiny.chart, tiny.note) == ("–", None, None)
    assert tiny.tile.note == "Every period rests on too few records to show."


def test_satisfaction_in_public_under_the_base_one_rating_cannot_move():
    small = satisfaction([("2026-01-01", 30, 20), ("2026-02-01", 30, 20)], PUBLIC)
    assert small.tile.note == ("Public-safe figures show a month only when it rests on 100 ratings on the 5-point "
                               "scale or more; no month here does.")


def test_file_notes_leave_out_files_with_none_and_rejections_say_when_there_are_none():
    frame = pd.DataFrame({"source_file": ["a.csv", "b.csv"], "note": [None, "Dates written day first."]})
    assert data_sections._notes(frame) == ("**b.csv**: Dates written day first.",)
    assert data_sections._notes(frame.head(1)) == ()
    assert data.rejected_note(False, False) == "No rows were rejected."
    assert data.rejected_note(False, True) is None
