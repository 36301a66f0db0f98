"""Altair builders for the Leadership adoption page: data in, chart out; every title states the message.

Colours are Okabe–Ito (safe for the common colour-vision deficiencies) and never carry meaning
alone: staff lines are also dashed, heatmap cells carry their percentage as text, and hidden
(suppressed) cells say "hidden" on a pale grey ground.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from pulse import adoption
from pulse.adoption import Correlation, View

LEADERS = "#0072B2"
STAFF = "#E69F00"
INK = "#0b0c0c"
HIDDEN = "#f3f2f1"
# A line stops at a month with no data (or a hidden one) instead of bridging it.
BREAK = "break-paths-show-domains"
# Small multiples are fixed-width; three of these fit the main column of a 1400 px window.
FACET_WIDTH = 215


def _title(text: str) -> alt.TitleParams:
    """A title that states the message; after its first colon the detail becomes a subtitle."""
    head, _, tail = text.partition(": ")
    return alt.TitleParams(text=head, subtitle=tail[:1].upper() + tail[1:] if tail else alt.Undefined,
                           anchor="start", fontSize=15, subtitleFontSize=13, subtitleColor="#505a5f")


def _month_axis() -> alt.X:
    return alt.X("month:T", title=None, axis=alt.Axis(format="%b %y", labelAngle=0, tickCount=6, grid=False))


def leaders_vs_staff_lines(frame: pd.DataFrame, title: str, columns: int = 3) -> alt.FacetChart:
    """One small chart per activity: share of leaders and of staff active each month."""
    groups = ["Leaders", "Staff"]
    base = alt.Chart(frame).encode(
        x=_month_axis(),
        y=alt.Y("share:Q", title="Share active", scale=alt.Scale(domain=[0, 1]),
                axis=alt.Axis(format="%", tickCount=5)),
        color=alt.Color("group:N", title=None, scale=alt.Scale(domain=groups, range=[LEADERS, STAFF]),
                        legend=alt.Legend(orient="top", direction="horizontal")),
        strokeDash=alt.StrokeDash("group:N", scale=alt.Scale(domain=groups, range=[[1, 0], [6, 3]]), legend=None),
        tooltip=[
            alt.Tooltip("activity_label:N", title="Activity"),
            alt.Tooltip("month:T", title="Month", format="%B %Y"),
            alt.Tooltip("group:N", title="Group"),
            alt.Tooltip("share:Q", title="Share active", format=".0%"),
            alt.Tooltip("people:Q", title="People in group", format=","),
        ],
    )
    lines = base.mark_line(strokeWidth=2.5, invalid=BREAK) + base.mark_point(filled=True, size=22, invalid=BREAK)
    return (
        lines.properties(width=FACET_WIDTH, height=150)
        .facet(facet=alt.Facet("activity_label:N", title=None, header=alt.Header(labelFontSize=13,
                                                                                 labelFontWeight="bold")),
               columns=columns)
        .properties(title=_title(title), description="adoption-leaders-vs-staff")
    )


def gap_chart(frame: pd.DataFrame, title: str, columns: int = 3) -> alt.FacetChart:
    """One small chart per activity: the leader–staff gap each month in percentage points, bars either side of 0."""
    data = frame.assign(gap_points=frame["gap"] * 100,
                        ahead=frame["gap"].map(lambda v: None if pd.isna(v) else "Leaders ahead" if v >= 0
                                               else "Staff ahead"))
    sides = ["Leaders ahead", "Staff ahead"]
    bars = alt.Chart(data).mark_bar(width={"band": 0.8}).encode(
        x=_month_axis(),
        y=alt.Y("gap_points:Q", title="Gap (points)", axis=alt.Axis(tickCount=5)),
        color=alt.Color("ahead:N", title=None, scale=alt.Scale(domain=sides, range=[LEADERS, STAFF]),
                        legend=alt.Legend(orient="top", direction="horizontal")),
        tooltip=[
            alt.Tooltip("activity_label:N", title="Activity"),
            alt.Tooltip("month:T", title="Month", format="%B %Y"),
            alt.Tooltip("leader_share:Q", title="Leaders active", format=".0%"),
            alt.Tooltip("staff_share:Q", title="Staff active", format=".0%"),
            alt.Tooltip("gap_points:Q", title="Gap (points)", format="+.0f"),
        ],
    )
    zero = alt.Chart(data).mark_rule(color=INK, strokeWidth=1).encode(y=alt.datum(0))
    return (
        alt.layer(zero, bars, data=data).properties(width=FACET_WIDTH, height=110)
        .facet(facet=alt.Facet("activity_label:N", title=None, header=alt.Header(labelFontSize=13,
                                                                                 labelFontWeight="bold")),
               columns=columns)
        .properties(title=_title(title), description="adoption-gap")
    )


def heatmap_chart(frame: pd.DataFrame, title: str, row: str = "directorate", row_title: str | None = None,
                  name: str = "adoption-heatmap") -> alt.LayerChart:
    """Rows × activities coloured by share active; hidden groups drawn grey and labelled 'hidden'."""
    data = frame.assign(label=frame["share"].map(lambda v: "hidden" if pd.isna(v) else f"{v:.0%}"))
    activities = sorted(set(data["activity_label"]))
    rows = list(dict.fromkeys(data[row]))
    base = alt.Chart(data).encode(
        x=alt.X("activity_label:N", title=None, sort=activities,
                axis=alt.Axis(labelAngle=-35, labelAlign="left", orient="top", labelFontSize=11, labelOverlap=False,
                              domain=False, ticks=False)),
        y=alt.Y(f"{row}:N", title=row_title, sort=rows, axis=alt.Axis(labelLimit=260, labelFontSize=12,
                                                                     domain=False, ticks=False)),
    )
    tooltip = [
        alt.Tooltip(f"{row}:N", title=row_title or "Group"),
        alt.Tooltip("activity_label:N", title="Activity"),
        alt.Tooltip("label:N", title="Share active"),
        alt.Tooltip("people:Q", title="People in group", format=","),
    ]
    cells = base.mark_rect(stroke="white", strokeWidth=2).encode(
        color=alt.condition(
            "isValid(datum.share)",
            # Every cell is labelled with its percentage, so the colour needs no legend.
            alt.Color("share:Q", title="Share active", scale=alt.Scale(scheme="blues", domain=[0, 1]), legend=None),
            alt.value(HIDDEN),
        ),
        tooltip=tooltip,
    )
    text = base.mark_text(fontSize=12).encode(
        text="label:N",
        color=alt.condition("isValid(datum.share) && datum.share >= 0.6", alt.value("white"), alt.value(INK)),
        tooltip=tooltip,
    )
    height = max(60, 34 * len(rows))
    return (cells + text).properties(title=_title(title), width="container", height=height, description=name)


# Where a point's label may go: (name, text align, dx, dy) in pixels from the point.
LABEL_PLACES = (("right", "left", 8, 0), ("left", "right", -8, 0), ("right-up", "left", 7, -11),
                ("right-down", "left", 7, 11), ("left-up", "right", -7, -11), ("left-down", "right", -7, 11))
# Roughly the drawn plot size and text size, in pixels, to keep labels off each other.
PLOT_W, PLOT_H, CHAR_W, TEXT_H = 430, 300, 6.2, 13


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
        order = LABEL_PLACES if a < 0.6 * PLOT_W else LABEL_PLACES[1:2] + LABEL_PLACES[:1] + LABEL_PLACES[4:] + \
            LABEL_PLACES[2:4]
        best, best_overlap = order[0], None
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


def scatter_chart(frame: pd.DataFrame, x: str, y: str, x_title: str, y_title: str, title: str,
                  fit: Correlation, name: str = "adoption-scatter") -> alt.LayerChart:
    """Directorates as labelled points, with the least-squares line when there is one."""
    data = frame[["directorate", x, y]].dropna().reset_index(drop=True)
    data = data.assign(place=label_places(data[x], data[y], data["directorate"]) if len(data) else [])
    tooltip = [
        alt.Tooltip("directorate:N", title="Directorate"),
        alt.Tooltip(f"{x}:Q", title=x_title, format=".0%"),
        alt.Tooltip(f"{y}:Q", title=y_title, format=".0%"),
    ]
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
    if fit.slope is not None and len(data):
        lo, hi = float(data[x].min()), float(data[x].max())
        line = pd.DataFrame({x: [lo, hi], y: [fit.intercept + fit.slope * lo, fit.intercept + fit.slope * hi]})
        layers.insert(0, alt.Chart(line).mark_line(color="#505a5f", strokeDash=[4, 3], strokeWidth=1.5).encode(
            x=alt.X(f"{x}:Q", scale=scale_x), y=alt.Y(f"{y}:Q", scale=scale_y)))
    return alt.layer(*layers).properties(title=_title(title), height=PLOT_H, description=name)


def build(view: View) -> dict[str, alt.TopLevelMixin]:
    """Every chart of the Leadership adoption page, by name."""
    charts: dict[str, alt.TopLevelMixin] = {}
    if not view.lines.empty:
        charts["lines"] = leaders_vs_staff_lines(view.lines, adoption.lines_title(view.gap))
        charts["gap"] = gap_chart(view.gap, adoption.gap_title(view.gap))
    by_role = adoption.role_heatmap(view.roles)
    if not by_role.empty:
        charts["roles"] = heatmap_chart(by_role, f"By role level, {adoption.month_name(by_role['month'].max())}",
                                        row="role_label", name="adoption-heatmap-roles")
    for group in ("Leaders", "Staff"):
        cells = view.heat[view.heat["group"] == group]
        if not cells.empty:
            charts[f"heat_{group.lower()}"] = heatmap_chart(cells, adoption.heatmap_title(view.heat, group),
                                                            name=f"adoption-heatmap-{group.lower()}")
    for outcome, label in adoption.OUTCOMES.items():
        fit = view.fits[outcome]
        if fit.n < 3:  # too few points to show a pattern; the page's caption says so
            continue
        charts[f"scatter_{outcome}"] = scatter_chart(
            view.linked, "leader_adoption", outcome, "Leaders' adoption", label[:1].upper() + label[1:],
            adoption.scatter_title(fit, label), fit, name=f"adoption-scatter-{outcome}")
    if view.maturity_fit is not None and view.maturity_fit.n >= 3:
        charts["maturity"] = scatter_chart(
            view.maturity, "maturity", "leader_adoption", "Self-assessed maturity", "Leaders' adoption (measured)",
            adoption.maturity_title(view.maturity_fit), view.maturity_fit,
            name="adoption-scatter-maturity")
    return charts


def specs(view: View, validate: bool = False) -> dict[str, dict]:
    """Every chart as a Vega-Lite spec with its data inline; the tests validate, the page need not."""
    out = {}
    for key, chart in build(view).items():
        # Schema validation is most of the time taken here, and these builders are tested.
        spec = chart.to_dict(validate=validate)
        # Altair's default theme fixes a 300 px view; the page sizes charts to their column instead,
        # keeping each chart's own height (Streamlit's default "fit" would squeeze it).
        spec.get("config", {}).pop("view", None)
        if "facet" not in spec:
            spec["autosize"] = {"type": "fit-x", "contains": "padding"}
        out[key] = spec
    return out
