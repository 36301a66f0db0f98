"""The Leadership adoption page in AppTest: exact published values, the small-group findings of issue 8,
partial data (issue 14), and the demo borough's story.

The findings are tested on the hand-built fixture (tests/fixtures/adoption) and a variant of it that
differs only inside Parks' 4 leaders: whatever they did, nothing the page publishes — chart data,
tooltips, tables, sentences, both CSV downloads — may change, under any filters, in either mode.
"""

from __future__ import annotations

import io
import json
import re
import shutil
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from streamlit.dataframe_util import convert_arrow_bytes_to_pandas_df
from streamlit.testing.v1 import AppTest

from tests.audit import collect
from tests.audit.collect import outputs
from tests.conftest import ROOT

PAGE = "views/leadership.py"
FIXTURE = ROOT / "tests" / "fixtures" / "adoption"
# The story pulse/demo.py builds in: leaders lead in these directorates and lag in those.
LEADING = ("Environment & Waste", "Revenues & Benefits", "Customer Services & Libraries")
LAGGING = ("Housing", "Adult Social Care")
PARKS_LEADERS = ("P41", "P42", "P43", "P44")


def ingest(folder: Path) -> Path:
    """The exports in folder ingested into folder/pulse.duckdb."""
    from pulse.ingest import ingest as load

    load(folder, folder / "pulse.duckdb", now=datetime(2026, 11, 29, 12))
    return folder / "pulse.duckdb"


@pytest.fixture(scope="module")
def fixture_dbs(tmp_path_factory) -> dict[str, Path]:
    """The adoption fixture, and a copy in which Parks' 4 leaders did the opposite of everything they did."""
    made = {}
    for name in ("base", "parks"):
        folder = tmp_path_factory.mktemp(name)
        for item in FIXTURE.iterdir():
            if item.suffix == ".csv":
                shutil.copy(item, folder / item.name)
        if name == "parks":
            frame = pd.read_csv(folder / "adoption.csv", dtype=str)
            mine = frame["person_id"].isin(PARKS_LEADERS)
            frame.loc[mine, "value"] = frame.loc[mine, "value"].map(lambda v: "0" if v != "0" else "1")
            frame.to_csv(folder / "adoption.csv", index=False)
        made[name] = ingest(folder)
    return made


def open_page(db: Path, monkeypatch, **query: str | list[str]) -> tuple[AppTest, dict[str, str]]:
    """Run the page on a database with URL parameters: the AppTest, and each CSV download by file label."""
    at, files = collect.open_page(db, PAGE, query, monkeypatch)
    assert not at.exception, [e.value for e in at.exception]
    return at, dict(files)


def charts(at: AppTest) -> dict[str, dict]:
    """Each Vega-Lite chart on the page by its description, with its data rows (top-level) under 'rows'."""
    out = {}
    for element in at.get("vega_lite_chart"):
        spec = json.loads(element.proto.spec)
        frames = [convert_arrow_bytes_to_pandas_df(d.data.data) for d in element.proto.datasets]
        if element.proto.HasField("data") and element.proto.data.data:
            frames.append(convert_arrow_bytes_to_pandas_df(element.proto.data.data))
        layers = [pd.DataFrame(layer["data"]["values"]) for layer in spec.get("layer", [])
                  if isinstance(layer.get("data"), dict) and "values" in layer["data"]]
        rows = pd.concat(frames + layers, ignore_index=True) if frames + layers else pd.DataFrame()
        if "month" in rows:
            rows["month"] = pd.to_datetime(rows["month"])
        spec["rows"] = rows
        out[spec.get("usermeta", {}).get("name", spec["description"])] = spec
    return out


def scorecard(at: AppTest) -> pd.DataFrame:
    """The scorecard table as drawn (the charts' own tables, in expanders, come before it)."""
    return next(frame.value for frame in at.dataframe if "leaders_pct" in frame.value.columns
                and "leader_verdict" in frame.value.columns)


def csv(text: str) -> pd.DataFrame:
    """A downloaded CSV, every cell as text."""
    return pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)


