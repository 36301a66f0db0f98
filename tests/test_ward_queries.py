"""The ward map's query files, each run on the tiny fixture (and a small located one) with exact rows."""

from __future__ import annotations

import datetime as dt
import json
import math
from datetime import datetime
from pathlib import Path

import pytest

from pulse import db
from pulse.filters import Filters
from tests.conftest import TINY_WARDS

NORTH, SOUTH = "E05000001", "E05000002"
JAN, FEB = dt.date(2026, 1, 1), dt.date(2026, 2, 1)
# Metres in a degree near the tiny wards (latitude 51.5): what the page passes to the hexagon query.
PER_LON, PER_LAT = 111_320.0 * math.cos(math.radians(51.5)), 111_320.0


def records(frame) -> list[tuple]:
    out = []
    for row in frame.itertuples(index=False):
        values = []
        for v in row:
            if hasattr(v, "hour"):
                v = v.date()
            elif isinstance(v, float) and math.isnan(v):
                v = None
            elif v is not None and type(v).__name__ == "NAType":
                v = None
            values.append(v)
        out.append(tuple(values))
    return out


METRIC_COLUMNS = ["level", "ward_code", "population", "imd_decile", "requests", "digital_requests",
                  "closed_requests", "median_days_to_resolve", "closed_with_due", "closed_within_target",
                  "feedback", "ratings", "satisfied", "requests_per_1000", "digital_takeup", "user_satisfaction",
                  "resolved_within_target"]


def test_metrics_by_ward(tiny_query):
    # North: R01 R02 R06 R07 R10 (4 digital), all closed (1, 14, 1, 1, 1 days), R02 late; F1 F2 F4 F5
    # (F5 said "good", not on the 5-point scale), F1 satisfied. South: R03 R04 R08 R09 (R03 app, R09
    # online), R04 closed in 1 day on time, R08 in 18 days late. Unmapped: R05 (email, no due date),
    # F3 (4). The borough row counts every row, mapped or not.
    frame = tiny_query("metrics_by_ward")[METRIC_COLUMNS]
    assert records(frame) == [
        ("ward", NORTH, 1200, 2, 5, 4, 5, 1.0, 5, 4, 4, 3, 1, pytest.approx(1000 * 5 / 1200), 0.8,
         pytest.approx(1 / 3), 0.8),
        ("ward", SOUTH, 800, 9, 4, 2, 2, 9.5, 2, 1, 0, 0, 0, 5.0, 0.5, None, 0.5),
        ("unmapped", None, None, None, 1, 0, 1, 1.0, 0, 0, 1, 1, 1, None, 0.0, 1.0, None),
        ("borough", None, 2000, None, 10, 6, 8, 1.0, 7, 5, 5, 4, 2, 5.0, 0.6, 0.5, pytest.approx(5 / 7)),
    ]


def test_metrics_by_ward_follows_the_filters(tiny_query):
    # February only: North R06 R07 R10 (all digital); South R08 (phone, 18 days) and R09 (online, open).
    frame = tiny_query("metrics_by_ward", date_from=dt.date(2026, 2, 1), date_to=dt.date(2026, 2, 28))
    assert records(frame[["level", "requests", "digital_requests", "closed_requests", "median_days_to_resolve"]]) == [
        ("ward", 3, 3, 3, 1.0), ("ward", 2, 1, 1, 18.0), ("unmapped", 0, 0, 0, None), ("borough", 5, 4, 4, 1.0)]
    # The ward filter keeps only the chosen wards, and the borough row is theirs alone.
    chosen = tiny_query("metrics_by_ward", wards=[SOUTH])
    assert records(chosen[["level", "ward_code", "requests", "population"]]) == [
        ("ward", SOUTH, 4, 800), ("unmapped", None, 0, None), ("borough", None, 4, 800)]


def test_boundaries_by_ward(tiny_query):
    frame = tiny_query("boundaries_by_ward")
    assert records(frame[["ward_code", "ward_name", "centroid_lon", "centroid_lat"]]) == [
        (NORTH, "North Ward", pytest.approx(-0.095), pytest.approx(51.505)),
        (SOUTH, "South Ward", pytest.approx(-0.095), pytest.approx(51.495)),
    ]
    assert all(isinstance(g, (bytes, bytearray)) and len(g) > 0 for g in frame["geometry"])


def test_requests_by_area(tiny_query):
    # North: R01 R06 R07 online, R10 app, R02 phone; South: R03 app, R09 online, R04 face to face, R08
    # phone; R05 (email) has no ward at all.
    assert records(tiny_query("requests_by_area")) == [
        (NORTH, None, None, "app", 1), (NORTH, None, None, "online", 3), (NORTH, None, None, "phone", 1),
        (SOUTH, None, None, "app", 1), (SOUTH, None, None, "face_to_face", 1), (SOUTH, None, None, "online", 1),
        (SOUTH, None, None, "phone", 1), (None, "none", None, "email", 1)]


def test_feedback_by_area(tiny_query):
    # North: F5 ("good", not on the 5-point scale), F2 (2) and F4 (3), F1 (5); F3 (4) has no ward.
    assert records(tiny_query("feedback_by_area")) == [
        (NORTH, None, None, False, False, 1), (NORTH, None, None, True, False, 2), (NORTH, None, None, True, True, 1),
        (None, "none", None, True, True, 1)]


def test_closed_by_area(tiny_query):
    # North: all five closed, R02 after its due date; South: R04 on time, R08 late; R05 closed, no due date.
    assert records(tiny_query("closed_by_area")) == [
        (NORTH, True, False, 1), (NORTH, True, True, 4), (SOUTH, True, False, 1), (SOUTH, True, True, 1),
        (None, False, False, 1)]


