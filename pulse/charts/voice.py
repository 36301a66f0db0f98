"""Resident voice charts, as Vega-Lite specifications drawn only from published Tables.

Written as dictionaries rather than through Altair: the page makes several on a cold run, and the
figures in them are exactly those of the Tables they come from (values at display precision,
hidden ones left out), so nothing reaches the browser that the gate did not publish.
"""

from __future__ import annotations

import math

import pandas as pd

from pulse.charts.spc import STATUS_OF, axis_format
from pulse.disclosure import Chart, Sentence, Table, join, reference, sentence
from pulse.icons import BLACK, BLUE, GREY, LIGHT_GREY, ORANGE, PURPLE

STATUSES = {"Common cause": GREY, "Improvement": BLUE, "Concern": ORANGE, "Neutral": PURPLE}
SHAPES = {"Common cause": "circle", "Improvement": "diamond", "Concern": "square", "Neutral": "triangle-up"}
FEELINGS = {"Positive": BLUE, "Neutral": LIGHT_GREY, "Negative": ORANGE, "Not shown": "#dddddd"}
# Okabe–Ito, colour-blind safe, for up to seven themes on one trend.
THEME_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
BREAK = {"invalid": "break-paths-show-domains"}


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows as JSON-ready dicts: dates as ISO text, missing values as null."""
    out = []
    for row in frame.to_dict("records"):
        clean = {}
        for key, value in row.items():
            if isinstance(value, pd.Timestamp):
                value = value.strftime("%Y-%m-%d")
            elif isinstance(value, float) and math.isnan(value):
                value = None
            clean[key] = value
        out.append(clean)
    return out


def _actions(actions: Table | None, first: pd.Timestamp, last: pd.Timestamp) -> list[dict]:
    """The actions within the chart's months as numbered rules (numbered as actions_legend numbers them)."""
    if actions is None or actions.empty:
        return []
    frame = actions.frame.assign(number=[str(i + 1) for i in range(len(actions))])
    dates = pd.to_datetime(frame["date"])
    inside = frame[(dates >= first) & (dates <= last + pd.offsets.MonthEnd(0))]
    marks = pd.DataFrame({"date": pd.to_datetime(inside["date"]), "number": inside["number"],
                          "what": inside["What we did"]})
    return _records(marks)


def actions_legend(actions: Table | None) -> Sentence | None:
    """What the numbered dotted lines on the trends are: '1: … (4 Nov 2024) · 2: …'."""
    if actions is None or actions.empty:
        return None
    frame = actions.frame
    items = [sentence("**{n}** {what} ({when})", n=reference(i + 1), what=what, when=when)
             for i, (what, when) in enumerate(zip(frame["What we did"], frame["When"]))]
    return join([Sentence("Dotted lines (you said, we did):"), join(items, sep="  ·  ")])


def _action_layers(marks: list[dict]) -> list[dict]:
    if not marks:
        return []
    rule = {"data": {"values": marks}, "encoding": {
        "x": {"field": "date", "type": "temporal"},
        "tooltip": [{"field": "date", "type": "temporal", "title": "You said, we did", "format": "%-d %b %Y"},
                    {"field": "what", "type": "nominal", "title": "What we did"}]}}
    return [{**rule, "mark": {"type": "rule", "color": BLACK, "strokeDash": [2, 3], "strokeWidth": 1.2}},
            {**rule, "mark": {"type": "text", "baseline": "top", "dy": 2, "dx": 5, "color": BLACK, "fontWeight": "bold",
                              "fontSize": 12},
             "encoding": {**rule["encoding"], "y": {"value": 0}, "text": {"field": "number"}}}]


