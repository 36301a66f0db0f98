"""The Leadership adoption logic: sentences, the scorecard, correlation, suppression, gaps, wide exports.

Suppression is checked on every output the page has: the frames it draws, the Vega-Lite specs it
sends to the browser (data included), and the CSV downloads. The fixture's Parks directorate has
4 leaders, a group that must never be shown, nor be recoverable by subtraction.
"""

from __future__ import annotations

import io
import json
import math
import numpy as np
import pandas as pd
import pytest

from pulse import adoption, db
from pulse.charts import adoption as charts
from pulse.filters import Filters
from pulse.ingest.mapping import IngestError
from pulse.ingest.wide import activity_name, melt_wide_adoption
from tests.test_adoption_queries import adoption_db  # noqa: F401  (a fixture)

PERSON_ID = r"\bP\d\d\b"


def view_of(path, **params) -> adoption.View:
    """The page's View for the fixture database and these filters."""
    bound = {**Filters().params(), **params}
    found = {name: db.run(name, bound, path=path) for name in adoption.QUERIES}
    maturity = db.run(adoption.MATURITY, bound, path=path)
    return adoption.view(found, maturity)


@pytest.fixture(scope="module")
def shown(adoption_db):  # noqa: F811
    """The View with no filters."""
    return view_of(adoption_db)


def every_output(view: adoption.View) -> dict[str, str]:
    """Each thing the page sends out, as text: downloads as CSV, charts as Vega-Lite JSON."""
    out = {name: frame.to_csv(index=False) for name, frame in view.downloads().items()}
    out.update({f"chart {key}": json.dumps(spec) for key, spec in charts.specs(view, validate=True).items()})
    return out


def chart_rows(spec: dict) -> list[dict]:
    """Every data row inlined in a Vega-Lite spec."""
    return [row for rows in spec.get("datasets", {}).values() for row in rows]


# --------------------------------------------------------------------------- sentences


def test_the_briefs_example_sentence():
    heat = pd.DataFrame({
        "month": pd.Timestamp("2026-10-01"), "activity": "e_signature", "role_group": "leaders", "shown": True,
        "directorate": ["Adult Social Care", "Children's Services", "Environment & Waste", "Highways & Transport",
                        "Housing", "Planning", "Revenues & Benefits", "Customer Services"],
        "share": [0.2, 0.5, 1.0, 0.8, 0.6, 0.7, 0.9, 1.0],
    })
    assert adoption.activity_sentence(heat, "e_signature") == (
        "7 of 8 directorates' leaders used e-signature in October 2026; Adult Social Care's did not.")
    assert adoption.activity_sentence(heat.head(1), "e_signature") == (
        "20% of Adult Social Care's leaders used e-signature in October 2026.")
    heat.loc[heat["directorate"] == "Children's Services", "share"] = 0.4
    assert adoption.activity_sentence(heat, "e_signature") == (
        "6 of 8 directorates' leaders used e-signature in October 2026; those of Adult Social Care and "
        "Children's Services did not.")


def test_headline_sentences_on_the_fixture(shown):
    assert shown.story == ("In April 2026 leaders were ahead of their own staff in Environment, and behind them "
                           "in Housing.")
    assert shown.bullets == [
        "Across the directorates shown, leaders were ahead of staff on 2 of 3 activities in April 2026; "
        "the widest gap was on digital training: 40% of leaders against 69% of staff.",
        "1 of 2 directorates' leaders had completed digital training in April 2026; Housing's did not.",
        "1 of 2 directorates' leaders used e-signature in April 2026; Housing's did not.",
        "Both directorates' leaders joined Teams meetings in April 2026.",
    ]
    assert shown.note == "Parks is not counted: fewer than 5 leaders."


def test_titles_state_the_message(shown):
    assert adoption.lines_title(shown.gap) == (
        "Leaders and staff, share active each month: leaders ahead on 2 of 3 activities in April 2026")
    assert adoption.gap_title(shown.gap) == (
        "The leader–staff gap, month by month: it widened most on Teams meetings, from 0 points in "
        "January 2026 to +6 points in April 2026")
    assert adoption.heatmap_title(shown.heat, "Leaders") == (
        "Leaders, April 2026: most active in Environment, least in Housing")


# --------------------------------------------------------------------------- the scorecard


def test_scorecard_on_the_fixture(shown):
    card = shown.card.set_index("directorate")
    assert list(card.index) == ["Environment", "Housing", "Parks"]
    env, housing, parks = card.loc["Environment"], card.loc["Housing"], card.loc["Parks"]
    assert (env["leader_adoption"], env["staff_adoption"]) == (1.0, 0.6)
    assert env["gap"] == pytest.approx(0.4)
    # Environment has a single manager: its all-staff training figure could reveal them, so it is hidden.
    assert math.isnan(env["training_completion"])
    assert housing["training_completion"] == pytest.approx(9 / 17)
    assert housing["leader_adoption"] == pytest.approx(8 / 12)
    assert math.isnan(parks["leader_adoption"]) and pd.isna(parks["leaders"]) and math.isnan(parks["gap"])
    assert parks["staff_adoption"] == pytest.approx(0.8)
    # March has no data: a gap in the trend, not a zero.
    assert env["leader_trend"] == [0.8, 0.9, None, 1.0]
    assert parks["leader_trend"] == [None, None, None, None]
    assert env["leader_variation"] == "Too few months to judge (3 of 12)"


