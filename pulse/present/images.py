"""Charts and maps as PNG images, offline and without a browser, for board packs.

Altair charts go through vl-convert (Vega's own renderer, bundled). Maps are drawn with matplotlib
from the deck.gl JSON the screen gets (pydeck's to_json): the same published ward geometry, fills,
hatching and labels, so a map in a pack is the map on the page. Fonts come from matplotlib's bundled
DejaVu Sans, so nothing depends on the fonts a machine happens to have.
"""

from __future__ import annotations

import io
import json
import math
from functools import lru_cache
from pathlib import Path

from pulse.disclosure import Chart, Deck, Table

FONT = "DejaVu Sans"
KEY_LEFT = 0.6  # where a map's key starts, as a share of the picture's width
SLIDE_CONFIG = {  # Vega-Lite config for a chart read across a room or on paper
    "font": FONT,
    "title": {"fontSize": 18, "subtitleFontSize": 13},
    "axis": {"labelFontSize": 14, "titleFontSize": 14},
    "legend": {"labelFontSize": 14, "titleFontSize": 14},
    "view": {"stroke": None},
}


@lru_cache(maxsize=1)
def font_dir() -> Path:
    """matplotlib's bundled TrueType fonts (DejaVu Sans and its bold), registered with vl-convert once."""
    import matplotlib
    import vl_convert

    path = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    vl_convert.register_font_directory(str(path))
    return path


def chart_spec(chart: Chart, width: int, height: int) -> dict:
    """The chart's Vega-Lite spec, sized for a slide and set in the slide's type."""
    # Validated when it was drawn on the page; validating again costs a second a chart on a busy machine.
    spec = chart.spec.to_dict(validate=False) if hasattr(chart.spec, "to_dict") else json.loads(json.dumps(chart.spec))
    spec["width"], spec["height"] = width, height
    spec["autosize"] = {"type": "fit", "contains": "padding"}
    config = spec.setdefault("config", {})
    for key, value in SLIDE_CONFIG.items():
        config[key] = {**config.get(key, {}), **value} if isinstance(value, dict) else value
    spec["background"] = "white"
    return spec


def chart_png(chart: Chart, width: int = 1100, height: int = 430, scale: float = 2.0) -> bytes:
    """An Altair chart as a PNG, rendered offline by vl-convert."""
    import vl_convert

    font_dir()
    spec = chart_spec(chart, width, height)
    version = spec.get("$schema", "").rsplit("/v", 1)[-1].removesuffix(".json")
    major_minor = ".".join(version.split(".")[:2]) or None
    known = vl_convert.get_vegalite_versions()
    return vl_convert.vegalite_to_png(spec, vl_version=major_minor if major_minor in known else None, scale=scale)


