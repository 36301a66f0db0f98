"""The Leadership adoption page's logic (pulse/pages/leadership*.py) on the hand-built fixture: exact values.

The fixture (tests/fixtures/adoption) has three directorates. Parks has 4 leaders — a group under 5,
which must never be shown nor be part of any figure — and Environment a single manager. Every
expected figure below can be counted by hand from tests/fixtures/adoption/make_adoption_csv.py.
"""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from pulse import db
from pulse.disclosure import Policy
from pulse.disclosure.staff import keep_groups
from pulse.filters import Filters
from pulse.ingest.mapping import IngestError
from pulse.ingest.wide import activity_name, melt_wide_adoption
from pulse.metrics.correlation import correlation
from pulse.pages import leadership
from pulse.pages import leadership_tables as tables
from pulse.pages import leadership_words as words
from tests.test_adoption_queries import adoption_db  # noqa: F401  (a fixture)

INTERNAL, PUBLIC = Policy(threshold=10), Policy(public_safe=True, threshold=10)
PERSON_ID = r"\bP\d\d\b"
APRIL = pd.Timestamp("2026-04-01")


def page_of(path, policy: Policy = INTERNAL, **params) -> leadership.Leadership:
    """The published page for the fixture database and these filters."""
    bound = {**Filters().params(), **params}
    run = {name: db.run(name, bound, path=path) for name in (leadership.QUERY, leadership.OUTCOMES,
                                                             leadership.MATURITY)}
    available = db.run(leadership.OUTCOMES_AVAILABLE, {}, path=path).iloc[0].to_dict()
    return leadership.page(run[leadership.QUERY], run[leadership.OUTCOMES], available, run[leadership.MATURITY],
                           policy)


@pytest.fixture(scope="module")
def shown(adoption_db):  # noqa: F811
    """The page with no filters, inside the council."""
    return page_of(adoption_db)


def every_output(page: leadership.Leadership) -> dict[str, str]:
    """Each thing the page sends out, as text: downloads as CSV, charts as their Vega-Lite JSON and data."""
    out = {d.file_name: d.table.frame.to_csv(index=False) for d in page.downloads}
    for name in ("lines", "gap", "roles", "heat_leaders", "heat_staff", "maturity"):
        chart = getattr(page, name)
        if chart is not None:
            out[f"chart {name}"] = json.dumps(chart.spec, default=str) + chart.data.frame.to_csv(index=False)
    for scatter in page.scatters:
        out[f"caption {scatter.caption[:30]}"] = str(scatter.caption)
    texts = [page.intro, page.privacy, page.left_out, page.story, *page.bullets, page.card_note]
    out["words"] = "\n".join(str(t) for t in texts if t)
    return out