def satisfaction_xmr(points: Table, title: Sentence, unit: str, actions: Table | None, marked: bool,
                     height: int = 260) -> Chart:
    """An XmR chart of a satisfaction measure: each month's value (shaped and coloured by special cause when
    `marked`), the mean, the process limits, and "you said, we did" actions as numbered rules."""
    frame = points.frame
    data = _records(frame)
    first, last = pd.Timestamp(frame["period"].min()), pd.Timestamp(frame["period"].max())
    marks = _actions(actions, first, last)
    axis = {"title": None, "grid": True, "tickCount": 5, **(axis_format(unit) if unit == "%" else {"format": ".2f"})}
    x = {"field": "period", "type": "temporal", "title": None,
         "axis": {"format": "%b %y", "labelAngle": 0, "tickCount": 8, "grid": False}}
    y = {"type": "quantitative", "axis": axis, "scale": {"zero": False}}
    statuses = list(STATUSES) if marked else ["Value"]
    colours = list(STATUSES.values()) if marked else [GREY]
    tooltip = [{"field": "period", "type": "temporal", "title": "Month", "format": "%b %Y"},
               {"field": "value_text", "type": "nominal", "title": "Value"},
               *([{"field": "status", "type": "nominal", "title": "Variation"}] if marked else []),
               {"field": "mean_text", "type": "nominal", "title": "Mean"},
               {"field": "limits_text", "type": "nominal", "title": "Process limits"}]
    layers = [
        {"mark": {"type": "area", "opacity": 0.08, "color": GREY}, "transform": [{"filter": "datum.lower != null"}],
         "encoding": {"x": x, "y": {**y, "field": "lower"}, "y2": {"field": "upper"}, "detail": {"field": "part"}}},
        *({"mark": {"type": "line", "color": GREY, "strokeDash": [5, 4], "strokeWidth": 1, **BREAK},
           "encoding": {"x": x, "y": {**y, "field": limit}, "detail": {"field": "part"}}} for limit in ("lower", "upper")),
        {"mark": {"type": "line", "color": GREY, "strokeWidth": 1.5, **BREAK},
         "encoding": {"x": x, "y": {**y, "field": "mean"}, "detail": {"field": "part"}}},
        {"mark": {"type": "line", "color": LIGHT_GREY, "strokeWidth": 1.5, **BREAK},
         "encoding": {"x": x, "y": {**y, "field": "value"}, "detail": {"field": "part"}}},
        *_action_layers(marks),
        {"mark": {"type": "point", "filled": True, "size": 60, "opacity": 1},
         "transform": [{"filter": "datum.value != null"}],
         "encoding": {"x": x, "y": {**y, "field": "value"},
                      "color": {"field": "status", "type": "nominal", "title": None,
                                "scale": {"domain": statuses, "range": colours},
                                "legend": {"orient": "top", "direction": "horizontal"} if marked else None},
                      "shape": {"field": "status", "type": "nominal", "title": None,
                                "scale": {"domain": statuses, "range": [SHAPES.get(s, "circle") for s in statuses]},
                                "legend": None},
                      "tooltip": tooltip}},
    ]
    spec = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "data": {"values": data},
            "title": {"text": str(title), "anchor": "start", "offset": 10},
            "height": height, "autosize": {"type": "fit-x", "contains": "padding"}, "layer": layers}
    about = Sentence("Each point is one month's value; the grey line is the mean and the dashed lines the process "
                     "limits; numbered dotted lines are changes the council made (you said, we did); a month not "
                     "shown is a gap.")
    shown = frame[["period", "value_text", "mean_text", "limits_text"] + (["status"] if marked else [])]
    table = Table(shown.assign(period=pd.to_datetime(shown["period"]).dt.strftime("%b %Y")).rename(columns={
        "period": "Month", "value_text": "Value", "mean_text": "Mean", "limits_text": "Process limits",
        "status": "Variation"}), {"Month": "label", "Value": "text", "Mean": "text", "Process limits": "text",
                                  "Variation": "label"} if marked else
        {"Month": "label", "Value": "text", "Mean": "text", "Process limits": "text"})
    return Chart(spec, join([title, about], sep=". "), table)


def status_label(special_cause: object) -> str:
    """The legend's word for a point's special cause."""
    return STATUS_OF.get(special_cause if isinstance(special_cause, str) else None, "Common cause")