def published(at: AppTest, downloads: dict[str, str]) -> list[str]:
    """Everything the page put out, as text (the auditor's view of it)."""
    return list(outputs(at)) + [f"download {label}\n{payload}" for label, payload in downloads.items()]


# --------------------------------------------------------------------------- issue 8: the small-group findings


def test_all_leaders_cannot_be_recovered_by_subtraction(fixture_dbs, monkeypatch):
    """All leaders − the directorates shown gives nothing about Parks' 4: 'all leaders' never contained them."""
    def leaders(db: str, **filters) -> pd.DataFrame:
        lines = charts(open_page(fixture_dbs[db], monkeypatch, **filters)[0])["adoption-leaders-vs-staff"]["rows"]
        return lines.loc[lines["group"] == "Leaders", ["month", "activity_label", "share"]].reset_index(drop=True)

    everyone = leaders("base")
    # Whatever Parks' leaders did, and whether Parks is chosen or not, the all-leaders series is the same.
    pd.testing.assert_frame_equal(leaders("parks"), everyone)
    pd.testing.assert_frame_equal(leaders("base", directorate=["Environment", "Housing"]), everyone)
    lines = charts(open_page(fixture_dbs["base"], monkeypatch)[0])["adoption-leaders-vs-staff"]["rows"]
    april = lines[(lines["month"] == pd.Timestamp("2026-04-01")) & (lines["activity_label"] == "E-signature")
                  & (lines["group"] == "Leaders")]
    # Environment's 5 leaders all used e-signature in April and 2 of Housing's 6: 7 of 11.
    assert april[["share", "share_text", "people_text"]].values.tolist() == [[0.636, "63.6%", "11"]]


def test_the_gaps_do_not_move_with_a_small_group(fixture_dbs, monkeypatch):
    for filters in ({}, {"directorate": ["Environment", "Housing"]}, {"directorate": ["Housing", "Parks"]}):
        found = [charts(open_page(fixture_dbs[db], monkeypatch, **filters)[0])["adoption-gap"]["rows"]
                 for db in ("base", "parks")]
        pd.testing.assert_frame_equal(*[f[["month", "activity_label", "gap_points"]] for f in found])
        pd.testing.assert_frame_equal(*found)
    base = charts(open_page(fixture_dbs["base"], monkeypatch)[0])["adoption-gap"]["rows"]
    april = base[base["month"] == pd.Timestamp("2026-04-01")].set_index("activity_label")
    assert april.loc["E-signature", ["leader_share_text", "staff_share_text", "gap_text"]].tolist() == [
        "63.6%", "56.3%", "+7.3 points"]
    assert april.loc["Digital training", "gap_text"] == "−14.3 points"
    # Parks on its own: its staff only, so there is no gap to draw at all.
    assert "adoption-gap" not in charts(open_page(fixture_dbs["parks"], monkeypatch, directorate="Parks")[0])


def test_tooltips_carry_only_published_figures_of_big_groups(fixture_dbs, monkeypatch):
    drawn = charts(open_page(fixture_dbs["base"], monkeypatch)[0])
    changed = charts(open_page(fixture_dbs["parks"], monkeypatch)[0])
    for name, spec in drawn.items():
        tooltips = sorted({t["field"] for t in _tooltips(spec)} & set(spec["rows"].columns))
        # What a tooltip shows cannot depend on a group of 4 ...
        pd.testing.assert_frame_equal(spec["rows"][tooltips], changed[name]["rows"][tooltips], obj=name)
        # ... and is words, months and the published text of each figure: never a raw count or share.
        assert set(tooltips) <= {"activity_label", "month", "group", "share_text", "people_text", "directorate",
                                 "leader_share_text", "staff_share_text", "gap_text", "leaders_text",
                                 "digital_takeup_text", "satisfaction_text", "maturity_text"}, (name, tooltips)
    heat = drawn["adoption-heatmap-leaders"]["rows"]
    parks = heat[heat["directorate"] == "Parks"]
    assert set(parks["share_text"]) == {"hidden"} and set(parks["people_text"]) == {"–"}
    lines = drawn["adoption-leaders-vs-staff"]["rows"]
    assert set(lines.loc[lines["group"] == "Leaders", "people_text"]) == {"11", "–"}  # never 15


