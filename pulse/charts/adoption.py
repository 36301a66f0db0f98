"""Charts for the Leadership adoption page: published Tables in, a published Chart out; titles state the message.

Colours are Okabe–Ito (safe for the common colour-vision deficiencies) and never carry meaning
alone: staff lines are also dashed, heatmap cells carry their percentage as text, and a group left
out says "hidden" on a pale grey ground. Tooltips show the published text of each figure, so a
tooltip never holds more precision than the page. The specs are Vega-Lite dictionaries written
out directly, with their data inline: building them through Altair cost the page seconds per view.
"""

from __future__ import annotations

import pandas as pd

from pulse.disclosure import Chart, Sentence, Table, join, static

LEADERS = "#0072B2"
STAFF = "#E69F00"
INK = "#0b0c0c"
HIDDEN = "#dedfe0"  # a grey cell that still reads as a cell on a white page
# A line stops at a month with no data instead of bridging it.
BREAK = "break-paths-show-domains"
# Small multiples are fixed-width; three of these fit the main column of a 1400 px window.
FACET_WIDTH = 215
# A subtitle longer than this is broken at a comma, to fit a half-width chart.
SUBTITLE_CHARS = 70


def _title(text: str) -> dict:
    """A title that states the message; after its first colon the detail becomes a subtitle (two lines when long,
    so a half-width chart does not cut it short)."""
    head, _, tail = text.partition(": ")
    title = {"text": head, "anchor": "start", "fontSize": 15, "subtitleFontSize": 13, "subtitleColor": "#505a5f"}
    if tail:
        tail = tail[:1].upper() + tail[1:]
        breaks = [i for i in range(len(tail)) if tail.startswith(", ", i)]
        if len(tail) > SUBTITLE_CHARS and breaks:
            cut = min(breaks, key=lambda i: abs(i - len(tail) / 2))
            title["subtitle"] = [tail[:cut + 1], tail[cut + 2:]]
        else:
            title["subtitle"] = tail
    return title


