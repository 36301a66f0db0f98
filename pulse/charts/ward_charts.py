"""The ward page's Altair charts, each drawn from a published Table: a ward's quarterly trends, its
channel mix and top services against the borough's, and every ward against deprivation.

The figures travel inside the chart's own spec (Vega-Lite `data.values`), not as a named dataset
whose name is a hash of them: what reaches the browser is exactly the published table.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from pulse.disclosure import Chart, Sentence, Table, join

WARD_BLUE, BOROUGH_GREY, CHOSEN = "#0072B2", "#999999", "#D55E00"


def inline(chart: alt.TopLevelMixin) -> dict:
    """The chart's Vega-Lite spec with its data written into `data.values`."""
    # Built by the functions below from fixed encodings: validating the schema each time costs more than it tells.
    spec = chart.to_dict(validate=False)
    datasets = spec.pop("datasets", {})
    name = spec.get("data", {}).get("name")
    if name in datasets:
        spec["data"] = {"values": datasets.pop(name)}
    if datasets:
        spec["datasets"] = datasets
    return spec


def _axis(unit: str) -> alt.Axis:
    """A percentage axis for shares, tenths for days, whole numbers otherwise (never 1.2e+3)."""
    return alt.Axis(format={"%": ".0%", "days": ",.1f"}.get(unit, ",.0f"))


def trend_chart(table: Table, measure: str, unit: str, title: Sentence) -> Chart:
    """A ward's quarterly figure against the borough's (period, series, value); hidden quarters left out."""
    data = table.frame.dropna(subset=["value"])
    data = data.assign(quarter=pd.to_datetime(data["period"]).dt.strftime("%Y-%m-%d"))
    # At least 20 points of scale, so that a few points of quarter-to-quarter noise do not look like a trend.
    low, high = (float(data["value"].min()), float(data["value"].max())) if len(data) else (0.0, 1.0)
    middle, half = (low + high) / 2, max((high - low) / 2 + 0.02, 0.1)
    domain = [max(0.0, round(middle - half, 2)), min(1.0, round(middle + half, 2))]
    chart = (
        alt.Chart(data[["quarter", "series", "value", "value_text"]], title=title)
        .mark_line(point=True)
        .encode(
            x=alt.X("quarter:T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=0, tickCount=4)),
            y=alt.Y("value:Q", title=None, axis=_axis(unit), scale=alt.Scale(domain=domain, nice=False)),
            color=alt.Color("series:N", title=None, scale=alt.Scale(domain=["Ward", "Borough"],
                                                                    range=[WARD_BLUE, BOROUGH_GREY]),
                            legend=alt.Legend(orient="top")),
            strokeDash=alt.StrokeDash("series:N", title=None, scale=alt.Scale(domain=["Ward", "Borough"],
                                                                              range=[[1, 0], [4, 3]])),
            tooltip=[alt.Tooltip("quarter:T", title="Quarter starting", format="%b %Y"),
                     alt.Tooltip("series:N", title=""), alt.Tooltip("value_text:N", title=measure)],
        )
        .properties(height=270)
    )
    alt_text = join([title, "The ward's figure each quarter against the whole borough's; a quarter resting on too "
                            "few to show is left out."], sep=". ")
    return Chart(inline(chart), alt_text, table)


def mix_chart(table: Table, key: str, title: Sentence) -> Chart:
    """The ward's share beside the borough's for each channel or service; hidden shares are not drawn."""
    frame = table.frame
    label = {"channel": "Channel", "service": "Service"}[key]
    long = pd.concat([
        pd.DataFrame({key: frame[key], "of": "Ward", "share": frame["ward"], "text": frame["ward_text"]}),
        pd.DataFrame({key: frame[key], "of": "Borough", "share": frame["borough"], "text": frame["borough_text"]}),
    ]).dropna(subset=["share"])
    order = list(frame[key])
    chart = (
        alt.Chart(long, title=title)
        .mark_bar()
        .encode(
            y=alt.Y(f"{key}:N", title=None, sort=order, axis=alt.Axis(labelLimit=220)),
            yOffset=alt.YOffset("of:N", sort=["Ward", "Borough"]),
            x=alt.X("share:Q", title="Share of requests", axis=alt.Axis(format="%")),
            color=alt.Color("of:N", title=None, scale=alt.Scale(domain=["Ward", "Borough"],
                                                                range=[WARD_BLUE, "#BBBBBB"]),
                            legend=alt.Legend(orient="top")),
            tooltip=[alt.Tooltip(f"{key}:N", title=label), alt.Tooltip("of:N", title=""),
                     alt.Tooltip("text:N", title="Share")],
        )
        .properties(height=160 + 34 * len(order))
    )
    alt_text = join([title, "Each bar is a share of the ward's (or the borough's) requests; a share resting on too "
                            "few requests to show is not drawn."], sep=". ")
    return Chart(inline(chart), alt_text, table)


def deprivation_scatter(table: Table, label: str, unit: str, selected: str | None, title: Sentence) -> Chart:
    """Each ward's published figure against its IMD decile (ward_name, imd_decile, value), the chosen ward ringed."""
    data = table.frame.assign(chosen=lambda f: f["ward_code"] == selected)
    dots = alt.Chart(data, title=title).mark_circle(size=110, opacity=0.85).encode(
        x=alt.X("imd_decile:Q", title="IMD decile", scale=alt.Scale(domain=[0.5, 10.5]),
                axis=alt.Axis(values=list(range(1, 11)))),
        y=alt.Y("value:Q", title=label, axis=_axis(unit), scale=alt.Scale(zero=False)),
        color=alt.condition("datum.chosen", alt.value(CHOSEN), alt.value(WARD_BLUE)),
        tooltip=[alt.Tooltip("ward_name:N", title="Ward"), alt.Tooltip("imd_decile:Q", title="IMD decile"),
                 alt.Tooltip("value_text:N", title=label)],
    )
    alt_text = join([title, "Each dot is a ward whose figure can be shown, placed by its deprivation decile."],
                    sep=". ")
    return Chart(inline(dots.properties(height=360)), alt_text, table)
