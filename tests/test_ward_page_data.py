"""The Ward maps page on small borough files written for each finding (issue 8) and on partial data (issue 14).

Three square wards side by side: North, South and East. North has 1,827 requests (3 of them by post),
South 900; East's 59 all have a map point, 4 of them at a spot of their own. 54 requests hold no
ward on the map: 40 with an old code, 3 with a point outside every ward, 11 with nothing.
"""

from __future__ import annotations

import io
import json
import re
from datetime import datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from tests.audit.collect import outputs
from tests.conftest import ROOT

NORTH, SOUTH, EAST = "E05000301", "E05000302", "E05000303"
WARDS = ((NORTH, "North Ward", -0.12), (SOUTH, "South Ward", -0.10), (EAST, "East Ward", -0.08))
PAGE = "views/wards.py"
UNTIDY = re.compile(r"\b(None|nan|NaN|NaT)\b|(?<![\w.])-0(?:\.0+)?(?![\d.,])")


def boundaries() -> dict:
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"ward_code": code, "ward_name": name},
         "geometry": {"type": "Polygon", "coordinates": [[[x, 51.50], [x + 0.02, 51.50], [x + 0.02, 51.52],
                                                          [x, 51.52], [x, 51.50]]]}}
        for code, name, x in WARDS]}


def write_borough(folder: Path, population: bool = True, channels: dict | None = None,
                  wards: tuple = WARDS) -> Path:
    """The borough's exports: requests only (no closure dates, no feedback), optionally ward populations."""
    folder.mkdir(parents=True)
    (folder / "wards.geojson").write_text(json.dumps({**boundaries(), "features": [
        f for f in boundaries()["features"] if f["properties"]["ward_code"] in {w[0] for w in wards}]}))
    rows, number = [], 0

    def add(n: int, channel: str, ward: str = "", lat: str = "", lon: str = "") -> None:
        nonlocal number
        for _ in range(n):
            number += 1
            rows.append(f"R{number:05d},2025-{1 + number % 12:02d}-{1 + number % 27:02d} 10:00,"
                        f"{'Missed bin' if number % 3 else 'Pothole'},{channel},{ward},{lat},{lon}")

    for channel, n in (channels or {"online": 1000, "phone": 824, "post": 3}).items():
        add(n, channel, NORTH)
    if any(w[0] == SOUTH for w in wards):
        add(500, "online", SOUTH)
        add(400, "phone", SOUTH)
    if any(w[0] == EAST for w in wards):
        for n, lon in ((30, "-0.07500"), (25, "-0.06500"), (4, "-0.06200")):
            add(n, "online", "", "51.50600" if n != 25 else "51.51600", lon)
    add(40, "phone", "E05999999")
    add(3, "phone", "", "51.60000", "-0.20000")
    add(11, "email")
    (folder / "service_requests.csv").write_text(
        "request_id,created_at,service,channel,ward_code,latitude,longitude\n" + "\n".join(rows) + "\n")
    if population:
        (folder / "ward_population.csv").write_text(
            f"ward_code,population,imd_decile\n{NORTH},12000,2\n{SOUTH},15000,5\n{EAST},3000,8\n")
    return folder


def ingest(folder: Path) -> Path:
    from pulse.ingest import ingest as load

    load(folder, folder / "pulse.duckdb", now=datetime(2026, 11, 29, 12, 0))
    return folder / "pulse.duckdb"


@pytest.fixture(scope="module")
def borough_db(tmp_path_factory) -> Path:
    return ingest(write_borough(tmp_path_factory.mktemp("findings") / "exports"))


@pytest.fixture
def open_page(monkeypatch):
    def run(path: Path, **query: str) -> AppTest:
        monkeypatch.setenv("PULSE_DB", str(path))
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        for key, value in query.items():
            at.query_params[key] = value
        at.run()
        at.switch_page(PAGE)
        at.run()
        assert not at.exception, [e.message for e in at.exception]
        return at

    return run


def deck(at: AppTest, layer: str = "wards") -> list[dict]:
    spec = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    chosen = next(item for item in spec["layers"] if item["id"] == layer)
    data = chosen["data"]
    return [f["properties"] for f in data["features"]] if isinstance(data, dict) else data


