"""Charts for the Leadership adoption page: published Tables in, a published Chart out; titles state the message.

Colours are Okabe–Ito (safe for the common colour-vision deficiencies) and never carry meaning
alone: staff lines are also dashed, heatmap cells carry their percentage as text, and a group left
out says "hidden" on a pale grey ground. Tooltips show the published text of each figure, so a
tooltip never holds more precision than the page. Specs are built once per view (the page caches
them) as Vega-Lite dictionaries with their data inline.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from pulse.disclosure import Chart, Sentence, Table, join, static

LEADERS = "#0072B2"
STAFF = "#E69F00"
INK = "#0b0c0c"
HIDDEN = "#f3f2f1"
# A line stops at a month with no data instead of bridging it.
BREAK = "break-paths-show-domains"
# Small multiples are fixed-width; three of these fit the main column of a 1400 px window.
FACET_WIDTH = 215
# A subtitle longer than this is broken at a comma, to fit a half-width chart.
SUBTITLE_CHARS = 70


def _title(text: str) -> alt.TitleParams:
    """A title that states the message; after its first colon the detail becomes a subtitle (two lines when long,
    so a half-width chart does not cut it short)."""
    head, _, tail = text.partition(": ")
    subtitle: object = alt.Undefined
    if tail:
        tail = tail[:1].upper() + tail[1:]
        breaks = [i for i in range(len(tail)) if tail.startswith(", ", i)]
        if len(tail) > SUBTITLE_CHARS and breaks:
            cut = min(breaks, key=lambda i: abs(i - len(tail) / 2))
            subtitle = [tail[:cut + 1], tail[cut + 2:]]
        else:
            subtitle = tail
    return alt.TitleParams(text=head, subtitle=subtitle, anchor="start", fontSize=15, subtitleFontSize=13,
                           subtitleColor="#505a5f")


def _month_axis() -> alt.X:
    return alt.X("month:T", title=None, axis=alt.Axis(format="%b %y", labelAngle=0, tickCount=6, grid=False))


def _spec(chart: alt.TopLevelMixin) -> dict:
    """A Vega-Lite dictionary sized to its column, keeping each chart's own height."""
    # Schema validation is most of the time taken here, and these builders are tested.
    spec = _inline(chart.to_dict(validate=False))
    spec.get("config", {}).pop("view", None)
    if "facet" not in spec:
        spec["autosize"] = {"type": "fit-x", "contains": "padding"}
    return spec


def _inline(spec: dict) -> dict:
    """Each named dataset written where it is used: a chart's data then reads as its values, not as a name
    made from a hash of them (so the disclosure auditor compares the published figures themselves)."""
    datasets = spec.pop("datasets", {})

    def walk(node: object) -> object:
        if isinstance(node, dict):
            data = node.get("data")
            if isinstance(data, dict) and data.get("name") in datasets:
                node = {**node, "data": {"values": datasets[data["name"]]}}
            return {key: walk(value) for key, value in node.items()}
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    return walk(spec)


def _people(frame: pd.DataFrame) -> pd.Series:
    """Published counts of people as text for a tooltip ("–" where there are none)."""
    return frame["people"].map(lambda n: "–" if n is None or pd.isna(n) else f"{int(n):,}")


def _facet(title: str) -> alt.Facet:
    return alt.Facet("activity_label:N", title=None, header=alt.Header(labelFontSize=13, labelFontWeight="bold"))


