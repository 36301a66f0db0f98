"""The Resident voice page on bad, personal and partial data: what the ingest rejects and why, that no
unredacted personal data reaches the page or its downloads, and a tidy, honest page when the exports
are only feedback, feedback without comments, or no feedback at all.

Every run goes through app.py in AppTest and collects everything the page shows (tests/audit/collect.py:
text, tables, chart data, downloads).
"""

from __future__ import annotations

import re
import shutil
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from pulse.ingest import ingest
from pulse.pages import voice_gaps
from tests.audit.collect import run
from tests.conftest import ROOT

VOICE = ROOT / "tests" / "fixtures" / "voice"
PAGE = "views/voice.py"
NOW = datetime(2026, 11, 29, 12, 0)
# Personal data as residents write it, each inside a comment a theme catches (so it would be an example).
PERSONAL = {
    "jane.doe@example.com": "Bins missed again, email me at jane.doe@example.com",
    "07700 900456": "Bins missed twice, ring 07700 900456 please",
    "SE6 4RU": "Bins missed outside my house, SE6 4RU",
    "Peter Clarke": "My name is Peter Clarke and the bins were missed",
    "12 High Street": "Bins missed at 12 High Street again",
    "QQ 12 34 56 C": "Bins missed, NI number QQ 12 34 56 C if you need it",
    "4111 1111 1111 1111": "Paid with 4111 1111 1111 1111 and the bins were still missed",
    "Tom Baker": "Bins missed for a month. Regards, Tom Baker",
}
UNTIDY = re.compile(r"\b(?:None|nan|NaN|NaT)\b|(?<![\w.])-0(?:\.0+)?(?![\d.])|(?<![\d.,])\d{2,}\.0(?![\d%])")


def opened(folder: Path, tmp_path: Path, monkeypatch, threshold: int = 1, **query) -> tuple[object, list[str]]:
    """The exports in `folder` ingested and the page opened on them: (AppTest, everything it shows)."""
    db = tmp_path / "pulse.duckdb"
    ingest(folder, db, now=NOW)
    monkeypatch.setenv("PULSE_SUPPRESS_THRESHOLD", str(threshold))
    st.cache_data.clear()
    at, shown = run(db, PAGE, query, monkeypatch)
    assert not at.exception, [e.value for e in at.exception]
    return at, shown


def untidy(shown: list[str]) -> list[str]:
    """Words and numbers a tidy page never shows: None, nan, NaT, a negative zero, a count written as a float."""
    found = []
    for element in shown:
        head, _, body = element.partition("\n")
        # Chart specifications are Vega-Lite JSON: null is their word for nothing, and they are not read as text.
        text = body if "vega_lite_chart" not in head else ""
        found += [f"{head}: {m.group(0)!r}" for m in UNTIDY.finditer(text)]
    return found


def words(shown: list[str]) -> str:
    """Everything shown as one text, Markdown's escapes taken out (so that "jane\\.doe" cannot hide a leak)."""
    return "\n".join(shown).replace("\\", "")


# --------------------------------------------------------------------------- bad input


def test_ratings_outside_the_scale_or_in_unknown_words_are_rejected_with_reasons(source, tmp_path):
    text = ("feedback_id,submitted_at,rating,comment\n"
            "B1,2026-01-05,0,zero\nB2,2026-01-05,6,six\nB3,2026-01-05,4.5,half\nB4,2026-01-05,excellent!,words\n"
            "B5,2026-01-05,meh,words\nB6,2026-01-05,Satisfied,a mapped word\nB7,2026-01-05,,no rating\n"
            "B8,2026-01-05,3,   \nB9,2026-01-05,5,\u00a0 \nC1,2026-01-05,5,Café staff were lovely – thank you\n")
    folder = source("feedback.csv", text, encoding="cp1252")
    ingest(folder, tmp_path / "pulse.duckdb", now=NOW)
    con = duckdb.connect(str(tmp_path / "pulse.duckdb"), read_only=True)
    assert con.execute("select line, reason from rejected_rows order by line").fetchall() == [
        (2, "rating '0' is not 1–5 or good/average/poor"), (3, "rating '6' is not 1–5 or good/average/poor"),
        (4, "rating '4.5' is not 1–5 or good/average/poor"), (5, "rating 'excellent!' is not 1–5 or good/average/poor"),
        (6, "rating 'meh' is not 1–5 or good/average/poor"), (8, "missing rating")]
    # Blank and white-space comments are ratings without a comment; any encoding loads (here Windows-1252).
    assert con.execute("select feedback_id, rating, rating_band, comment from feedback order by 1").fetchall() == [
        ("B6", None, "good", "a mapped word"), ("B8", 3, "average", None), ("B9", 5, "good", None),
        ("C1", 5, "good", "Café staff were lovely – thank you")]


