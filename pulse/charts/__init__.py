"""Altair and pydeck builders: data in, chart object out. One module per page area."""

from __future__ import annotations

import altair as alt
import pandas as pd

# Colour-blind-safe categorical palette (Okabe–Ito), one colour per canonical channel.
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


def requests_by_channel(frame: pd.DataFrame, title: str) -> alt.Chart:
    """Stacked area of requests per month by channel; the title states the message."""
    data = frame.assign(channel_label=frame["channel"].str.replace("_", " "))
    present = [c for c in CHANNEL_COLOURS if c in set(frame["channel"])]
    labels = [c.replace("_", " ") for c in present]
    return (
        alt.Chart(data, title=title)
        .mark_area(opacity=0.9)
        .encode(
            x=alt.X("yearmonth(period):T", title=None),
            y=alt.Y("sum(requests):Q", title="Requests per month", stack="zero"),
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
                alt.Tooltip("sum(requests):Q", title="Requests", format=","),
            ],
        )
        .transform_calculate(channel_order=f"indexof({present!r}, datum.channel)")
        .properties(height=320)
    )