def table_with(at: AppTest, column: str) -> pd.DataFrame:
    return next(d.value for d in at.dataframe if column in d.value.columns)


def chart_data(at: AppTest, title: str) -> pd.DataFrame:
    """What a chart sends to the browser: its inline data, or its named datasets."""
    chart = next(c for c in at.get("vega_lite_chart") if title in c.proto.spec)
    buffers = [chart.proto.data.data] + [d.data.data for d in chart.proto.datasets]
    return pd.concat([pa.ipc.open_stream(io.BytesIO(b)).read_all().to_pandas() for b in buffers if b])


def text(at: AppTest) -> str:
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption] + [w.value for w in at.warning])


def cannot_show(at: AppTest) -> list[str]:
    """The lines of "What this data cannot show", listed once under the map settings."""
    box = next(e for e in at.expander if e.label.startswith("What this data cannot show"))
    return box.markdown[0].value.splitlines()


def untidy(at: AppTest) -> list[str]:
    return [found.group(0) + " in " + item[:120] for item in outputs(at) for found in UNTIDY.finditer(item)]


# --- Issue 8, one finding each -------------------------------------------------------------------------


def test_public_rates_per_1000_are_worked_out_from_the_rounded_count(open_page, borough_db):
    """Before: 1,827 ÷ 12,000 went out as 152.25 (table, chart) and "152.2 per 1,000" (tooltip): × 12 it
    gave back the 1,827 that public-safe rounding (1,825) hides."""
    at = open_page(borough_db, public="1")
    north = next(p for p in deck(at) if p["ward_code"] == NORTH)
    assert (north["shown"], north["base"]) == ("150 per 1,000", "based on 1,825 requests")
    table = table_with(at, "Rank").set_index("Code")
    assert table.loc[NORTH, "Requests per 1,000 residents"] == 150
    assert chart_data(at, "against deprivation").set_index("ward_code").loc[NORTH, "value"] == 150
    inside = open_page(borough_db)
    assert next(p for p in deck(inside) if p["ward_code"] == NORTH)["shown"] == "152.3 per 1,000"


def test_profile_channel_shares_hide_one_more_channel_beside_the_ward_total(open_page, borough_db):
    """Before: online 54.7% and phone 45.1% (to 4 places) beside North's 1,827 gave the 3 by post back."""
    at = open_page(borough_db, ward_profile=NORTH)
    sent = chart_data(at, "How residents got in touch")
    drawn = sent[sent["of"] == "Ward"].dropna(subset=["share"])
    assert drawn[["channel", "share"]].values.tolist() == [["online", 0.547]]
    mix = table_with(at, "channel").set_index("channel")
    assert mix.loc["post", "ward_text"] == "[c]" and mix.loc["phone", "ward_text"] == "[c]"
    assert "Requests|1,827" in "|".join(f"{m.label}|{m.value}" for m in at.metric)


def test_unmapped_note_does_not_give_back_a_part_as_the_total_less_the_others(open_page, borough_db):
    """Before: "54 requests: 40 …; fewer than 10 with a map point outside every ward; 11 with no ward" — 3."""
    note = next(w.value for w in open_page(borough_db).warning)
    assert note == ("Not on the map, but counted in every whole-borough figure — 54 requests: 40 with a ward code "
                    "or name that matches no boundary, such as an old code from before a boundary review (E05999999 "
                    "(40)); [c] with a map point outside every ward; [c] with no ward or location. The Data page "
                    "lists them by source file.")


def test_a_hexagon_left_off_cannot_be_worked_out_from_the_ward_total(open_page, borough_db):
    """Before: East's 30 and 25 were drawn and its 59 were in the table: the 4 left off were the difference."""
    at = open_page(borough_db)
    at.button_group(key="ward_extras").set_value(["density"]).run()
    assert [row["shown"] for row in deck(at, "wards-density")] == ["30 requests"]
    assert table_with(at, "Rank").set_index("Code").loc[EAST, "Requests per 1,000 residents"] == 19.7
    assert "the hexagons drawn hold 50.8% of the 59 requests with a map point inside a ward" in text(at)