def _tooltips(spec: dict) -> list[dict]:
    found = []

    def walk(node):
        if isinstance(node, dict):
            tooltip = node.get("tooltip")
            if isinstance(tooltip, list):
                found.extend(t for t in tooltip if isinstance(t, dict))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)

    walk({k: v for k, v in spec.items() if k != "rows"})
    return found


def test_both_downloads_leave_the_small_group_out(fixture_dbs, monkeypatch):
    _, base = open_page(fixture_dbs["base"], monkeypatch)
    _, changed = open_page(fixture_dbs["parks"], monkeypatch)
    for label in ("Leaders vs staff", "Role levels"):
        assert base[label] == changed[label], label
    lines, roles = csv(base["Leaders vs staff"]), csv(base["Role levels"])
    april = lines[(lines["month"] == "2026-04-01") & (lines["activity"] == "e_signature")]
    assert april[["group", "people", "share", "share_text"]].values.tolist() == [
        ["Leaders", "11", "0.636", "63.6%"], ["Staff", "16", "0.563", "56.3%"]]
    april = roles[(roles["month"] == "2026-04-01") & (roles["activity"] == "e_signature")]
    assert april[["group", "people", "share_text"]].values.tolist() == [
        ["Leaders", "11", "63.6%"], ["Managers", "5", "60.0%"], ["Staff", "16", "56.3%"]]
    assert set(base) == {"Scorecard", "Heatmaps", "Leaders vs staff", "Role levels", "Services", "Maturity"}
    assert base == changed


def test_the_privacy_note_is_true_and_says_who_is_left_out(fixture_dbs, monkeypatch):
    at, _ = open_page(fixture_dbs["base"], monkeypatch)
    note = next(i.value for i in at.info if "groups of 5 or more" in i.value)
    assert "left out before anything is added up, so they are in no figure, total, chart, tooltip or download" in note
    assert "any figure they could be worked out from, are hidden" not in note  # the old, untrue promise
    assert any(c.value == "Hidden so that a group of fewer than 5 cannot be worked out: Environment's managers; "
                          "Parks' leaders." for c in at.caption)


@pytest.mark.parametrize("public", [False, True], ids=["internal", "public-safe"])
def test_nothing_published_depends_on_the_group_of_four(fixture_dbs, monkeypatch, public):
    for filters in ({}, {"directorate": "Parks"}, {"directorate": ["Environment", "Housing"]},
                    {"directorate": ["Housing", "Parks"]}, {"from": "2026-02-01"}, {"to": "2026-01-31"}):
        query = {**filters, **({"public": "1"} if public else {})}
        a = published(*open_page(fixture_dbs["base"], monkeypatch, **query))
        b = published(*open_page(fixture_dbs["parks"], monkeypatch, **query))
        assert a == b, filters


def test_public_safe_counts_and_shares(fixture_dbs, monkeypatch):
    at, files = open_page(fixture_dbs["base"], monkeypatch, public="1")
    lines = csv(files["Leaders vs staff"])
    april = lines[(lines["month"] == "2026-04-01") & (lines["activity"] == "e_signature")]
    assert april[["group", "people", "share", "share_text"]].values.tolist() == [
        ["Leaders", "10", "0.64", "64%"], ["Staff", "15", "0.56", "56%"]]
    card = csv(files["Scorecard"])
    assert card.values.tolist() == [
        ["Environment", "100.0", "60.0", "40.0", "90.0", "5", "5", "Not judged yet", "Not judged yet"],
        ["Housing", "67.0", "83.0", "-16.0", "53.0", "5", "5", "Not judged yet", "Not judged yet"],
        ["Parks", "", "80.0", "", "20.0", "", "5", "–", "Not judged yet"]]
    heat = csv(files["Heatmaps"])
    assert set(heat["people"]) == {"5", ""} and "hidden" in set(heat["share_text"])
    drawn = charts(at)["adoption-leaders-vs-staff"]["rows"]
    assert set(drawn["people_text"]) == {"10", "15", "–"}
    assert scorecard(at).set_index("directorate").loc["Housing", "gap_pts"] == -16.0


