"""XmR charts as Making Data Count draws them: data in, chart out.

Colours are the Making Data Count ones as pulse.icons draws them (blue improvement, orange concern,
purple neutral, grey common cause), and never carry the meaning alone: each kind of point has its
own shape, the legend names it, and the tooltip says which rule fired.
"""

from __future__ import annotations

import json
from collections.abc import Callable

import altair as alt
import pandas as pd

from pulse.disclosure import LABEL, TEXT, Chart, Sentence, Table, join
from pulse.icons import BLUE, GREY, LIGHT_GREY, ORANGE, PURPLE

INK = "#0b0c0c"
TARGET = "#d4351c"  # GOV.UK red, dashed and labelled so that it does not rely on colour
BREAK = "break-paths-show-domains"  # a line stops at a missing period instead of bridging it
STATUSES = ("Common cause", "Improvement", "Concern", "Neutral")
STATUS_OF = {None: "Common cause", "improvement": "Improvement", "concern": "Concern", "neutral": "Neutral"}
COLOURS = (GREY, BLUE, ORANGE, PURPLE)
SHAPES = ("circle", "diamond", "square", "triangle-up")
UNMARKED = "Value"  # a point drawn without a special-cause mark (public-safe figures)


def axis_format(unit: str) -> dict:
    """Vega-Lite axis settings that write values in the KPI's unit."""
    if unit == "%":
        return {"format": ".0%"}
    if unit == "£":
        return {"labelExpr": "'£' + format(datum.value, ',.2f')"}
    if unit == "score":
        return {"format": "+.2f"}
    if unit == "days":
        return {"format": ",.1f"}
    return {"format": ",~r"}


def xmr_chart(
    points: pd.DataFrame,
    *,
    title: str,
    unit: str,
    fmt: Callable[[float | None], str],
    target: float | None = None,
    events: pd.DataFrame | None = None,
    height: int = 340,
    marked: bool = True,
) -> alt.LayerChart:
    """An XmR chart: values coloured and shaped by special cause (unless not `marked`), mean, limits, target
    and events."""
    data = points.reset_index(names="period").assign(period=lambda f: pd.to_datetime(f["period"]))
    data = data.assign(
        status=[STATUS_OF.get(c, "Common cause") if marked else UNMARKED for c in data["special_cause"]],
        fired=[r or "none" for r in data["rules"]],
        value_text=[fmt(v) for v in data["value"]],
        mean_text=[fmt(v) for v in data["mean"]],
        limits_text=[f"{fmt(lo)} to {fmt(hi)}" for lo, hi in zip(data["lower"], data["upper"])],
    )
    y_axis = alt.Axis(title=None, grid=True, **axis_format(unit))
    x = alt.X("period:T", title=None, axis=alt.Axis(format="%b %y", labelAngle=0, tickCount=8, grid=False))
    # The layers share the chart's data (given once, to alt.layer below): Altair then converts the frame once,
    # not once per layer (a third of the time of building the chart).
    base = alt.Chart()
    limits = base.transform_filter("datum.lower != null")
    # Channels are given as objects, never as "field:type" strings or alt.value(): Altair validates a string or a
    # dict against the Vega-Lite schema on every encode, which was half the time of building the chart.
    part = alt.Detail("part:N")
    band = limits.mark_area(opacity=0.08, color=GREY).encode(x=x, y=alt.Y("lower:Q", axis=y_axis), y2=alt.Y2("upper"),
                                                             detail=part)
    mean = base.mark_line(color=GREY, strokeWidth=1.5, invalid=BREAK).encode(x=x, y=alt.Y("mean:Q"), detail=part)
    lower = limits.mark_line(color=GREY, strokeDash=[5, 4], strokeWidth=1).encode(x=x, y=alt.Y("lower:Q"),
                                                                                  detail=part)
    upper = limits.mark_line(color=GREY, strokeDash=[5, 4], strokeWidth=1).encode(x=x, y=alt.Y("upper:Q"),
                                                                                  detail=part)
    line = base.mark_line(color=LIGHT_GREY, strokeWidth=1.5, invalid=BREAK).encode(x=x, y=alt.Y("value:Q"),
                                                                                  detail=part)
    statuses, colours, shapes = (STATUSES, COLOURS, SHAPES) if marked else ((UNMARKED,), (GREY,), ("circle",))
    judged = [alt.Tooltip("status:N", title="Variation"), alt.Tooltip("fired:N", title="Rule fired")] if marked else []
    dots = base.transform_filter("datum.value != null").mark_point(filled=True, size=70, opacity=1).encode(
        x=x,
        y=alt.Y("value:Q", axis=y_axis, scale=alt.Scale(zero=False)),
        color=alt.Color("status:N", title=None, scale=alt.Scale(domain=list(statuses), range=list(colours)),
                        legend=alt.Legend(orient="top", direction="horizontal") if marked else None),
        shape=alt.Shape("status:N", title=None, scale=alt.Scale(domain=list(statuses), range=list(shapes)),
                        legend=None if not marked else alt.Undefined),
        tooltip=[
            alt.Tooltip("yearmonth(period):T", title="Month"),
            alt.Tooltip("value_text:N", title="Value"),
            *judged,
            alt.Tooltip("mean_text:N", title="Mean"),
            alt.Tooltip("limits_text:N", title="Process limits"),
        ],
    )
    layers = [band, lower, upper, mean, line]
    if target is not None and not pd.isna(target):
        goal = alt.Chart(pd.DataFrame({"target": [target], "label": [f"Target {fmt(target)}"]}))
        layers.append(goal.mark_rule(color=TARGET, strokeDash=[8, 4], strokeWidth=1.5).encode(y=alt.Y("target:Q")))
        layers.append(goal.mark_text(align="left", dx=4, dy=-6, color=TARGET, fontWeight="bold").encode(
            y=alt.Y("target:Q"), x=alt.XValue(0), text=alt.Text("label:N")))
    subtitle = []
    if events is not None and not events.empty:
        marks = events.assign(date=pd.to_datetime(events["date"]))[["date", "label"]]
        marks = marks[(marks["date"] >= data["period"].min()) & (marks["date"] <= data["period"].max()
                                                                 + pd.offsets.MonthEnd(0))].reset_index(drop=True)
        if not marks.empty:
            # Numbers above the rules, named in the subtitle: long labels on the plot would hide points.
            marks = marks.assign(number=[str(i + 1) for i in range(len(marks))])
            subtitle = _lines([f"{n}: {t} ({d:%-d %b %Y})" for n, d, t in zip(marks["number"], marks["date"],
                                                                               marks["label"])])
            rule = alt.Chart(marks).encode(x=alt.X("date:T"), tooltip=[
                alt.Tooltip("date:T", title="Event", format="%-d %b %Y"), alt.Tooltip("label:N", title="What")])
            layers.append(rule.mark_rule(color=INK, strokeDash=[2, 3], strokeWidth=1.2))
            layers.append(rule.mark_text(baseline="bottom", dy=-2, color=INK, fontWeight="bold", fontSize=12)
                          .encode(y=alt.YValue(0), text=alt.Text("number:N")))
    layers.append(dots)
    heading = alt.Title(title, subtitle=subtitle, subtitleColor=GREY, anchor="start", offset=14)
    return alt.layer(*layers, data=data).properties(title=heading, height=height).resolve_scale(y="shared")


