"""The demo borough: canonical files, deterministic, geographically sound, with its story visible."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely
from shapely.geometry import shape

from pulse import demo, schema

REQUESTS = 20_000
FILES = (
    "README.txt",
    "wards.geojson",
    "ward_population.csv",
    "service_requests.parquet",
    "service_requests_legacy_crm.csv",
    "feedback.csv",
    "adoption.parquet",
    "kpis.csv",
    "kpi_values.csv",
    "events.csv",
    "actions.csv",
)
START, END = pd.Timestamp("2023-11-01"), pd.Timestamp("2026-11-01")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("demo")
    return out, demo.generate(out, requests=REQUESTS, seed=7)


@pytest.fixture(scope="module")
def folder(built) -> Path:
    return built[0]


@pytest.fixture(scope="module")
def requests(folder) -> pd.DataFrame:
    return pd.read_parquet(folder / "service_requests.parquet")


@pytest.fixture(scope="module")
def feedback(folder) -> pd.DataFrame:
    return pd.read_csv(folder / "feedback.csv", dtype={"comment": str}, keep_default_na=False, na_values=[""])


@pytest.fixture(scope="module")
def adoption(folder) -> pd.DataFrame:
    return pd.read_parquet(folder / "adoption.parquet")


@pytest.fixture(scope="module")
def wards(folder) -> dict:
    return json.loads((folder / "wards.geojson").read_text(encoding="utf-8"))


def test_every_file_is_written_with_canonical_columns(folder):
    assert sorted(p.name for p in folder.iterdir()) == sorted(FILES)
    tables = {
        "service_requests.parquet": schema.SERVICE_REQUESTS,
        "adoption.parquet": schema.ADOPTION,
    }
    for name, table in tables.items():
        assert list(pd.read_parquet(folder / name).columns) == list(table.names)
    csvs = {
        "ward_population.csv": schema.WARD_POPULATION,
        "feedback.csv": schema.FEEDBACK,
        "kpis.csv": schema.KPIS,
        "kpi_values.csv": schema.KPI_VALUES,
        "events.csv": schema.EVENTS,
    }
    for name, table in csvs.items():
        columns = list(pd.read_csv(folder / name, nrows=0).columns)
        assert set(columns) <= set(table.names), name
        assert set(table.required) <= set(columns), name
    assert list(pd.read_csv(folder / "feedback.csv", nrows=0).columns) == [
        "feedback_id", "submitted_at", "rating", "service", "channel", "ward_code", "comment", "request_id",
    ]


def test_parquet_types_match_the_contract(folder):
    import pyarrow.parquet as pq

    types = {f.name: str(f.type) for f in pq.read_schema(folder / "service_requests.parquet")}
    assert types["created_at"] == types["closed_at"] == types["due_at"] == "timestamp[us]"
    assert types["latitude"] == types["longitude"] == "double"
    assert types["resolved_first_contact"] == "bool"
    assert types["request_id"] == types["channel"] == "string"
    adoption_types = {f.name: str(f.type) for f in pq.read_schema(folder / "adoption.parquet")}
    assert adoption_types["month"] == "date32[day]"
    assert adoption_types["value"] == "double"


def test_row_counts_match_the_summary(built, requests, feedback, adoption):
    folder, summary = built
    assert summary["service_requests"] == len(requests) == REQUESTS
    assert summary["feedback"] == len(feedback)
    assert summary["adoption"] == len(adoption)
    assert summary["wards"] == summary["ward_population"] == 20
    assert summary["kpis"] == len(pd.read_csv(folder / "kpis.csv"))
    assert summary["kpi_values"] == len(pd.read_csv(folder / "kpi_values.csv"))
    assert summary["events"] == len(pd.read_csv(folder / "events.csv"))


def test_same_seed_gives_the_same_bytes(folder, tmp_path):
    demo.generate(tmp_path, requests=REQUESTS, seed=7)
    for name in FILES:
        assert (tmp_path / name).read_bytes() == (folder / name).read_bytes(), name


def test_another_seed_gives_another_borough(folder, tmp_path):
    demo.generate(tmp_path, requests=2_000, seed=8)
    assert (tmp_path / "wards.geojson").read_bytes() != (folder / "wards.geojson").read_bytes()


def test_readme_says_synthetic_with_seed_and_size(folder):
    text = (folder / "README.txt").read_text(encoding="utf-8")
    assert "SYNTHETIC" in text and "python -m pulse demo" in text
    assert "seed 7" in text and f"{REQUESTS:,}" in text


def test_wards_form_one_contiguous_borough_without_overlaps(wards):
    features = wards["features"]
    assert len(features) == 20
    codes = [f["properties"]["ward_code"] for f in features]
    assert codes == [f"E059{i:05d}" for i in range(1, 21)]
    names = [f["properties"]["ward_name"] for f in features]
    assert len(set(names)) == 20 and all(n.strip() for n in names)
    polygons = [shape(f["geometry"]) for f in features]
    assert all(p.geom_type == "Polygon" and p.is_valid for p in polygons)
    for i, a in enumerate(polygons):
        for b in polygons[i + 1 :]:
            assert a.intersection(b).area < 1e-12
    union = shapely.union_all(polygons)
    assert union.geom_type == "Polygon"
    assert abs(union.area - sum(p.area for p in polygons)) < 1e-9
    # On land in England, WGS84, and borough-sized (about 8 × 10 km).
    minx, miny, maxx, maxy = union.bounds
    assert -2.5 < minx < maxx < -0.5 and 52.0 < miny < maxy < 53.5
    assert 6 < (maxx - minx) * 67.2 < 11 and 8 < (maxy - miny) * 110.6 < 12


def test_ward_boundaries_are_not_a_grid(wards):
    # Voronoi cells of jittered points, bent: ward areas and vertex counts vary.
    polygons = [shape(f["geometry"]) for f in wards["features"]]
    areas = np.array([p.area for p in polygons])
    assert areas.max() / areas.min() > 1.4
    assert min(len(p.exterior.coords) for p in polygons) > 20


def test_ward_population_and_deprivation(folder, wards):
    pop = pd.read_csv(folder / "ward_population.csv")
    assert list(pop.ward_code) == [f["properties"]["ward_code"] for f in wards["features"]]
    assert pop.population.between(9_000, 18_000).all()
    assert pop.imd_decile.between(1, 10).all()
    assert (pop.imd_decile <= 3).sum() >= 4 and (pop.imd_decile >= 8).sum() >= 4
    # The deprived wards cluster: each borders another deprived ward.
    polygons = {f["properties"]["ward_code"]: shape(f["geometry"]) for f in wards["features"]}
    deprived = list(pop.loc[pop.imd_decile <= 3, "ward_code"])
    for code in deprived:
        others = [polygons[c] for c in deprived if c != code]
        assert any(polygons[code].buffer(1e-6).intersects(o) for o in others), code


def test_every_request_point_lies_inside_its_own_ward(requests, wards):
    polygons = {f["properties"]["ward_code"]: shape(f["geometry"]) for f in wards["features"]}
    located = requests[requests.latitude.notna()]
    assert 0.6 < len(located) / len(requests) < 0.8
    assert requests.latitude.isna().eq(requests.longitude.isna()).all()
    with_ward = located[located.ward_code.notna()]
    for code, rows in with_ward.groupby("ward_code"):
        inside = shapely.contains_xy(polygons[code], rows.longitude.to_numpy(), rows.latitude.to_numpy())
        assert inside.all(), code
    # A few located requests carry no ward code: ingest must place them by point-in-polygon.
    assert 0 < located.ward_code.isna().sum() < 0.03 * len(located)
    assert requests.loc[requests.latitude.isna(), "ward_code"].notna().all()
    union = shapely.union_all(list(polygons.values()))
    orphans = located[located.ward_code.isna()]
    assert shapely.contains_xy(union, orphans.longitude.to_numpy(), orphans.latitude.to_numpy()).all()


def test_request_values_are_canonical(requests):
    assert requests.request_id.is_unique
    assert requests.request_id.str.fullmatch(r"SR\d{9}").all()
    assert requests.customer_ref.str.fullmatch(r"C[0-9a-f]{10}").all()
    assert set(requests.channel) <= set(schema.CHANNELS)
    assert set(requests.status) == {"closed", "open"}
    closed = requests.status == "closed"
    assert set(requests.outcome[closed]) <= {"completed", "not_eligible", "error", "dropped_out"}
    assert requests.outcome[~closed].isna().all() and requests.closed_at[~closed].isna().all()
    assert requests.closed_at[closed].notna().all()
    assert 0.80 < closed.mean() < 0.92
    assert requests.service_code.str.fullmatch(r"\d+").all()
    assert 35 <= requests.service.nunique() <= 50
    assert requests.directorate.nunique() == 8
    assert requests.groupby("service").directorate.nunique().eq(1).all()
    # First-contact resolution is recorded by people: phone, counter and e-mail only.
    recorded = requests.resolved_first_contact.notna()
    assert set(requests.channel[recorded]) <= {"phone", "face_to_face", "email"}
    assert requests.resolved_first_contact[requests.channel.isin(["phone", "face_to_face"])].notna().all()


def test_request_dates_are_consistent_and_inside_the_three_years(requests):
    assert requests.created_at.min() >= START and requests.created_at.max() < END
    assert requests.created_at.is_monotonic_increasing
    closed = requests.closed_at.notna()
    assert (requests.closed_at[closed] >= requests.created_at[closed]).all()
    assert requests.closed_at.max() < END
    due = requests.due_at.notna()
    assert (requests.due_at[due] > requests.created_at[due]).all()
    assert 0.5 < due.mean() < 1
    within = (requests.closed_at <= requests.due_at)[closed & due].mean()
    assert 0.78 < within < 0.93


def test_digital_take_up_shifts_from_40_to_60_percent(requests):
    digital = requests.channel.isin(schema.DIGITAL_CHANNELS)
    first = digital[requests.created_at < pd.Timestamp("2024-02-01")].mean()
    last = digital[requests.created_at >= pd.Timestamp("2026-08-01")].mean()
    assert 0.33 < first < 0.47 and 0.53 < last < 0.68
    assert last - first > 0.10


def test_take_up_rises_more_slowly_in_deprived_wards(folder, requests):
    pop = pd.read_csv(folder / "ward_population.csv")
    rows = requests.merge(pop, on="ward_code")
    rows["digital"] = rows.channel.isin(schema.DIGITAL_CHANNELS)
    rows["year"] = rows.created_at.dt.year
    deprived = rows[rows.imd_decile <= 3]
    affluent = rows[rows.imd_decile >= 8]

    def rise(frame):
        return frame[frame.year == 2026].digital.mean() - frame[frame.year == 2024].digital.mean()

    assert rise(deprived) < rise(affluent)
    assert deprived.digital.mean() < affluent.digital.mean()
    assert (deprived.channel == "face_to_face").mean() > (affluent.channel == "face_to_face").mean()


def _share(frame: pd.DataFrame, start: str, end: str, channel: str = "online") -> float:
    rows = frame[(frame.created_at >= pd.Timestamp(start)) & (frame.created_at < pd.Timestamp(end))]
    return (rows.channel == channel).mean()


def test_bin_form_event_steps_environment_online_share(requests):
    waste = requests[requests.directorate == "Environment & Waste"]
    before = _share(waste, "2024-06-02", "2024-09-02")
    after = _share(waste, "2024-09-02", "2024-12-02")
    assert after - before > 0.10


def test_council_tax_account_event_steps_online_share(requests):
    tax = requests[requests.service.str.startswith("Council tax")]
    assert _share(tax, "2026-01-12", "2026-04-12") - _share(tax, "2025-10-12", "2026-01-12") > 0.08


def test_repairs_triage_cuts_median_days_to_resolve(requests):
    repairs = requests[(requests.service == "Housing repair") & requests.closed_at.notna()]
    days = (repairs.closed_at - repairs.created_at).dt.total_seconds() / 86400
    before = days[(repairs.created_at >= "2024-06-02") & (repairs.created_at < "2025-06-02")].median()
    after = days[(repairs.created_at >= "2025-06-02") & (repairs.created_at < "2026-06-02")].median()
    assert 0.5 < after / before < 0.85


def test_seasonality(requests):
    month = requests.created_at.dt.month
    garden = month[requests.service == "Garden waste subscription"]
    assert garden.isin([4, 5, 6, 7]).sum() > 2 * garden.isin([11, 12, 1, 2]).sum()
    potholes = month[requests.service == "Pothole"]
    assert potholes.isin([12, 1, 2]).sum() > 1.8 * potholes.isin([6, 7, 8]).sum()
    tax = month[requests.service == "Council tax enquiry"]
    assert tax.isin([3, 4]).sum() > 1.4 * tax.isin([9, 10]).sum()


def test_some_customers_contact_again_within_seven_days(requests):
    rows = requests.sort_values("created_at")
    gap = rows.groupby(["customer_ref", "service"]).created_at.diff()
    repeat = (gap <= pd.Timedelta(days=7)).mean()
    assert 0.025 < repeat < 0.08


def test_feedback_links_to_requests_with_plausible_ratings(feedback, requests):
    assert 0.07 < len(feedback) / len(requests) < 0.13
    assert feedback.feedback_id.is_unique
    assert feedback.rating.between(1, 5).all()
    assert 0.58 < (feedback.rating >= 4).mean() < 0.78
    assert set(feedback.request_id) <= set(requests.request_id)
    assert set(feedback.channel) <= set(schema.CHANNELS)
    submitted = pd.to_datetime(feedback.submitted_at, format="ISO8601")
    assert submitted.min() >= START and submitted.max() < END
    closed = requests.set_index("request_id").closed_at
    assert (submitted.to_numpy() >= closed.loc[feedback.request_id].to_numpy()).all()
    assert 0.3 < feedback.comment.notna().mean() < 0.5


def test_slow_closures_are_rated_lower(feedback, requests):
    rows = feedback.merge(requests[["request_id", "closed_at", "due_at"]], on="request_id")
    late = rows.closed_at > rows.due_at
    on_time = rows.closed_at <= rows.due_at
    assert (rows.rating[late] >= 4).mean() < (rows.rating[on_time] >= 4).mean() - 0.1


def test_comments_carry_fake_personal_data_for_redaction(feedback):
    comments = feedback.comment.dropna()
    patterns = {
        "email": r"[\w.]+@example\.(?:com|org)",
        "mobile": r"07700 ?900\d{3}",
        "london": r"020 7946 0\d{3}",
        "postcode": r"\bPF\d \d[A-Z]{2}\b",
        "name": r"My name is [A-Z][a-z]+ [A-Z][a-z]+",
    }
    found = {k: comments.str.contains(p, regex=True).sum() for k, p in patterns.items()}
    assert all(n > 0 for n in found.values()), found
    any_pii = comments.str.contains("|".join(patterns.values()), regex=True)
    assert 0.01 < any_pii.mean() < 0.06
    # Only invented details: no e-mail domains but example.*, no mobile numbers outside the drama range.
    assert not comments.str.contains(r"@(?!example\.(?:com|org))", regex=True).any()
    assert not comments.str.contains(r"07\d{3} ?(?!900)\d{3}", regex=True).any()
    # Comments with commas, quotes and line breaks survive the CSV round trip.
    assert comments.str.contains("\n").any() and comments.str.contains(",").any()
    assert comments.str.contains('"').any()


def test_adoption_people_roles_and_months(adoption):
    assert set(adoption.role_level) == set(schema.ROLE_LEVELS)
    assert set(adoption.activity) == set(demo.ACTIVITIES)
    assert adoption.person_id.str.fullmatch(r"P[0-9a-f]{8}").all()
    assert adoption.groupby("person_id")[["role_level", "directorate"]].nunique().eq(1).all().all()
    months = pd.to_datetime(pd.Series(adoption.month.unique())).sort_values()
    assert len(months) == 36 and (months.dt.day == 1).all()
    assert months.iloc[0] == START and months.iloc[-1] == pd.Timestamp("2026-10-01")
    per_month = adoption.groupby("month").person_id.nunique()
    assert per_month.between(1_300, 1_700).all()
    people = adoption.drop_duplicates("person_id")
    assert per_month.max() < len(people)  # some staff turnover
    latest = adoption[adoption.month == adoption.month.max()].drop_duplicates("person_id")
    counts = latest.role_level.value_counts()
    assert counts["executive"] == 8 and 35 <= counts["senior_leader"] <= 45
    assert 150 <= counts["manager"] <= 250
    flags = adoption[adoption.activity != "teams_meetings"].value
    assert set(flags.unique()) <= {0.0, 1.0}
    meetings = adoption[adoption.activity == "teams_meetings"].value
    assert (meetings >= 0).all() and meetings.max() > 1


def test_leaders_lead_in_some_directorates_and_lag_in_others(adoption):
    recent = adoption[(pd.to_datetime(adoption.month) >= "2025-11-01") & (adoption.activity != "teams_meetings")]
    recent = recent.assign(leader=recent.role_level.isin(schema.LEADER_LEVELS))
    share = recent.groupby(["directorate", "leader"]).value.mean().unstack()
    gap = share[True] - share[False]
    assert (gap > 0.10).sum() >= 2
    assert (gap < -0.10).sum() >= 2
    signing = recent[recent.activity == "e_signature"].groupby(["directorate", "leader"]).value.mean().unstack()
    assert signing.loc["Adult Social Care", True] < 0.1 < signing.loc["Adult Social Care", False]


def test_leading_directorates_grow_digital_take_up_faster(adoption, requests):
    recent = adoption[(pd.to_datetime(adoption.month) >= "2025-11-01") & (adoption.activity != "teams_meetings")]
    leaders = recent[recent.role_level.isin(schema.LEADER_LEVELS)].groupby("directorate").value.mean()
    rows = requests.assign(digital=requests.channel.isin(schema.DIGITAL_CHANNELS), year=requests.created_at.dt.year)
    by_year = rows.groupby(["directorate", "year"]).digital.mean().unstack()
    growth = by_year[2026] - by_year[2024]
    assert np.corrcoef(leaders.loc[growth.index], growth)[0, 1] > 0.5


def test_kpi_catalogue(folder):
    kpis = pd.read_csv(folder / "kpis.csv")
    assert kpis.id.is_unique and 9 <= len(kpis) <= 12
    assert set(kpis.polarity) <= set(schema.POLARITIES)
    assert set(kpis.frequency) == {"monthly"}
    assert 4 <= kpis.challenge.nunique() <= 5
    computed = {
        "kpi_digital_takeup_by_month", "kpi_completion_rate_by_month", "kpi_resolved_within_target_by_month",
        "kpi_first_contact_resolution_by_month", "kpi_median_days_to_resolve_by_month",
        "kpi_user_satisfaction_by_month", "kpi_net_satisfaction_by_month",
        "kpi_cost_per_transaction_by_month", "kpi_repeat_contact_by_month", "kpi_channel_shift_saving_by_month",
    }
    assert set(kpis.definition) == computed | {"manual"}
    assert (kpis.definition == "manual").sum() == 2
    assert kpis.target.notna().all() and kpis.owner.notna().all()
    values = pd.read_csv(folder / "kpi_values.csv")
    assert set(values.kpi_id) == set(kpis.id[kpis.definition == "manual"])
    assert values.groupby("kpi_id").period.nunique().eq(36).all()
    assert values.value.between(0, 1).all()


def test_events(folder, wards):
    events = pd.read_csv(folder / "events.csv")
    dates = dict(zip(events.label, events.date))
    assert dates["New online bin form launched"] == "2024-09-02"
    assert dates["Repairs triage team introduced"] == "2025-06-02"
    assert dates["Council tax online account launched"] == "2026-01-12"
    codes = {f["properties"]["ward_code"] for f in wards["features"]}
    assert set(events.ward_code.dropna()) <= codes and events.ward_code.notna().sum() == 1
    assert pd.to_datetime(events.date).between(START, END).all()


def test_generated_at_a_bigger_size_in_chunks(tmp_path, monkeypatch):
    # Small chunks force the multi-chunk path used for millions of rows; ids stay in time order.
    monkeypatch.setattr(demo, "CHUNK_ROWS", 3_000)
    summary = demo.generate(tmp_path, requests=12_000, seed=3)
    rows = pd.read_parquet(tmp_path / "service_requests.parquet")
    assert len(rows) == summary["service_requests"] == 12_000
    assert rows.request_id.is_unique and rows.created_at.is_monotonic_increasing
    assert list(rows.request_id) == sorted(rows.request_id)
    import pyarrow.parquet as pq

    assert pq.ParquetFile(tmp_path / "service_requests.parquet").num_row_groups >= 4
    feedback = pd.read_csv(tmp_path / "feedback.csv")
    assert feedback.feedback_id.is_unique and set(feedback.request_id) <= set(rows.request_id)
    assert re.fullmatch(r"FB\d{8}", feedback.feedback_id.iloc[-1])


def test_the_legacy_export_shows_what_rejection_and_unmatched_wards_look_like(folder, tmp_path):
    from datetime import datetime

    import duckdb

    from pulse.ingest import ingest

    ingest(folder, tmp_path / "demo.duckdb", now=datetime(2026, 11, 29, 12))
    con = duckdb.connect(str(tmp_path / "demo.duckdb"), read_only=True)
    legacy = "service_requests_legacy_crm.csv"
    assert con.execute("select rows_read, rows_loaded, rows_rejected, unmatched_wards, unmatched_codes from sources "
                       "where source_file = ?", [legacy]).fetchone() == (
        40, 30, 10, 30, "E05800011 (10), E05800012 (10), E05800013 (10)")
    reasons = [r for (r,) in con.execute("select reason from rejected_rows where source_file = ? order by line",
                                         [legacy]).fetchall()]
    assert [r.split(" (")[0].split(" '")[0] for r in reasons] == [
        "unknown channel", "unknown channel", "closed before created", "closed before created",
        "created_at", "created_at", "duplicate request_id", "duplicate request_id", "duplicate request_id",
        "duplicate request_id"]
    # Every other file loads whole.
    assert con.execute("select sum(rows_rejected) from sources where source_file <> ?", [legacy]).fetchone() == (0,)
