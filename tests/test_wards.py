"""Ward maps: colour classes and legends, the deck, request-density hexagons and deprivation by LSOA."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from pulse import geo, registry
from pulse.charts import colours, maps
from pulse.disclosure import Table
from pulse.ingest.boundaries import read_boundaries
from pulse.disclosure.published import LABEL, TEXT
from pulse.ingest.deprivation import DeprivationError, derive_ward_deprivation
from pulse.pages import ward_density, wards
from pulse.pages.ward_tables import values
from tests.ward_helpers import INTERNAL, PUBLIC, counts, requests

LIMIT = 10


def classes_of(found: pd.DataFrame, k: int = 5) -> colours.Classes:
    return colours.classify(pd.Series([f.value if f.shown else None for f in found["value"]], dtype=float), k=k)


# --- Classes, colours, legend ---------------------------------------------------------------------


def test_quantile_and_natural_break_classes():
    q = colours.classify(pd.Series(np.arange(1, 11, dtype=float)), "quantiles")
    assert list(q.of) == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4] and q.colours == colours.YLGNBU[5]
    jenks = colours.classify(pd.Series([1, 2, 3, 10, 11, 12, 30, 31, 32.0]), "natural_breaks", k=3)
    assert list(jenks.of) == [0, 0, 0, 1, 1, 1, 2, 2, 2]


def test_hidden_and_equal_values_get_no_class_or_share_one():
    classes = colours.classify(pd.Series([np.nan, 0.5, 0.5, np.nan]))
    assert list(classes.of) == [-1, 0, 0, -1] and classes.colours == (colours.SINGLE,)
    assert colours.classify(pd.Series([np.nan, np.nan])).colours == ()
    assert colours.hex_to_rgba("#41b6c4", 235) == [65, 182, 196, 235]


def test_legend_ranges_are_published_figures_then_hidden_wards():
    five = [(c, 10_000, 1) for c in "ABCDE"]
    c = counts(five, requests({"A": {"online": 50, "phone": 50}, "B": {"online": 120, "phone": 80},
                               "C": {"online": 240, "phone": 60}, "D": {"online": 1, "phone": 4},
                               "E": {"online": 2, "phone": 6}}))
    found = values(c, "digital_takeup")
    legend = wards.legend(found, registry.measure("digital_takeup"), classes_of(found, 3), LIMIT).frame
    # Take-up 50%, 60% and 80% in thirds; D and E (5 and 8 requests) hidden.
    assert legend[["label", "note", "hatched"]].astype(str).values.tolist() == [
        ["50.0%", "1 ward", "False"], ["60.0%", "1 ward", "False"], ["80.0%", "1 ward", "False"],
        ["[c] not shown: fewer than 10 requests, or would give such a count away", "2 wards", "True"]]
    assert legend["colour"].iloc[-1] == colours.SUPPRESSED_COLOUR


def test_map_table_carries_only_text_and_colours():
    four = [(c, 10_000, 1) for c in "ABCD"]
    c = counts(four, requests({"A": {"online": 60, "phone": 40}, "B": {"online": 50, "phone": 150},
                               "C": {"online": 1, "phone": 3}, "D": {"online": 9}}))
    found = values(c, "digital_takeup")
    frame = wards.map_table(found, registry.measure("digital_takeup"), classes_of(found)).frame
    assert list(frame.columns) == ["ward_code", "ward_name", "fill", "status", "shown", "base"]
    # C has 3 offline requests: with A's figures, the borough's and C and D's 13 between them, B's
    # take-up would give them back, so it is hidden though B has 200 requests.
    assert frame[["ward_code", "status", "shown", "base"]].values.tolist() == [
        ["A", "value", "60.0%", "based on 100 requests"],
        ["B", "suppressed", "[c] hidden so that a small count nearby cannot be worked out", "based on 200 requests"],
        ["C", "suppressed", "[c] too few requests to show", "based on [c] requests"],
        ["D", "suppressed", "[c] too few requests to show", "based on [c] requests"]]


# --- Request density -------------------------------------------------------------------------------


def hexagon_rows(cells: list[tuple]) -> pd.DataFrame:
    """requests_by_hexagon: (q, r, ward, requests), centres on a line."""
    return pd.DataFrame([{"q": q, "r": r, "lon": -0.1 + q * 0.003, "lat": 51.5 + r * 0.003, "ward_code": w,
                          "requests": n} for q, r, w, n in cells])


def test_a_hidden_hexagon_cannot_be_worked_out_from_its_ward_s_total():
    """Issue 8: hexagons under the threshold were dropped, but a ward whose requests all lie in drawn
    hexagons gave the dropped one back as its total less the others."""
    c = counts([("A", 5000, 1), ("B", 5000, 2)], requests({"A": {"online": 39}, "B": {"online": 200}}))
    rows = hexagon_rows([(0, 0, "A", 20), (1, 0, "A", 15), (2, 0, "A", 4), (5, 5, "B", 120), (6, 5, "B", 80)])
    protection, hides = ward_density.protect(rows, c, INTERNAL)
    shown = protection.table("hexagons", "requests").frame.values.tolist()
    assert shown == [["0,0", 20], ["1,0", "[c]"], ["2,0", "[c]"], ["5,5", 120], ["6,5", 80]]
    assert hides == set() and not protection.disclosed().to_dict("records")
    drawn = ward_density.density(rows, 150.0, protection, INTERNAL)
    assert list(drawn.hexagons["shown"]) == ["20 requests", "120 requests", "80 requests"]
    assert str(drawn.caption) == (
        "Each hexagon is about 300 m across. Hexagons with fewer than 10 requests, or that would give such a count "
        "away, are left off, so no single report can be located: the hexagons drawn hold 92.1% of the 239 requests "
        "with a map point inside a ward.")
    assert drawn.legend.frame["label"].astype(str).tolist() == ["20 requests", "80 requests", "120 requests"]


def test_public_hexagon_counts_are_rounded():
    c = counts([("A", 5000, 1)], requests({"A": {"online": 60}}), PUBLIC)
    rows = hexagon_rows([(0, 0, "A", 23), (1, 0, "A", 37)])
    protection, _ = ward_density.protect(rows, c, PUBLIC)
    drawn = ward_density.density(rows, 250.0, protection, PUBLIC)
    assert list(drawn.hexagons["shown"]) == ["25 requests", "35 requests"]
    assert str(drawn.caption).startswith("Each hexagon is about 500 m across.")


def test_choose_size_grows_until_most_requests_are_shown():
    sizes = []

    def fetch(size: float) -> pd.DataFrame:
        sizes.append(size)
        small = size < 400  # small hexagons split the requests into cells under the threshold
        return hexagon_rows([(0, 0, "A", 5), (1, 0, "A", 5)] if small else [(0, 0, "A", 10)])

    rows, size = ward_density.choose_size(fetch, INTERNAL)
    assert sizes == [150.0, 250.0, 400.0] and size == 400.0 and list(rows["requests"]) == [10]


def test_choose_size_keeps_the_map_light():
    def fetch(size: float) -> pd.DataFrame:
        n = 2000 if size < 600 else 300  # fine hexagons would be too many to send
        return hexagon_rows([(i, 0, "A", 20) for i in range(n)])

    rows, size = ward_density.choose_size(fetch, INTERNAL, most=800)
    assert size == 600.0 and len(rows) == 300


# --- Deprivation by LSOA ---------------------------------------------------------------------------


def test_deprivation_from_real_lewisham_lsoas(real_lewisham):
    lsoa = pd.read_csv(real_lewisham / "imd2019_lsoa11.csv")
    lookup = pd.read_csv(real_lewisham / "lookup_lsoa11_to_ward2022.csv")
    out = derive_ward_deprivation(lsoa, lookup).set_index("ward_code")
    assert len(out) == 19 and out["lsoas"].sum() == 169
    # Bellingham's six LSOAs are deciles 2, 2, 2, 2, 2, 1: mean 1.83 → 2, all in England's worst 20%.
    assert out.loc["E05013714", "imd_decile"] == 2 and out.loc["E05013714", "share_most_deprived"] == 1.0
    # Sydenham's mean is exactly 3.5: a half goes to the more deprived decile.
    assert out.loc["E05013731", "imd_decile"] == 3
    assert out.loc["E05013714", "method"] == ("mean of 6 LSOA deciles, each LSOA counted once "
                                              "(no LSOA population given)")
    assert out.attrs["lsoas_without_ward"] == [] and out.attrs["lsoas_without_imd"] == []


def test_deprivation_is_population_weighted_when_lsoa_population_is_known():
    lsoa = pd.DataFrame({"LSOA11CD": ["L1", "L2", "L3"], "IMD_decile": [1, 9, 5]})
    lookup = pd.DataFrame({"LSOA11CD": ["L1", "L2", "L3"], "WD22CD": ["W1", "W1", "W2"]})
    people = pd.DataFrame({"LSOA11CD": ["L1", "L2", "L3"], "population": [3000, 1000, 1500]})
    out = derive_ward_deprivation(lsoa, lookup, people).set_index("ward_code")
    # W1: (1 × 3000 + 9 × 1000) / 4000 = 3; 75% of its people live in decile 1.
    assert out.loc["W1", "imd_decile"] == 3 and out.loc["W1", "share_most_deprived"] == 0.75
    assert out.loc["W1", "method"] == "population-weighted mean of 2 LSOA deciles"
    unweighted = derive_ward_deprivation(lsoa, lookup).set_index("ward_code")
    assert unweighted.loc["W1", "imd_decile"] == 5


@pytest.mark.parametrize("lsoa, lookup, message", [
    (pd.DataFrame({"code": ["L1"], "IMD_decile": [1]}), pd.DataFrame({"LSOA11CD": ["L1"], "WD22CD": ["W1"]}),
     "no LSOA code column"),
    (pd.DataFrame({"LSOA11CD": ["L1"], "IMD_decile": [11]}), pd.DataFrame({"LSOA11CD": ["L1"], "WD22CD": ["W1"]}),
     "whole number 1–10"),
    (pd.DataFrame({"LSOA11CD": ["L1"], "IMD_decile": [1]}),
     pd.DataFrame({"LSOA11CD": ["L1", "L1"], "WD22CD": ["W1", "W2"]}), "more than one ward"),
])
def test_deprivation_rejects_unusable_tables(lsoa, lookup, message):
    with pytest.raises(DeprivationError, match=message):
        derive_ward_deprivation(lsoa, lookup)


# --- The deck ----------------------------------------------------------------------------------------


@pytest.fixture
def shapes():
    from tests.conftest import TINY_WARDS

    gdf = geo.wards_from_frame(geo.wards_to_frame(geo_frame(TINY_WARDS)))
    return geo.simplify_for_drawing(gdf)


def geo_frame(doc: dict):
    import geopandas as gpd

    frame = gpd.GeoDataFrame.from_features(doc["features"], crs="EPSG:4326")
    return frame[["ward_code", "ward_name", "geometry"]]


KINDS = {"ward_code": LABEL, "ward_name": LABEL, "fill": LABEL, "status": LABEL, "shown": TEXT, "base": TEXT}


def two_ward_frame(hidden: bool) -> Table:
    return Table(pd.DataFrame({
        "ward_code": ["E05000001", "E05000002"], "ward_name": ["North <b>Ward</b>", "South Ward"],
        "fill": [[1, 2, 3, 235], [158, 158, 158, 235]], "status": ["value", "suppressed" if hidden else "value"],
        "shown": ["60.0%", "[c] too few requests to show"], "base": ["based on 100 requests", "based on [c] requests"]}),
        KINDS)


def test_deck_has_no_basemap_unless_the_setting_asks(shapes, monkeypatch):
    monkeypatch.delenv(maps.BASEMAP_ENV, raising=False)
    spec = json.loads(maps.ward_deck(shapes, two_ward_frame(False)).deck.to_json())
    assert spec.get("mapStyle") == "__MAP_STYLE__" and "mapProvider" not in spec
    assert "cartocdn" not in json.dumps(spec)
    monkeypatch.setenv(maps.BASEMAP_ENV, "carto")
    spec = json.loads(maps.ward_deck(shapes, two_ward_frame(False)).deck.to_json())
    assert spec["mapProvider"] == "carto" and "cartocdn" in spec["mapStyle"]


def test_deck_hatches_hidden_wards_escapes_names_and_labels_on_request(shapes):
    deck = maps.ward_deck(shapes, two_ward_frame(True), labels=True, selected="E05000001").deck
    spec = json.loads(deck.to_json())
    layers = {layer["id"]: layer for layer in spec["layers"]}
    assert set(layers) == {"wards", "wards-hatch", "wards-selected", "wards-labels"}
    props = [f["properties"] for f in layers["wards"]["data"]["features"]]
    assert props[0]["ward_name"] == "North &lt;b&gt;Ward&lt;/b&gt;"
    assert set(props[0]) == {"ward_code", "ward_name", "fill", "status", "shown", "base"}
    assert layers["wards-hatch"]["data"] and layers["wards-labels"]["data"][0]["ward_name"] == "North <b>Ward</b>"
    assert "{ward_name}" in deck._tooltip["html"] and "{shown}" in deck._tooltip["html"]


def test_hexagons_are_drawn_from_published_counts(shapes):
    hexagons = Table(pd.DataFrame({"lon": [-0.095], "lat": [51.505], "fill": [[1, 2, 3, 215]],
                                   "shown": ["12 requests"]}), {"lon": "reference", "lat": "reference",
                                                                 "fill": LABEL, "shown": TEXT})
    spec = json.loads(maps.ward_deck(shapes, two_ward_frame(False), hexagons=hexagons,
                                     hexagon_size_m=250.0).deck.to_json())
    density = next(layer for layer in spec["layers"] if layer["id"] == "wards-density")
    assert [row["shown"] for row in density["data"]] == ["12 requests"] and len(density["data"][0]["polygon"]) == 7


def test_a_map_click_is_read_from_the_selection_state():
    event = {"selection": {"indices": {"wards": [0]}, "objects": {"wards": [
        {"type": "Feature", "properties": {"ward_code": "E05000002", "ward_name": "South Ward"}}]}}}
    assert maps.selected_ward(event) == "E05000002" and maps.any_selection(event)
    empty = {"selection": {"indices": {}, "objects": {}}}
    assert maps.selected_ward(empty) is None and not maps.any_selection(empty) and maps.selected_ward(None) is None


def test_view_fits_the_wards():
    view = maps.view_for((-0.10, 51.49, -0.09, 51.51), width_px=640, height_px=560)
    assert view.longitude == pytest.approx(-0.095) and view.latitude == pytest.approx(51.5)
    # 0.032° of stretched latitude must fit 560 px: 2^zoom ≤ 560 / 512 × 360 / 0.0321.
    assert 13.0 < view.zoom < 13.7


def test_a_60_ward_borough_draws_in_under_a_megabyte(real_lewisham):
    """Issue 4: Lewisham's real boundaries tiled three times side by side (57 wards) plus three of
    them again further east make a 60-ward borough of real-world vertex density."""
    base = read_boundaries(real_lewisham / "wards_2022.geojson")
    width = base.total_bounds[2] - base.total_bounds[0]
    tiles = []
    for copy, rows in enumerate((base, base, base, base.head(3))):
        shifted = rows.copy()
        shifted["geometry"] = shapely.transform(rows.geometry.values, lambda xy, k=copy: xy + [k * width * 1.05, 0])
        shifted["ward_code"] = [f"E0599{copy}{i:03d}" for i in range(len(rows))]
        tiles.append(shifted)
    sixty = gpd.GeoDataFrame(pd.concat(tiles, ignore_index=True), geometry="geometry", crs=base.crs)
    assert len(sixty) == 60
    shapes = geo.simplify_for_drawing(geo.wards_from_frame(geo.wards_to_frame(sixty)))
    frame = pd.DataFrame({"ward_code": sixty["ward_code"], "ward_name": sixty["ward_name"],
                          "fill": [[10, 20, 30, 235]] * 60, "status": "shown",
                          "shown": "1,234.5 per 1,000", "base": "based on 12,345 requests"})
    deck = maps.ward_deck(shapes, Table(frame, KINDS), labels=True, selected=frame["ward_code"].iloc[0]).deck
    size = len(json.dumps(json.loads(deck.to_json())).encode())
    assert size < 1_000_000, size  # about 121 KB when measured