# --------------------------------------------------------------------------- issue 14: partial data


def people_rows(directorates: dict[str, dict[str, int]], months: list[str], activities=("e_signature",)) -> str:
    """An adoption CSV: for each directorate, {role level: headcount}; person i is active when i is even."""
    lines = ["month,person_id,role_level,directorate,activity,value"]
    for d, (directorate, levels) in enumerate(directorates.items()):
        for level, n in levels.items():
            for i in range(n):
                for month in months:
                    for activity in activities:
                        lines.append(f"{month},X{d}{level[:2]}{i},{level},{directorate},{activity},{int(i % 2 == 0)}")
    return "\n".join(lines) + "\n"


def tidy(texts: list[str]) -> list[str]:
    """What a reader should never see: None, nan, NaT, a negative zero, a count written as a decimal."""
    bad = re.compile(r"\bNone\b|\bnan\b|\bNaN\b|\bNaT\b|(?<![\w.])[-−]0(?:\.0+)?(?![\d.])(?!\s*points?\b[^,])")
    found = [t[:160] for t in texts if bad.search(re.sub(r'"[a-z_]+": null', "", t))]
    return found


def assert_tidy(at: AppTest, files: dict[str, str]) -> None:
    assert not tidy(published(at, files)), tidy(published(at, files))
    for label, text in files.items():
        frame = csv(text)
        for column in [c for c in frame.columns if c == "people" or c.endswith("_people")]:
            assert all(v == "" or v.isdigit() for v in frame[column]), (label, column)


@pytest.fixture
def partial(tmp_path, monkeypatch):
    """Write an adoption export (and nothing else) into a fresh folder, ingest it and open the page."""
    def make(text: str, **query) -> tuple[AppTest, dict[str, str]]:
        folder = tmp_path / f"exports{len(list(tmp_path.iterdir()))}"
        folder.mkdir()
        (folder / "adoption.csv").write_text(text)
        return open_page(ingest(folder), monkeypatch, **query)

    return make


def test_only_an_adoption_export_says_which_export_the_services_need(partial):
    at, files = partial(people_rows({"Housing": {"senior_leader": 6, "staff": 8},
                                     "Parks": {"executive": 5, "senior_leader": 5, "staff": 12}},
                                    ["2026-01-01", "2026-02-01", "2026-03-01"], ("e_signature", "teams_meetings")))
    drawn = charts(at)
    assert not any(name.startswith("adoption-scatter") for name in drawn)
    assert not any(c.value.startswith("Each directorate's leaders' adoption over") for c in at.caption)
    assert "Services" not in files
    need = next(w.value for w in at.info if w.value.startswith("To see whether"))
    assert need == ("To see whether leaders' adoption shows in services: Digital take-up needs a service requests "
                    "export whose requests name their directorate. Satisfaction needs a feedback export with ratings, "
                    "for services whose requests name their directorate.")
    # Parks has 5 executives and 5 senior leaders: shown apart there, and only there.
    roles = csv(files["Role levels"])
    assert set(roles["group"]) == {"Leaders", "Executives", "Senior leaders", "Staff"}
    january = roles[(roles["month"] == "2026-01-01") & (roles["activity"] == "e_signature")]
    assert january[["group", "people", "share_text"]].values.tolist() == [
        ["Leaders", "16", "56.3%"], ["Executives", "5", "60.0%"], ["Senior leaders", "5", "60.0%"],
        ["Staff", "20", "50.0%"]]
    assert_tidy(at, files)


def test_one_directorate_and_one_month(partial):
    at, files = partial(people_rows({"Housing": {"executive": 1, "senior_leader": 5, "manager": 2, "staff": 9}},
                                    ["2026-03-01"]))
    assert "Digital adoption by leaders (executives and senior leaders), managers and staff, March 2026." in \
        [c.value[:len("Digital adoption by leaders (executives and senior leaders), managers and staff, March 2026.")]
         for c in at.caption]
    card = csv(files["Scorecard"])
    # Leaders: 1 of 1 executive and 3 of 5 senior leaders active (4 of 6); staff 5 of 9.
    assert card.values.tolist() == [["Housing", "66.7", "55.6", "11.1", "", "6", "9", "Not judged yet",
                                     "Not judged yet"]]
    assert at.markdown[0].value == "#### In March 2026 leaders were ahead of their own staff in Housing."
    assert any(c.value == "Hidden so that a group of fewer than 5 cannot be worked out: Housing's managers."
               for c in at.caption)
    assert_tidy(at, files)