def test_ward_requests_by_channel_service_quarter(tiny_query):
    assert records(tiny_query("ward_requests_by_channel_service_quarter", ward_code=NORTH)) == [
        (True, JAN, "app", "Council tax", 1), (True, JAN, "online", "Missed bin", 3),
        (True, JAN, "phone", "Missed bin", 1), (False, JAN, "app", "Pothole", 1),
        (False, JAN, "email", "Council tax", 1), (False, JAN, "face_to_face", "Pothole", 1),
        (False, JAN, "online", "Council tax", 1), (False, JAN, "phone", "Pothole", 1)]


def test_ward_feedback_by_quarter(tiny_query):
    assert records(tiny_query("ward_feedback_by_quarter", ward_code=NORTH)) == [
        (True, JAN, False, False, 1), (True, JAN, True, False, 2), (True, JAN, True, True, 1),
        (False, JAN, True, True, 1)]


def test_ward_comments_by_themes(tiny_query):
    # F1 ("Quick and easy, thanks") and F2 ("Waited ages on the phone…") carry comments; F4 and F5 have none.
    rows = records(tiny_query("ward_comments_by_themes", ward_code=NORTH))
    assert rows == [("Long wait on the phone", 1), ("Sorted quickly", 1)]
    stored = records(tiny_query("voice_comments_by_month_ward_themes"))
    north = sorted((t, n) for _, ward, t, _, n, _ in stored if ward == NORTH)
    assert sorted(rows) == north  # the themes the Resident voice page counts, ward by ward


def test_requests_by_hexagon_is_empty_without_coordinates(tiny_query):
    frame = tiny_query("requests_by_hexagon", size=250.0, metres_per_lon=PER_LON, metres_per_lat=PER_LAT)
    assert list(frame.columns) == ["q", "r", "lon", "lat", "ward_code", "requests"] and frame.empty


# --- A located fixture: points inside each ward, an old ward code, a point outside every ward ---


@pytest.fixture(scope="module")
def located_db(tmp_path_factory) -> Path:
    """12 requests at one spot in North, 3 in South, 2 with an old ward code, 1 outside every ward."""
    from pulse.ingest import ingest

    folder = tmp_path_factory.mktemp("located")
    (folder / "wards.geojson").write_text(json.dumps(TINY_WARDS))
    rows = ["request_id,created_at,service,channel,ward_code,latitude,longitude"]
    for i in range(12):  # within a few metres of North's middle
        rows.append(f"N{i:02d},2026-01-{i + 1:02d} 09:00,Pothole,{'online' if i < 9 else 'phone'},,"
                    f"{51.505 + i * 1e-5:.5f},-0.09500")
    for i in range(3):
        rows.append(f"S{i},2026-01-0{i + 1} 09:00,Pothole,phone,,51.49500,-0.09500")
    rows += ["OLD1,2026-01-02 09:00,Graffiti,phone,E05999999,,", "OLD2,2026-01-03 09:00,Graffiti,online,E05999999,,",
             "FAR1,2026-01-04 09:00,Graffiti,online,,51.60000,-0.20000"]
    (folder / "service_requests.csv").write_text("\n".join(rows) + "\n")
    (folder / "ward_population.csv").write_text(f"ward_code,population,imd_decile\n{NORTH},1200,2\n{SOUTH},800,9\n")
    ingest(folder, folder / "pulse.duckdb", now=datetime(2026, 11, 29, 12, 0))
    return folder / "pulse.duckdb"


def run(path: Path, name: str, **params):
    return db.run(name, {**Filters().params(), **params}, path=path)


def test_requests_by_hexagon_bins_points_in_sql(located_db):
    frame = run(located_db, "requests_by_hexagon", size=250.0, metres_per_lon=PER_LON, metres_per_lat=PER_LAT)
    assert list(frame["requests"]) == [3, 12]  # south first: rows run south to north
    assert list(frame["ward_code"]) == [SOUTH, NORTH]
    for (lon, lat), n in zip(frame[["lon", "lat"]].itertuples(index=False), frame["requests"]):
        # Each centre is on the lattice and within one hexagon size of the points it holds.
        spot = (-0.095, 51.495) if n == 3 else (-0.095, 51.505)
        metres = math.hypot((lon - spot[0]) * PER_LON, (lat - spot[1]) * PER_LAT)
        assert metres <= 250.0
    q, r = frame.loc[1, ["q", "r"]]
    assert frame.loc[1, "lon"] == pytest.approx(250.0 * math.sqrt(3) * (q + r / 2) / PER_LON, abs=1e-6)
    assert frame.loc[1, "lat"] == pytest.approx(250.0 * 1.5 * r / PER_LAT, abs=1e-6)


def test_requests_by_area_counts_old_codes_and_stray_points(located_db):
    assert records(run(located_db, "requests_by_area")) == [
        (NORTH, None, None, "online", 9), (NORTH, None, None, "phone", 3), (SOUTH, None, None, "phone", 3),
        (None, "outside", None, "online", 1), (None, "unmatched", "E05999999", "online", 1),
        (None, "unmatched", "E05999999", "phone", 1)]


def test_unmapped_rows_stay_in_the_borough_total(located_db):
    frame = run(located_db, "metrics_by_ward")
    assert records(frame[["level", "ward_code", "requests", "digital_requests"]]) == [
        ("ward", NORTH, 12, 9), ("ward", SOUTH, 3, 0), ("unmapped", None, 3, 2), ("borough", None, 18, 11)]
