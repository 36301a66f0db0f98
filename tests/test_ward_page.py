"""The Ward maps page in AppTest: on the demo borough and on the real Lewisham files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from pulse import db, ui
from tests.conftest import ROOT

PAGE = "views/wards.py"
TEXT_KEYS = ("ward_name", "shown", "base")


@pytest.fixture
def open_page(monkeypatch):
    """open_page(db_path, shared={…}, **url) → the app opened with the shared filters, then the ward page."""

    def run(path: Path, shared: dict | None = None, **query: str) -> AppTest:
        monkeypatch.setenv("PULSE_DB", str(path))
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        for key, value in (shared or {}).items():  # the shared filters are read from the opening link
            at.query_params[key] = value
        at.run()
        # Parameters given as the page opens, as a link to /wards?… would give them.
        for key, value in query.items():
            at.query_params[key] = value
        at.switch_page(PAGE)
        at.run()
        assert not at.exception, at.exception
        return at

    return run


def deck(at: AppTest, index: int = 0) -> dict:
    return json.loads(at.get("deck_gl_json_chart")[index].proto.json)


def features(spec: dict, layer: str = "wards") -> list[dict]:
    chosen = next(item for item in spec["layers"] if item["id"] == layer)
    return [f["properties"] for f in chosen["data"]["features"]]


def rank_table(at: AppTest) -> pd.DataFrame:
    """The "All wards, ranked" table (the profile's charts put their own tables before it)."""
    return next(d.value for d in at.dataframe if "Rank" in d.value.columns)


def page_text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [w.value for w in at.warning]
    parts += [f"{m.label} {m.value} {m.delta}" for m in at.metric] + [h.proto.body for h in at.get("html")]
    return "\n".join(parts)


# --- The demo borough --------------------------------------------------------------------------------


def test_page_draws_every_ward_with_a_legend_and_stays_small(open_page, demo_db):
    at = open_page(demo_db)
    raw = at.get("deck_gl_json_chart")[0].proto.json
    assert len(raw.encode()) < 1_000_000
    props = features(deck(at))
    assert len(props) == 20 and all(p["status"] == "value" for p in props)
    assert all(re.fullmatch(r"[\d,]+\.\d per 1,000", p["shown"]) for p in props)
    legend = next(h.proto.body for h in at.get("html") if "Requests per 1,000 residents" in h.proto.body)
    assert legend.count("4 wards") == 5  # quantiles: five classes of four wards
    assert "Whole borough: **" in page_text(at)
    assert rank_table(at).shape[0] == 20


def test_switching_the_metric_redraws_the_map(open_page, demo_db):
    at = open_page(demo_db)
    before = deck(at)
    at.selectbox(key="ward_metric").select("digital_takeup").run()
    after = deck(at)
    assert [p["fill"] for p in features(before)] != [p["fill"] for p in features(after)]
    assert all(p["shown"].endswith("%") for p in features(after))
    assert "Digital take-up (share)" in rank_table(at).columns
    at.selectbox(key="ward_classes").select("natural_breaks").run()
    assert not at.exception and "(natural breaks)" in page_text(at)


def test_picking_a_ward_opens_its_profile_and_puts_it_in_the_url(open_page, demo_db):
    at = open_page(demo_db)
    assert not at.metric, "no profile until a ward is picked"
    code = "E05900001"
    at.selectbox(key="ward_profile").select(code).run()
    assert at.query_params["ward_profile"] == code
    labels = [m.label for m in at.metric]
    assert labels[:3] == ["Requests per 1,000 residents", "Requests", "Digital take-up"]
    assert all(m.value not in ("", "–") for m in at.metric)
    assert any(m.delta.endswith("vs borough") for m in at.metric)
    # The selection survives other changes, and the map outlines the ward.
    at.selectbox(key="ward_metric").select("user_satisfaction").run()
    assert at.selectbox(key="ward_profile").value == code and at.query_params["ward_profile"] == code
    outlined = next(item for item in deck(at)["layers"] if item["id"] == "wards-selected")
    assert [f["properties"]["ward_code"] for f in outlined["data"]["features"]] == [code]
    assert len(at.get("vega_lite_chart")) >= 3  # take-up and satisfaction trends, services, channels


def test_a_link_with_a_ward_opens_its_profile(open_page, demo_db):
    at = open_page(demo_db, ward_profile="E05900010")
    assert at.selectbox(key="ward_profile").value == "E05900010"
    assert at.markdown and any(m.value == "#### Pulseford Central" for m in at.markdown)
    assert at.query_params["ward_profile"] == "E05900010"
    # A code in the link that is no ward opens no profile, and does not break the page.
    assert open_page(demo_db, ward_profile="<script>").selectbox(key="ward_profile").value is None


def test_a_click_on_the_map_opens_the_profile(open_page, demo_db):
    at = open_page(demo_db)
    clicked = {"selection": {"indices": {"wards": [3]}, "objects": {"wards": [
        {"type": "Feature", "properties": {"ward_code": "E05900004", "ward_name": "Hollins Cross"}}]}}}
    at.session_state["ward_map_0"] = clicked
    at.run()
    assert at.selectbox(key="ward_profile").value == "E05900004"
    # The click was read, so the next chart is a fresh one: no ward stays faded by the selection.
    assert at.session_state["pulse_generations"]["ward_map"] == 1


def test_small_numbers_never_reach_the_deck_table_or_text(open_page, demo_db):
    rare = "Tree preservation enquiry"
    at = open_page(demo_db, shared={"service": [rare]})
    applied = at.session_state[ui.FILTERS_KEY]
    assert applied.services == (rare,)
    params = {**applied.params(), "wards": None}
    raw = db.run("metrics_by_ward", params, demo_db)
    small = raw[(raw["level"] == "ward") & (raw["requests"] < 10)]
    assert len(small) >= 3, "the filter leaves some wards with fewer than 10 requests"
    props = {p["ward_code"]: p for p in features(deck(at))}
    for code in small["ward_code"]:
        assert props[code]["status"] == "suppressed"
        assert not re.search(r"\d", props[code]["shown"] + props[code]["base"])
    # Every number in any tooltip text is at least the threshold or a rate; no count under 10.
    for p in props.values():
        for count in re.findall(r"based on ([\d,]+)", p["base"]):
            assert int(count.replace(",", "")) >= 10
    assert any(item["id"] == "wards-hatch" for item in deck(at)["layers"])
    table = rank_table(at)
    hidden = table[table["Code"].isin(small["ward_code"])]
    assert set(hidden["Based on (requests)"]) == {"[c]"} and hidden.iloc[:, 3].isna().all()
    shown = table[table["Based on (requests)"] != "[c]"]
    assert (shown["Based on (requests)"].str.replace(",", "").astype(int) >= 10).all()
    # Every hidden ward is a primary one or hidden beside one, and the model behind it says nothing more.
    assert set(table.loc[table["Based on (requests)"] == "[c]", "Code"]) >= set(small["ward_code"])
    assert not re.search(r"\b[1-9] (requests|ratings|responses)\b", page_text(at))
    # A hidden ward's profile shows "[c]" where its figures would be.
    at.selectbox(key="ward_profile").select(small["ward_code"].iloc[0]).run()
    values = {m.label: m.value for m in at.metric}
    assert values["Requests"] == "[c] too few requests to show"
    assert values["Digital take-up"] == "[c] too few requests to show"


def test_public_safe_figures_round_every_count_to_five(open_page, demo_db):
    at = open_page(demo_db, shared={"public": "1"})
    assert at.session_state[ui.FILTERS_KEY].public_safe
    at.button_group(key="ward_extras").set_value(["density"]).run()
    counts = [int(row["shown"].split()[0].replace(",", "")) for layer in deck(at)["layers"]
              if layer["id"] == "wards-density" for row in layer["data"]]
    assert counts and all(n % 5 == 0 for n in counts)
    based_on = rank_table(at)["Based on (requests)"]
    assert based_on.size == 20 and all(int(str(v).replace(",", "")) % 5 == 0 for v in based_on)


def test_request_density_and_deprivation_alongside(open_page, demo_db):
    at = open_page(demo_db)
    at.button_group(key="ward_extras").set_value(["names", "beside", "density"]).run()
    assert not at.exception
    main, beside = deck(at, 0), deck(at, 1)
    density = next(item for item in main["layers"] if item["id"] == "wards-density")
    counts = [int(row["shown"].split()[0].replace(",", "")) for row in density["data"]]
    assert counts and min(counts) >= 10
    assert any(item["id"] == "wards-labels" for item in main["layers"])
    assert {p["shown"].split()[0] for p in features(beside, "deprivation")} == {"IMD"}
    assert "Each hexagon is about" in page_text(at)
    assert len(json.dumps(main).encode()) < 1_000_000


def test_priority_wards_and_deprivation_scatter(open_page, demo_db):
    at = open_page(demo_db)
    text = page_text(at)
    assert re.search(r"1\. \*\*[^*]+\*\* — Digital take-up [\d.]+%, [\d.]+ points below the borough's", text)
    assert "The more deprived half of wards" in text
    assert any("Download priority wards" in b.proto.label for b in at.get("download_button"))


# --- The real Lewisham data ---------------------------------------------------------------------------


def lewisham_folder(real: Path, folder: Path, boundaries: str, deprivation: bool) -> Path:
    """A source folder beside the real files: links to them, a pulse.toml, optionally derived IMD."""
    from pulse.ingest.deprivation import derive_ward_deprivation

    folder.mkdir(parents=True)
    (folder / "fixmystreet_open311_reports.csv").symlink_to(real / "fixmystreet_open311_reports.csv")
    (folder / "boundaries").symlink_to(real / ("wards_2022_bng_shapefile" if boundaries == "shp" else "."))
    files = "boundaries/wards_2022.shp" if boundaries == "shp" else "boundaries/wards_2022.geojson"
    population = pd.read_csv(real / "ward_population_2020.csv", usecols=["WD22CD_proposed", "Total"])
    population.columns = ["ward_code", "population"]
    if deprivation:
        derived = derive_ward_deprivation(pd.read_csv(real / "imd2019_lsoa11.csv"),
                                          pd.read_csv(real / "lookup_lsoa11_to_ward2022.csv"))
        population = population.merge(derived[["ward_code", "imd_decile"]], on="ward_code", how="left")
    population.to_csv(folder / "ward_population.csv", index=False)
    (folder / "pulse.toml").write_text(
        f'[wards]\nfiles = "{files}"\n\n[service_requests]\nfiles = "fixmystreet_open311_reports.csv"\n'
        # No snapping: the 19 reports just outside the borough stay outside, so the page's note on them shows.
        'snap_metres = 0\n\n'
        '[ward_population]\nfiles = "ward_population.csv"\n')
    return folder


@pytest.fixture(scope="module", params=["geojson", "shp"])
def lewisham_db(request, tmp_path_factory) -> Path:
    """The real Lewisham files ingested once per boundary format (WGS84 GeoJSON, BNG shapefile)."""
    from tests.conftest import REAL
    from pulse.ingest import ingest

    if not REAL.is_dir():
        pytest.skip(f"real data folder {REAL} is absent")
    base = tmp_path_factory.mktemp(f"lewisham-{request.param}")
    folder = lewisham_folder(REAL, base / "source", request.param, deprivation=request.param == "shp")
    ingest(folder, base / "pulse.duckdb")
    return base / "pulse.duckdb"


def test_page_runs_on_real_lewisham(open_page, lewisham_db):
    at = open_page(lewisham_db)
    props = features(deck(at))
    assert len(props) == 19 and {p["ward_name"] for p in props} >= {"Bellingham", "Lewisham Central", "Sydenham"}
    assert len(at.get("deck_gl_json_chart")[0].proto.json.encode()) < 1_000_000
    # FixMyStreet reports all come online or by app: take-up cannot vary, and the page says so.
    assert at.selectbox(key="ward_metric").options == ["Requests per 1,000 residents", "Requests"]
    text = page_text(at)
    assert "with a map point outside every ward" in text and "counted in every whole-borough figure" in text
    assert rank_table(at).shape[0] == 19
    at.selectbox(key="ward_profile").select("E05013725").run()
    assert not at.exception and any(m.value == "#### Ladywell" for m in at.markdown)
    at.button_group(key="ward_extras").set_value(["density"]).run()
    density = next(item for item in deck(at)["layers"] if item["id"] == "wards-density")
    assert min(int(row["shown"].split()[0].replace(",", "")) for row in density["data"]) >= 10


def test_real_lewisham_deprivation_by_lsoa_reaches_the_page(open_page, lewisham_db):
    at = open_page(lewisham_db)
    derived = "shp" in str(lewisham_db)
    text = page_text(at)
    if derived:
        assert "The more deprived half of wards" in text
        at.selectbox(key="ward_profile").select("E05013714").run()
        assert "IMD decile 2 (1 = most deprived 10% in England)" in page_text(at)
        at.button_group(key="ward_extras").set_value(["beside"]).run()
        assert len(features(deck(at, 1), "deprivation")) == 19
    else:
        assert any("No deprivation figures are loaded" in i.value for i in at.info)