def deck_png(deck: Deck, width: int = 1100, height: int = 560, dpi: int = 150, legend: Table | None = None,
             legend_title: object = None) -> bytes:
    """A pydeck map as a PNG drawn by matplotlib from its deck.gl JSON: polygons, hatching, outlines, labels;
    with its key on the right when the slide has one."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.collections import LineCollection, PolyCollection
    from matplotlib.figure import Figure

    spec = json.loads(deck.deck.to_json())
    figure = Figure(figsize=(width / dpi, height / dpi), dpi=dpi)
    axes = figure.add_axes((0, 0, KEY_LEFT - 0.02, 1) if legend is not None else (0, 0, 1, 1))
    axes.set_axis_off()
    if legend is not None:
        _key(figure, legend, legend_title)
    lats: list[float] = []
    for layer in spec.get("layers", []):
        kind, rows = layer.get("@@type"), layer.get("data") or []
        if isinstance(rows, dict):  # a GeoJSON FeatureCollection
            rows = rows.get("features", [])
        if kind in ("GeoJsonLayer", "PolygonLayer"):
            polygons, fills, lines = [], [], []
            for row in rows:
                rings = _rings(row) if kind == "GeoJsonLayer" else [_value(row, layer.get("getPolygon"))]
                fill = _colour(_value(row, layer.get("getFillColor"), [200, 200, 200, 255]))
                line = _colour(_value(row, layer.get("getLineColor"), [255, 255, 255, 255]))
                for ring in rings:
                    polygons.append(ring)
                    fills.append(fill if layer.get("filled", True) else (0, 0, 0, 0))
                    lines.append(line)
                    lats += [y for _, y in ring]
            stroked = layer.get("stroked", kind == "GeoJsonLayer")
            width_px = max(float(layer.get("lineWidthMinPixels", 1.0)), 0.8)
            axes.add_collection(PolyCollection(polygons, facecolors=fills, edgecolors=lines if stroked else "none",
                                               linewidths=width_px * 0.6))
        elif kind == "PathLayer":
            paths = [_value(row, layer.get("getPath")) for row in rows]
            colour = _colour(layer.get("getColor") if isinstance(layer.get("getColor"), list) else [80, 80, 80, 200])
            axes.add_collection(LineCollection(paths, colors=[colour], linewidths=0.3))
        elif kind == "TextLayer":
            for row in rows:
                x, y = _value(row, layer.get("getPosition"))
                axes.text(x, y, str(_value(row, layer.get("getText"))), ha="center", va="center", fontsize=7,
                          fontweight="bold", color="#141414", family=FONT,
                          bbox={"boxstyle": "round,pad=0.15", "fc": (1, 1, 1, 0.8), "ec": "none"})
    axes.autoscale_view()
    # deck.gl draws in Web Mercator: near the borough, a degree of longitude is cos(latitude) of one of latitude.
    middle = (min(lats) + max(lats)) / 2 if lats else 0.0
    axes.set_aspect(1 / max(math.cos(math.radians(middle)), 0.1))
    axes.margins(0.02)
    out = io.BytesIO()
    figure.savefig(out, format="png", facecolor="white")
    return out.getvalue()


def _key(figure, legend: Table, title: object) -> None:
    """The map's key on the right of the picture: the title, then a swatch, label and note a row."""
    import textwrap

    from matplotlib.patches import Rectangle

    y, line = 0.94, 0.062
    if title:
        for text in textwrap.wrap(str(title), 30):
            figure.text(KEY_LEFT, y, text, fontsize=10, fontweight="bold", family=FONT, color="#0b0c0c", va="top")
            y -= line
        y -= 0.03
    for row in legend.frame.itertuples(index=False):
        lines = textwrap.wrap(f"{row.label} ({row.note})", 30) or [""]
        figure.add_artist(Rectangle((KEY_LEFT, y - 0.05), 0.04, 0.05, transform=figure.transFigure,
                                    facecolor=row.colour, edgecolor="#888888", linewidth=0.5,
                                    hatch="////" if row.hatched else None))
        for text in lines:
            figure.text(KEY_LEFT + 0.055, y, text, fontsize=9, family=FONT, color="#0b0c0c", va="top")
            y -= line
        y -= 0.03


def _value(row: dict, accessor: object, default: object = None) -> object:
    """A deck.gl accessor: a constant, '@@=properties.fill', a column name, or a list of columns."""
    if accessor is None:
        return default
    if isinstance(accessor, str) and accessor.startswith("@@=[") and accessor.endswith("]"):
        return [_value(row, "@@=" + part.strip()) for part in accessor[4:-1].split(",")]
    if isinstance(accessor, str):
        path = accessor.removeprefix("@@=").split(".")
        value: object = row
        for step in path:
            if not isinstance(value, dict) or step not in value:
                return default
            value = value[step]
        return value
    if isinstance(accessor, list) and accessor and all(isinstance(a, str) for a in accessor):
        return [row.get(a) for a in accessor]
    return accessor


def _rings(feature: dict) -> list[list[list[float]]]:
    """The outer rings of a GeoJSON feature's polygon or multipolygon."""
    geometry = feature.get("geometry") or {}
    if geometry.get("type") == "Polygon":
        return [geometry["coordinates"][0]]
    if geometry.get("type") == "MultiPolygon":
        return [polygon[0] for polygon in geometry["coordinates"]]
    return []


def _colour(rgba: object) -> tuple[float, float, float, float]:
    """A deck.gl colour ([r, g, b] or [r, g, b, a], 0–255) for matplotlib (0–1)."""
    values = list(rgba) if isinstance(rgba, (list, tuple)) else [200, 200, 200, 255]
    values = (values + [255])[:4] if len(values) == 3 else values[:4]
    return tuple(max(0.0, min(1.0, float(v) / 255)) for v in values)
