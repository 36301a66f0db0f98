"""The Resident voice queries, each run on a tiny hand-written fixture (tests/fixtures/voice) with exact rows.

The fixture: twelve responses, January to March 2026, in two wards. F04 and F08 are ratings
without comments (blank, white space) and F12's comment is a no-break and a zero-width space, so
nine comments are left, themed by the default rules:

    F01 North Jan 5 online  Easy to do online, Sorted quickly
    F02 North Jan 1 phone   Bins missed, Long wait on the phone
    F03 South Jan 2 online  Couldn't log in / website problems, Council tax, bills and payments
    F05 South Feb 4 app     Staff were helpful
    F06 —     Feb 3 —       Other (request R04: face to face, South)
    F07 North Feb 2 phone   Long wait on the phone
    F09 South Mar 5 online  Easy to do online, Sorted quickly, Council tax, bills and payments
    F10 South Mar 1 online  Couldn't log in / website problems
    F11 —     Mar average email  No updates / nobody got back to me
"""

from __future__ import annotations

import datetime as dt
import shutil
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from pulse.ingest import IngestError, ingest
from pulse.metrics.sentiment import sentiment
from tests.conftest import ROOT

VOICE = ROOT / "tests" / "fixtures" / "voice"
JAN, FEB, MAR = dt.date(2026, 1, 1), dt.date(2026, 2, 1), dt.date(2026, 3, 1)
NORTH, SOUTH = "E05000001", "E05000002"
NOW = datetime(2026, 11, 29, 12, 0)
COMMENTS = {
    "F01": "Easy to report on the app, bin collected the next day.",
    "F02": "Bins missed again and I was on hold for 40 minutes.",
    "F03": "Couldn't log in to pay my council tax. Call me on [phone]",
    "F05": "The staff were helpful.",
    "F06": "Nothing to add really",
    "F07": "On hold for ages, then cut off.",
    "F09": "Quick and easy to pay online now.",
    "F10": "Still can't log in. Password reset never arrives.",
    "F11": "My name is [name], nobody rang back.",
}


def mean_sentiment(*ids: str) -> float:
    return pytest.approx(sum(sentiment(COMMENTS[i]) for i in ids) / len(ids))


@pytest.fixture(scope="module")
def voice_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("voice") / "pulse.duckdb"
    ingest(VOICE, db, now=NOW)
    return db


@pytest.fixture
def run(voice_db):
    from pulse import db
    from pulse.filters import Filters

    def query(name: str, **params):
        return db.run(name, {**Filters().params(), **params}, path=voice_db)

    return query


def records(frame) -> list[tuple]:
    out = []
    for row in frame.itertuples(index=False):
        out.append(tuple(
            v.date() if hasattr(v, "date") and hasattr(v, "hour") else None if v is None or v != v else v
            for v in row))
    return out


# --- what the ingest stores ---------------------------------------------------------------------


def test_comments_are_redacted_scored_and_blank_ones_are_null(voice_db):
    con = duckdb.connect(str(voice_db), read_only=True)
    rows = con.execute("select feedback_id, comment, sentiment, sentiment_label from feedback order by 1").fetchall()
    assert {r[0]: r[1] for r in rows if r[1] is not None} == COMMENTS
    assert [r[0] for r in rows if r[1] is None] == ["F04", "F08", "F12"]
    for feedback_id, comment, score, label in rows:
        if comment is None:
            assert score is None and label is None
        else:
            assert score == pytest.approx(sentiment(comment))
    assert {r[0]: r[3] for r in rows if r[1] is not None} == {
        "F01": "positive", "F02": "negative", "F03": "neutral", "F05": "positive", "F06": "neutral",
        "F07": "negative", "F09": "positive", "F10": "neutral", "F11": "negative"}


def test_feedback_themes_and_the_theme_list(voice_db):
    con = duckdb.connect(str(voice_db), read_only=True)
    assert con.execute("select feedback_id, theme from feedback_themes order by 1, 2").fetchall() == [
        ("F01", "Easy to do online"), ("F01", "Sorted quickly"),
        ("F02", "Bins missed"), ("F02", "Long wait on the phone"),
        ("F03", "Couldn't log in / website problems"), ("F03", "Council tax, bills and payments"),
        ("F05", "Staff were helpful"),
        ("F07", "Long wait on the phone"),
        ("F09", "Council tax, bills and payments"), ("F09", "Easy to do online"), ("F09", "Sorted quickly"),
        ("F10", "Couldn't log in / website problems"),
        ("F11", "No updates / nobody got back to me"),
    ]
    listed = con.execute("select theme, position, source from themes order by position").fetchall()
    assert listed[0] == ("Bins missed", 1, "default") and len(listed) == 24
    assert con.execute("select rule from themes where theme = 'Fly-tipping'").fetchone()[0] == (
        '"fly tip*" or "fly-tip*" or "flytip*" or "dumped" or "dumping" or "mattress*" or "fridge*" or "sofa*"')


