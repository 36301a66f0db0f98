"""Ward map logic: suppression, colour classes, legends, profiles, priority wards, deprivation, the deck."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from pulse import geo, wards
from pulse.charts import maps
from pulse.ingest.deprivation import DeprivationError, derive_ward_deprivation

LIMIT = 10
COUNTS = ["requests", "digital_requests", "closed_requests", "closed_with_due", "closed_within_target",
          "feedback", "ratings", "satisfied"]


def raw_frame(rows: list[dict]) -> pd.DataFrame:
    """A metrics_by_ward result from a few hand-written rows; rates are worked out as the SQL does."""
    frame = pd.DataFrame(rows)
    for column in COUNTS:
        frame[column] = frame[column].fillna(0).astype(int) if column in frame else 0
    for column, default in (("ward_name", None), ("population", np.nan), ("imd_decile", np.nan),
                            ("median_days_to_resolve", np.nan), ("area_km2", np.nan)):
        if column not in frame:
            frame[column] = default
    frame["ward_name"] = frame["ward_name"].fillna(frame["ward_code"])
    frame["requests_per_1000"] = 1000 * frame["requests"] / frame["population"]
    frame["digital_takeup"] = frame["digital_requests"] / frame["requests"].replace(0, np.nan)
    frame["satisfaction"] = frame["satisfied"] / frame["ratings"].replace(0, np.nan)
    frame["within_target"] = frame["closed_within_target"] / frame["closed_with_due"].replace(0, np.nan)
    return frame


def borough_of(rows: list[dict]) -> list[dict]:
    """rows, an empty unmapped row and the borough row summing them."""
    unmapped = {"level": "unmapped", "ward_code": None}
    total = {"level": "borough", "ward_code": None, "population": sum(r.get("population", 0) for r in rows)}
    for column in COUNTS:
        total[column] = sum(r.get(column, 0) for r in rows)
    return rows + [unmapped, total]


def ward(code: str, requests: int, digital: int, decile: int | None = None, population: int = 10_000, **more) -> dict:
    return {"level": "ward", "ward_code": code, "requests": requests, "digital_requests": digital,
            "imd_decile": decile, "population": population, **more}


# --- Suppression -----------------------------------------------------------------------------------


def test_small_counts_and_rates_on_them_are_hidden():
    raw = raw_frame(borough_of([ward("A", 100, 60, 1), ward("B", 40, 10, 2), ward("C", 7, 5, 3), ward("D", 30, 3, 4)]))
    safe = wards.safe_metrics(raw, LIMIT)
    by = safe.set_index(safe["ward_code"].fillna(safe["level"]))
    assert by.loc["C", "requests"] == wards.SUPPRESSED and np.isnan(by.loc["C", "digital_takeup"])
    # C alone (7) would be borough − the rest: the next smallest part is hidden too (the unmapped
    # row, zero), and as 7 + 0 is still under the threshold, then D (30).
    assert by.loc["unmapped", "requests"] == wards.SUPPRESSED
    assert by.loc["D", "requests"] == wards.SUPPRESSED and np.isnan(by.loc["D", "digital_takeup"])
    assert by.loc["A", "requests"] == 100 and by.loc["A", "digital_takeup"] == 0.6
    assert by.loc["borough", "requests"] == 177
    # Numerators are never passed on: only their rates, which rest on shown denominators.
    assert not {"digital_requests", "satisfied", "closed_within_target"} & set(safe.columns)


def test_no_secondary_suppression_when_no_ward_is_hidden():
    # Only the unmapped row is small; it belongs to no neighbourhood, so no ward is hidden for it.
    raw = raw_frame(borough_of([ward("A", 100, 60), ward("B", 40, 10)]))
    raw.loc[raw["level"] == "unmapped", "requests"] = 3
    safe = wards.safe_metrics(raw, LIMIT)
    assert list(safe["requests"]) == [100, 40, wards.SUPPRESSED, 140]


def test_threshold_is_a_setting(monkeypatch):
    raw = raw_frame(borough_of([ward("A", 100, 60), ward("B", 40, 10), ward("C", 30, 20)]))
    monkeypatch.setenv("PULSE_SUPPRESS_THRESHOLD", "35")
    safe = wards.safe_metrics(raw)
    assert safe.attrs["threshold"] == 35
    # C's 30 is under 35; with the (empty) unmapped row it is still under, so B goes too.
    assert list(safe["requests"][:3]) == [100, wards.SUPPRESSED, wards.SUPPRESSED]


def test_show_count_and_show_value():
    metric = wards.METRICS["satisfaction"]
    assert wards.show_count(1234, LIMIT) == "1,234"
    assert wards.show_count(9, LIMIT) == wards.SUPPRESSED and wards.show_count(0, LIMIT) == wards.SUPPRESSED
    assert wards.show_count(wards.SUPPRESSED, LIMIT) == wards.SUPPRESSED
    assert wards.show_count(13, LIMIT, public_safe=True) == "15"
    assert wards.show_value(metric, 0.6789, 40) == "67.9%"
    assert wards.show_value(metric, np.nan, wards.SUPPRESSED) == "[c] too few ratings to show"
    assert wards.show_value(wards.METRICS["requests_per_1000"], 86.72, 1561) == "86.7 per 1,000"
    assert wards.show_value(wards.METRICS["median_days_to_resolve"], 6.15, 99) == "6.2 days"


# --- Classes, colours, legend ---------------------------------------------------------------------


def test_quantile_and_natural_break_classes():
    values = pd.Series(np.arange(1, 11, dtype=float))
    q = wards.classify(values, "quantiles")
    assert q.bounds == pytest.approx((2.8, 4.6, 6.4, 8.2, 10.0))
    assert list(q.ward_class) == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]
    assert q.colours == tuple(wards.YLGNBU[5])
    jenks = wards.classify(pd.Series([1, 2, 3, 10, 11, 12, 30, 31, 32.0]), "natural_breaks", k=3)
    assert jenks.bounds == (3.0, 12.0, 32.0) and list(jenks.ward_class) == [0, 0, 0, 1, 1, 1, 2, 2, 2]


def test_hidden_and_equal_values_get_no_class():
    classes = wards.classify(pd.Series([np.nan, 0.5, 0.5, np.nan]))
    assert list(classes.ward_class) == [-1, 0, 0, -1] and len(classes.bounds) == 1
    assert wards.classify(pd.Series([np.nan, np.nan])).bounds == ()


def test_legend_lists_classes_then_suppressed_wards():
    raw = raw_frame(borough_of([ward(c, n, d) for c, n, d in
                                (("A", 100, 50), ("B", 200, 120), ("C", 300, 240), ("D", 5, 1), ("E", 8, 2))]))
    safe = wards.safe_metrics(raw, LIMIT)
    metric = wards.METRICS["digital_takeup"]
    classes = wards.classify(wards.values(safe[safe["level"] == "ward"], metric), "quantiles", k=3)
    entries = wards.legend(classes, metric, safe)
    # Take-up 50%, 60% and 80% in thirds; D and E (5 and 8 requests) hidden.
    assert [(e.label, e.wards, e.hatched) for e in entries] == [
        ("50% to 57%", 1, False), ("57% to 67%", 1, False), ("67% to 80%", 1, False),
        ("[c] not shown: fewer than 10 requests", 2, True)]
    assert entries[-1].colour == wards.SUPPRESSED_COLOUR
    html = maps.legend_html(entries, "Digital take-up <script>")
    assert "&lt;script&gt;" in html and "repeating-linear-gradient" in html


def test_legend_adds_decimals_until_classes_differ():
    metric = wards.METRICS["requests_per_1000"]
    raw = raw_frame(borough_of([ward(c, n, 0, population=100_000) for c, n in (("A", 70), ("B", 78), ("C", 82))]))
    safe = wards.safe_metrics(raw, LIMIT)
    classes = wards.classify(wards.values(safe[safe["level"] == "ward"], metric), "quantiles", k=3)
    labels = [e.label for e in wards.legend(classes, metric, safe)]
    assert labels == ["0.70 to 0.75 per 1,000", "0.75 to 0.79 per 1,000", "0.79 to 0.82 per 1,000"]


def test_map_frame_carries_only_text_and_colours():
    raw = raw_frame(borough_of([ward("A", 100, 60), ward("B", 200, 50), ward("C", 4, 1), ward("D", 9, 9)]))
    safe = wards.safe_metrics(raw, LIMIT)
    metric = wards.METRICS["digital_takeup"]
    frame = wards.map_frame(safe, metric, wards.classify(wards.values(safe[safe["level"] == "ward"], metric)))
    assert list(frame.columns) == ["ward_code", "ward_name", "fill", "status", "shown", "base"]
    hidden = frame[frame["ward_code"].isin(["C", "D"])]
    assert set(hidden["status"]) == {"suppressed"}
    assert set(hidden["shown"]) == {"[c] too few requests to show"} and set(hidden["base"]) == {"based on [c] requests"}
    assert list(frame.loc[frame["ward_code"] == "A", ["shown", "base"]].iloc[0]) == ["60.0%", "based on 100 requests"]


# --- Tables ----------------------------------------------------------------------------------------


def test_rank_table_and_its_download_hide_small_numbers():
    raw = raw_frame(borough_of([ward("A", 100, 60, 1), ward("B", 200, 50, 5), ward("C", 4, 1, 2), ward("D", 9, 9, 9)]))
    safe = wards.safe_metrics(raw, LIMIT)
    table = wards.rank_table(safe, wards.METRICS["digital_takeup"])
    assert list(table.columns) == ["Rank", "Ward", "Code", "Digital take-up (%)", "Based on (requests)", "Note",
                                   "IMD decile", "Population"]
    assert list(table["Code"]) == ["A", "B", "C", "D"]
    assert list(table["Digital take-up (%)"][:2]) == [60.0, 25.0] and table["Digital take-up (%)"][2:].isna().all()
    assert list(table["Based on (requests)"]) == ["100", "200", "[c]", "[c]"]
    # The download is this table: C's 4 requests (1 online) and D's 9 (all online) cannot be read from it.
    lines = table.to_csv(index=False).splitlines()
    assert lines[3:] == [",C,C,,[c],[c] too few requests to show,2,10000",
                         ",D,D,,[c],[c] too few requests to show,9,10000"]


def test_unmatched_note_counts_rows_without_a_ward():
    unmatched = pd.DataFrame({"table_name": ["service_requests", "service_requests", "feedback"],
                              "how": ["unmatched", "outside", "none"], "ward_given": ["E05999999", None, None],
                              "rows": [1234, 3, 11]})
    note = wards.unmatched_note(unmatched, LIMIT)
    assert note.startswith("Not on the map, but counted in every whole-borough figure")
    assert "1,237 requests" in note and "E05999999 (1,234)" in note and "fewer than 10 with a map point" in note
    assert "11 feedback responses" in note
    assert wards.unmatched_note(unmatched.iloc[0:0]) is None


# --- Profile ---------------------------------------------------------------------------------------


def test_profile_against_borough_and_same_decile_wards():
    raw = raw_frame(borough_of([
        ward("A", 100, 40, 1, ratings=50, satisfied=30), ward("B", 300, 150, 1, ratings=100, satisfied=80),
        ward("C", 200, 100, 1, ratings=5, satisfied=5), ward("D", 400, 300, 8, ratings=200, satisfied=150)]))
    safe = wards.safe_metrics(raw, LIMIT)
    prof = wards.profile(safe, raw, "A", ["digital_takeup", "satisfaction", "requests"]).set_index("metric")
    assert prof.loc["digital_takeup", "ward"] == 0.4 and prof.loc["digital_takeup", "borough"] == 0.59
    # Peers are B and C (decile 1), pooled from their counts: (150 + 100) / (300 + 200).
    assert prof.loc["digital_takeup", "peers"] == 0.5 and prof.loc["digital_takeup", "peer_wards"] == 2
    # C's 5 ratings are hidden, so only B pools for satisfaction: C's figure cannot be subtracted out.
    assert prof.loc["satisfaction", "peers"] == 0.8 and prof.loc["satisfaction", "peer_wards"] == 1
    assert prof.loc["requests", "borough_shown"] == "250 (average ward)"
    assert wards.difference_text(prof.reset_index().iloc[0]) == "-19.0 pts vs borough"
    assert "B" not in wards.profile_caption(prof) and "2 other decile-1 wards" in wards.profile_caption(prof)


def test_trend_hides_quarters_on_small_bases():
    monthly = pd.DataFrame({
        "period": pd.to_datetime(["2026-01-01", "2026-02-01", "2026-04-01"]),
        "ward_requests": [6, 6, 4], "ward_digital": [3, 3, 4], "borough_requests": [60, 60, 40],
        "borough_digital": [30, 30, 20], "ward_ratings": [0, 0, 0], "ward_satisfied": [0, 0, 0],
        "borough_ratings": [20, 0, 5], "borough_satisfied": [10, 0, 5]})
    series = wards.trend(monthly, LIMIT)
    assert [tuple(r) for r in series.itertuples(index=False)] == [
        (pd.Timestamp("2026-01-01"), "Ward", "Digital take-up", 0.5),
        (pd.Timestamp("2026-01-01"), "Borough", "Digital take-up", 0.5),
        (pd.Timestamp("2026-04-01"), "Borough", "Digital take-up", 0.5),
        (pd.Timestamp("2026-01-01"), "Borough", "User satisfaction", 0.5)]


def test_shares_hide_small_ward_cells():
    frame = pd.DataFrame({"channel": ["online", "face_to_face", "post"], "ward_requests": [90, 20, 3],
                          "borough_requests": [900, 80, 20]})
    out = wards.shares(frame, "channel", LIMIT)
    assert list(out["channel"]) == ["online", "face to face", "post"]
    assert list(out["ward_requests"]) == ["90", "20", "[c]"]
    assert out["ward_share"][:2].round(4).tolist() == [round(90 / 113, 4), round(20 / 113, 4)]
    assert np.isnan(out["ward_share"][2]) and out["borough_share"].tolist() == [0.9, 0.08, 0.02]


def test_themes_leave_out_rare_ones():
    comments = pd.DataFrame({"comment": ["Waited ages on the phone"] * 12 + ["The website form crashed"] * 3})
    assert [tuple(r) for r in wards.themes(comments, LIMIT).itertuples(index=False)] == [
        ("waiting time", "12"), ("phone/contact centre", "12")]
    assert list(wards.themes(comments, LIMIT, public_safe=True)["comments"]) == ["10", "10"]


# --- Priority wards --------------------------------------------------------------------------------


def test_priority_wards_low_takeup_and_high_deprivation_ranked_with_reasons():
    raw = raw_frame(borough_of([
        ward("A", 1000, 400, 1), ward("B", 1000, 450, 2), ward("C", 1000, 700, 1), ward("D", 1000, 300, 9),
        ward("E", 1000, 480, 3), ward("F", 1000, 800, 8)]))
    top = wards.priority_wards(wards.safe_metrics(raw, LIMIT))
    # Borough take-up 52.2%; the more deprived half is deciles 1–2 (median 2.5). C is deprived but
    # above the borough; D and E are below it but less deprived.
    assert list(top["Code"]) == ["A", "B"]
    assert top.loc[0, "Why"] == ("Digital take-up 40.0%, 12.2 points below the borough's 52.2%. IMD decile 1: "
                                 "among the 10% most deprived areas in England. 600 requests came by phone, "
                                 "in person or another offline channel.")
    assert "1. **A** — Digital take-up 40.0%" in wards.priority_markdown(top)


def test_priority_wards_need_takeup_and_deprivation():
    raw = raw_frame(borough_of([ward("A", 1000, 400), ward("B", 1000, 450)]))
    assert wards.priority_wards(wards.safe_metrics(raw, LIMIT)).empty


def test_metrics_a_single_channel_source_cannot_show():
    raw = raw_frame(borough_of([ward("A", 100, 100), ward("B", 50, 50)]))
    shown, missing = wards.available_metrics(raw)
    assert shown == ["requests_per_1000", "requests"]
    assert missing["digital_takeup"].startswith("every request in the data came online or by app")
    assert missing["satisfaction"] == "no ratings in the data"


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


def two_ward_frame(hidden: bool) -> pd.DataFrame:
    return pd.DataFrame({
        "ward_code": ["E05000001", "E05000002"], "ward_name": ["North <b>Ward</b>", "South Ward"],
        "fill": [[1, 2, 3, 235], [158, 158, 158, 235]], "status": ["value", "suppressed" if hidden else "value"],
        "shown": ["60.0%", "[c] too few requests to show"], "base": ["based on 100 requests", "based on [c] requests"]})


def test_deck_has_no_basemap_unless_the_setting_asks(shapes, monkeypatch):
    monkeypatch.delenv(maps.BASEMAP_ENV, raising=False)
    spec = json.loads(maps.ward_deck(shapes, two_ward_frame(False)).to_json())
    assert spec.get("mapStyle") == "__MAP_STYLE__" and "mapProvider" not in spec
    assert "cartocdn" not in json.dumps(spec)
    monkeypatch.setenv(maps.BASEMAP_ENV, "carto")
    spec = json.loads(maps.ward_deck(shapes, two_ward_frame(False)).to_json())
    assert spec["mapProvider"] == "carto" and "cartocdn" in spec["mapStyle"]


def test_deck_hatches_hidden_wards_escapes_names_and_labels_on_request(shapes):
    deck = maps.ward_deck(shapes, two_ward_frame(True), labels=True, selected="E05000001")
    spec = json.loads(deck.to_json())
    layers = {layer["id"]: layer for layer in spec["layers"]}
    assert set(layers) == {"wards", "wards-hatch", "wards-selected", "wards-labels"}
    props = [f["properties"] for f in layers["wards"]["data"]["features"]]
    assert props[0]["ward_name"] == "North &lt;b&gt;Ward&lt;/b&gt;"
    assert set(props[0]) == {"ward_code", "ward_name", "fill", "status", "shown", "base"}
    assert layers["wards-hatch"]["data"] and layers["wards-labels"]["data"][0]["ward_name"] == "North <b>Ward</b>"
    assert "{ward_name}" in deck._tooltip["html"] and "{shown}" in deck._tooltip["html"]


def test_hexagons_are_drawn_from_checked_counts(shapes):
    hexagons = wards.visible_hexagons(pd.DataFrame({"q": [1, 2], "r": [1, 1], "lon": [-0.095, -0.094],
                                                    "lat": [51.505, 51.505], "requests": [12, 4]}), LIMIT)
    assert list(hexagons["requests"]) == [12] and hexagons.attrs["dropped_requests"] == 4
    frame, entries = wards.density_frame(hexagons)
    spec = json.loads(maps.ward_deck(shapes, two_ward_frame(False), hexagons=frame, hexagon_size_m=250.0).to_json())
    density = next(layer for layer in spec["layers"] if layer["id"] == "wards-density")
    assert [row["shown"] for row in density["data"]] == ["12 requests"] and len(density["data"][0]["polygon"]) == 7
    assert entries[0].label == "12 requests"


def test_choose_hexagons_grows_until_most_requests_are_shown():
    sizes = []

    def fetch(size: float) -> pd.DataFrame:
        sizes.append(size)
        small = size < 400  # small hexagons split the requests into cells under the threshold
        return pd.DataFrame({"q": [0, 1], "r": [0, 0], "lon": [0.0, 0.1], "lat": [51.0, 51.0],
                             "requests": [5, 5] if small else [10, 0]})

    hexagons, size = wards.choose_hexagons(fetch)
    assert sizes == [150.0, 250.0, 400.0] and size == 400.0 and list(hexagons["requests"]) == [10]


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


def test_choose_hexagons_keeps_the_map_light():
    def fetch(size: float) -> pd.DataFrame:
        n = 2000 if size < 600 else 300  # fine hexagons would be too many to send
        return pd.DataFrame({"q": range(n), "r": 0, "lon": 0.0, "lat": 51.0, "requests": 20})

    hexagons, size = wards.choose_hexagons(fetch, most=800)
    assert size == 600.0 and len(hexagons) == 300


def test_a_60_ward_borough_draws_in_under_a_megabyte(real_lewisham):
    """Issue 4: Lewisham's real boundaries tiled three times side by side (57 wards) plus three of
    them again further east make a 60-ward borough of real-world vertex density."""
    base = geo.read_boundaries(real_lewisham / "wards_2022.geojson")
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
    deck = maps.ward_deck(shapes, frame, labels=True, selected=frame["ward_code"].iloc[0])
    size = len(json.dumps(json.loads(deck.to_json())).encode())
    assert size < 1_000_000, size  # about 121 KB when measured
