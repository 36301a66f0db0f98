"""The ward pages' sentences on degenerate data (the list of builders is in tests/test_sentences_degenerate.py)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from pulse.filters import Filters
from pulse.pages import ward_density, ward_profile, ward_tables, wards
from tests.test_wards import hexagon_rows
from tests.ward_helpers import INTERNAL, PUBLIC, counts, feedback, requests

ONE = [("W", 1000, 3)]
TWO = [("W", 1000, 3), ("V", 1000, 5)]
RULES = ("for the filters in the sidebar. Counts under 10 show as “[c]”, as does any count that would let one be "
         "worked out, and rates resting on them are not shown, so no one can be picked out")


def test_intro_counts_one_ward_and_none():
    # Before: "1 wards, …".
    assert wards.intro(Filters(dt.date(2026, 1, 1), dt.date(2026, 6, 30)), 1, 10) == (
        f"1 ward, 1 Jan 2026 to 30 Jun 2026, {RULES}.")
    assert wards.intro(Filters(), 0, 10) == f"0 wards, {RULES}."
    assert wards.intro(Filters(public_safe=True), 1, 10).startswith("1 ward, for the filters")
    # Before: "…, 3 Feb 2026 to 3 Feb 2026, …".
    assert wards.intro(Filters(dt.date(2026, 2, 3), dt.date(2026, 2, 3)), 2, 10) == f"2 wards, 3 Feb 2026, {RULES}."


@pytest.mark.parametrize("policy, share", [(INTERNAL, "60.0%"), (PUBLIC, "60%")])
def test_one_ward(policy, share):
    one = counts(ONE, requests({"W": {"online": 30, "phone": 20}}), policy)
    # Before: "1 of 1 wards can be shown."
    assert ward_tables.borough_line(one, "digital_takeup") == (
        f"Whole borough: **{share}** from 50 requests. The one ward can be shown.")
    assert ward_tables.borough_line(one, "requests") == "Whole borough: **50**. The one ward can be shown."
    # Before: "The more deprived half of wards (deciles 3–3, 1 wards) average …".
    points = ward_tables.deprivation_points(one, "digital_takeup")
    assert ward_tables.deprivation_sentence(one, "digital_takeup", points) == (
        "Only one ward's figure can be shown here, so there is nothing to compare.")
    assert ward_tables.priority_wards(one)[0] == ()
    tiles, peers = ward_profile.tiles(one, "W", ["digital_takeup"])
    assert str(tiles[0].help) == (
        f"Requests made online or through the app ÷ all requests (GOV.UK). Whole borough: {share}. Other wards of "
        "the same deprivation decile: no other ward in this decile.")
    assert ward_profile.caption(one, "W", peers) == (
        "IMD decile 3 (1 = most deprived 10% in England) · population 1,000 · compared with the whole borough")


def test_one_ward_hidden():
    tiny = counts(ONE, requests({"W": {"online": 3, "phone": 2}}))
    assert ward_tables.borough_line(tiny, "digital_takeup") == (
        "Whole borough: **[c] too few requests to show** from [c] requests. The one ward cannot be shown.")


@pytest.mark.parametrize("policy", [INTERNAL, PUBLIC])
def test_no_requests_at_all(policy):
    none = counts(TWO, requests({}), policy)
    assert ward_tables.borough_line(none, "requests") == (
        "Whole borough: **[c] too few requests to show**. 0 of 2 wards can be shown.")
    assert ward_tables.priority_wards(none)[0] == ()
    tiles, _ = ward_profile.tiles(none, "W", ["requests"])
    assert (tiles[0].value.text, tiles[0].delta.text) == ("[c] too few requests to show", "–")
    # Before: "Whole borough: –." beside a ward's "[c]": nothing is missing, it is hidden.
    assert str(tiles[0].help) == ("Requests made in the period. Whole borough: [c]. Other wards of the same "
                                  "deprivation decile: no other ward in this decile.")


@pytest.mark.parametrize("policy, share", [(INTERNAL, "60.0%"), (PUBLIC, "60%")])
def test_deprivation_halves_with_equal_averages(policy, share):
    equal = counts(TWO, requests({"W": {"online": 30, "phone": 20}, "V": {"online": 30, "phone": 20}}), policy)
    points = ward_tables.deprivation_points(equal, "digital_takeup")
    # Before: "… (deciles 3–3, 1 wards) average 60.0%; the less deprived half (deciles 5–5, 1 wards) 60.0%."
    assert ward_tables.deprivation_sentence(equal, "digital_takeup", points) == (
        f"Each dot is a ward whose figure can be shown. The more deprived half of wards (decile 3, 1 ward) average "
        f"{share}, and so does the less deprived half (decile 5, 1 ward). Averages are of ward figures, each ward "
        "counting once.")
    # Equal take-up everywhere: no ward is below the borough, so none is a priority.
    assert ward_tables.priority_wards(equal)[0] == ()


def test_deprivation_halves_in_one_decile_and_apart():
    same = counts([("W", 1000, 3), ("V", 1000, 3)], requests({"W": {"online": 30, "phone": 20},
                                                              "V": {"online": 20, "phone": 30}}))
    assert ward_tables.deprivation_sentence(same, "digital_takeup", ward_tables.deprivation_points(
        same, "digital_takeup")) == "Every ward shown has the same deprivation decile, so there is nothing to compare."
    three = counts([("W", 1000, 1), ("X", 1000, 2), ("V", 1000, 5)], requests(
        {"W": {"online": 30, "phone": 20}, "X": {"online": 20, "phone": 30}, "V": {"online": 40, "phone": 10}}))
    assert ward_tables.deprivation_sentence(three, "digital_takeup", ward_tables.deprivation_points(
        three, "digital_takeup")) == (
        "Each dot is a ward whose figure can be shown. The more deprived half of wards (deciles 1–2, 2 wards) "
        "average 50.0%; the less deprived half (decile 5, 1 ward) 80.0%. Averages are of ward figures, each ward "
        "counting once.")


def test_a_ward_without_deprivation_or_population():
    bare = counts([("W", None, None), ("V", 1000, 5)], requests({"W": {"online": 30}, "V": {"online": 30}}))
    tiles, peers = ward_profile.tiles(bare, "W", ["digital_takeup"])
    assert ward_profile.caption(bare, "W", peers) == "No deprivation figure · compared with the whole borough"
    assert str(tiles[0].help).endswith("Other wards of the same deprivation decile: no deprivation figure.")


def test_themes_all_under_the_threshold_say_nothing():
    comments = pd.DataFrame({"themes": ["Long wait on the phone"], "comments": [3]})
    c = counts(TWO, requests({"W": {"online": 50}, "V": {"online": 50}}),
               said=feedback({"W": (5, 10, 15), "V": (10, 10, 10)}))
    protection, _ = ward_profile.protect_themes(comments, c, "W", INTERNAL)
    assert ward_profile.themes_sentence(protection, INTERNAL) is None


def test_unmapped_note_with_nothing_unmapped_and_one_kind():
    assert ward_tables.unmapped_note(counts(TWO, requests({"W": {"online": 50}}))) is None
    outside = counts(TWO, requests({"W": {"online": 50}}, unmapped={("outside", None, "online"): 12}))
    assert ward_tables.unmapped_note(outside) == (
        "Not on the map, but counted in every whole-borough figure — 12 requests with a map point outside every "
        "ward. The Data page lists them by source file.")


def test_hexagons_are_counted_in_words():
    assert (ward_density._hexagons(1), ward_density._hexagons(0)) == ("1 hexagon", "0 hexagons")


CAPTION = ("Each hexagon is about 300 m across. Hexagons with fewer than 10 requests, or that would give such a count "
           "away, are left off, so no single report can be located: ")


@pytest.mark.parametrize("policy", [INTERNAL, PUBLIC])
def test_density_caption_when_no_hexagon_can_be_drawn(policy):
    c = counts([("A", 5000, 1)], requests({"A": {"online": 30}}), policy)
    rows = hexagon_rows([(q, 0, "A", n) for q, n in enumerate((3, 4, 5, 6, 7, 5))])
    drawn = ward_density.density(rows, 150.0, ward_density.protect(rows, c, policy)[0], policy)
    # Before: "the hexagons drawn hold 0.0% of the 30 requests …", with no hexagon drawn.
    assert drawn.caption == CAPTION + ("none of the 30 requests with a map point inside a ward is in a hexagon that "
                                       "can be drawn.")
    assert drawn.hexagons.empty


@pytest.mark.parametrize("policy, total", [(INTERNAL, "20,007"), (PUBLIC, "20,005")])
def test_density_caption_when_nearly_all_are_drawn(policy, total):
    c = counts([("A", 5000, 1)], requests({"A": {"online": 20_007}}), policy)
    rows = hexagon_rows([(0, 0, "A", 10_000), (1, 0, "A", 10_000), (2, 0, "A", 3), (3, 0, "A", 4)])
    drawn = ward_density.density(rows, 150.0, ward_density.protect(rows, c, policy)[0], policy)
    # Before, inside the council: "hold 100.0% of the 20,007 requests", though 7 were left off.
    assert drawn.caption == CAPTION + f"the hexagons drawn hold nearly all of the {total} requests with a map point " \
        "inside a ward."