def distribution_chart(table: Table, title: Sentence) -> Chart:
    """Columns of responses per rating value; a value whose count is hidden is left out."""
    frame = table.frame
    frame = frame[frame["Rating"] != "All responses"]
    drawn = frame.assign(responses=pd.to_numeric(frame["Responses"].where(frame["Responses"] != "[c]"),
                                                 errors="coerce"))
    order = list(drawn["Rating"])
    scales = [s for s in ("5-point scale", "Band only") if s in set(drawn["Scale"])]
    spec = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json",
            "data": {"values": _records(drawn[["Rating", "Scale", "responses", "Share"]].dropna(subset=["responses"]))},
            "title": {"text": str(title), "anchor": "start"}, "height": 300,
            "mark": {"type": "bar", "color": BLUE},
            "encoding": {"x": {"field": "Rating", "type": "nominal", "sort": order, "title": None,
                               "axis": {"labelAngle": 0}},
                         "y": {"field": "responses", "type": "quantitative", "title": "Responses"},
                         "color": {"field": "Scale", "type": "nominal", "title": None,
                                   "scale": {"domain": scales, "range": [BLUE, LIGHT_GREY][:len(scales)]},
                                   "legend": {"orient": "top"} if len(scales) > 1 else None},
                         "tooltip": [{"field": "Rating", "title": "Rating"},
                                     {"field": "responses", "title": "Responses", "format": ","},
                                     {"field": "Share", "title": "Share"}]}}
    about = Sentence("Responses at each point of the 5-point scale, then those given only as good, average or poor; "
                     "a count shown as [c] is too small to show and is not drawn.")
    return Chart(spec, join([title, about], sep=". "), table.select(columns=["Rating", "Share", "Responses"]))


def ward_chart(table: Table, title: Sentence, left_out: tuple[str, ...] = ()) -> Chart:
    """A dot per ward of its user satisfaction, lowest first, against a line at the view's own figure (the
    table's last row); wards whose figure is hidden, and rows named in `left_out`, are not drawn."""
    frame = table.frame
    label = frame.columns[0]
    every = frame.iloc[-1]
    wards = frame.iloc[:-1]
    drawn = wards[wards["user_value"].notna() & ~wards[label].isin(left_out)]
    records = _records(drawn[[label, "user_value", "User satisfaction", "Responses"]].assign(
        Responses=drawn["Responses"].astype(str)))
    x = {"field": "user_value", "type": "quantitative", "title": "User satisfaction (rated 4 or 5)",
         "axis": {"format": ".0%", "tickCount": 6}, "scale": {"zero": False, "padding": 12}}
    layers = [{"mark": {"type": "circle", "size": 90, "color": BLUE, "opacity": 1},
               "encoding": {"y": {"field": label, "type": "nominal", "title": None, "sort": {"field": "user_value"},
                                  "axis": {"labelLimit": 200, "grid": True}},
                            "x": x,
                            "tooltip": [{"field": label}, {"field": "User satisfaction"},
                                        {"field": "Responses", "title": "Responses"}]}}]
    if not pd.isna(every["user_value"]):
        layers.append({"data": {"values": [{"value": every["user_value"], "text": every["User satisfaction"]}]},
                       "mark": {"type": "rule", "color": BLACK, "strokeDash": [4, 3]},
                       "encoding": {"x": {"field": "value", "type": "quantitative"},
                                    "tooltip": [{"field": "text", "title": "All responses in view"}]}})
    spec = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "data": {"values": records},
            "title": {"text": str(title), "anchor": "start"}, "height": {"step": 22}, "layer": layers}
    about = Sentence("User satisfaction in each ward, lowest first, against a dashed line at all responses in view; "
                     "a ward whose figure rests on too few ratings is left out.")
    return Chart(spec, join([title, about], sep=". "), table.select(columns=[label, "User satisfaction", "Responses"]))