def _values(frame: pd.DataFrame) -> list[dict]:
    """A frame's rows as JSON-ready records: missing values null, months as ISO dates."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = out[column].dt.strftime("%Y-%m-%dT%H:%M:%S")
    out = out.astype(object)
    return out.where(out.notna(), None).to_dict("records")


def _field(name: str, kind: str, **more) -> dict:
    return {"field": name, "type": {"N": "nominal", "Q": "quantitative", "T": "temporal"}[kind], **more}


def _tip(name: str, title: str, kind: str = "N", **more) -> dict:
    return _field(name, kind, title=title, **more)


def _month_axis() -> dict:
    return _field("month", "T", title=None, axis={"format": "%b %y", "labelAngle": 0, "tickCount": 6, "grid": False})


def _facet(columns: int) -> dict:
    return {"facet": _field("activity_label", "N", title=None, header={"labelFontSize": 13, "labelFontWeight": "bold"}),
            "columns": columns}


def _sized(spec: dict) -> dict:
    """A single chart sized to its column, keeping its own height (facets keep their fixed-width cells)."""
    return {**spec, "autosize": {"type": "fit-x", "contains": "padding"}}


def _people(frame: pd.DataFrame) -> pd.Series:
    """Published counts of people as text for a tooltip ("–" where there are none)."""
    return frame["people"].map(lambda n: "–" if n is None or pd.isna(n) else f"{int(n):,}")


def leaders_vs_staff(series: Table, title: Sentence, columns: int = 3) -> Chart:
    """One small chart per activity: the share of leaders and of staff active each month."""
    frame = series.frame
    data = frame.assign(people_text=_people(frame))[["month", "activity_label", "group", "share", "share_text",
                                                    "people_text"]]
    groups = [g for g in ("Leaders", "Staff") if g in set(data["group"])]
    encoding = {
        "x": _month_axis(),
        "y": _field("share", "Q", title="Share active", scale={"domain": [0, 1]},
                    axis={"format": "%", "tickCount": 5}),
        "color": _field("group", "N", title=None,
                        scale={"domain": groups, "range": [LEADERS if g == "Leaders" else STAFF for g in groups]},
                        legend={"orient": "top", "direction": "horizontal"}),
        "strokeDash": _field("group", "N", legend=None, scale={
            "domain": groups, "range": [[1, 0] if g == "Leaders" else [6, 3] for g in groups]}),
        "tooltip": [_tip("activity_label", "Activity"), _tip("month", "Month", "T", format="%B %Y"),
                    _tip("group", "Group"), _tip("share_text", "Share active"),
                    _tip("people_text", "People in group")],
    }
    spec = {
        "data": {"values": _values(data)}, **_facet(columns),
        "spec": {"width": FACET_WIDTH, "height": 150, "encoding": encoding, "layer": [
            {"mark": {"type": "line", "strokeWidth": 2.5, "invalid": BREAK}},
            {"mark": {"type": "point", "filled": True, "size": 22, "invalid": BREAK}}]},
        "title": _title(title), "description": "adoption-leaders-vs-staff",
    }
    return Chart(spec, join([title, static("Share of leaders and of staff active each month, one small chart per "
                                           "activity; a gap is a month with no records.")], sep=". "), series)


def gap_chart(gap: Table, title: Sentence, columns: int = 3) -> Chart:
    """One small chart per activity: the leader–staff gap each month in percentage points, bars either side of 0."""
    frame = gap.frame
    data = frame.assign(gap_points=(frame["gap"] * 100).round(6) + 0.0,  # + 0.0: never a negative zero
                        ahead=frame["gap"].map(lambda v: None if pd.isna(v) else "Leaders ahead" if v >= 0
                                               else "Staff ahead"))
    data = data[["month", "activity_label", "gap_points", "ahead", "leader_share_text", "staff_share_text",
                 "gap_text"]]
    sides = ["Leaders ahead", "Staff ahead"]
    bars = {
        "mark": {"type": "bar", "width": {"band": 0.8}},
        "encoding": {
            "x": _month_axis(),
            "y": _field("gap_points", "Q", title="Gap (points)", axis={"tickCount": 5}),
            "color": _field("ahead", "N", title=None, scale={"domain": sides, "range": [LEADERS, STAFF]},
                            legend={"orient": "top", "direction": "horizontal"}),
            "tooltip": [_tip("activity_label", "Activity"), _tip("month", "Month", "T", format="%B %Y"),
                        _tip("leader_share_text", "Leaders active"), _tip("staff_share_text", "Staff active"),
                        _tip("gap_text", "Gap")],
        },
    }
    zero = {"mark": {"type": "rule", "color": INK, "strokeWidth": 1}, "encoding": {"y": {"datum": 0}}}
    spec = {
        "data": {"values": _values(data)}, **_facet(columns),
        "spec": {"width": FACET_WIDTH, "height": 110, "layer": [zero, bars]},
        "title": _title(title), "description": "adoption-gap",
    }
    return Chart(spec, join([title, static("The share of leaders active minus the share of staff active, in "
                                           "percentage points, each month.")], sep=". "), gap)


def heatmap(cells: Table, title: Sentence, row: str = "directorate", row_title: str | None = None,
            name: str = "adoption-heatmap") -> Chart:
    """Rows × activities coloured by share active; a group left out is drawn grey and labelled 'hidden'."""
    frame = cells.frame
    # A cell is labelled to the whole per cent (a coarser reading of the published share, which fits the cell);
    # its tooltip gives the share as published.
    label = [text if pd.isna(value) else f"{value:.0%}" for value, text in zip(frame["share"], frame["share_text"])]
    data = frame.assign(people_text=_people(frame), label=label)[[row, "activity_label", "share", "share_text",
                                                                 "label", "people_text"]]
    rows = list(dict.fromkeys(data[row]))
    tooltip = [_tip(row, row_title or "Directorate"), _tip("activity_label", "Activity"),
               _tip("share_text", "Share active"), _tip("people_text", "People in group")]
    spec = {
        "data": {"values": _values(data)},
        "encoding": {
            # Slanted names under the columns end at their column, so the last one is never cut off at the right.
            "x": _field("activity_label", "N", title=None, sort=sorted(set(data["activity_label"])), axis={
                "labelAngle": -35, "labelAlign": "right", "labelBaseline": "top", "orient": "bottom",
                "labelFontSize": 11, "labelOverlap": False, "domain": False, "ticks": False}),
            "y": _field(row, "N", title=row_title, sort=rows, axis={"labelLimit": 260, "labelFontSize": 12,
                                                                    "domain": False, "ticks": False}),
        },
        "layer": [
            # A hidden cell has no share, so it gets a grey rect of its own (a null colour would drop it).
            {"transform": [{"filter": "!isValid(datum.share)"}],
             "mark": {"type": "rect", "color": HIDDEN, "stroke": "white", "strokeWidth": 2},
             "encoding": {"tooltip": tooltip}},
            # Every cell is labelled with its percentage, so the colour needs no legend.
            {"mark": {"type": "rect", "stroke": "white", "strokeWidth": 2}, "encoding": {
                "color": _field("share", "Q", title="Share active", scale={"scheme": "blues", "domain": [0, 1]},
                                legend=None),
                "tooltip": tooltip}},
            {"mark": {"type": "text", "fontSize": 12}, "encoding": {
                "text": _field("label", "N"),
                "color": {"condition": {"test": "isValid(datum.share) && datum.share >= 0.6", "value": "white"},
                          "value": INK},
                "tooltip": tooltip}},
        ],
        "width": "container", "height": max(60, 34 * len(rows)), "title": _title(title), "description": name,
    }
    return Chart(_sized(spec), join([title, static("Share active by activity; a grey cell marked hidden is a group "
                                                   "too small to show, left out.")], sep=". "), cells)


# Where a point's label may go: (name, text align, dx, dy) in pixels from the point.
LABEL_PLACES = (("right", "left", 8, 0), ("left", "right", -8, 0), ("right-up", "left", 7, -11),
                ("right-down", "left", 7, 11), ("left-up", "right", -7, -11), ("left-down", "right", -7, 11),
                ("right-up-2", "left", 5, -22), ("right-down-2", "left", 5, 22), ("left-up-2", "right", -5, -22),
                ("left-down-2", "right", -5, 22))
# Roughly the drawn plot size and text size, in pixels, to keep labels off each other.
PLOT_W, PLOT_H, CHAR_W, TEXT_H = 370, 300, 6.2, 13


def label_places(x: pd.Series, y: pd.Series, labels: pd.Series) -> list[str]:
    """A place for each point's label that overlaps no other label or point, where one exists."""
    def scaled(values: pd.Series) -> pd.Series:
        span = float(values.max() - values.min()) or 1.0
        return (values - values.min()) / span

    px, py = scaled(x.astype(float)) * PLOT_W, (1 - scaled(y.astype(float))) * PLOT_H
    points = [(a - 6, b - 6, a + 6, b + 6) for a, b in zip(px, py)]
    boxes: list[tuple[float, float, float, float]] = []
    places = []
    for a, b, text in zip(px, py, labels):
        width = CHAR_W * len(str(text))
        # Labels on the right half of the plot go left first, so they stay inside it.
        order = LABEL_PLACES if a < 0.6 * PLOT_W else LABEL_PLACES[1:2] + LABEL_PLACES[:1] + LABEL_PLACES[4:6] + \
            LABEL_PLACES[2:4] + LABEL_PLACES[8:] + LABEL_PLACES[6:8]
        best, best_overlap, best_box = order[0], None, None
        for place in order:
            _, align, dx, dy = place
            left = a + dx if align == "left" else a + dx - width
            box = (left, b + dy - TEXT_H / 2, left + width, b + dy + TEXT_H / 2)
            overlap = sum(_overlap(box, other) for other in boxes + points) + max(0.0, -box[0]) * TEXT_H + \
                max(0.0, box[2] - PLOT_W - 40) * TEXT_H
            if best_overlap is None or overlap < best_overlap:
                best, best_overlap, best_box = place, overlap, box
            if overlap == 0:
                break
        boxes.append(best_box)
        places.append(best[0])
    return places


