"""Ward maps in pydeck: the choropleth with labels, hatching, hexagons and the chosen ward outlined,
drawn only from published tables, and the map's click read back.

Nothing leaves the machine unless the basemap setting asks for it: with PULSE_BASEMAP unset the
deck has no map provider and the wards draw on a plain background.
"""

from __future__ import annotations

import math
import os
from html import escape

import geopandas as gpd
import numpy as np
import pandas as pd
import pydeck as pdk
import shapely

from pulse import geo
from pulse.disclosure import Deck, Sentence, Table

BASEMAP_ENV = "PULSE_BASEMAP"
# Carto's free light and dark basemaps are the only providers pydeck reaches without an API key.
BASEMAPS = {"carto": ("carto", "light"), "carto-light": ("carto", "light"), "carto-dark": ("carto", "dark")}
OUTLINE = [255, 255, 255, 255]
SELECTED_OUTLINE = [20, 20, 20, 255]
HATCH_COLOUR = [80, 80, 80, 200]
TOOLTIP_STYLE = {"backgroundColor": "#ffffff", "color": "#1a1a1a", "fontSize": "14px", "padding": "8px 10px",
                 "border": "1px solid #bbbbbb", "borderRadius": "4px", "maxWidth": "280px"}
MAP_HEIGHT = 560


def basemap() -> tuple[str, str] | None:
    """(provider, style) when the basemap setting is on, else None: by default no tile is fetched."""
    wanted = os.environ.get(BASEMAP_ENV, "").strip().lower()
    return BASEMAPS.get(wanted)


def view_for(bounds: tuple[float, float, float, float], width_px: int = 820, height_px: int = MAP_HEIGHT) -> pdk.ViewState:
    """A view that fits the wards' bounds (west, south, east, north) in a map of this size."""
    west, south, east, north = bounds
    lat = (south + north) / 2
    # deck.gl's Web Mercator: 512 px cover 360° of longitude at zoom 0; latitude spans stretch by 1/cos.
    span_x = max(east - west, 1e-6)
    span_y = max((north - south) / math.cos(math.radians(lat)), 1e-6)
    zoom = min(math.log2(width_px / 512 * 360 / span_x), math.log2(height_px / 512 * 360 / span_y)) - 0.1
    return pdk.ViewState(longitude=(west + east) / 2, latitude=lat, zoom=round(zoom, 2), pitch=0, bearing=0)


def hatch_paths(geometries: list, spacing_deg: float) -> list[dict]:
    """Diagonal hatch lines clipped to each geometry, as PathLayer rows (path = [[lon, lat], …])."""
    paths = []
    for geom in geometries:
        if geom is None or geom.is_empty:
            continue
        west, south, east, north = geom.bounds
        width = (east - west) + (north - south)
        starts = np.arange(west - (north - south), east + spacing_deg, spacing_deg)
        lines = [shapely.LineString([(x, south), (x + (north - south), north)]) for x in starts if x < east + width]
        for line in shapely.intersection(np.array(lines, dtype=object), geom):
            for part in shapely.get_parts(line):
                if part.geom_type == "LineString" and not part.is_empty:
                    paths.append({"path": [[round(x, 5), round(y, 5)] for x, y in part.coords]})
    return paths