def theme_bars(table: Table, title: Sentence) -> Chart:
    """Bars of comments per theme, most mentioned first, coloured by the theme's mean feeling."""
    frame = table.frame
    drawn = frame[frame["comments_value"].notna()]
    feelings = [f for f in FEELINGS if f in set(drawn["Feeling"].replace("–", "Not shown"))]
    spec = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json",
            "data": {"values": _records(drawn[["Theme", "comments_value", "Share of comments", "Mean sentiment",
                                               "Feeling", "Satisfied"]].replace({"Feeling": {"–": "Not shown"}}))},
            "title": {"text": str(title).split("; "), "anchor": "start"}, "height": {"step": 20},
            "mark": {"type": "bar"},
            "encoding": {"y": {"field": "Theme", "type": "nominal", "title": None,
                               "sort": {"field": "comments_value", "order": "descending"},
                               "axis": {"labelLimit": 260}},
                         "x": {"field": "comments_value", "type": "quantitative", "title": "Comments",
                               "axis": {"tickCount": 6, "format": ",d"}},
                         "color": {"field": "Feeling", "type": "nominal", "title": "Mean feeling",
                                   "scale": {"domain": feelings, "range": [FEELINGS[f] for f in feelings]},
                                   "legend": {"orient": "top"}},
                         "tooltip": [{"field": "Theme"}, {"field": "comments_value", "title": "Comments",
                                                          "format": ","},
                                     {"field": "Share of comments"}, {"field": "Mean sentiment"},
                                     {"field": "Satisfied", "title": "Rated 4 or 5"}]}}
    about = Sentence("Comments mentioning each theme (a comment can mention several), coloured by the mean "
                     "feeling of those comments; a theme whose count is too small to show is left out.")
    return Chart(spec, join([title, about], sep=". "),
                 table.select(columns=["Theme", "Comments", "Feeling", "Share of comments", "Mean sentiment",
                                       "Satisfied"]))


def theme_trend(table: Table, title: Sentence, actions: Table | None) -> Chart:
    """Lines of each chosen theme's share of the month's comments, with "you said, we did" actions."""
    frame = table.frame
    themes = list(dict.fromkeys(frame["theme"]))
    first, last = pd.Timestamp(frame["period"].min()), pd.Timestamp(frame["period"].max())
    marks = _actions(actions, first, last)
    x = {"field": "period", "type": "temporal", "title": None,
         "axis": {"format": "%b %y", "labelAngle": 0, "tickCount": 8, "grid": False}}
    line = {"mark": {"type": "line", "point": True, **BREAK}, "encoding": {
        "x": x, "y": {"field": "share", "type": "quantitative", "title": "Share of the month's comments",
                      "axis": {"format": ".0%"}},
        "color": {"field": "theme", "type": "nominal", "title": None, "sort": themes,
                  "scale": {"domain": themes, "range": list(THEME_COLOURS[:len(themes)])},
                  "legend": {"orient": "bottom", "direction": "horizontal", "columns": 3, "labelLimit": 320}},
        "tooltip": [{"field": "period", "type": "temporal", "title": "Month", "format": "%b %Y"},
                    {"field": "theme", "title": "Theme"}, {"field": "share_text", "title": "Share of comments"}]}}
    spec = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "data": {"values": _records(frame)},
            "title": {"text": str(title), "anchor": "start", "offset": 10},
            "height": 320, "autosize": {"type": "fit-x", "contains": "padding"}, "layer": [line, *_action_layers(marks)]}
    about = Sentence("The share of each month's comments that mention each theme; numbered dotted lines are changes "
                     "the council made (you said, we did); a month not shown rests on too few comments.")
    shown = frame.assign(period=pd.to_datetime(frame["period"]).dt.strftime("%b %Y"))
    return Chart(spec, join([title, about], sep=". "), Table(
        shown[["period", "theme", "share_text"]].rename(columns={"period": "Month", "theme": "Theme",
                                                                 "share_text": "Share of comments"}),
        {"Month": "label", "Theme": "label", "Share of comments": "text"}))
