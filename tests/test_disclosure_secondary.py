"""Secondary suppression (pulse.disclosure.secondary, GaussSuppression-style) and CountModel, on small tables
worked out by hand."""

from __future__ import annotations

import numpy as np
import pandas as pd

from pulse.disclosure import CountModel, Policy, secondary


def test_one_hidden_cell_beside_a_total_takes_the_smallest_other_with_it():
    # cells a=3 (small), b=12, c=40 and their total: with the total published, b must be hidden too.
    members = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 1]])
    primary = np.array([True, False, False, False])
    order = np.array([3, 2, 1, 0])  # the total first, then larger cells
    hidden = secondary.protect(members, primary, order)
    assert hidden.tolist() == [True, True, False, False]
    assert not secondary.determined(members, hidden).any()
    assert secondary.determined(members, primary)[0]  # without the second cell, a = total − b − c


def test_a_cell_hidden_in_two_relations_is_protected_in_both():
    # A 2 × 2 table with row and column totals: one small cell needs a rectangle of four.
    members = np.array([[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1],
                        [1, 1, 0, 0], [0, 0, 1, 1], [1, 0, 1, 0], [0, 1, 0, 1]])
    primary = np.array([True] + [False] * 7)
    order = np.array([4, 5, 6, 7, 1, 2, 3])
    hidden = secondary.protect(members, primary, order)
    assert hidden[:4].tolist() == [True, True, True, True] and not hidden[4:].any()
    assert not secondary.determined(members, hidden).any()


def test_a_published_rate_that_would_give_a_cell_away_is_hidden():
    cells = pd.DataFrame({"month": ["m1", "m1"], "channel": ["online", "phone"], "n": [3, 40]})
    model = CountModel(cells, ["month", "channel"], "n", Policy(threshold=10), "test")
    model.add("total", ["month"], role="denominator").add(
        "digital", ["month"], where=lambda c: c["channel"] == "online", role="numerator").add("cells", ["month", "channel"])
    protection = model.protect()
    assert protection.hidden_of("digital")["hidden"].tolist() == [True]
    assert protection.table("cells").frame["n"].tolist() == ["[c]", "[c]"]
    assert protection.disclosed().empty


def test_public_safe_rounds_what_is_shown_and_figures_say_why_they_are_hidden():
    cells = pd.DataFrame({"ward": ["A", "B", "C"], "n": [3, 52, 118]})
    model = CountModel(cells, ["ward"], "n", Policy(public_safe=True, threshold=10), "wards")
    protection = model.add("borough", []).add("wards", ["ward"]).protect()
    assert protection.table("wards").frame["n"].tolist() == ["[c]", "[c]", 120]
    assert protection.figure("borough").text == "175"
    assert protection.figure("wards", {"ward": "A"}).why == "fewer than 10"
    assert protection.figure("wards", {"ward": "B"}).why.startswith("hidden so that a count under 10")
