"""A ward's profile: its own CountModels, linked to the map's, and the tiles, shares, trends and themes."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from pulse.pages import ward_profile
from tests.ward_helpers import INTERNAL, PUBLIC, counts, feedback, requests

Q1, Q2 = dt.date(2026, 1, 1), dt.date(2026, 4, 1)
WARDS = [("W", 10_000, 1), ("X", 10_000, 1), ("Y", 20_000, 8)]
MADE = {"W": {"online": 100, "phone": 40, "post": 3}, "X": {"online": 200, "phone": 100, "post": 20},
        "Y": {"online": 150, "app": 50, "phone": 60}}


def profile_cells(made: dict, ward: str, service: str = "Missed bin") -> pd.DataFrame:
    """ward_requests_by_channel_service_quarter for one ward: every request in Q1, one service."""
    rows = {}
    for code, channels in made.items():
        for channel, n in channels.items():
            key = (code == ward, channel)
            rows[key] = rows.get(key, 0) + n
    return pd.DataFrame([{"in_ward": inside, "quarter": Q1, "channel": channel, "service": service, "requests": n}
                         for (inside, channel), n in rows.items()])


def test_channel_shares_beside_the_ward_total_hide_one_more_channel():
    """Issue 8: shares at full precision beside the ward total gave back a hidden channel (post = total − the rest)."""
    c = counts(WARDS, requests(MADE))
    protection, hides = ward_profile.protect_requests(profile_cells(MADE, "W"), c, "W", INTERNAL)
    mix = ward_profile.mix_table(protection, "channel", INTERNAL).frame
    # W's 143 requests and its take-up (100 online) are published, so its 43 offline are known:
    # post (3) is hidden, and so is phone, which is 43 − post.
    assert mix[["channel", "ward_text", "borough_text"]].values.tolist() == [
        ["online", "69.9%", "62.2%"], ["phone", "[c]", "27.7%"], ["post", "[c]", "3.2%"], ["app", "[c]", "6.9%"]]
    assert np.isnan(mix.loc[1, "ward"]) and mix.loc[0, "ward"] == 0.699
    assert hides == set() and not protection.disclosed().to_dict("records")


def test_a_ward_total_the_map_withheld_stays_withheld_in_the_profile():
    # C has 4 requests, so the map hides B beside it; B's channel shares must not give its total back.
    made = {"A": {"online": 300, "phone": 100}, "B": {"online": 40, "phone": 20}, "C": {"online": 4}}
    c = counts([("A", 1, 1), ("B", 1, 2), ("C", 1, 3)], requests(made))
    assert c.count("requests", "wards", "B").hidden
    protection, _ = ward_profile.protect_requests(profile_cells(made, "B"), c, "B", INTERNAL)
    assert protection.hidden_of("ward")["hidden"].iloc[0]
    assert not protection.disclosed().to_dict("records")
    # Both of B's channels are 10 or more, but publishing both would add up to the withheld total.
    assert protection.hidden_of("ward_channels")["hidden"].sum() >= 1


def test_what_the_profile_must_hide_is_hidden_on_the_map_too():
    # W's only digital channel is 3 online requests: the channel chart hides them, so its take-up
    # (3 of 50) must go from the map as well.
    made = {"W": {"online": 3, "phone": 47}, "X": {"online": 200, "phone": 100}, "Y": {"online": 100, "phone": 50}}
    c = counts(WARDS, requests(made))
    assert c.value("digital_takeup", "W")[0].text == "6.0%"
    _, hides = ward_profile.protect_requests(profile_cells(made, "W"), c, "W", INTERNAL)
    assert ("requests", "digital", "W") in hides
    assert c.hiding(hides).value("digital_takeup", "W")[0].hidden


def test_quarterly_take_up_leaves_out_quarters_on_a_small_base():
    cells = pd.DataFrame([
        {"in_ward": True, "quarter": Q1, "channel": "online", "service": "Pothole", "requests": 30},
        {"in_ward": True, "quarter": Q1, "channel": "phone", "service": "Pothole", "requests": 20},
        {"in_ward": True, "quarter": Q2, "channel": "online", "service": "Pothole", "requests": 4},
        {"in_ward": False, "quarter": Q1, "channel": "online", "service": "Pothole", "requests": 300},
        {"in_ward": False, "quarter": Q2, "channel": "phone", "service": "Pothole", "requests": 100},
        {"in_ward": False, "quarter": Q2, "channel": "online", "service": "Pothole", "requests": 60},
    ])
    made = {"W": {"online": 34, "phone": 20}, "X": {"online": 360, "phone": 100}}
    c = counts([("W", 1000, 1), ("X", 1000, 2)], requests(made))
    protection, _ = ward_profile.protect_requests(cells, c, "W", PUBLIC)
    frame = ward_profile.trend_table(protection, "requests", "Digital take-up", PUBLIC).frame
    assert frame[["period", "series", "value_text"]].astype(str).values.tolist() == [
        ["2026-01-01", "Ward", "[c]"], ["2026-04-01", "Ward", "[c]"],
        ["2026-01-01", "Borough", "94%"], ["2026-04-01", "Borough", "39%"]]


def test_tiles_compare_with_the_borough_and_the_same_decile_wards():
    c = counts(WARDS, requests(MADE), said=feedback({"W": (0, 20, 30), "X": (0, 50, 50), "Y": (0, 10, 90)}))
    tiles, peers = ward_profile.tiles(c, "W", ["requests_per_1000", "requests", "digital_takeup",
                                               "user_satisfaction"])
    assert peers == 1
    assert [(t.value.text, t.delta.text, t.delta_color) for t in tiles] == [
        ("14.3", "-3.8 vs borough", "off"),
        ("143", "-98 vs average ward", "off"),
        ("69.9%", "+0.7 pts vs borough", "normal"),
        ("60.0%", "-8.0 pts vs borough", "normal"),
    ]
    assert str(tiles[2].help) == ("Requests made online or through the app ÷ all requests (GOV.UK). Whole borough: "
                                  "69.2%. Other wards of the same deprivation decile: 62.5%.")
    assert str(ward_profile.caption(c, "W", peers)) == (
        "IMD decile 1 (1 = most deprived 10% in England) · population 10,000 · compared with the whole borough and "
        "with the 1 other decile-1 ward that can be shown")


def test_an_equal_figure_still_reads_as_a_difference_of_nothing():
    made = {"W": {"online": 100}, "X": {"online": 100}}
    c = counts([("W", 1000, 1), ("X", 1000, 2)], requests(made), PUBLIC)
    tiles, _ = ward_profile.tiles(c, "W", ["requests"])
    assert (tiles[0].delta.text, tiles[0].delta_color) == ("+0 vs average ward", "off")


def test_themes_under_the_threshold_are_left_out():
    # The themes stored at load time, by set: 12 comments on a long wait on the phone (2 of them also slow
    # to sort out), 3 on the website; the ward's other 15 responses have no comment.
    comments = pd.DataFrame({"themes": ["Long wait on the phone", "Long wait on the phone\x1eSlow to sort out",
                                        "Couldn't log in / website problems"], "comments": [10, 2, 3]})
    c = counts([("W", 1000, 1), ("X", 1000, 2)], requests({"W": {"online": 50}, "X": {"online": 50}}),
               said=feedback({"W": (5, 10, 15), "X": (10, 10, 10)}))
    protection, hides = ward_profile.protect_themes(comments, c, "W", INTERNAL)
    assert str(ward_profile.themes_sentence(protection, INTERNAL)) == (
        "What residents here comment on: Long wait on the phone (12 comments). Themes mentioned fewer than 10 "
        "times are left out.")
    public, _ = ward_profile.protect_themes(comments, counts([("W", 1000, 1), ("X", 1000, 2)], requests(
        {"W": {"online": 50}, "X": {"online": 50}}), PUBLIC, said=feedback({"W": (5, 10, 15), "X": (10, 10, 10)})),
        "W", PUBLIC)
    assert "Long wait on the phone (10 comments)" in str(ward_profile.themes_sentence(public, PUBLIC))
    assert hides == set() and not protection.disclosed().to_dict("records")