def _overlap(one: tuple[float, float, float, float], two: tuple[float, float, float, float]) -> float:
    width = min(one[2], two[2]) - max(one[0], two[0])
    height = min(one[3], two[3]) - max(one[1], two[1])
    return max(0.0, width) * max(0.0, height)


def scatter(points: Table, x: str, y: str, x_title: str, y_title: str, title: Sentence, line: Table | None = None,
            name: str = "adoption-scatter") -> Chart:
    """Directorates as labelled points, with the least-squares line (its two published ends) when there is one."""
    frame = points.frame
    columns = ["directorate", x, y, f"{x}_text", f"{y}_text"]
    data = frame[columns].dropna(subset=[x, y]).reset_index(drop=True)
    data = data.assign(place=label_places(data[x], data[y], data["directorate"]) if len(data) else [])
    layers = [{"mark": {"type": "circle", "size": 110, "color": LEADERS, "opacity": 0.9, "stroke": "white",
                        "strokeWidth": 1},
               "encoding": {"tooltip": [_tip("directorate", "Directorate"), _tip(f"{x}_text", x_title),
                                        _tip(f"{y}_text", y_title)]}}]
    for place, align, dx, dy in LABEL_PLACES:
        if (data["place"] == place).any():
            layers.append({"transform": [{"filter": f"datum.place === '{place}'"}],
                           "mark": {"type": "text", "align": align, "baseline": "middle", "dx": dx, "dy": dy,
                                    "fontSize": 11, "color": INK},
                           "encoding": {"text": _field("directorate", "N")}})
    if line is not None and len(data):
        layers.insert(0, {"data": {"values": _values(line.frame[[x, y]])},
                          "mark": {"type": "line", "color": "#505a5f", "strokeDash": [4, 3], "strokeWidth": 1.5}})
    # Whole per cents at most: finer ticks would claim more precision than the published rates have.
    axis = {"format": ".0%", "tickCount": 6, "tickMinStep": 0.01}
    spec = {
        "data": {"values": _values(data)},
        "encoding": {"x": _field(x, "Q", title=x_title, scale={"zero": False, "nice": True, "padding": 28}, axis=axis),
                     "y": _field(y, "Q", title=y_title, scale={"zero": False, "nice": True, "padding": 16}, axis=axis)},
        "layer": layers, "height": PLOT_H, "title": _title(title), "description": name,
    }
    used = points.select(rows=frame[x].notna() & frame[y].notna(), columns=columns)
    return Chart(_sized(spec), join([title, static("One point per directorate; the dashed line is the least-squares "
                                                   "fit.")], sep=". "), used)