def test_scorecard_judges_a_long_series_with_spc():
    months = pd.date_range("2025-01-01", periods=14, freq="MS")
    steady = [0.50, 0.52, 0.49, 0.51, 0.50, 0.48, 0.52, 0.50, 0.51, 0.49, 0.50, 0.52, 0.49, 0.51]
    rising = [0.30 + 0.04 * i for i in range(14)]
    frame = pd.DataFrame({
        "month": list(months) * 2, "directorate": ["Steady"] * 14 + ["Rising"] * 14,
        "leaders": 8, "leader_adoption": steady + rising, "staff": 40, "staff_adoption": 0.5,
        "training_records": 48, "training_completed": 24, "training_completion": 0.5, "smallest_group": 8,
    })
    card = adoption.scorecard(frame).set_index("directorate")
    assert card.loc["Steady", "leader_variation"] == "No significant change"
    assert card.loc["Rising", "leader_variation"] == "Improving"
    assert card.loc["Rising", "leader_icon"].startswith("data:image/svg+xml;base64,")
    assert card.loc["Rising", "leader_icon"] != card.loc["Steady", "leader_icon"]


# --------------------------------------------------------------------------- does it show in services?


def test_correlation_and_its_fisher_z_interval_exactly():
    result = adoption.correlation([1, 2, 3, 4, 5], [2, 4, 5, 4, 5])
    assert result.n == 5
    assert result.r == pytest.approx(math.sqrt(0.6), abs=1e-12)  # 6 / √(10 × 6)
    assert result.low == pytest.approx(-0.3400820352, abs=1e-9)
    assert result.high == pytest.approx(0.9842357552, abs=1e-9)
    assert (result.slope, result.intercept) == (pytest.approx(0.6), pytest.approx(2.2))
    z = math.atanh(math.sqrt(0.6))
    assert result.high == pytest.approx(math.tanh(z + 1.959963984540054 / math.sqrt(2)), abs=1e-12)


def test_correlation_where_it_cannot_be_estimated():
    assert adoption.correlation([0.1, 0.2], [0.3, 0.4]).r is None
    three = adoption.correlation([0.1, 0.2, 0.4], [0.3, 0.5, 0.4])
    assert three.r is not None and three.low is None  # n − 3 = 0: no interval
    assert adoption.correlation([0.1, 0.2, 0.3, 0.4], [0.5, 0.5, 0.5, 0.5]).r is None
    perfect = adoption.correlation([1, 2, 3, 4], [2, 4, 6, 8])
    assert perfect.r == pytest.approx(1.0) and perfect.low is None
    assert adoption.correlation([1, None, 3, 4, 5], [2, 9, 5, 4, float("nan")]).n == 3


def test_the_caption_is_honest():
    weak = adoption.correlation([1, 2, 3, 4, 5], [2, 4, 5, 4, 5])
    caption = adoption.association_caption(weak, "digital take-up")
    assert "r = 0.77, 95% interval -0.34 to 0.98" in caption
    assert "consistent with no link at all" in caption
    assert "association, not evidence that leaders cause it" in caption
    assert adoption.scatter_title(weak, "digital take-up") == (
        "Digital take-up: no clear link with leaders' adoption in this period")
    strong = adoption.correlation([1, 2, 3, 4, 5, 6, 7, 8], [1.2, 1.9, 3.4, 3.8, 5.5, 5.4, 7.9, 7.6])
    assert "no link" not in adoption.association_caption(strong, "satisfaction")
    assert adoption.scatter_title(strong, "satisfaction") == "Satisfaction: higher where leaders use digital tools more"
    assert adoption.association_caption(adoption.correlation([1, 2], [1, 2]), "satisfaction").startswith(
        "Only 2 directorates with enough data")


def test_services_leave_out_small_groups_and_small_denominators(shown):
    linked = shown.linked.set_index("directorate")
    assert list(linked.index) == ["Environment", "Housing"]  # Parks: 4 leaders
    assert shown.left_out == 1
    assert linked.loc["Environment", "leader_adoption"] == pytest.approx(0.9)
    assert linked.loc["Environment", "digital_takeup"] == pytest.approx(0.7)
    assert shown.fits["digital_takeup"].n == 2 and shown.fits["digital_takeup"].r is None


# --------------------------------------------------------------------------- suppression