def test_a_utf16_feedback_file_loads_and_its_comments_reach_the_page(source, tmp_path, monkeypatch):
    rows = [f"U{i},2026-01-{i + 1:02d},5,online,Quick and easy to report online, merci beaucoup {i}" for i in range(3)]
    folder = source("feedback.csv", "feedback_id,submitted_at,rating,channel,comment\n" + "\n".join(
        r.replace(", merci", " – merci") for r in rows) + "\n", encoding="utf-16")
    at, shown = opened(folder, tmp_path, monkeypatch)
    assert "Quick and easy to report online – merci beaucoup 2" in words(shown)


# --------------------------------------------------------------------------- personal data


def test_no_unredacted_personal_data_reaches_the_page_or_its_downloads(tmp_path, monkeypatch):
    folder = tmp_path / "exports"
    shutil.copytree(VOICE, folder)
    feedback = pd.read_csv(folder / "feedback.csv", dtype=str)
    extra = pd.DataFrame([{"feedback_id": f"P{i}", "submitted_at": "2026-02-15", "rating": "2",
                           "service": "Missed bin", "channel": "online", "ward_code": "E05000001", "comment": comment}
                          for i, comment in enumerate(PERSONAL.values())])
    pd.concat([feedback, extra]).to_csv(folder / "feedback.csv", index=False)
    for public in (False, True):
        where = tmp_path / ("public" if public else "internal")
        where.mkdir()
        _, shown = opened(folder, where, monkeypatch, **({"public": "1"} if public else {}))
        text = words(shown)
        leaks = [pii for pii in PERSONAL if pii in text]
        assert not leaks, f"{'public' if public else 'internal'}: {leaks}"
        assert any(element.startswith("download ") for element in shown)
        # Inside the council the examples are shown, redacted; in public-safe figures no comment is.
        assert ("Bins missed again, email me at [email]" in text) is not public
        assert ("[phone]" in text) is not public


# --------------------------------------------------------------------------- partial data


def test_only_feedback_no_requests_no_wards(tmp_path, monkeypatch):
    folder = tmp_path / "exports"
    folder.mkdir()
    shutil.copy(VOICE / "feedback.csv", folder / "feedback.csv")
    at, shown = opened(folder, tmp_path, monkeypatch)
    text = words(shown)
    assert voice_gaps.NO_WARDS in text and voice_gaps.NO_REQUESTS in text and voice_gaps.NO_ACTIONS in text
    assert "Nothing places the feedback in a ward." in text
    assert "No changes are recorded for these dates and services." in text
    # The examples still show the feedback's own service and channel, and say where they come from.
    assert "(details from the feedback)" in text and "(details from the request)" not in text
    assert not untidy(shown), untidy(shown)


def test_feedback_without_comments(tmp_path, monkeypatch):
    folder = tmp_path / "exports"
    shutil.copytree(VOICE, folder)
    pd.read_csv(folder / "feedback.csv", dtype=str).drop(columns="comment").to_csv(folder / "feedback.csv", index=False)
    at, shown = opened(folder, tmp_path, monkeypatch)
    text = words(shown)
    assert voice_gaps.NO_COMMENTS in text
    assert "No comments match these filters, so there are no themes to show." in text
    assert at.get("vega_lite_chart"), "the satisfaction charts are still drawn"
    assert not any("What residents write about" in e or "Share of each month" in e for e in shown
                   if "vega_lite_chart" in e.split("\n")[0])
    assert not untidy(shown), untidy(shown)


def test_no_feedback_at_all(tmp_path, monkeypatch):
    folder = tmp_path / "exports"
    shutil.copytree(ROOT / "tests" / "fixtures" / "tiny", folder)
    (folder / "feedback.csv").unlink()
    at, shown = opened(folder, tmp_path, monkeypatch)
    text = words(shown)
    assert voice_gaps.NO_FEEDBACK in text
    assert "widen the dates" not in text  # nothing to widen: the export is what is missing
    assert not at.get("vega_lite_chart") and not at.get("metric")
    assert not untidy(shown), untidy(shown)


def test_the_page_is_tidy_on_the_fixture_inside_and_in_public(tmp_path, monkeypatch):
    for threshold, query in ((1, {}), (3, {}), (10, {"public": "1"})):
        where = tmp_path / f"run{threshold}"
        where.mkdir()
        _, shown = opened(VOICE, where, monkeypatch, threshold, **query)
        assert not untidy(shown), (threshold, untidy(shown))