def test_no_leaders_at_all(partial):
    at, files = partial(people_rows({"Housing": {"manager": 5, "staff": 9}, "Parks": {"staff": 6}},
                                    ["2026-01-01", "2026-02-01"]))
    drawn = charts(at)
    assert "adoption-gap" not in drawn and "adoption-heatmap-leaders" not in drawn
    assert set(drawn["adoption-leaders-vs-staff"]["rows"]["group"]) == {"Staff"}
    assert any(i.value.startswith("There is no leader–staff gap to show") for i in at.info)
    assert not any(m.value.startswith("#### ") for m in at.markdown)  # no headline without leaders
    assert_tidy(at, files)


def test_only_small_groups_say_so_and_show_nothing(partial):
    at, files = partial(people_rows({"Housing": {"senior_leader": 3, "staff": 4}}, ["2026-01-01"]))
    assert not at.get("vega_lite_chart") and not files
    assert at.info[0].value.startswith("No group of staff in these records has 5 or more people")


# --------------------------------------------------------------------------- the demo borough


@pytest.fixture
def demo(demo_db, monkeypatch):
    """Open the page on the demo borough, optionally with URL parameters."""
    return lambda **query: open_page(demo_db, monkeypatch, **query)


def test_the_demo_says_who_leads_and_who_lags(demo):
    at, files = demo()
    assert at.title[0].value == "Are our leaders leading?"
    headline = next(m.value for m in at.markdown if m.value.startswith("#### "))
    ahead, _, behind = headline.partition(", and behind them in ")
    assert all(name in ahead for name in LEADING) and all(name in behind for name in LAGGING), headline
    card = scorecard(at).set_index("directorate")
    assert (card.loc[list(LEADING), "gap_pts"] > 0).all() and (card.loc[list(LAGGING), "gap_pts"] < 0).all()
    # 36 months: the SPC engine judges every directorate, in pulse.wording's words.
    assert set(card["leader_verdict"]) <= {"Improving", "Getting worse", "No significant change", "Unusual change"}
    bullets = next(m.value for m in at.markdown if "directorates' leaders used e-signature" in m.value)
    assert "Adult Social Care" in bullets.split("used e-signature")[1].split("\n")[0]
    drawn = charts(at)
    assert {"adoption-leaders-vs-staff", "adoption-gap", "adoption-heatmap-roles", "adoption-heatmap-leaders",
            "adoption-heatmap-staff", "adoption-scatter-digital_takeup", "adoption-scatter-satisfaction"} <= set(drawn)
    assert len(drawn["adoption-scatter-digital_takeup"]["rows"]) >= 8
    assert len([c for c in at.caption if "association, not evidence" in c.value]) == 2
    assert_tidy(at, files)


def test_choosing_a_directorate_changes_the_figures(demo):
    before, _ = demo()
    at, _ = demo(directorate="Housing")
    everyone, housing = scorecard(before), scorecard(at)
    assert list(housing["directorate"]) == ["Housing"] and len(everyone) == 8
    assert housing.loc[0, "leaders_pct"] == everyone.set_index("directorate").loc["Housing", "leaders_pct"]
    headline = next(m.value for m in at.markdown if m.value.startswith("#### "))
    assert "Housing" in headline and "Environment & Waste" not in headline
    assert set(charts(at)["adoption-heatmap-staff"]["rows"]["directorate"]) == {"Housing"}
    assert at.session_state["pulse_filters"].directorates == ("Housing",)


def test_no_person_id_reaches_the_browser(demo):
    at, files = demo(directorate=["Housing", "Adult Social Care"])
    for text in published(at, files):
        assert not re.search(r"\bP[0-9a-f]{8}\b", text)
