"""The Overview's published figures: exact values from small tables, and the degenerate cases."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from pulse import registry
from pulse.disclosure import Policy
from pulse.formatting import fmt_change, fmt_value
from pulse.metrics import kpis
from pulse.pages import overview

TAKEUP = registry.measure("digital_takeup")
COST = registry.measure("cost_per_transaction")
COSTS = {"online": 0.15, "app": 0.15, "phone": 2.83, "face_to_face": 8.62}
INTERNAL, PUBLIC = Policy(threshold=10), Policy(public_safe=True, threshold=10)


def cells(rows: list[tuple[str, str, int]]) -> pd.DataFrame:
    """requests_by_month_channel rows: (month, channel, requests)."""
    return pd.DataFrame([(dt.date.fromisoformat(m), c, n) for m, c, n in rows], columns=["period", "channel", "requests"])


def six_months(online: int = 100, phone: int = 200, online_after: int = 150, phone_after: int = 180) -> pd.DataFrame:
    rows = []
    for m in range(1, 7):
        month = f"2026-{m:02d}-01"
        rows += [(month, "online", online if m <= 3 else online_after), (month, "phone", phone if m <= 3 else phone_after)]
    return cells(rows)


def monthly(rows: list[tuple[str, float, float]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["period", "numerator", "denominator"])
    frame["period"] = [dt.date.fromisoformat(p) for p in frame["period"]]
    return frame.assign(value=frame["numerator"] / frame["denominator"])


# --------------------------------------------------------------------------- the count model


def test_a_small_cell_and_its_complement_are_hidden_and_nothing_can_be_worked_out():
    frame = cells([("2026-01-01", "online", 200), ("2026-01-01", "app", 100), ("2026-01-01", "phone", 40),
                   ("2026-01-01", "email", 15), ("2026-01-01", "post", 3)])
    protection = overview.protect_channels(frame, COSTS, INTERNAL)
    table = overview.channel_table(protection).frame
    assert dict(zip(table["channel"], table["requests"])) == {
        "app": 100, "email": "[c]", "online": 200, "phone": 40, "post": "[c]"}
    # email (15) is hidden with post (3): the month's total is known from take-up, so one hidden cell would not do.
    assert protection.disclosed().empty
    assert overview.uncosted_sentence(protection) == (
        "Cost per transaction leaves out 18 requests through channels with no unit cost (the Data page lists the "
        "unit costs).")


def test_a_rate_that_would_give_a_hidden_cell_away_is_hidden_too():
    # Online is the only digital channel and it is under 10: take-up (3 of 43) would give it back.
    frame = cells([("2026-01-01", "online", 3), ("2026-01-01", "phone", 40)])
    protection = overview.protect_channels(frame, COSTS, INTERNAL)
    assert protection.hidden_of("digital")["hidden"].tolist() == [True]
    assert protection.table("cells").frame["requests"].tolist() == ["[c]", "[c]"]
    result = kpis.evaluate(kpis.BUILT_IN[0], monthly([("2026-01-01", 3, 43)]), INTERNAL)
    masked = overview._masked(result, TAKEUP, protection)
    assert masked.series.isna().all()
    assert protection.disclosed().empty


def test_public_safe_rounds_every_count_to_five():
    frame = cells([("2026-01-01", "online", 201), ("2026-01-01", "phone", 43), ("2026-01-01", "email", 12)])
    table = overview.channel_table(overview.protect_channels(frame, COSTS, PUBLIC)).frame
    assert dict(zip(table["channel"], table["requests"])) == {"email": 10, "online": 200, "phone": 45}


# --------------------------------------------------------------------------- sentences


def test_volume_sentence_from_published_quarter_totals():
    protection = overview.protect_channels(six_months(), COSTS, INTERNAL)
    assert overview.volume_sentence(protection) == "Requests rose 10% between Q1 and Q2 2026 (900 to 990)."
    public = overview.protect_channels(six_months(phone=201, phone_after=181), COSTS, PUBLIC)
    assert overview.volume_sentence(public) == "Requests rose 10% between Q1 and Q2 2026 (905 to 995)."
    steady = overview.protect_channels(six_months(online_after=100, phone_after=200), COSTS, INTERNAL)
    assert overview.volume_sentence(steady) == "Requests held steady at 900 a quarter between Q1 and Q2 2026."
    one_quarter = overview.protect_channels(six_months().head(6), COSTS, INTERNAL)
    assert overview.volume_sentence(one_quarter) is None
    tiny = overview.protect_channels(six_months(1, 2, 1, 1), COSTS, INTERNAL)
    assert overview.volume_sentence(tiny) is None  # quarter totals under 10 are never said


def test_channel_title_states_the_message_and_its_degenerate_cases():
    protection = overview.protect_channels(six_months(40, 60, 55, 45), COSTS, INTERNAL)
    assert overview.channel_title(protection, INTERNAL) == (
        "Online and app carried 55.0% of requests in Q2 2026, up from 40.0% in Q1 2026")
    assert overview.channel_title(protection, PUBLIC) == (
        "Online and app carried 55% of requests in Q2 2026, up from 40% in Q1 2026")
    all_online = overview.protect_channels(six_months(100, 0, 120, 0).query("requests > 0"), COSTS, INTERNAL)
    assert overview.channel_title(all_online, INTERNAL) == (
        "Requests by channel, month by month: all made online or by app")
    flat = overview.protect_channels(six_months(40, 60, 40, 60), COSTS, INTERNAL)
    assert overview.channel_title(flat, INTERNAL) == (
        "Online and app carried 40.0% of requests in Q2 2026, the same as 40.0% in Q1 2026")
    single = overview.protect_channels(six_months().head(6), COSTS, INTERNAL)
    assert overview.channel_title(single, INTERNAL) == "Requests by channel, month by month"


def test_what_changed_sentences():
    protection = overview.protect_channels(six_months(), COSTS, INTERNAL)
    takeup = monthly([(f"2026-{m:02d}-01", 100 if m <= 3 else 150, 300 if m <= 3 else 330) for m in range(1, 7)])
    assert overview.change_sentence(TAKEUP, takeup, protection, INTERNAL) == (
        "Digital take-up rose from 33.3% to 45.5% between Q1 and Q2 2026.")
    assert overview.change_sentence(TAKEUP, takeup, protection, PUBLIC) == (
        "Digital take-up rose from 33% to 45% between Q1 and Q2 2026.")
    flat = monthly([(f"2026-{m:02d}-01", 50, 100) for m in range(1, 7)])
    satisfaction = registry.measure("user_satisfaction")
    assert overview.change_sentence(satisfaction, flat, None, INTERNAL) == (
        "User satisfaction held steady at 50.0% between Q1 and Q2 2026.")
    assert overview.change_sentence(satisfaction, flat.head(5), None, INTERNAL) is None  # Q2 incomplete
    small = monthly([(f"2026-{m:02d}-01", 1, 3) for m in range(1, 7)])
    assert overview.change_sentence(satisfaction, small, None, INTERNAL) is None  # 9 ratings a quarter
    assert overview.change_sentence(satisfaction, monthly([]), None, INTERNAL) is None


# --------------------------------------------------------------------------- tiles


def test_tile_is_the_latest_month_against_the_one_before():
    result = kpis.evaluate(kpis.BUILT_IN[0], monthly([("2026-05-01", 52, 100), ("2026-06-01", 57, 100)]), INTERNAL)
    tile = overview.tile(TAKEUP, result, INTERNAL)
    assert (tile.value.text, tile.change.text, tile.period, tile.previous) == ("57.0%", "+5.0 pts", "Jun 2026",
                                                                             "May 2026")
    assert tile.trend.frame["value"].tolist() == [0.52, 0.57]
    assert tile.variation is None  # under 12 points: not judged yet


def test_tile_hides_a_latest_month_on_a_small_base_and_says_so():
    result = kpis.evaluate(kpis.BUILT_IN[0], monthly([("2026-01-01", 4, 20), ("2026-02-01", 3, 9)]), INTERNAL)
    tile = overview.tile(TAKEUP, result, INTERNAL)
    assert tile.value.text == "–" and tile.change.text == "–" and tile.period == "Feb 2026"
    assert tile.note.startswith("Fewer than 10 in the latest month")
    assert tile.trend.frame["value"].iloc[0] == 0.2 and np.isnan(tile.trend.frame["value"].iloc[1])


def test_a_tile_with_no_data_says_so():
    result = kpis.evaluate(kpis.BUILT_IN[0], monthly([]), INTERNAL)
    tile = overview.tile(TAKEUP, result, INTERNAL)
    assert (tile.value.text, tile.period, tile.note) == ("–", "no data", "No data for these filters.")


def test_tile_judges_the_latest_month_with_spc():
    rising = monthly([(f"2025-{m:02d}-01", 30 + m, 100) for m in range(1, 13)])
    tile = overview.tile(TAKEUP, kpis.evaluate(kpis.BUILT_IN[0], rising, INTERNAL), INTERNAL)
    assert (tile.variation, tile.side) == ("improvement", "high")


def test_formatting():
    assert [fmt_value(0.5349, "%"), fmt_value(1.5, "£"), fmt_value(3.25, "days"), fmt_value(0.5, "score"),
            fmt_value(12345, "")] == ["53%", "£1.50", "3.2 days", "+0.50", "12,345"]
    assert [fmt_change(0.012, "%"), fmt_change(-0.05, "£"), fmt_change(None, "%")] == ["+1.2 pts", "-£0.05", None]


@pytest.mark.parametrize("value", [-0.0, -0.0004])
def test_no_negative_zero(value):
    assert Policy().round_rate(value, "%") == 0.0 and str(Policy().round_rate(value, "%")) == "0.0"


def test_what_changed_says_why_it_is_empty(tmp_path, monkeypatch):
    """Only digital requests, no closures, no feedback: no headline can change, and the page says that,
    not that the date range is too short (a real FixMyStreet export, as Lewisham's)."""
    from pulse import db
    from pulse.filters import Filters
    from pulse.ingest import ingest
    from tests.conftest import TINY

    folder = tmp_path / "exports"
    folder.mkdir()
    requests = pd.read_csv(TINY / "service_requests.csv")
    requests = requests.assign(channel="online").drop(columns=["closed_at", "outcome", "due_at"])
    requests.to_csv(folder / "service_requests.csv", index=False)
    ingest(folder, tmp_path / "pulse.duckdb")
    monkeypatch.setenv("PULSE_DB", str(tmp_path / "pulse.duckdb"))
    span = db.run("date_range_overall", path=tmp_path / "pulse.duckdb").iloc[0]
    first, last = pd.Timestamp(span["min_date"]).date(), pd.Timestamp(span["max_date"]).date()
    page = overview.build(Filters(date_from=first, date_to=last), first, last)
    assert (page.changes, page.no_changes) == ((), overview.NOTHING_TO_COMPARE)
    assert not any(t.change.shown for t in page.tiles)
