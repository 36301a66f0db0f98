"""The Leadership page's sentences on degenerate data (the list of builders is in
tests/test_sentences_degenerate.py)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pulse.disclosure import LABEL, RATE, TEXT, Policy, Table
from pulse.metrics.correlation import Correlation, correlation
from pulse.pages import leadership
from pulse.pages import leadership_words as words

INTERNAL, PUBLIC = Policy(threshold=10), Policy(public_safe=True, threshold=10)
OCTOBER = pd.Timestamp("2026-10-01")


def heat(shares: dict[str, float | None], group: str = "Leaders", activity: str = "e_signature") -> pd.DataFrame:
    """One month of a heatmap's published cells: directorate → share (None: hidden)."""
    return pd.DataFrame({"month": OCTOBER, "activity": activity, "group": group, "directorate": list(shares),
                         "share": [np.nan if s is None else s for s in shares.values()],
                         "share_text": ["[c]" if s is None else f"{s:.0%}" for s in shares.values()]})


def gaps(rows: list[tuple[str, str, float | None, float | None]]) -> pd.DataFrame:
    """Leader and staff shares by (month, activity, leaders, staff); the gap is theirs, None when hidden."""
    frame = pd.DataFrame(rows, columns=["month", "activity", "leader_share", "staff_share"]).astype(
        {"leader_share": float, "staff_share": float})
    return frame.assign(month=pd.to_datetime(frame["month"]), gap=frame["leader_share"] - frame["staff_share"],
                        leader_share_text=frame["leader_share"].map(lambda v: "[c]" if pd.isna(v) else f"{v:.0%}"),
                        staff_share_text=frame["staff_share"].map(lambda v: "[c]" if pd.isna(v) else f"{v:.0%}"))


# --------------------------------------------------------------------------- heatmaps and headline sentences


def test_heatmap_title_on_equal_shares_one_directorate_and_none():
    # Before: "Leaders, October 2026: most active in B, least in A", though both were 50%.
    assert words.heatmap_title(heat({"A": 0.5, "B": 0.5}), "Leaders") == (
        "Leaders, October 2026: equally active in every directorate shown")
    assert words.heatmap_title(heat({"A": 0.5}), "Leaders") == "Leaders in A, October 2026"
    assert words.heatmap_title(heat({"A": None, "B": None}), "Leaders") == (
        "Leaders: no directorate has a group big enough to show")
    assert words.heatmap_title(heat({"A": 0.4, "B": 0.5, "C": None}), "Leaders") == (
        "Leaders, October 2026: most active in B, least in A")


def test_activity_sentence_on_one_directorate_equal_shares_and_hidden_ones():
    assert words.activity_sentence(heat({"Housing": 0.5}), "e_signature") == (
        "50% of Housing's leaders used e-signature in October 2026.")
    assert words.activity_sentence(heat({"A": 0.5, "B": 0.5, "C": 0.5}), "e_signature") == (
        "All 3 directorates' leaders used e-signature in October 2026.")
    assert words.activity_sentence(heat({"A": None, "B": None}), "e_signature") is None
    assert words.activity_sentences(heat({"A": None, "B": None})) == []


def test_story_sentence_on_level_gaps_one_directorate_and_hidden_ones():
    card = pd.DataFrame({"directorate": ["A", "B"], "gap": [0.0, np.nan]})
    assert words.story_sentence(card, OCTOBER) == (
        "In October 2026 leaders' use of digital tools was level with their staff's in A.")
    level = pd.DataFrame({"directorate": ["A", "B"], "gap": [0.0, 0.0]})
    assert words.story_sentence(level, OCTOBER) == (
        "In October 2026 leaders' use of digital tools was level with their staff's in every directorate shown.")
    assert words.story_sentence(card.assign(gap=np.nan), OCTOBER) is None


# --------------------------------------------------------------------------- leaders against staff


def test_gap_sentence_on_no_gap():
    # Before: "… ahead of staff on 0 of 2 activities …; the widest gap was on e-signature: 40% of leaders against
    # 40% of staff."
    level = gaps([("2026-10-01", "e_signature", 0.4, 0.4), ("2026-10-01", "teams_meetings", 0.5, 0.5)])
    assert words.gap_sentence(level) == (
        "Across the directorates shown, leaders and staff were as active as each other on each of the 2 activities "
        "in October 2026.")
    assert words.gap_sentence(level.head(1)) == (
        "Across the directorates shown, leaders and staff were as active as each other on e-signature in October "
        "2026.")
    assert words.lines_title(level) == (
        "Leaders and staff, share active each month: leaders ahead on 0 of 2 activities in October 2026")