# --- satisfaction -------------------------------------------------------------------------------


def test_voice_satisfaction_by_month(run):
    # period, responses, scale_ratings, satisfied, good, average, poor, comments
    assert records(run("voice_satisfaction_by_month")) == [
        (JAN, 4, 3, 1, 2, 0, 2, 3),  # F01 5, F02 1, F03 2, F04 "good"
        (FEB, 4, 3, 1, 1, 1, 2, 3),  # F05 4, F06 3, F07 2, F08 "poor"
        (MAR, 4, 3, 2, 2, 1, 1, 3),  # F09 5, F10 1, F11 "average", F12 4
    ]


def test_voice_satisfaction_honours_the_filters(run):
    assert records(run("voice_satisfaction_by_month", wards=[NORTH])) == [
        (JAN, 2, 2, 1, 1, 0, 1, 2), (FEB, 2, 1, 0, 0, 0, 2, 1), (MAR, 1, 1, 1, 1, 0, 0, 0)]
    assert records(run("voice_satisfaction_by_month", directorates=["Revenues"], channels=["online"])) == [
        (JAN, 1, 1, 0, 0, 0, 1, 1), (MAR, 2, 2, 1, 1, 0, 1, 2)]
    assert records(run("voice_satisfaction_by_month", date_from=dt.date(2026, 2, 3),
                       date_to=dt.date(2026, 3, 1))) == [(FEB, 3, 2, 0, 0, 1, 2, 2), (MAR, 1, 1, 1, 1, 0, 0, 1)]


def test_voice_ratings_by_value(run):
    assert records(run("voice_ratings_by_value")) == [
        ("5-point", "1", 2), ("5-point", "2", 2), ("5-point", "3", 1), ("5-point", "4", 2), ("5-point", "5", 2),
        ("good/average/poor", "poor", 1), ("good/average/poor", "average", 1), ("good/average/poor", "good", 1)]
    # Every point of the 5-point scale, even with nobody on it; no band rows without band-only answers.
    assert records(run("voice_ratings_by_value", services=["Pothole"])) == [
        ("5-point", "1", 0), ("5-point", "2", 0), ("5-point", "3", 1), ("5-point", "4", 1), ("5-point", "5", 0)]


def test_voice_satisfaction_by_service(run):
    assert records(run("voice_satisfaction_by_service")) == [
        ("Missed bin", "Environment", 5, 4, 2, 2, 0, 3, 3),
        ("Council tax", "Revenues", 4, 3, 1, 2, 0, 2, 3),
        ("Pothole", "Highways", 2, 2, 1, 1, 1, 0, 2),
        (None, None, 1, 0, 0, 0, 1, 0, 1),  # F11 names no service
    ]


def test_voice_satisfaction_by_channel_and_group(run):
    assert records(run("voice_satisfaction_by_channel")) == [
        ("online", "digital", 5, 5, 3, 3, 0, 2, 4),
        ("app", "digital", 1, 1, 1, 1, 0, 0, 1),
        ("phone", "assisted", 4, 2, 0, 1, 0, 3, 2),
        ("email", "assisted", 1, 0, 0, 0, 1, 0, 1),
        (None, None, 1, 1, 0, 0, 1, 0, 1),  # F06 names no channel
    ]
    assert records(run("voice_satisfaction_by_channel_group")) == [
        ("digital", 6, 6, 4, 4, 0, 2, 5), ("assisted", 5, 2, 0, 1, 1, 3, 3), ("not known", 1, 1, 0, 0, 1, 0, 1)]
    assert records(run("voice_satisfaction_by_channel_group", channels=["phone"])) == [
        ("assisted", 4, 2, 0, 1, 0, 3, 2)]