def test_the_group_of_four_never_appears_anywhere(shown):
    heat = shown.heat
    parks_leaders = heat[(heat["directorate"] == "Parks") & (heat["role_group"] == "leaders")]
    assert len(parks_leaders) == 3
    assert parks_leaders[["people", "active", "share"]].isna().all().all()
    assert "Parks" not in set(shown.linked["directorate"])
    for name, text in every_output(shown).items():
        assert "0.875" not in text and "0.9166" not in text, name  # Parks leaders' adoption
        assert "people_elsewhere" not in text and "smallest" not in text, name
    for key, spec in charts.specs(shown, validate=True).items():
        for row in chart_rows(spec):
            if row.get("directorate") == "Parks" and row.get("group") == "Leaders":
                assert row.get("share") is None and row.get("people") is None and row.get("label") == "hidden", key
    scorecard = pd.read_csv(io.StringIO(shown.downloads()["leadership_scorecard.csv"].to_csv(index=False)))
    parks = scorecard[scorecard["directorate"] == "Parks"].iloc[0]
    assert pd.isna(parks["leader_adoption"]) and pd.isna(parks["leaders_in_group"])


def test_person_ids_never_leave_the_database(shown):
    for name, text in every_output(shown).items():
        assert pd.Series([text]).str.contains(PERSON_ID).sum() == 0, name
        assert "person_id" not in text, name


def test_leader_levels_are_hidden_together_and_filters_cannot_be_subtracted(adoption_db):  # noqa: F811
    everyone = view_of(adoption_db)
    april = everyone.roles[(everyone.roles["month"] == "2026-04-01") & (everyone.roles["activity"] == "e_signature")]
    shown_levels = dict(zip(april["role_level"], april["share"]))
    # 3 executives: hidden; 12 senior leaders would be shown, but leaders are also shown combined.
    assert math.isnan(shown_levels["executive"]) and math.isnan(shown_levels["senior_leader"])
    assert shown_levels["manager"] == pytest.approx(4 / 6) and shown_levels["staff"] == pytest.approx(9 / 16)
    # Leaders of all directorates (15) are shown; of Environment and Housing (11) they are not, since
    # the difference would be Parks' 4 leaders.
    with_data = everyone.gap[everyone.gap["month"] != pd.Timestamp("2026-03-01")]
    assert with_data["leader_share"].notna().all() and len(with_data) == 9
    two = view_of(adoption_db, directorates=["Environment", "Housing"])
    assert two.lines.loc[two.lines["group"] == "Leaders", "share"].isna().all()
    assert two.lines.loc[(two.lines["group"] == "Staff") & two.lines["people"].notna(), "share"].notna().all()
    housing = view_of(adoption_db, directorates=["Housing"])
    managers = housing.roles[housing.roles["role_level"] == "manager"]
    assert managers["share"].isna().all()  # Environment's single manager is the difference
    for text in every_output(two).values():
        assert "0.6363" not in text  # 7 of 11 leaders active on e-signature in April


def test_gap_months_are_gaps_not_zeros(shown):
    march = pd.Timestamp("2026-03-01")
    for frame in (shown.roles, shown.lines, shown.gap):
        rows = frame[frame["month"] == march]
        assert len(rows) > 0 and rows["share" if "share" in rows else "gap"].isna().all()
    spec = charts.specs(shown)["lines"]
    marches = [row for row in chart_rows(spec) if str(row.get("month", "")).startswith("2026-03")]
    assert marches and all(row["share"] is None for row in marches)


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


def test_period_and_downloads(shown):
    assert shown.period == "January 2026 to April 2026"
    assert set(shown.downloads()) == {"leadership_scorecard.csv", "leadership_heatmaps.csv",
                                      "leadership_leaders_vs_staff.csv", "leadership_role_levels.csv",
                                      "leadership_services.csv", "leadership_maturity.csv"}
    maturity = shown.maturity.set_index("directorate")
    assert maturity.loc["Environment", "maturity"] == pytest.approx(0.9)
    assert pd.Timestamp(maturity.loc["Environment", "assessed_on"]) == pd.Timestamp("2026-04-15")
    assert math.isnan(maturity.loc["Parks", "leader_adoption"])  # 4 leaders: hidden here too


def test_public_safe_rounds_every_count_of_people_to_5():
    from pulse.adoption import View, _round_counts

    frame = pd.DataFrame({"people": [12.0, 13.0, None, 7.0], "active": [5.0, 8.0, None, 2.5], "share": [0.41, 0.6, None, 0.3]})
    assert _round_counts(frame).fillna(-1).to_dict("list") == {
        "people": [10.0, 15.0, -1, 5.0], "active": [5.0, 10.0, -1, 5.0], "share": [0.41, 0.6, -1, 0.3]}
    view = View(roles=frame, lines=frame, gap=frame, heat=frame, card=frame, linked=frame)
    assert view.public_safe().roles["people"].tolist()[:2] == [10.0, 15.0]
    assert view.roles["people"].tolist()[:2] == [12.0, 13.0]  # the original is untouched