def test_one_activity_is_named_not_counted():
    # Before: "leaders were ahead of staff on 1 of 1 activities"; "leaders ahead on 0 of 1 activities".
    ahead = gaps([("2026-10-01", "e_signature", 0.6, 0.5)])
    assert words.gap_sentence(ahead) == (
        "Across the directorates shown, leaders were ahead of staff on e-signature in October 2026: 60% of leaders "
        "against 50% of staff.")
    assert words.gap_sentence(gaps([("2026-10-01", "e_signature", 0.52, 0.5)])) == (
        "Across the directorates shown, leaders were level with staff on e-signature in October 2026: 52% of "
        "leaders against 50% of staff.")
    assert words.gap_sentence(gaps([("2026-10-01", "e_signature", 0.4, 0.5)])) == (
        "Across the directorates shown, leaders were behind staff on e-signature in October 2026: 40% of leaders "
        "against 50% of staff.")
    assert words.lines_title(ahead) == (
        "Leaders and staff, share active each month: leaders ahead on e-signature in October 2026")
    assert words.lines_title(gaps([("2026-10-01", "e_signature", 0.4, 0.5)])) == (
        "Leaders and staff, share active each month: leaders not ahead on e-signature in October 2026")


def test_a_hidden_latest_month_is_a_gap_not_a_zero():
    rows = gaps([("2026-09-01", "e_signature", 0.6, 0.5), ("2026-10-01", "e_signature", None, None)])
    assert words.gap_sentence(rows) == (
        "Across the directorates shown, leaders were ahead of staff on e-signature in September 2026: 60% of "
        "leaders against 50% of staff.")
    assert words.gap_sentence(rows.tail(1)) is None
    assert words.lines_title(rows.tail(1)) == "Leaders and staff: share active each month"


@pytest.mark.parametrize("policy, said", [(INTERNAL, "+5.0 points"), (PUBLIC, "+5 points")])
def test_gap_title_when_the_gap_did_not_move(policy, said):
    # Before: "on e-signature it was +5 points in September 2026 and +5 points in October 2026".
    held = gaps([("2026-09-01", "e_signature", 0.55, 0.5), ("2026-10-01", "e_signature", 0.55, 0.5)])
    assert words.gap_title(held, policy) == (
        f"The leader–staff gap, month by month: on e-signature it held at {said} from September 2026 to October 2026")
    both = pd.concat([held, held.assign(activity="teams_meetings")], ignore_index=True)
    assert words.gap_title(both, policy) == (
        "The leader–staff gap, month by month: no activity's gap changed between the first and last month shown")
    assert words.gap_title(held.tail(1), policy) == "The leader–staff gap, month by month"


def test_gap_title_when_it_flips_sign_and_points_are_singular():
    flipped = gaps([("2026-09-01", "e_signature", 0.55, 0.5), ("2026-10-01", "e_signature", 0.5, 0.55)])
    assert words.gap_title(flipped, PUBLIC) == (
        "The leader–staff gap, month by month: on e-signature it was +5 points in September 2026 and −5 points in "
        "October 2026")
    # Before: "+1 points".
    assert [words.points(g, PUBLIC).text for g in (0.01, -0.01, 0.001)] == ["+1 point", "−1 point", "0 points"]
    assert words.points(0.01, INTERNAL).text == "+1.0 points"


# --------------------------------------------------------------------------- does it show in services?