def chart_rows(spec: dict) -> list[dict]:
    """Every data row inlined in a Vega-Lite spec, at any depth."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("data"), dict) and "values" in node["data"]:
                found.extend(node["data"]["values"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk(spec)
    return found


# --------------------------------------------------------------------------- sentences


def test_the_briefs_example_sentence():
    heat = pd.DataFrame({
        "month": pd.Timestamp("2026-10-01"), "activity": "e_signature", "group": "Leaders",
        "directorate": ["Adult Social Care", "Children's Services", "Environment & Waste", "Highways & Transport",
                        "Housing", "Planning", "Revenues & Benefits", "Customer Services"],
        "share": [0.2, 0.5, 1.0, 0.8, 0.6, 0.7, 0.9, 1.0],
        "share_text": ["20%", "50%", "100%", "80%", "60%", "70%", "90%", "100%"],
    })
    assert words.activity_sentence(heat, "e_signature") == (
        "7 of 8 directorates' leaders used e-signature in October 2026; Adult Social Care's did not.")
    assert words.activity_sentence(heat.head(1), "e_signature") == (
        "20% of Adult Social Care's leaders used e-signature in October 2026.")
    heat.loc[heat["directorate"] == "Children's Services", "share"] = 0.4
    assert words.activity_sentence(heat, "e_signature") == (
        "6 of 8 directorates' leaders used e-signature in October 2026; those of Adult Social Care and "
        "Children's Services did not.")
    assert words.activity_sentence(heat.head(2).assign(share=0.9), "e_signature") == (
        "Both directorates' leaders used e-signature in October 2026.")
    assert words.activity_sentence(heat.assign(share=0.1), "dashboard_viewed") is None
    assert words.activity_sentence(heat.assign(share=0.1), "e_signature") == (
        "No directorate's leaders used e-signature in October 2026.")


def test_headline_sentences_on_the_fixture(shown):
    assert shown.story == ("In April 2026 leaders were ahead of their own staff in Environment, and behind them "
                           "in Housing.")
    # Leaders are Environment's 5 and Housing's 6: Parks' 4 are in no figure. Digital training in April:
    # 5 + 1 of 11 leaders (54.5%), 4 + 6 + 1 of 16 staff (68.8%).
    assert shown.bullets == (
        "Across the directorates shown, leaders were ahead of staff on 2 of 3 activities in April 2026; "
        "the widest gap was on digital training: 54.5% of leaders against 68.8% of staff.",
        "1 of 2 directorates' leaders had completed digital training in April 2026; Housing's did not.",
        "1 of 2 directorates' leaders used e-signature in April 2026; Housing's did not.",
        "Both directorates' leaders joined Teams meetings in April 2026.",
    )
    assert shown.left_out == ("Hidden so that a group of fewer than 5 cannot be worked out: Environment's "
                              "managers; Parks' leaders.")
    assert shown.intro.startswith("Digital adoption by leaders (executives and senior leaders), managers and staff, "
                                  "January 2026 to April 2026.")


def test_the_privacy_note_is_true_and_says_public_safe_rounding(shown, adoption_db):  # noqa: F811
    assert shown.privacy.startswith("Figures about staff come only from groups of 5 or more people. A directorate's "
                                    "leaders, managers or staff are left out of a month when fewer than 5 of them "
                                    "have records that month — left out before anything is added up")
    assert "Public-safe" not in shown.privacy
    assert page_of(adoption_db, PUBLIC).privacy.endswith(
        "Public-safe figures: counts of people are rounded to the nearest 5 and shares to whole per cent.")


def test_titles_state_the_message(shown):
    assert shown.lines.alt_text.startswith(
        "Leaders and staff, share active each month: leaders ahead on 2 of 3 activities in April 2026.")
    assert shown.gap.alt_text.startswith(
        "The leader–staff gap, month by month: it widened most on Teams meetings, from −2.9 points in January "
        "2026 to +6.2 points in April 2026.")
    assert shown.heat_leaders.alt_text.startswith("Leaders, April 2026: most active in Environment, least in Housing.")
    assert shown.heat_staff.alt_text.startswith("Staff, April 2026: most active in Housing, least in Parks.")
    assert shown.roles.alt_text.startswith("By role level, April 2026.")
    assert shown.lines.spec["title"]["subtitle"] == "Leaders ahead on 2 of 3 activities in April 2026"


def test_points_read_without_a_negative_zero():
    assert words.points(-0.0004, INTERNAL).text == "0.0 points"
    assert words.points(-0.029, INTERNAL).text == "−2.9 points"
    assert words.points(0.06, PUBLIC).text == "+6 points"


# --------------------------------------------------------------------------- leaders against staff


def test_all_leaders_are_the_sum_of_the_groups_shown(shown, adoption_db):  # noqa: F811
    lines = shown.lines.data.frame
    april = lines[(lines["month"] == APRIL) & (lines["activity"] == "e_signature")].set_index("group")
    # Environment's 5 leaders all used e-signature in April, 2 of Housing's 6: 7 of 11. Parks' 4 are left out.
    assert april.loc["Leaders", ["people", "share", "share_text"]].tolist() == [11, 0.636, "63.6%"]
    assert april.loc["Staff", ["people", "share", "share_text"]].tolist() == [16, 0.563, "56.3%"]
    two = page_of(adoption_db, directorates=["Environment", "Housing"]).lines.data.frame
    pd.testing.assert_frame_equal(two[two["group"] == "Leaders"].reset_index(drop=True),
                                  lines[lines["group"] == "Leaders"].reset_index(drop=True))


def test_gap_months_are_gaps_not_zeros(shown):
    march = pd.Timestamp("2026-03-01")
    for table in (shown.lines.data, shown.gap.data):
        rows = table.frame[table.frame["month"] == march]
        assert len(rows) == (6 if table is shown.lines.data else 3)
        assert rows["share" if "share" in rows else "gap"].isna().all()
    marches = [row for row in chart_rows(shown.lines.spec) if str(row.get("month", "")).startswith("2026-03")]
    assert marches and all(row["share"] is None for row in marches)
    # The download has the months with records only.
    download = next(d for d in shown.downloads if d.file_name == "leadership_leaders_vs_staff.csv").table.frame
    assert march not in set(download["month"]) and len(download) == 3 * 3 * 2


def test_role_levels_show_managers_only_where_five_or_more(shown, adoption_db):  # noqa: F811
    roles = next(d for d in shown.downloads if d.file_name == "leadership_role_levels.csv").table.frame
    april = roles[(roles["month"] == APRIL) & (roles["activity"] == "e_signature")]
    # Housing's 5 managers only (3 used e-signature in April): Environment's single manager is left out.
    assert april[["group", "people", "share_text"]].values.tolist() == [
        ["Leaders", 11, "63.6%"], ["Managers", 5, "60.0%"], ["Staff", 16, "56.3%"]]
    housing = page_of(adoption_db, directorates=["Housing"])
    same = next(d for d in housing.downloads if d.file_name == "leadership_role_levels.csv").table.frame
    assert same[(same["group"] == "Managers")]["share_text"].tolist() == \
        roles[(roles["group"] == "Managers")]["share_text"].tolist()
    assert "apart only from directorates where each group has 5 or more people; none has here" in shown.roles_note


# --------------------------------------------------------------------------- the scorecard


def test_scorecard_on_the_fixture(shown):
    card = shown.card.frame.set_index("directorate")
    assert list(card.index) == ["Environment", "Housing", "Parks"]
    env, housing, parks = card.loc["Environment"], card.loc["Housing"], card.loc["Parks"]
    assert env[["leaders_pct", "staff_pct", "gap_pts", "trained_pct"]].tolist() == [100.0, 60.0, 40.0, 90.0]
    # Housing trained: 1 + 5 managers' 2 + 6 of 17 people in groups of 5 or more.
    assert housing[["leaders_pct", "staff_pct", "gap_pts", "trained_pct"]].tolist() == [66.7, 83.3, -16.6, 52.9]
    assert (env["leaders_people"], housing["leaders_people"], parks["staff_people"]) == (5, 6, 5)
    assert math.isnan(parks["leaders_pct"]) and parks["leaders_people"] is None and math.isnan(parks["gap_pts"])
    # Parks' trained covers its 5 staff only (1 trained): its 4 leaders are in no figure.
    assert (parks["staff_pct"], parks["trained_pct"]) == (80.0, 20.0)
    # March has no data: left out of the sparkline (it cannot draw a gap), never drawn as a zero.
    assert env["leader_trend"] == [0.8, 0.9, 1.0] and parks["leader_trend"] is None
    assert (env["leader_verdict"], parks["leader_verdict"], parks["staff_verdict"]) == (
        "Not judged yet", "–", "Not judged yet")
    assert parks["leader_icon"] is None and env["leader_icon"].startswith("data:image/svg+xml")


def test_scorecard_in_public_safe_mode(adoption_db):  # noqa: F811
    card = page_of(adoption_db, PUBLIC).card.frame.set_index("directorate")
    assert card.loc["Housing", ["leaders_pct", "staff_pct", "gap_pts", "trained_pct"]].tolist() == [67.0, 83.0, -16.0,
                                                                                                    53.0]
    assert card.loc["Housing", ["leaders_people", "staff_people"]].tolist() == [5, 5]  # 6 and 6, to the nearest 5
    assert card.loc["Housing", "leader_trend"] == [0.5, 0.58, 0.67]


def test_scorecard_judges_a_long_series_with_spc():
    months = pd.date_range("2025-01-01", periods=14, freq="MS")
    steady = [10, 10, 9, 11, 10, 10, 9, 11, 10, 10, 9, 11, 10, 10]
    rising = [4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10]
    rows = []
    for directorate, actives in (("Steady", steady), ("Rising", rising)):
        for month, active in zip(months, actives):
            rows += [(directorate, month, "senior_leader", "e_signature", 20, active),
                     (directorate, month, "staff", "e_signature", 40, 20)]
    records = pd.DataFrame(rows, columns=["directorate", "month", "role_level", "activity", "people", "active"])
    card = tables.scorecard(keep_groups(records, INTERNAL), INTERNAL).frame.set_index("directorate")
    assert card.loc["Steady", "leader_verdict"] == "No significant change"
    assert card.loc["Rising", "leader_verdict"] == "Improving"
    assert card.loc["Rising", "leader_icon"] != card.loc["Steady", "leader_icon"]


# --------------------------------------------------------------------------- does it show in services?


def test_correlation_and_its_fisher_z_interval_exactly():
    result = correlation([1, 2, 3, 4, 5], [2, 4, 5, 4, 5])
    assert result.n == 5
    assert result.r == pytest.approx(math.sqrt(0.6), abs=1e-12)  # 6 / √(10 × 6)
    assert result.low == pytest.approx(-0.3400820352, abs=1e-9)
    assert result.high == pytest.approx(0.9842357552, abs=1e-9)
    assert (result.slope, result.intercept) == (pytest.approx(0.6), pytest.approx(2.2))
    z = math.atanh(math.sqrt(0.6))
    assert result.high == pytest.approx(math.tanh(z + 1.959963984540054 / math.sqrt(2)), abs=1e-12)


def test_correlation_where_it_cannot_be_estimated():
    assert correlation([0.1, 0.2], [0.3, 0.4]).r is None
    three = correlation([0.1, 0.2, 0.4], [0.3, 0.5, 0.4])
    assert three.r is not None and three.low is None  # n − 3 = 0: no interval
    assert correlation([0.1, 0.2, 0.3, 0.4], [0.5, 0.5, 0.5, 0.5]).r is None
    perfect = correlation([1, 2, 3, 4], [2, 4, 6, 8])
    assert perfect.r == pytest.approx(1.0) and perfect.low is None
    assert correlation([1, None, 3, 4, 5], [2, 9, 5, 4, float("nan")]).n == 3


def test_the_caption_is_honest():
    weak = correlation([1, 2, 3, 4, 5], [2, 4, 5, 4, 5])
    caption = words.association_caption(weak, "digital take-up")
    assert "r = 0.77, 95% interval -0.34 to 0.98" in caption
    assert "r = 0.8, 95% interval -0.3 to 1.0" in words.association_caption(weak, "digital take-up", digits=1)
    assert "consistent with no link at all" in caption
    assert "association, not evidence that leaders cause it" in caption
    assert words.scatter_title(weak, "digital take-up") == (
        "Digital take-up: no clear link with leaders' adoption in this period")
    strong = correlation([1, 2, 3, 4, 5, 6, 7, 8], [1.2, 1.9, 3.4, 3.8, 5.5, 5.4, 7.9, 7.6])
    assert "no link" not in words.association_caption(strong, "satisfaction")
    assert words.scatter_title(strong, "satisfaction") == "Satisfaction: higher where leaders use digital tools more"
    assert words.association_caption(correlation([1, 2], [1, 2]), "satisfaction").startswith(
        "Only 2 directorates with both figures: at least 3 are needed")
    assert words.association_caption(correlation([], []), "satisfaction").startswith("No directorate has both")


def test_services_leave_out_small_groups_and_small_denominators(shown):
    linked = next(d for d in shown.downloads if d.file_name == "leadership_services.csv").table.frame
    assert linked.fillna(-1).values.tolist() == [
        ["Environment", 0.9, "90.0%", 0.567, "56.7%", 0.7, "70.0%", 0.8, "80.0%"],
        ["Housing", 0.583, "58.3%", 0.778, "77.8%", 0.3, "30.0%", 0.4, "40.0%"],
        # Parks: 4 leaders (left out), 4 requests and 2 ratings (under 10): no rate shown.
        ["Parks", -1, "–", 0.7, "70.0%", -1, "[c]", -1, "[c]"]]
    assert [s.chart for s in shown.scatters] == [None, None]  # two directorates: too few to draw
    assert shown.scatters[0].caption.startswith("Only 2 directorates with both figures")


# --------------------------------------------------------------------------- the group of four


def test_the_group_of_four_never_appears_anywhere(shown):
    heat = shown.heat_leaders.data.frame
    parks = heat[heat["directorate"] == "Parks"]
    assert len(parks) == 3 and parks["people"].isna().all() and parks["share"].isna().all()
    assert set(parks["share_text"]) == {"hidden"}
    for name, text in every_output(shown).items():
        # Parks' leaders: 7 of 12 person-activity records active over the period (0.583…), 11 of 12 in April.
        assert "0.9166" not in text and "91.7%" not in text and "0.917" not in text, name
        # All 15 leaders, Parks' included, on e-signature in April: 11 of 15.
        assert "0.733" not in text and "73.3%" not in text, name
    for row in chart_rows(shown.heat_leaders.spec):
        if row["directorate"] == "Parks":
            assert row["share"] is None and row["label"] == "hidden" and row["people_text"] == "–"
    # A hidden cell is drawn as a grey rect of its own (a rect coloured by a missing share would not be drawn).
    grey = shown.heat_leaders.spec["layer"][0]
    assert grey["transform"] == [{"filter": "!isValid(datum.share)"}] and grey["mark"]["color"] == "#dedfe0"


def test_person_ids_never_leave_the_database(shown):
    for name, text in every_output(shown).items():
        assert pd.Series([text]).str.contains(PERSON_ID).sum() == 0, name
        assert "person_id" not in text, name


def test_public_safe_counts_of_people_are_rounded_everywhere(adoption_db):  # noqa: F811
    public = page_of(adoption_db, PUBLIC)
    for download in public.downloads:
        frame = download.table.frame
        for column, kind in download.table.kinds.items():
            if kind == "count":
                values = [v for v in frame[column] if v is not None and not pd.isna(v)]
                assert values and all(v % 5 == 0 for v in values), (download.file_name, column, values)
            if kind == "rate" and column.endswith("_pct"):
                assert all(pd.isna(v) or float(v).is_integer() for v in frame[column]), (download.file_name, column)
    lines = public.lines.data.frame
    april = lines[(lines["month"] == APRIL) & (lines["activity"] == "e_signature")].set_index("group")
    assert april.loc["Leaders", ["people", "share", "share_text"]].tolist() == [10, 0.64, "64%"]  # 11 people
    assert april.loc["Staff", ["people", "share", "share_text"]].tolist() == [15, 0.56, "56%"]  # 16 people
    tooltips = [row["people_text"] for row in chart_rows(public.lines.spec) if row["people_text"] != "–"]
    assert set(tooltips) == {"10", "15"}


# --------------------------------------------------------------------------- wide exports


def test_a_wide_export_becomes_one_row_per_activity():
    frame = pd.DataFrame({
        "Month": ["2026-01", "2026-01"], "Person": ["a1", "b2"], "Grade": ["Chief Executive", "Officer"],
        "Directorate": ["Housing", "Housing"], "Teams meetings": ["3", ""], "E-signature": ["1", "0"],
    }, index=[10, 11])
    long, lines = melt_wide_adoption(frame, pd.Series([2, 3]), ["Teams meetings", "E-signature"])
    assert list(long.columns) == ["Month", "Person", "Grade", "Directorate", "activity", "value"]
    assert long[["Person", "activity", "value"]].values.tolist() == [
        ["a1", "teams_meetings", "3"], ["a1", "e_signature", "1"], ["b2", "teams_meetings", ""],
        ["b2", "e_signature", "0"]]
    assert lines.tolist() == [2, 2, 3, 3]
    numbers = pd.DataFrame({"p": ["x"], "Dashboard views": [4], "Mobile working": [np.nan]})
    melted, _ = melt_wide_adoption(numbers, pd.Series([2]), ["Dashboard views", "Mobile working"])
    assert melted["value"].dtype == "float64" and melted["value"].iloc[0] == 4.0 and pd.isna(melted["value"].iloc[1])
    assert activity_name("  E-Signature (DocuSign) ") == "e_signature_docusign"


def test_a_wide_export_with_wrong_columns_is_refused():
    frame = pd.DataFrame({"person": ["a"], "activity": ["x"], "Teams": [1], "teams": [2]})
    with pytest.raises(IngestError, match="not in the file"):
        melt_wide_adoption(frame, pd.Series([2]), ["Zoom"])
    with pytest.raises(IngestError, match="distinct activity names"):
        melt_wide_adoption(frame, pd.Series([2]), ["Teams", "teams"])
    with pytest.raises(IngestError, match="named 'activity'"):
        melt_wide_adoption(frame, pd.Series([2]), ["Teams"])




def test_downloads_are_the_published_tables(shown):
    assert [d.file_name for d in shown.downloads] == [
        "leadership_scorecard.csv", "leadership_heatmaps.csv", "leadership_leaders_vs_staff.csv",
        "leadership_role_levels.csv", "leadership_services.csv", "leadership_maturity.csv"]
    scorecard = shown.downloads[0].table.frame
    assert list(scorecard.columns) == ["directorate", "leaders_pct", "staff_pct", "gap_pts", "trained_pct",
                                       "leaders_people", "staff_people", "leader_verdict", "staff_verdict"]
    assert scorecard.to_csv(index=False).splitlines()[1:] == [
        "Environment,100.0,60.0,40.0,90.0,5,5,Not judged yet,Not judged yet",
        "Housing,66.7,83.3,-16.6,52.9,6,6,Not judged yet,Not judged yet",
        "Parks,,80.0,,20.0,,5,–,Not judged yet"]
    maturity = shown.downloads[-1].table.frame
    assert maturity.fillna(-1).values.tolist() == [
        ["Environment", pd.Timestamp("2026-04-15"), "Local Digital Declaration", 90.0, 90.0, 56.7],
        ["Housing", pd.Timestamp("2026-01-15"), "Local Digital Declaration", 40.0, 58.3, 77.8],
        ["Parks", pd.Timestamp("2026-01-15"), "Local Digital Declaration", 40.0, -1, 70.0]]
