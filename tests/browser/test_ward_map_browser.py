"""Ward maps (/wards) in real Chromium on the REAL Lewisham data: a click on a ward opens its profile.

The real exports (FixMyStreet reports, ward population, ONS GeoJSON boundaries) are ingested with a
pulse.toml as tests/test_real_lewisham.py does, and served by a second app server. Where to click is
worked out from the view state the page itself sent to deck.gl (read off the websocket) and a ward's
representative point (wards.centroid_lon / centroid_lat); the ward whose boundary holds the clicked
point, found independently with shapely, must be the one whose profile opens.
"""

from __future__ import annotations

import io
import json
import math
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import duckdb
import pytest
import shapely

from tests.conftest import lewisham_database

from .conftest import ROOT, shared

REAL = ROOT.parent / "shared" / "real" / "lewisham"
FILES = ("fixmystreet_open311_reports.csv", "ward_population_2020.csv", "wards_2022.geojson")
MAP = '[data-testid="stMain"] [data-testid="stDeckGlJsonChart"]'
TILE = 512  # deck.gl's Web Mercator: the world is 512 px wide at zoom 0


@pytest.fixture(scope="module")
def lewisham_db(tmp_path_factory) -> Path:
    """The real Lewisham exports ingested into a fresh database, or a clear skip without them."""
    if not REAL.is_dir():
        pytest.skip(f"real Lewisham data folder {REAL} is absent")
    missing = [name for name in FILES if not (REAL / name).is_file()]
    if missing:
        pytest.skip(f"real Lewisham data folder {REAL} lacks {', '.join(missing)}")
    return lewisham_database(REAL, tmp_path_factory.mktemp("lewisham"))


@pytest.fixture(scope="module")
def lewisham_wards(lewisham_db) -> list[dict]:
    """Each ward's code, name, representative point and boundary, from the database the server reads."""
    with duckdb.connect(str(lewisham_db), read_only=True) as con:
        rows = con.execute("select ward_code, ward_name, centroid_lon, centroid_lat, geometry from wards "
                           "order by ward_code").fetchall()
    assert len(rows) == 19, f"Lewisham has 19 wards (2022), the database has {len(rows)}"
    return [{"code": code, "name": name, "point": (lon, lat), "shape": shapely.from_wkb(bytes(blob))}
            for code, name, lon, lat, blob in rows]


@pytest.fixture(scope="module")
def lewisham_server(lewisham_db, tmp_path_factory):
    """A second app server, on the Lewisham database (the harness's one serves the demo borough)."""
    running = shared.start_server(lewisham_db, log_dir=tmp_path_factory.mktemp("streamlit-lewisham"), timeout=60)
    yield running
    running.stop()


def deck_specs(payload: bytes | str) -> list[dict]:
    """The pydeck JSON specs inside one websocket message from the server (a protobuf holding JSON text)."""
    data = payload if isinstance(payload, bytes) else payload.encode()
    found, start = [], 0
    while (at := data.find(b'"initialViewState"', start)) >= 0:
        start = at + 1
        # Try each '{' before the key, nearest first, until one opens a whole deck spec.
        brace = at
        for _ in range(20):
            brace = data.rfind(b"{", 0, brace)
            if brace < 0:
                break
            try:
                spec, _end = json.JSONDecoder().raw_decode(data[brace:].decode("utf-8", "replace"))
            except ValueError:
                continue
            if isinstance(spec, dict) and "initialViewState" in spec and "layers" in spec:
                found.append(spec)
                break
    return found


def world(lon: float, lat: float, zoom: float) -> tuple[float, float]:
    """Web Mercator world pixels at a zoom, as deck.gl's map view places them."""
    scale = TILE * 2**zoom
    y = math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    return (lon + 180) / 360 * scale, (math.pi - y) / (2 * math.pi) * scale


def to_canvas(lon: float, lat: float, view: dict, size: tuple[float, float]) -> tuple[float, float]:
    """Where a lon/lat lands on a canvas of this size showing this (north-up, flat) view."""
    cx, cy = world(view["longitude"], view["latitude"], view["zoom"])
    x, y = world(lon, lat, view["zoom"])
    return size[0] / 2 + x - cx, size[1] / 2 + y - cy


def from_canvas(x: float, y: float, view: dict, size: tuple[float, float]) -> tuple[float, float]:
    """The lon/lat under a canvas pixel: to_canvas inverted."""
    scale = TILE * 2**view["zoom"]
    cx, cy = world(view["longitude"], view["latitude"], view["zoom"])
    wx, wy = cx + x - size[0] / 2, cy + y - size[1] / 2
    lon = wx / scale * 360 - 180
    lat = math.degrees(2 * math.atan(math.exp(math.pi - 2 * math.pi * wy / scale)) - math.pi / 2)
    return lon, lat


def colours(png: bytes) -> tuple[int, float]:
    """How many distinct colours an image has, and the share of its most common colour."""
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        counts = image.convert("RGB").getcolors(maxcolors=image.width * image.height)
    return len(counts), max(n for n, _ in counts) / sum(n for n, _ in counts)