@pytest.mark.parametrize("r", [0.0, -0.001, 0.004])
def test_an_r_that_reads_as_zero_has_no_direction(r):
    # Before: "those whose leaders use digital tools more tend to have lower satisfaction: a weak association
    # (r = -0.00, …". An r of zero has no direction, and an association that is not there needs no caveat.
    assert words.association_caption(Correlation(5, r=r, low=-0.8, high=0.8), "satisfaction") == (
        "Across 5 directorates, leaders' use of digital tools shows no sign of an association with satisfaction "
        "(r = 0.00, 95% interval -0.80 to 0.80).")
    assert words.association_caption(Correlation(3, r=r), "satisfaction", digits=1) == (
        "Across 3 directorates, leaders' use of digital tools shows no sign of an association with satisfaction "
        "(r = 0.0; too few directorates for an interval).")
    assert words.scatter_title(Correlation(5, r=r, low=-0.8, high=0.8), "satisfaction") == (
        "Satisfaction: no clear link with leaders' adoption in this period")


def test_captions_with_one_directorate_and_equal_values():
    assert words.association_caption(correlation([0.5], [0.7]), "satisfaction") == (
        "Only 1 directorate with both figures: at least 3 are needed to look for a link between leaders' adoption "
        "and satisfaction.")
    equal = correlation([0.5, 0.5, 0.5, 0.5], [0.1, 0.2, 0.3, 0.4])
    assert words.association_caption(equal, "satisfaction") == (
        "No correlation can be computed: every directorate shown has the same leaders' adoption or satisfaction.")
    assert words.maturity_title(equal) == (
        "Self-assessment and measurement: no clear link between maturity scores and leaders' adoption")


def test_notes_with_nothing_left_out():
    assert words.left_out_note(pd.DataFrame(columns=["directorate", "group"]), pd.Series(dtype=int), PUBLIC) is None


# --------------------------------------------------------------------------- the page's own notes


def test_the_page_with_no_records_and_with_only_small_groups():
    nothing = leadership._nothing(pd.DataFrame(), None, INTERNAL, ())
    assert nothing.empty == ("No staff adoption records for these filters. Widen the dates or directorates, or load "
                             "an adoption export (docs/leadership.md says how).")
    small = leadership._nothing(pd.DataFrame({"directorate": ["A"]}), None, PUBLIC, ())
    assert small.empty == ("No group of staff in these records has 5 or more people, so nothing can be shown "
                           "without giving a smaller group away. Widen the dates or directorates.")


def linked(rows: dict[str, tuple[float, float]]) -> Table:
    """Directorate → (leaders' adoption, digital take-up), as the page links them."""
    frame = pd.DataFrame({"directorate": list(rows), "leaders": [r[0] for r in rows.values()],
                          "digital_takeup": [r[1] for r in rows.values()]})
    frame = frame.assign(leaders_text=frame["leaders"].map("{:.0%}".format),
                         digital_takeup_text=frame["digital_takeup"].map("{:.0%}".format))
    return Table(frame, {"directorate": LABEL, "leaders": RATE, "digital_takeup": RATE, "leaders_text": TEXT,
                         "digital_takeup_text": TEXT})


REQUESTS_ONLY = {"requests": True, "requests_with_directorate": True}


def test_scatters_with_one_directorate_and_with_equal_adoption():
    (one,), missing = leadership._scatters(linked({"A": (0.5, 0.6)}), REQUESTS_ONLY, INTERNAL)
    assert one.chart is None and one.caption == (
        "Only 1 directorate with both figures: at least 3 are needed to look for a link between leaders' adoption "
        "and digital take-up.")
    assert missing == ("To see whether leaders' adoption shows in services: Satisfaction needs a feedback export "
                       "with ratings, for services whose requests name their directorate.")
    (equal,), _ = leadership._scatters(linked({"A": (0.5, 0.6), "B": (0.5, 0.7), "C": (0.5, 0.8)}), REQUESTS_ONLY,
                                       PUBLIC)
    assert equal.caption == ("No correlation can be computed: every directorate shown has the same leaders' adoption "
                             "or digital take-up.")


def test_maturity_note_with_nothing_in_the_period_and_no_framework_named():
    assert leadership._maturity_note(None) is None
    empty = Table(pd.DataFrame({"framework": pd.Series(dtype=object)}), {"framework": LABEL})
    assert leadership._maturity_note(empty) == "No maturity self-assessment falls in this period."
    unnamed = Table(pd.DataFrame({"framework": ["–", ""]}), {"framework": LABEL})
    assert leadership._maturity_note(unnamed) == (
        "Maturity is a directorate's own score against its framework, as a share of the top score; adoption is "
        "measured from staff records over the period. Where the two disagree is worth a conversation.")