def test_voice_satisfaction_by_ward(run):
    assert records(run("voice_satisfaction_by_ward")) == [
        (NORTH, "North Ward", 5, 4, 2, 2, 0, 3, 3),
        (SOUTH, "South Ward", 5, 4, 2, 3, 0, 2, 4),
        (None, None, 2, 1, 0, 0, 2, 0, 2),  # F06 and F11
    ]
    # A ward in view with no responses still has its row; the others are not in view.
    assert records(run("voice_satisfaction_by_ward", wards=[SOUTH], services=["Missed bin"])) == [
        (SOUTH, "South Ward", 0, 0, 0, 0, 0, 0, 0)]


# --- themes -------------------------------------------------------------------------------------


def test_voice_themes_by_theme(run):
    rows = {r[0]: r[1:] for r in records(run("voice_themes_by_theme"))}
    assert list(rows)[:3] == ["Bins missed", "New or replacement bins", "Fly-tipping"]
    assert list(rows)[-1] == "Other" and rows["Other"][0] == 25
    # position, comments, mean_sentiment, positive, negative, scale_ratings, satisfied, share_satisfied
    assert rows["Bins missed"] == (1, 1, mean_sentiment("F02"), 0, 1, 1, 0, 0.0)
    assert rows["Fly-tipping"] == (3, 0, None, 0, 0, 0, 0, None)
    assert rows["Couldn't log in / website problems"] == (7, 2, mean_sentiment("F03", "F10"), 0, 0, 2, 0, 0.0)
    assert rows["Easy to do online"] == (9, 2, mean_sentiment("F01", "F09"), 2, 0, 2, 2, 1.0)
    assert rows["Long wait on the phone"] == (10, 2, mean_sentiment("F02", "F07"), 0, 2, 2, 0, 0.0)
    assert rows["No updates / nobody got back to me"] == (13, 1, mean_sentiment("F11"), 0, 1, 0, 0, None)
    assert rows["Council tax, bills and payments"] == (21, 2, mean_sentiment("F03", "F09"), 1, 0, 2, 1, 0.5)
    assert rows["Other"] == (25, 1, mean_sentiment("F06"), 0, 0, 1, 0, 0.0)
    assert sum(r[1] for r in rows.values()) == 14  # nine comments, four of them with two or three themes


def test_voice_themes_by_theme_honours_the_filters(run):
    rows = {r[0]: r[2] for r in records(run("voice_themes_by_theme", wards=[NORTH])) if r[2]}
    assert rows == {"Bins missed": 1, "Easy to do online": 1, "Long wait on the phone": 2, "Sorted quickly": 1}


def test_voice_themes_by_month_theme(run):
    frame = run("voice_themes_by_month_theme")
    assert len(frame) == 3 * 25  # every month × every theme and Other
    shown = [r for r in records(frame) if r[3]]
    assert shown == [
        (JAN, "Bins missed", 1, 1, 3, mean_sentiment("F02")),
        (JAN, "Couldn't log in / website problems", 7, 1, 3, mean_sentiment("F03")),
        (JAN, "Easy to do online", 9, 1, 3, mean_sentiment("F01")),
        (JAN, "Long wait on the phone", 10, 1, 3, mean_sentiment("F02")),
        (JAN, "Sorted quickly", 12, 1, 3, mean_sentiment("F01")),
        (JAN, "Council tax, bills and payments", 21, 1, 3, mean_sentiment("F03")),
        (FEB, "Long wait on the phone", 10, 1, 3, mean_sentiment("F07")),
        (FEB, "Staff were helpful", 16, 1, 3, mean_sentiment("F05")),
        (FEB, "Other", 25, 1, 3, mean_sentiment("F06")),
        (MAR, "Couldn't log in / website problems", 7, 1, 3, mean_sentiment("F10")),
        (MAR, "Easy to do online", 9, 1, 3, mean_sentiment("F09")),
        (MAR, "Sorted quickly", 12, 1, 3, mean_sentiment("F09")),
        (MAR, "No updates / nobody got back to me", 13, 1, 3, mean_sentiment("F11")),
        (MAR, "Council tax, bills and payments", 21, 1, 3, mean_sentiment("F09")),
    ]
    empty = records(frame[(frame.theme == "Fly-tipping")])
    assert empty == [(JAN, "Fly-tipping", 3, 0, 3, None), (FEB, "Fly-tipping", 3, 0, 3, None),
                     (MAR, "Fly-tipping", 3, 0, 3, None)]