def leaders_vs_staff(series: Table, title: Sentence, columns: int = 3) -> Chart:
    """One small chart per activity: the share of leaders and of staff active each month."""
    frame = series.frame
    data = frame.assign(people_text=_people(frame))[["month", "activity_label", "group", "share", "share_text",
                                                    "people_text"]]
    groups = [g for g in ("Leaders", "Staff") if g in set(data["group"])]
    colours = [LEADERS if g == "Leaders" else STAFF for g in groups]
    base = alt.Chart(data).encode(
        x=_month_axis(),
        y=alt.Y("share:Q", title="Share active", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%", tickCount=5)),
        color=alt.Color("group:N", title=None, scale=alt.Scale(domain=groups, range=colours),
                        legend=alt.Legend(orient="top", direction="horizontal")),
        strokeDash=alt.StrokeDash("group:N", scale=alt.Scale(domain=groups, range=[[1, 0] if g == "Leaders" else [6, 3]
                                                                                   for g in groups]), legend=None),
        tooltip=[alt.Tooltip("activity_label:N", title="Activity"),
                 alt.Tooltip("month:T", title="Month", format="%B %Y"),
                 alt.Tooltip("group:N", title="Group"),
                 alt.Tooltip("share_text:N", title="Share active"),
                 alt.Tooltip("people_text:N", title="People in group")],
    )
    lines = base.mark_line(strokeWidth=2.5, invalid=BREAK) + base.mark_point(filled=True, size=22, invalid=BREAK)
    chart = (lines.properties(width=FACET_WIDTH, height=150).facet(facet=_facet(title), columns=columns)
             .properties(title=_title(title), description="adoption-leaders-vs-staff"))
    return Chart(_spec(chart), join([title, static("Share of leaders and of staff active each month, one small chart "
                                                   "per activity; a gap is a month with no records.")], sep=". "),
                 series)


def gap_chart(gap: Table, title: Sentence, columns: int = 3) -> Chart:
    """One small chart per activity: the leader–staff gap each month in percentage points, bars either side of 0."""
    frame = gap.frame
    data = frame.assign(gap_points=frame["gap"] * 100,
                        ahead=frame["gap"].map(lambda v: None if pd.isna(v) else "Leaders ahead" if v >= 0
                                               else "Staff ahead"))
    data = data[["month", "activity_label", "gap_points", "ahead", "leader_share_text", "staff_share_text",
                 "gap_text"]]
    sides = ["Leaders ahead", "Staff ahead"]
    bars = alt.Chart(data).mark_bar(width={"band": 0.8}).encode(
        x=_month_axis(),
        y=alt.Y("gap_points:Q", title="Gap (points)", axis=alt.Axis(tickCount=5)),
        color=alt.Color("ahead:N", title=None, scale=alt.Scale(domain=sides, range=[LEADERS, STAFF]),
                        legend=alt.Legend(orient="top", direction="horizontal")),
        tooltip=[alt.Tooltip("activity_label:N", title="Activity"),
                 alt.Tooltip("month:T", title="Month", format="%B %Y"),
                 alt.Tooltip("leader_share_text:N", title="Leaders active"),
                 alt.Tooltip("staff_share_text:N", title="Staff active"),
                 alt.Tooltip("gap_text:N", title="Gap")],
    )
    zero = alt.Chart(data).mark_rule(color=INK, strokeWidth=1).encode(y=alt.datum(0))
    chart = (alt.layer(zero, bars, data=data).properties(width=FACET_WIDTH, height=110)
             .facet(facet=_facet(title), columns=columns).properties(title=_title(title), description="adoption-gap"))
    return Chart(_spec(chart), join([title, static("The share of leaders active minus the share of staff active, "
                                                   "in percentage points, each month.")], sep=". "), gap)


def heatmap(cells: Table, title: Sentence, row: str = "directorate", row_title: str | None = None,
            name: str = "adoption-heatmap") -> Chart:
    """Rows × activities coloured by share active; a group left out is drawn grey and labelled 'hidden'."""
    frame = cells.frame
    # A cell is labelled to the whole per cent (a coarser reading of the published share, which fits the cell);
    # its tooltip gives the share as published.
    label = [text if pd.isna(value) else f"{value:.0%}" for value, text in zip(frame["share"], frame["share_text"])]
    data = frame.assign(people_text=_people(frame), label=label)[[row, "activity_label", "share", "share_text",
                                                                 "label", "people_text"]]
    activities = sorted(set(data["activity_label"]))
    rows = list(dict.fromkeys(data[row]))
    base = alt.Chart(data).encode(
        # Slanted names under the columns end at their column, so the last one is never cut off at the right.
        x=alt.X("activity_label:N", title=None, sort=activities,
                axis=alt.Axis(labelAngle=-35, labelAlign="right", labelBaseline="top", orient="bottom",
                              labelFontSize=11, labelOverlap=False, domain=False, ticks=False)),
        y=alt.Y(f"{row}:N", title=row_title, sort=rows, axis=alt.Axis(labelLimit=260, labelFontSize=12, domain=False,
                                                                     ticks=False)),
    )
    tooltip = [alt.Tooltip(f"{row}:N", title=row_title or "Directorate"),
               alt.Tooltip("activity_label:N", title="Activity"),
               alt.Tooltip("share_text:N", title="Share active"),
               alt.Tooltip("people_text:N", title="People in group")]
    cells_mark = base.mark_rect(stroke="white", strokeWidth=2).encode(
        # Every cell is labelled with its percentage, so the colour needs no legend.
        color=alt.condition("isValid(datum.share)", alt.Color("share:Q", title="Share active",
                                                              scale=alt.Scale(scheme="blues", domain=[0, 1]),
                                                              legend=None), alt.value(HIDDEN)),
        tooltip=tooltip,
    )
    text = base.mark_text(fontSize=12).encode(
        text="label:N",
        color=alt.condition("isValid(datum.share) && datum.share >= 0.6", alt.value("white"), alt.value(INK)),
        tooltip=tooltip,
    )
    chart = (cells_mark + text).properties(title=_title(title), width="container", height=max(60, 34 * len(rows)),
                                           description=name)
    return Chart(_spec(chart), join([title, static("Share active by activity; a grey cell marked hidden is a group "
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
    tooltip = [alt.Tooltip("directorate:N", title="Directorate"), alt.Tooltip(f"{x}_text:N", title=x_title),
               alt.Tooltip(f"{y}_text:N", title=y_title)]
    scale_x = alt.Scale(zero=False, nice=True, padding=28)
    scale_y = alt.Scale(zero=False, nice=True, padding=16)
    base = alt.Chart(data).encode(
        x=alt.X(f"{x}:Q", title=x_title, scale=scale_x, axis=alt.Axis(format="%", tickCount=6)),
        y=alt.Y(f"{y}:Q", title=y_title, scale=scale_y, axis=alt.Axis(format="%", tickCount=6)),
    )
    layers = [base.mark_circle(size=110, color=LEADERS, opacity=0.9, stroke="white", strokeWidth=1).encode(
        tooltip=tooltip)]
    for place, align, dx, dy in LABEL_PLACES:
        if (data["place"] == place).any():
            layers.append(base.transform_filter(alt.datum.place == place).mark_text(
                align=align, baseline="middle", dx=dx, dy=dy, fontSize=11, color=INK).encode(text="directorate:N"))
    if line is not None and len(data):
        layers.insert(0, alt.Chart(line.frame[[x, y]]).mark_line(color="#505a5f", strokeDash=[4, 3], strokeWidth=1.5).encode(
            x=alt.X(f"{x}:Q", scale=scale_x), y=alt.Y(f"{y}:Q", scale=scale_y)))
    chart = alt.layer(*layers).properties(title=_title(title), height=PLOT_H, description=name)
    used = points.select(rows=frame[x].notna() & frame[y].notna(), columns=columns)
    return Chart(_spec(chart), join([title, static("One point per directorate; the dashed line is the least-squares "
                                                   "fit.")], sep=". "), used)