def wait_for_pixels(page, canvas, timeout_ms: int = 15_000) -> None:
    """Wait until WebGL has drawn the wards (many colours, no single one covering the canvas)."""
    distinct, dominant = 0, 1.0
    for _ in range(timeout_ms // 250):
        distinct, dominant = colours(canvas.screenshot())
        if distinct >= 16 and dominant < 0.95:
            return
        page.wait_for_timeout(250)
    raise AssertionError(f"the ward map looks blank ({distinct} colours, {dominant:.1%} one colour)")


def test_clicking_a_ward_on_the_map_opens_its_profile(page, lewisham_server, lewisham_wards, wait_until_idle,
                                                       save_screenshot):
    """Click inside a ward on the deck.gl canvas: its profile opens and the URL carries ward_profile=<code>."""
    specs: list[dict] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: specs.extend(deck_specs(payload))))
    page.goto(f"{lewisham_server.url}/wards", wait_until="domcontentloaded")
    wait_until_idle(page)
    assert page.locator(MAP).count() >= 1, "no deck.gl map on /wards"
    canvas = page.locator(MAP).first.locator("canvas").first
    canvas.scroll_into_view_if_needed()
    wait_for_pixels(page, canvas)
    assert "ward_profile" not in parse_qs(urlsplit(page.url).query), f"a profile is open before any click: {page.url}"

    maps = [s for s in specs if any(layer.get("id") == "wards" for layer in s["layers"])]
    assert maps, "the page sent no ward map spec (a deck with a 'wards' layer) over the websocket"
    view = maps[-1]["initialViewState"]
    assert not view.get("pitch") and not view.get("bearing"), f"the map is tilted or turned: {view}"
    box = canvas.bounding_box()
    size = (box["width"], box["height"])

    # The ward whose representative point lies deepest inside it, in screen pixels, so that a pixel
    # or two of rounding cannot land the click on a neighbour.
    def depth(ward: dict) -> float:
        x, y = to_canvas(*ward["point"], view, size)
        on_screen = shapely.transform(ward["shape"], lambda xy: [to_canvas(lon, lat, view, size) for lon, lat in xy])
        inside = 0 < x < size[0] and 0 < y < size[1] and on_screen.contains(shapely.Point(x, y))
        return on_screen.boundary.distance(shapely.Point(x, y)) if inside else -1.0

    target = max(lewisham_wards, key=depth)
    assert depth(target) >= 8, f"no ward has its point 8 px inside it on a {size} canvas (best {depth(target):.1f})"
    x, y = to_canvas(*target["point"], view, size)
    # The independent oracle: which ward's boundary (from the database, unsimplified) holds the clicked spot.
    clicked = shapely.Point(*from_canvas(x, y, view, size))
    holders = [w for w in lewisham_wards if w["shape"].contains(clicked)]
    assert [w["code"] for w in holders] == [target["code"]], (
        f"the clicked spot {clicked} lies in {[w['name'] for w in holders]}, expected only {target['name']}")

    canvas.hover(position={"x": x, "y": y})
    tooltip = page.locator(".deck-tooltip")
    hovered = " ".join(tooltip.first.inner_text().split()) if tooltip.count() else "(no tooltip)"
    canvas.click(position={"x": x, "y": y})
    page.wait_for_url(re.compile(r"[?&]ward_profile="), timeout=30_000)
    wait_until_idle(page)
    save_screenshot(page, "wards_lewisham_clicked.png")

    assert parse_qs(urlsplit(page.url).query).get("ward_profile") == [target["code"]], (
        f"clicked {target['name']} ({target['code']}) at {x:.0f},{y:.0f} (tooltip: {hovered}); URL is {page.url}")
    heading = page.locator('[data-testid="stMain"] h4', has_text=re.compile(rf"^\s*{re.escape(target['name'])}\s*$"))
    assert heading.count() == 1 and heading.is_visible(), (
        f"no profile heading for {target['name']}; headings: "
        f"{page.locator('[data-testid=stMain] h4').all_inner_texts()} (tooltip at the click: {hovered})")
    picker = page.locator('[data-testid="stMain"] [data-testid="stSelectbox"]').filter(
        has=page.locator('[data-testid="stWidgetLabel"]', has_text=re.compile(r"^\s*Ward\s*$")))
    assert picker.locator("input").input_value() == target["name"], "the profile's ward picker disagrees"
    profile_tiles = page.locator('[data-testid="stMain"] [data-testid="stMetric"]')
    assert profile_tiles.count() >= 1, "the ward profile shows no figures"
    # The map drawn after the click outlines the chosen ward.
    latest = [s for s in specs if any(layer.get("id") == "wards" for layer in s["layers"])][-1]
    outlines = [layer for layer in latest["layers"] if layer.get("id") == "wards-selected"]
    assert outlines and target["code"] in json.dumps(outlines[0].get("data")), "the chosen ward is not outlined"
    wait_for_pixels(page, page.locator(MAP).first.locator("canvas").first)
    assert page.outside_requests == [], f"requests left the machine: {page.outside_requests}"