def ward_deck(
    shapes: gpd.GeoDataFrame,
    wards: Table,
    *,
    alt_text: Sentence | str = "",
    labels: bool = False,
    selected: str | None = None,
    hexagons: Table | None = None,
    hexagon_size_m: float = 250.0,
    metres_per_degree: tuple[float, float] = (69_000.0, 111_320.0),
    layer_id: str = "wards",
    width: int = 640,
    height: int = MAP_HEIGHT,
) -> Deck:
    """A choropleth of the wards: fill from the table, hidden wards hatched, tooltip with name and value.

    shapes holds ward_code, ward_name, centroid_lon, centroid_lat and simplified geometry; `wards`
    is the published table (ward_code, ward_name, fill, status, shown, base): only its text reaches
    the browser, never a number a tooltip would not show. hexagons (lon, lat, fill, shown) replace
    the ward colours with where requests were made.
    """
    frame = wards.frame
    hexagons = hexagons.frame if hexagons is not None else None
    drawn = shapes[["ward_code", "centroid_lon", "centroid_lat", "geometry"]].merge(
        frame, on="ward_code", how="inner")
    drawn = gpd.GeoDataFrame(drawn, geometry="geometry", crs=shapes.crs)
    density = hexagons is not None and not hexagons.empty
    if density:
        # Under the density layer the wards are outlines only, so colours never mix into a third meaning.
        drawn["fill"] = [[250, 250, 250, 255]] * len(drawn)
    names = drawn[["ward_name", "centroid_lon", "centroid_lat"]].copy()
    # deck.gl puts tooltip text in as HTML; names come from the council's files, so escape them.
    for column in ("ward_name", "shown", "base"):
        drawn[column] = drawn[column].astype(str).map(escape)
    features = geo.to_geojson_features(drawn, ["ward_code", "ward_name", "fill", "status", "shown", "base"])
    layers = [pdk.Layer(
        "GeoJsonLayer", features, id=layer_id, pickable=True, stroked=True, filled=True,
        get_fill_color="properties.fill", get_line_color=OUTLINE if not density else [90, 90, 90, 255],
        line_width_min_pixels=1.2, auto_highlight=True, highlight_color=[255, 255, 255, 90],
    )]
    hidden = drawn[drawn["status"] == "suppressed"]
    if len(hidden) and not density:
        spacing = max((drawn.total_bounds[2] - drawn.total_bounds[0]) / 120, 1e-4)
        layers.append(pdk.Layer("PathLayer", hatch_paths(list(hidden.geometry), spacing), id=f"{layer_id}-hatch",
                                get_path="path", get_color=HATCH_COLOUR, width_min_pixels=1, pickable=False))
    if density:
        # Binned in SQL rather than by deck.gl's HexagonLayer, so that every hexagon drawn is one
        # whose count was checked against the threshold (and Streamlit's bundled HexagonLayer
        # cannot weight points by a count).
        layers.append(pdk.Layer(
            "PolygonLayer", hexagon_rows(hexagons, hexagon_size_m, metres_per_degree), id=f"{layer_id}-density",
            get_polygon="polygon", get_fill_color="fill", stroked=False, pickable=True, auto_highlight=True,
        ))
    if selected is not None and (drawn["ward_code"] == selected).any():
        chosen = geo.to_geojson_features(drawn[drawn["ward_code"] == selected], ["ward_code"])
        layers.append(pdk.Layer("GeoJsonLayer", chosen, id=f"{layer_id}-selected", pickable=False, stroked=True,
                                filled=False, get_line_color=SELECTED_OUTLINE, line_width_min_pixels=3.5))
    if labels:
        names = names.rename(columns={"centroid_lon": "lon", "centroid_lat": "lat"}).round({"lon": 5, "lat": 5})
        layers.append(pdk.Layer(
            "TextLayer", names.to_dict("records"), id=f"{layer_id}-labels", get_position=["lon", "lat"],
            get_text="ward_name", get_size=12, get_color=[20, 20, 20, 255],
            background=True, get_background_color=[255, 255, 255, 200], background_padding=[3, 1],
            # Quoted, or pydeck turns a plain string into an accessor expression.
            character_set='"auto"', font_family='"sans-serif"', font_weight=600, pickable=False,
        ))
    provider = basemap()
    # Without a provider pydeck leaves its map-style placeholder in the JSON, which is what tells
    # Streamlit to draw no basemap; map_style=None would make Streamlit fetch Carto's instead.
    style = {"map_provider": provider[0], "map_style": provider[1]} if provider else {"map_provider": None}
    deck = pdk.Deck(
        layers=layers,
        initial_view_state=view_for(tuple(drawn.total_bounds), width_px=width, height_px=height),
        **style,
        tooltip={"html": "<b>{ward_name}</b><br/>{shown}<br/><span style='color:#555'>{base}</span>",
                 "style": TOOLTIP_STYLE},
        height=height,
    )
    return Deck(deck, alt_text, wards)


def hexagon_rows(hexagons: pd.DataFrame, size_m: float, metres_per_degree: tuple[float, float]) -> list[dict]:
    """Pointy-top hexagons around each centre as PolygonLayer rows, with the tooltip's text."""
    per_lon, per_lat = metres_per_degree
    angles = np.radians(30 + 60 * np.arange(7))
    dx, dy = size_m * np.cos(angles) / per_lon, size_m * np.sin(angles) / per_lat
    return [{"polygon": np.round(np.column_stack([lon + dx, lat + dy]), 5).tolist(), "fill": fill,
             "ward_name": "Requests made here", "shown": escape(str(shown)), "base": f"hexagon about {2 * size_m:,.0f} m across"}
            for lon, lat, fill, shown in hexagons[["lon", "lat", "fill", "shown"]].itertuples(index=False)]


def any_selection(event: object) -> bool:
    """True when st.pydeck_chart's selection state holds any picked object, on any layer."""
    try:
        return any(event["selection"]["objects"].values())  # type: ignore[index]
    except (KeyError, TypeError, AttributeError):
        return False


def selected_ward(event: object, layer_id: str = "wards") -> str | None:
    """The ward code a map click picked, from st.pydeck_chart's selection state, or None."""
    try:
        objects = event["selection"]["objects"].get(layer_id) or []  # type: ignore[index]
    except (KeyError, TypeError, AttributeError):
        return None
    for obj in objects:
        props = obj.get("properties", obj) if isinstance(obj, dict) else {}
        if props.get("ward_code"):
            return str(props["ward_code"])
    return None
