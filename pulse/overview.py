"""The Overview's headline tiles and its 'what changed' sentences, from monthly KPI results."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pulse.schema import DIGITAL_CHANNELS

from pulse.formatting import fmt_change, fmt_value, month_label, quarter_label
from pulse.metrics.spc import xmr
from pulse.metrics.suppression import default_threshold, suppress_count


@dataclass(frozen=True)
class Headline:
    """One of GOV.UK's four service KPIs, as the Overview shows it."""

    query: str
    title: str
    unit: str
    higher_is_better: bool
    help: str


HEADLINES = (
    Headline("kpi_digital_takeup_by_month", "Digital take-up", "%", True,
             "Requests made online or in the app ÷ all requests (GOV.UK)."),
    Headline("kpi_completion_rate_by_month", "Completion rate", "%", True,
             "Closed requests with a successful outcome (including 'not eligible') ÷ closed requests (GOV.UK)."),
    Headline("kpi_user_satisfaction_by_month", "User satisfaction", "%", True,
             "Ratings of 4 or 5 ÷ all ratings on the 5-point scale (GOV.UK)."),
    Headline("kpi_cost_per_transaction_by_month", "Cost per transaction", "£", False,
             "Σ requests × unit cost of their channel ÷ requests (GOV.UK); unit costs on the Data page."),
)


@dataclass(frozen=True)
class Tile:
    """A headline's latest month, the month before, and its monthly series, small numbers hidden."""

    headline: Headline
    value: float | None
    change: float | None
    period: str
    previous_period: str | None
    series: pd.Series
    note: str | None = None
    variation: str | None = None
    side: str | None = None

    @property
    def shown_value(self) -> str:
        """The value as text, or a dash when there is none to show."""
        return fmt_value(self.value, self.headline.unit, 1 if self.headline.unit == "%" else None)

    @property
    def shown_change(self) -> str | None:
        """The change against the month before as text."""
        return fmt_change(self.change, self.headline.unit)


def visible(monthly: pd.DataFrame, threshold: int | None = None) -> pd.DataFrame:
    """Months whose denominator is big enough to show a rate (ONS small-number practice)."""
    threshold = default_threshold() if threshold is None else threshold
    return monthly[monthly["denominator"] >= threshold]


def tile(headline: Headline, monthly: pd.DataFrame, threshold: int | None = None) -> Tile:
    """The tile for one headline: latest month against the month before."""
    if monthly.empty:
        return Tile(headline, None, None, "no data", None, pd.Series(dtype=float), "No data for these filters.")
    shown = visible(monthly, threshold)
    latest = monthly.iloc[-1]
    series = shown.set_index("period")["value"].astype(float)
    if latest["period"] not in set(shown["period"]):
        return Tile(headline, None, None, month_label(latest["period"]), None, series,
                    f"Fewer than {default_threshold() if threshold is None else threshold} in the latest month: not shown.")
    previous = monthly[monthly["period"] < latest["period"]].tail(1)
    change = None
    previous_label = None
    if not previous.empty and previous.iloc[0]["period"] in set(shown["period"]):
        change = float(latest["value"] - previous.iloc[0]["value"])
        previous_label = month_label(previous.iloc[0]["period"])
    # Judge the latest month as Making Data Count does, not by the colour of one month's change.
    judged = xmr(series.to_numpy(), higher_is_better=headline.higher_is_better)
    return Tile(headline, float(latest["value"]), change, month_label(latest["period"]), previous_label, series,
                variation=judged.variation, side=judged.side)


def quarterly(monthly: pd.DataFrame) -> pd.DataFrame:
    """Complete calendar quarters: Σ numerator ÷ Σ denominator over their three months."""
    if monthly.empty:
        return pd.DataFrame(columns=["quarter", "numerator", "denominator", "value"])
    frame = monthly.assign(quarter=pd.to_datetime(monthly["period"]).dt.to_period("Q"))
    grouped = frame.groupby("quarter").agg(numerator=("numerator", "sum"), denominator=("denominator", "sum"),
                                           months=("period", "nunique"))
    complete = grouped[grouped["months"] == 3].drop(columns="months")
    return complete.assign(value=complete["numerator"] / complete["denominator"]).reset_index()


