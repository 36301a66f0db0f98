"""The staff rule of the disclosure gate: groups under 5 are taken out before anything is added up."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from pulse.disclosure import Policy
from pulse.disclosure.staff import keep_groups, people_count, share, shares_table, summed

INTERNAL, PUBLIC = Policy(threshold=10), Policy(public_safe=True, threshold=10)
JAN, FEB = pd.Timestamp("2026-01-01"), pd.Timestamp("2026-02-01")


def records(rows: list[tuple]) -> pd.DataFrame:
    """adoption_by_directorate_month_role_activity rows: (directorate, month, role level, activity, people, active)."""
    return pd.DataFrame(rows, columns=["directorate", "month", "role_level", "activity", "people", "active"])


def borough(policy_active: int = 2) -> pd.DataFrame:
    """Two directorates: Big with 6 executives, 7 senior leaders, 5 managers, 20 staff; Small with 1 executive,
    3 senior leaders (a group of 4), 2 managers and 9 staff, `policy_active` of Small's leaders active."""
    rows = []
    for month in (JAN, FEB):
        for activity in ("e_signature", "teams_meetings"):
            rows += [("Big", month, "executive", activity, 6, 3), ("Big", month, "senior_leader", activity, 7, 7),
                     ("Big", month, "manager", activity, 5, 1), ("Big", month, "staff", activity, 20, 10),
                     ("Small", month, "executive", activity, 1, 1),
                     ("Small", month, "senior_leader", activity, 3, policy_active - 1),
                     ("Small", month, "manager", activity, 2, 2), ("Small", month, "staff", activity, 9, 3)]
    return records(rows)


def test_small_groups_are_taken_out_and_named_without_their_size():
    kept = keep_groups(borough(), INTERNAL)
    january = kept.cells[(kept.cells["month"] == JAN) & (kept.cells["activity"] == "e_signature")]
    assert january[["directorate", "group", "people", "active"]].values.tolist() == [
        ["Big", "leaders", 13, 10], ["Big", "executives", 6, 3], ["Big", "senior_leaders", 7, 7],
        ["Big", "managers", 5, 1], ["Big", "staff", 20, 10], ["Small", "staff", 9, 3]]
    assert kept.left_out.values.tolist() == [
        ["Small", JAN, "leaders"], ["Small", JAN, "managers"], ["Small", FEB, "leaders"], ["Small", FEB, "managers"]]
    assert list(kept.left_out.columns) == ["directorate", "month", "group"]


def test_no_sum_over_any_filter_depends_on_a_small_group():
    # Every selection of directorates and months gives the same sums whatever Small's 4 leaders did.
    for before, after in ((1, 2), (2, 4)):
        a, b = keep_groups(borough(before), INTERNAL).cells, keep_groups(borough(after), INTERNAL).cells
        pd.testing.assert_frame_equal(a, b)
    cells = keep_groups(borough(), INTERNAL).cells
    everyone = summed(cells[cells["group"] == "leaders"], ["month"])
    assert everyone[["people", "active"]].values.tolist() == [[26, 20], [26, 20]]  # Big's 13 × 2 activities


def test_executives_and_senior_leaders_apart_only_where_both_reach_the_minimum():
    rows = [("A", JAN, "executive", "x", 5, 5), ("A", JAN, "senior_leader", "x", 5, 0),
            ("B", JAN, "executive", "x", 4, 4), ("B", JAN, "senior_leader", "x", 8, 2),
            ("A", FEB, "executive", "x", 5, 1), ("A", FEB, "senior_leader", "x", 3, 3)]
    cells = keep_groups(records(rows), INTERNAL).cells
    assert cells[["directorate", "month", "group", "people", "active"]].values.tolist() == [
        ["A", JAN, "leaders", 10, 5], ["A", JAN, "executives", 5, 5], ["A", JAN, "senior_leaders", 5, 0],
        ["A", FEB, "leaders", 8, 4], ["B", JAN, "leaders", 12, 6]]
    # Leaders − executives − senior leaders over everything = A in February and B: whole groups of 5 or more.
    total = summed(cells, ["group"]).set_index("group")["people"]
    assert total["leaders"] - total["executives"] - total["senior_leaders"] == 8 + 12


def test_a_group_is_as_small_as_its_smallest_activity():
    rows = [("A", JAN, "staff", "teams_meetings", 20, 9), ("A", JAN, "staff", "e_signature", 4, 4)]
    kept = keep_groups(records(rows), INTERNAL)
    assert kept.empty and kept.left_out.values.tolist() == [["A", JAN, "staff"]]


def test_no_leaders_at_all_and_no_records_at_all():
    staff_only = keep_groups(records([("A", JAN, "staff", "x", 6, 3)]), INTERNAL)
    assert staff_only.cells[["group", "people"]].values.tolist() == [["staff", 6]]
    nothing = keep_groups(records([]), INTERNAL)
    assert nothing.empty and nothing.left_out.empty


def test_an_unknown_role_level_is_refused():
    with pytest.raises(ValueError, match="unknown role level"):
        keep_groups(records([("A", JAN, "volunteer", "x", 6, 3)]), INTERNAL)


def test_shares_and_people_as_published():
    assert share(7, 11, INTERNAL).text == "63.6%" and share(7, 11, INTERNAL).value == 0.636
    assert share(7, 11, PUBLIC).text == "64%" and share(7, 11, PUBLIC).value == 0.64
    assert share(2, 4, INTERNAL).text == "[c]"  # never over fewer than 5 people
    assert share(None, None, INTERNAL).text == "–" and share(0, 0, INTERNAL).text == "–"
    assert [people_count(n, PUBLIC) for n in (5, 7, 8, 12, 13)] == [5, 5, 10, 10, 15]
    assert people_count(7, INTERNAL) == 7 and people_count(None, INTERNAL) is None


def test_shares_table_rounds_people_in_public_safe_mode():
    frame = pd.DataFrame({"group": ["Leaders", "Staff", "Gap"], "people": [13, 22, None],
                          "active": [7, 9, None]})
    internal = shares_table(frame, INTERNAL, ["group"]).frame
    public = shares_table(frame, PUBLIC, ["group"]).frame
    assert internal.to_dict("list")["people"] == [13, 22, None]
    assert internal["share_text"].tolist() == ["53.8%", "40.9%", "–"]
    assert public.to_dict("list")["people"] == [15, 20, None]
    assert public["share"].tolist()[:2] == [0.54, 0.41] and math.isnan(public["share"].iloc[2])
    assert shares_table(frame, PUBLIC, ["group"]).kinds == {"group": "label", "people": "count", "share": "rate",
                                                             "share_text": "text"}
