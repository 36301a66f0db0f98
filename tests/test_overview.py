"""The Overview's tiles and sentences: exact values from small monthly tables."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from pulse import overview
from pulse.formatting import fmt_change, fmt_value

TAKEUP = overview.HEADLINES[0]
COST = overview.HEADLINES[3]


def monthly(rows: list[tuple[str, float, float]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["period", "numerator", "denominator"])
    frame["period"] = [dt.date.fromisoformat(p) for p in frame["period"]]
    return frame.assign(value=frame["numerator"] / frame["denominator"])


SIX_MONTHS = monthly([
    ("2026-01-01", 40, 100), ("2026-02-01", 45, 100), ("2026-03-01", 59, 100),
    ("2026-04-01", 50, 100), ("2026-05-01", 52, 100), ("2026-06-01", 57, 100),
])


def test_tile_is_the_latest_month_against_the_one_before():
    tile = overview.tile(TAKEUP, SIX_MONTHS, threshold=10)
    assert (tile.value, tile.shown_value, tile.period, tile.previous_period) == (0.57, "57.0%", "Jun 2026", "May 2026")
    assert tile.shown_change == "+5.0 pts"
    assert tile.series.round(2).tolist() == [0.4, 0.45, 0.59, 0.5, 0.52, 0.57]


def test_tile_hides_rates_on_small_denominators():
    small = monthly([("2026-01-01", 4, 20), ("2026-02-01", 3, 9)])
    tile = overview.tile(TAKEUP, small, threshold=10)
    assert tile.value is None and tile.shown_value == "–"
    assert tile.note == "Fewer than 10 in the latest month: not shown."
    assert tile.series.tolist() == [0.2]
    previous_small = monthly([("2026-01-01", 4, 9), ("2026-02-01", 5, 20)])
    tile = overview.tile(TAKEUP, previous_small, threshold=10)
    assert (tile.value, tile.change, tile.previous_period) == (0.25, None, None)


def test_empty_tile_says_so():
    tile = overview.tile(TAKEUP, monthly([]), threshold=10)
    assert tile.shown_value == "–" and tile.note == "No data for these filters."


def test_quarters_pool_numerators_and_denominators():
    uneven = monthly([("2026-01-01", 1, 10), ("2026-02-01", 9, 10), ("2026-03-01", 90, 100), ("2026-04-01", 5, 10)])
    quarters = overview.quarterly(uneven)
    assert quarters["quarter"].astype(str).tolist() == ["2026Q1"]  # Q2 has one month: incomplete
    assert quarters[["numerator", "denominator"]].values.tolist() == [[100, 120]]
    assert round(float(quarters["value"].iloc[0]), 4) == 0.8333


def test_what_changed_sentences():
    # Q1: 144/300 = 48%; Q2: 159/300 = 53%.
    assert overview.change_sentence(TAKEUP, SIX_MONTHS, threshold=10) == (
        "Digital take-up rose from 48% to 53% between Q1 and Q2 2026.")
    cost = monthly([("2025-10-01", 200, 100), ("2025-11-01", 200, 100), ("2025-12-01", 200, 100),
                    ("2026-01-01", 180, 100), ("2026-02-01", 180, 100), ("2026-03-01", 183, 100)])
    assert overview.change_sentence(COST, cost, threshold=10) == (
        "Cost per transaction fell from £2.00 to £1.81 between Q4 2025 and Q1 2026.")
    flat = monthly([(p, 50, 100) for p in SIX_MONTHS["period"].astype(str)])
    assert overview.change_sentence(TAKEUP, flat, threshold=10) == "Digital take-up held steady at 50% between Q1 and Q2 2026."
    assert overview.change_sentence(TAKEUP, SIX_MONTHS.head(5), threshold=10) is None


def test_volume_sentence():
    rows = []
    for month, online, phone in (("2026-01-01", 100, 200), ("2026-02-01", 100, 200), ("2026-03-01", 100, 200),
                                 ("2026-04-01", 150, 180), ("2026-05-01", 150, 180), ("2026-06-01", 150, 180)):
        rows += [(dt.date.fromisoformat(month), "online", online), (dt.date.fromisoformat(month), "phone", phone)]
    frame = pd.DataFrame(rows, columns=["period", "channel", "requests"])
    assert overview.volume_sentence(frame) == (
        "Requests rose 10% between Q1 2026 and Q2 2026 (900 to 990); online grew the most (+150).")
    # Public-safe: counts to the nearest 5, and a count under 10 is never shown.
    frame.loc[frame["channel"] == "phone", "requests"] += 1
    assert overview.volume_sentence(frame, public_safe=True) == (
        "Requests rose 10% between Q1 2026 and Q2 2026 (905 to 995); online grew the most (+150).")
    tiny = frame.assign(requests=frame["requests"] // 100)
    assert overview.volume_sentence(tiny) is None


def test_formatting():
    assert [fmt_value(0.5349, "%"), fmt_value(1.5, "£"), fmt_value(3.25, "days"), fmt_value(0.5, "score"),
            fmt_value(12345, "")] == ["53%", "£1.50", "3.2 days", "+0.50", "12,345"]
    assert [fmt_change(0.012, "%"), fmt_change(-0.05, "£"), fmt_change(None, "%")] == ["+1.2 pts", "-£0.05", None]


def test_tile_judges_the_latest_month_with_spc():
    # Twelve months rising every month: a trend (rule 3), an improvement when higher is better.
    rising = monthly([(f"2025-{m:02d}-01", 30 + m, 100) for m in range(1, 13)])
    tile = overview.tile(TAKEUP, rising, threshold=10)
    assert (tile.variation, tile.side) == ("improvement", "high")
    cost = overview.tile(COST, rising, threshold=10)
    assert (cost.variation, cost.side) == ("concern", "high")
    flat = monthly([(f"2025-{m:02d}-01", 50 + (m % 2), 100) for m in range(1, 13)])
    assert overview.tile(TAKEUP, flat, threshold=10).variation == "common_cause"
    assert overview.tile(TAKEUP, SIX_MONTHS, threshold=10).variation is None  # under 12 points


def test_channel_chart_title_states_the_message():
    rows = []
    for month, online, phone in (("2026-01-01", 40, 60), ("2026-02-01", 40, 60), ("2026-03-01", 40, 60),
                                 ("2026-04-01", 55, 45), ("2026-05-01", 55, 45), ("2026-06-01", 55, 45),
                                 ("2026-07-01", 90, 10)):
        rows += [(dt.date.fromisoformat(month), "online", online), (dt.date.fromisoformat(month), "phone", phone)]
    frame = pd.DataFrame(rows, columns=["period", "channel", "requests"])
    assert overview.channel_title(frame) == "Online and app carried 55% of requests in Q2 2026, up from 40% in Q1 2026"
    assert overview.channel_title(frame.head(6)) == "Requests by channel, month by month"