def change_sentence(headline: Headline, monthly: pd.DataFrame, threshold: int | None = None) -> str | None:
    """'Digital take-up rose from 48% to 53% between Q1 and Q2 2026.' for the last two full quarters."""
    threshold = default_threshold() if threshold is None else threshold
    quarters = quarterly(monthly).tail(2)
    if len(quarters) < 2 or (quarters["denominator"] < threshold).any():
        return None
    before, after = quarters.iloc[0], quarters.iloc[1]
    first, last = fmt_value(before["value"], headline.unit), fmt_value(after["value"], headline.unit)
    start = quarter_label(before["quarter"].start_time)
    end = quarter_label(after["quarter"].start_time)
    span = f"{start.split()[0]} and {end}" if start.split()[1] == end.split()[1] else f"{start} and {end}"
    if first == last:
        return f"{headline.title} held steady at {last} between {span}."
    # No verdict here: whether a movement is real or noise is the SPC icon's job, not a sentence's.
    rose = after["value"] > before["value"]
    return f"{headline.title} {'rose' if rose else 'fell'} from {first} to {last} between {span}."


def volume_sentence(by_channel: pd.DataFrame, public_safe: bool = False) -> str | None:
    """'Requests fell 4% between Q2 and Q3 2026 (61,200 to 58,750); online grew the most.'"""
    if by_channel.empty:
        return None
    monthly = by_channel.groupby("period", as_index=False)["requests"].sum()
    quarters = quarterly(monthly.assign(numerator=monthly["requests"], denominator=1)).tail(2)
    if len(quarters) < 2:
        return None
    before, after = quarters["numerator"].iloc[0], quarters["numerator"].iloc[1]
    if min(before, after) < default_threshold():
        return None  # a percentage of a suppressed count would give the count away
    start = quarter_label(quarters["quarter"].iloc[0].start_time)
    end = quarter_label(quarters["quarter"].iloc[1].start_time)
    change = (after - before) / before if before else 0
    movement = "held steady" if abs(change) < 0.005 else f"{'rose' if change > 0 else 'fell'} {abs(change):.0%}"
    frame = by_channel.assign(quarter=pd.to_datetime(by_channel["period"]).dt.to_period("Q"))
    pivot = frame[frame["quarter"].isin(quarters["quarter"])].pivot_table(
        index="channel", columns="quarter", values="requests", aggfunc="sum", fill_value=0)
    growth = pivot.iloc[:, 1] - pivot.iloc[:, 0]
    grew = growth.idxmax() if growth.max() > 0 else None
    def count(n: float) -> str:
        shown = suppress_count(int(n), public_safe=public_safe)
        return shown if isinstance(shown, str) else f"{shown:,}"

    tail = f"; {grew.replace('_', ' ')} grew the most (+{count(growth.max())})" if grew else ""
    return f"Requests {movement} between {start} and {end} ({count(before)} to {count(after)}){tail}."


def channel_title(by_channel: pd.DataFrame) -> str:
    """The channel chart's title, stating its message: how digital's share moved over the period."""
    monthly = by_channel.assign(digital=by_channel["channel"].isin(DIGITAL_CHANNELS) * by_channel["requests"])
    monthly = monthly.groupby("period", as_index=False)[["digital", "requests"]].sum()
    quarters = quarterly(monthly.rename(columns={"digital": "numerator", "requests": "denominator"}))
    if len(quarters) < 2:
        return "Requests by channel, month by month"
    first, last = quarters.iloc[0], quarters.iloc[-1]
    direction = "up" if last["value"] >= first["value"] else "down"
    return (f"Online and app carried {last['value']:.0%} of requests in {quarter_label(last['quarter'].start_time)}, "
            f"{direction} from {first['value']:.0%} in {quarter_label(first['quarter'].start_time)}")