def test_voice_themes_by_ward_theme(run):
    # ward_code, ward_name, theme, position, comments, ward_comments, mean_sentiment, scale_ratings, satisfied
    assert records(run("voice_themes_by_ward_theme")) == [
        (NORTH, "North Ward", "Long wait on the phone", 10, 2, 3, mean_sentiment("F02", "F07"), 2, 0),
        (NORTH, "North Ward", "Bins missed", 1, 1, 3, mean_sentiment("F02"), 1, 0),
        (NORTH, "North Ward", "Easy to do online", 9, 1, 3, mean_sentiment("F01"), 1, 1),
        (NORTH, "North Ward", "Sorted quickly", 12, 1, 3, mean_sentiment("F01"), 1, 1),
        (SOUTH, "South Ward", "Couldn't log in / website problems", 7, 2, 4, mean_sentiment("F03", "F10"), 2, 0),
        (SOUTH, "South Ward", "Council tax, bills and payments", 21, 2, 4, mean_sentiment("F03", "F09"), 2, 1),
        (SOUTH, "South Ward", "Easy to do online", 9, 1, 4, mean_sentiment("F09"), 1, 1),
        (SOUTH, "South Ward", "Sorted quickly", 12, 1, 4, mean_sentiment("F09"), 1, 1),
        (SOUTH, "South Ward", "Staff were helpful", 16, 1, 4, mean_sentiment("F05"), 1, 1),
    ]


def test_voice_examples_by_theme(run):
    frame = run("voice_examples_by_theme", per_theme=2)
    rows = records(frame[["theme", "example", "theme_comments", "feedback_id", "linked", "service", "channel",
                          "ward_code"]])
    assert rows == [
        ("Bins missed", 1, 1, "F02", True, "Missed bin", "phone", NORTH),
        ("Couldn't log in / website problems", 1, 2, "F10", True, "Council tax", "online", SOUTH),
        ("Couldn't log in / website problems", 2, 2, "F03", True, "Council tax", "online", SOUTH),
        ("Easy to do online", 1, 2, "F09", True, "Council tax", "online", SOUTH),
        ("Easy to do online", 2, 2, "F01", True, "Missed bin", "online", NORTH),
        ("Long wait on the phone", 1, 2, "F07", True, "Missed bin", "phone", NORTH),
        ("Long wait on the phone", 2, 2, "F02", True, "Missed bin", "phone", NORTH),
        ("Sorted quickly", 1, 2, "F09", True, "Council tax", "online", SOUTH),
        ("Sorted quickly", 2, 2, "F01", True, "Missed bin", "online", NORTH),
        ("No updates / nobody got back to me", 1, 1, "F11", False, None, "email", None),
        ("Staff were helpful", 1, 1, "F05", True, "Pothole", "app", SOUTH),
        ("Council tax, bills and payments", 1, 2, "F09", True, "Council tax", "online", SOUTH),
        ("Council tax, bills and payments", 2, 2, "F03", True, "Council tax", "online", SOUTH),
        # F06 names no channel or ward; its request R04 does.
        ("Other", 1, 1, "F06", True, "Pothole", "face_to_face", SOUTH),
    ]
    assert frame.set_index("feedback_id").loc["F03", "comment"].iloc[0] == COMMENTS["F03"]  # redacted
    assert frame.set_index("feedback_id").loc["F06", "ward_name"] == "South Ward"
    assert list(run("voice_examples_by_theme", per_theme=1).feedback_id) == [
        "F02", "F10", "F09", "F07", "F09", "F11", "F05", "F09", "F06"]


def test_actions_by_date(run):
    assert records(run("actions_by_date")) == [
        (dt.date(2025, 12, 1), "New recycling leaflets through every door", None, "Missed bin"),
        (dt.date(2026, 2, 10), "Password reset emails fixed and a help page for signing in added",
         "Couldn't log in / website problems", "Council tax"),
        (dt.date(2026, 3, 5), "More call handlers on Mondays, when most residents ring", "Long wait on the phone", None),
    ]
    # Actions about a service only when that service, or its directorate, is in view.
    assert [r[1][:8] for r in records(run("actions_by_date", services=["Pothole"]))] == ["More cal"]
    assert [r[1][:8] for r in records(run("actions_by_date", directorates=["Environment"],
                                          date_from=dt.date(2026, 1, 1)))] == ["More cal"]
    assert [r[1][:8] for r in records(run("actions_by_date", date_to=dt.date(2026, 2, 10)))] == ["New recy", "Password"]


