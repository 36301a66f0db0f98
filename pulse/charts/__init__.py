"""Altair and pydeck builders: data in, chart object out. One module per page area."""

from __future__ import annotations

import altair as alt
import pandas as pd

from pulse.disclosure import Chart, Sentence, Table, counts_as_numbers, join

# Colour-blind-safe categorical palette (Okabe–Ito), one colour per canonical channel.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000"]


@alt.theme.register("pulse", enable=True)
def pulse_theme() -> alt.theme.ThemeConfig:
    """Every chart: colour-blind-safe colours by default, and marks hidden from screen readers, because
    each chart is read out as one picture with its sentence (description) and has its figures as a table."""
    return {"config": {"mark": {"aria": False}, "range": {"category": OKABE_ITO}}}


CHANNEL_COLOURS = {
    "online": "#0072B2",
    "app": "#56B4E9",
    "phone": "#E69F00",
    "face_to_face": "#D55E00",
    "email": "#009E73",
    "post": "#CC79A7",
    "social": "#F0E442",
    "other": "#999999",
}


def requests_by_channel(cells: Table, title: Sentence) -> Chart:
    """Stacked columns of requests per month by channel; hidden cells ("[c]") are not drawn at all."""
    frame = cells.frame
    data = frame.assign(requests=counts_as_numbers(frame["requests"]),
                        shown=frame["requests"].map(lambda v: v if isinstance(v, str) else f"{int(v):,}"),
                        channel_label=frame["channel"].str.replace("_", " "))
    drawn = data[data["requests"].notna()]
    present = [c for c in CHANNEL_COLOURS if c in set(frame["channel"])]
    labels = [c.replace("_", " ") for c in present]
    chart = (
        alt.Chart(drawn[["period", "channel", "channel_label", "requests", "shown"]], title=title)
        .mark_bar()
        .encode(
            x=alt.X("yearmonth(period):T", title=None),
            y=alt.Y("requests:Q", title="Requests per month", stack="zero"),
            color=alt.Color(
                "channel_label:N",
                title="Channel",
                scale=alt.Scale(domain=labels, range=[CHANNEL_COLOURS[c] for c in present]),
                sort=labels,
            ),
            order=alt.Order("channel_order:Q"),
            tooltip=[
                alt.Tooltip("yearmonth(period):T", title="Month"),
                alt.Tooltip("channel_label:N", title="Channel"),
                alt.Tooltip("shown:N", title="Requests"),
            ],
        )
        .transform_calculate(channel_order=f"indexof({present!r}, datum.channel)")
        .properties(height=320, description=str(title))
    )
    alt_text = join([title, "Requests made each month through each channel; a cell shown as [c] rests on "
                                  "too few requests to show and is not drawn."], sep=". ")
    return Chart(chart, alt_text, cells)


def trend_line(trend: Table, column: str, label: str) -> dict:
    """A headline's small trend line (no axes, a gap where a month is hidden), read out as one picture.

    A Vega-Lite spec with its values inline: Streamlit passes them as the chart's data, so the spec
    itself carries no name made from the figures (which would change with any rounding of them).
    """
    frame = trend.frame
    values = [{"period": pd.Timestamp(p).strftime("%Y-%m-%d"), "value": None if pd.isna(v) else float(v)}
              for p, v in zip(frame["period"], frame[column])]
    return {
        "description": f"{label}: the trend, month by month",
        "data": {"values": values},
        "mark": {"type": "line", "color": "#505a5f", "strokeWidth": 2, "invalid": "break-paths-show-domains",
                 "aria": False},
        "encoding": {"x": {"field": "period", "type": "temporal", "axis": None},
                     "y": {"field": "value", "type": "quantitative", "axis": None, "scale": {"zero": False}}},
        "config": {"view": {"stroke": None}},
    }
