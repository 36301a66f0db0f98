"""Models of one view linked by `withheld`: what one model hid, the next protects as if it were small."""

from __future__ import annotations

import pandas as pd

from pulse.disclosure import CountModel, Policy

POLICY = Policy(threshold=10)


def cells() -> pd.DataFrame:
    return pd.DataFrame({"ward": ["A", "A", "B", "B"], "channel": ["online", "phone", "online", "phone"],
                         "requests": [60, 40, 30, 20]})


def test_a_withheld_total_is_protected_like_a_small_one():
    # Nothing here is small, but another model withheld B's total: B's channels may not add up to it.
    model = CountModel(cells(), ["ward", "channel"], "requests", POLICY, "linked")
    model.add("wards", ["ward"], priority=9, withheld=pd.DataFrame({"ward": ["B"]}))
    model.add("channels", ["ward", "channel"])
    protection = model.protect()
    wards = protection.hidden_of("wards")
    assert wards[["ward", "hidden"]].values.tolist() == [["A", False], ["B", True]]
    assert wards["why"].tolist()[1] == "hidden so that a count under 10 nearby cannot be worked out"
    channels = protection.hidden_of("channels")
    assert channels.loc[channels["ward"] == "B", "hidden"].tolist() == [False, True]  # one is enough
    assert channels.loc[channels["ward"] == "A", "hidden"].tolist() == [False, False]
    assert protection.disclosed().empty


def test_withheld_true_marks_every_aggregate_of_the_family():
    model = CountModel(cells(), ["ward", "channel"], "requests", POLICY, "linked")
    model.add("borough", priority=9, withheld=True)
    model.add("wards", ["ward"])
    protection = model.protect()
    assert protection.hidden_of("borough")["hidden"].tolist() == [True]
    assert protection.hidden_of("wards")["hidden"].sum() == 1  # one ward, or the two would add up to it