# --- a council's own theme rules ----------------------------------------------------------------


def test_a_councils_themes_toml_changes_the_themes(tmp_path):
    folder = tmp_path / "exports"
    shutil.copytree(VOICE, folder)
    (folder / "themes.toml").write_text(
        '[[theme]]\nname = "Long wait on the phone"\nwords = ["on hold"]\n\n'
        '[[theme]]\nname = "Bins missed"\ndisabled = true\n\n'
        '[[theme]]\nname = "Passwords"\nwords = ["password*"]\n', encoding="utf-8")
    ingest(folder, tmp_path / "pulse.duckdb", now=NOW)
    con = duckdb.connect(str(tmp_path / "pulse.duckdb"), read_only=True)
    themes = con.execute("select theme, position, source from themes order by position").fetchall()
    assert themes[0] == ("New or replacement bins", 1, "default and themes.toml")
    assert themes[-1] == ("Passwords", 24, "default and themes.toml")
    assert ("Long wait on the phone", 9, "default and themes.toml") in themes
    assert not any(t[0] == "Bins missed" for t in themes)
    found = con.execute("select feedback_id, theme from feedback_themes where theme in "
                        "('Long wait on the phone', 'Passwords', 'Bins missed') order by 1, 2").fetchall()
    # "On hold for ages" and "on hold for 40 minutes" match; the default's second rule is gone.
    assert found == [("F02", "Long wait on the phone"), ("F07", "Long wait on the phone"), ("F10", "Passwords")]


def test_a_councils_themes_toml_can_start_from_nothing(tmp_path):
    folder = tmp_path / "exports"
    shutil.copytree(VOICE, folder)
    (folder / "themes.toml").write_text(
        'keep_defaults = false\n[[theme]]\nname = "Phone"\nwords = ["on hold", "rang"]\n', encoding="utf-8")
    ingest(folder, tmp_path / "pulse.duckdb", now=NOW)
    con = duckdb.connect(str(tmp_path / "pulse.duckdb"), read_only=True)
    assert con.execute("select theme, position, source from themes").fetchall() == [("Phone", 1, "themes.toml")]
    assert con.execute("select feedback_id from feedback_themes order by 1").fetchall() == [
        ("F02",), ("F07",), ("F11",)]


@pytest.mark.parametrize(("content", "message"), [
    ("[[theme]]\nwords = ['bins']\n", "themes.toml: theme 1 has no name"),
    ("[[theme]]\nname = 'Bins'\n", 'themes.toml: theme 1 \\("Bins"\\) has no words'),
    ("[[theme]]\nname = 'Bins'\nwords = ['bins']\ncolour = 'red'\n", "unknown key colour"),
    ("[[theme]]\nname = 'Bins'\nwords = 'bins\n", "themes.toml: not valid TOML"),
    ("colour = 'red'\n", "themes.toml: unknown setting colour"),
    ("[[theme]]\nname = 'Bins'\nwords = ['bin **']\n", 'a word of only "\\*"'),
])
def test_a_themes_toml_that_cannot_be_used_stops_the_ingest(tmp_path, content, message):
    folder = tmp_path / "exports"
    shutil.copytree(VOICE, folder)
    (folder / "themes.toml").write_text(content, encoding="utf-8")
    with pytest.raises(IngestError, match=message):
        ingest(folder, tmp_path / "pulse.duckdb", now=NOW)
    assert not (tmp_path / "pulse.duckdb").exists()


def test_a_very_long_comment_is_stored_whole_redacted_and_themed(tmp_path):
    long = ("The bins were missed again. " * 700) + "Call me on 07700 900123."
    folder = tmp_path / "exports"
    folder.mkdir()
    (folder / "feedback.csv").write_text(
        f'feedback_id,submitted_at,rating,comment\nL1,2026-01-05,1,"{long}"\n', encoding="utf-8")
    ingest(folder, tmp_path / "pulse.duckdb", now=NOW)
    con = duckdb.connect(str(tmp_path / "pulse.duckdb"), read_only=True)
    (comment,) = con.execute("select comment from feedback").fetchone()
    assert comment == long.replace("07700 900123", "[phone]") and len(comment) == 19_619
    assert con.execute("select theme from feedback_themes").fetchall() == [("Bins missed",)]