def _lines(items: list[str], width: int = 120) -> list[str]:
    """Items joined with separators into lines of at most about `width` characters."""
    lines: list[str] = []
    for item in items:
        if lines and len(lines[-1]) + len(item) + 5 <= width:
            lines[-1] += "   ·   " + item
        else:
            lines.append(item)
    return lines


def published_xmr(points: Table, *, title: Sentence, unit: str, fmt: Callable[[float | None], str],
                  target: float | None = None, events: pd.DataFrame | None = None, height: int = 340,
                  note: Sentence | None = None, marked: bool = True) -> Chart:
    """An XmR chart drawn from a published table of points, as a Vega-Lite spec with its figures beside it.

    `points` has period, value, part, mean, lower, upper, special_cause and rules, every figure already at
    display precision. The spec is made once (a page caches it) and its datasets get names that depend
    on the chart's shape, not on its figures, so two views differing by one display step differ only there.
    Unless `marked`, points are drawn without their special-cause marks.
    """
    frame = points.frame.set_index("period")
    chart = xmr_chart(frame, title=str(title), unit=unit, fmt=fmt, target=target, events=events, height=height,
                      marked=marked)
    # Not validated against the Vega-Lite schema each time (a tenth of a second): the tests validate this chart.
    spec = chart.to_dict(validate=False)
    spec.pop("config", None)  # Altair's default theme; Streamlit applies its own
    text = json.dumps(spec)
    for number, name in enumerate(spec.get("datasets", {})):
        text = text.replace(json.dumps(name), json.dumps(f"pulse_dataset_{number}"))
    shown = frame.reset_index()
    figures = pd.DataFrame({
        "Month": shown["period"].dt.strftime("%b %Y"),
        "Value": [fmt(v) for v in shown["value"]],
        "Variation": [STATUS_OF.get(c, "Common cause") if not pd.isna(v) else "Not shown"
                      for c, v in zip(shown["special_cause"], shown["value"])],
        "Mean": [fmt(v) for v in shown["mean"]],
        "Process limits": [f"{fmt(lo)} to {fmt(hi)}" if not pd.isna(lo) else "–"
                           for lo, hi in zip(shown["lower"], shown["upper"])],
    })
    kinds = {"Month": LABEL, "Value": TEXT, "Variation": LABEL, "Mean": TEXT, "Process limits": TEXT}
    if not marked:
        figures, kinds = figures.drop(columns="Variation"), {k: v for k, v in kinds.items() if k != "Variation"}
    table = Table(figures, kinds)
    about = Sentence("Each point is one period's value; the grey line is the mean and the dashed lines the process "
                     "limits; special causes are coloured and shaped by kind; a period not shown is a gap." if marked
                     else "Each point is one period's value; the grey line is the mean and the dashed lines the "
                     "process limits; a period not shown is a gap.")
    return Chart(json.loads(text), join([title, *([note] if note else []), about], sep=". "), table)