def test_public_safe_counts_are_multiples_of_five_everywhere(open_page, borough_db):
    at = open_page(borough_db, public="1", ward_profile=NORTH)
    at.selectbox(key="ward_metric").select("requests").run()
    at.button_group(key="ward_extras").set_value(["density"]).run()
    counts = [int(n.replace(",", "")) for row in deck(at, "wards-density") for n in re.findall(r"[\d,]+", row["shown"])]
    counts += [int(v.replace(",", "")) for v in table_with(at, "Rank")["Requests"] if v != "[c]"]
    counts += [int(m.value.replace(",", "")) for m in at.metric if m.label == "Requests"]
    assert counts and all(n % 5 == 0 for n in counts)


# --- Issue 14: partial data ----------------------------------------------------------------------------


def test_a_requests_only_export_says_once_what_it_cannot_show(open_page, tmp_path):
    at = open_page(ingest(write_borough(tmp_path / "exports", population=False)))
    assert at.selectbox(key="ward_metric").options == ["Requests", "Digital take-up"]
    assert cannot_show(at) == [
        "- **Requests per 1,000 residents**: no ward populations. It needs ward populations (ward_population).",
        "- **User satisfaction**: no ratings in the data. It needs a feedback export with ratings.",
        "- **Median days to resolve**: no closed requests in the data. It needs a closed date (closed_at) in the "
        "service requests export.",
        "- **Requests resolved within target**: no closed requests with a target in the data. It needs a closed date "
        "and a due date (due_at).",
        "- **Feedback responses**: no responses in the data. It needs a feedback export."]
    table = table_with(at, "Rank")
    assert table.set_index("Code").loc[NORTH, "Requests"] == "1,827"
    download = at.get("download_button")[0]
    assert download is not None and not untidy(at)
    csv = table_with(at, "Rank").to_csv(index=False)
    assert ".0," not in csv and "1827.0" not in csv


def test_a_single_ward_and_a_single_channel(open_page, tmp_path):
    at = open_page(ingest(write_borough(tmp_path / "exports", channels={"online": 200}, wards=WARDS[:1])))
    assert at.selectbox(key="ward_metric").options == ["Requests per 1,000 residents", "Requests", "Digital take-up"]
    # 200 online in North, 54 offline requests no ward holds: take-up can differ, and the note says the rest.
    at.selectbox(key="ward_profile").select(NORTH).run()
    assert not at.exception and not untidy(at)
    assert [m.label for m in at.metric][:2] == ["Requests per 1,000 residents", "Requests"]


def test_every_channel_digital_means_take_up_is_not_offered(open_page, tmp_path):
    folder = write_borough(tmp_path / "exports", channels={"online": 300, "app": 100}, wards=WARDS[:1])
    frame = pd.read_csv(folder / "service_requests.csv")
    frame = frame[frame["channel"].isin(["online", "app"])]
    frame.to_csv(folder / "service_requests.csv", index=False)
    at = open_page(ingest(folder))
    assert at.selectbox(key="ward_metric").options == ["Requests per 1,000 residents", "Requests"]
    assert cannot_show(at)[0] == (
        "- **Digital take-up**: every request came online or by app, so take-up cannot differ between wards. It "
        "needs requests through both digital and assisted channels (phone, face to face, post…).")
    assert any("Priority wards need digital take-up" in i.value for i in at.info)
    assert not untidy(at)


def test_the_real_lewisham_reports_read_tidily(open_page, real_lewisham, tmp_path):
    from tests.conftest import lewisham_database

    at = open_page(lewisham_database(real_lewisham, tmp_path), ward_profile="E05013725")
    assert not untidy(at)
    assert cannot_show(at)[0].startswith("- **Digital take-up**: every request came online or by app")
    counts = table_with(at, "Rank")["Based on (requests)"]
    assert all(v == "[c]" or re.fullmatch(r"\d[\d,]*", v) for v in counts)


def test_the_threshold_is_a_setting(open_page, borough_db, monkeypatch):
    monkeypatch.setenv("PULSE_SUPPRESS_THRESHOLD", "1000")
    at = open_page(borough_db)
    shown = {p["ward_code"]: p["shown"] for p in deck(at)}
    assert shown == {NORTH: "152.3 per 1,000", SOUTH: "[c] too few requests to show",
                     EAST: "[c] too few requests to show"}
    assert "Counts under 1,000 show as “[c]”" in at.caption[0].value
