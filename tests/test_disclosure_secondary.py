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


def test_a_family_has_one_aggregate_per_key_among_its_cells_with_exactly_those_cells():
    """CountModel works out each `by`'s keys once for all its families; every family must still get the keys
    and members the definition gives: the distinct `by` values of its chosen cells (of every cell for a
    numerator), sorted, each aggregate holding the chosen cells with its values. Missing values are keys too."""
    rng = np.random.default_rng(7)
    cells = pd.DataFrame({"ward": rng.choice(["A", "B", "C", None], 200), "theme": rng.choice(["x", "y", None], 200),
                          "month": rng.choice([1, 2, 3], 200), "n": rng.integers(0, 30, 200)})
    model = CountModel(cells, ["ward", "theme", "month"], "n", Policy(threshold=10), "check")
    declared = [("wards", ("ward",), None, "shown"), ("x by ward", ("ward",), lambda c: c["theme"] == "x", "shown"),
                ("x share", ("ward",), lambda c: c["theme"] == "x", "numerator"),
                ("cells", ("ward", "theme"), lambda c: c["month"] > 1, "shown"),
                ("none", ("theme",), lambda c: c["month"] > 9, "shown")]
    for name, by, where, role in declared:
        model.add(name, by, where=where, role=role)
    table = model.cells
    for name, by, where, role in declared:
        family = model._families[name]
        chosen = np.ones(len(table), bool) if where is None else where(table).to_numpy(bool)
        with_keys = table if role == "numerator" else table[chosen]
        expected = with_keys[list(by)].drop_duplicates().sort_values(list(by)).reset_index(drop=True)
        pd.testing.assert_frame_equal(family.keys, expected)
        for number, key in enumerate(expected.itertuples(index=False)):
            same = np.logical_and.reduce([(table[c].isna() & pd.isna(v)) | (table[c] == v) for c, v in zip(by, key)])
            assert (family.members[number] == (chosen & np.asarray(same, bool))).all(), (name, key)
        assert family.counts.tolist() == [float(table["n"][row].sum()) for row in family.members]
