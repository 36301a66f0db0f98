"""Ingest: every input row loaded or rejected with a reason; fatal problems are one line and exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from pulse.ingest import IngestError, ingest
from tests.conftest import ROOT, TINY_WARDS

NOW = datetime(2026, 11, 29, 12, 0)
HEADER = "request_id,created_at,closed_at,service,channel,ward_code,latitude,longitude\n"


def load(folder: Path, tmp_path: Path) -> duckdb.DuckDBPyConnection:
    db = tmp_path / "pulse.duckdb"
    ingest(folder, db, now=NOW)
    return duckdb.connect(str(db), read_only=True)


def rows(con, sql: str) -> list[tuple]:
    return con.execute(sql).fetchall()


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pulse", *args], capture_output=True, text=True, cwd=ROOT)


def test_utf8_bom_csv_loads_with_clean_header(source, tmp_path):
    folder = source("service_requests.csv", "\ufeff" + HEADER + "A1,2026-01-05T09:00:00,,Pothole,Web,,,\n")
    con = load(folder, tmp_path)
    assert rows(con, "select request_id, channel, created_at from service_requests") == [
        ("A1", "online", datetime(2026, 1, 5, 9, 0))]


def test_latin1_csv_keeps_accents(source, tmp_path):
    folder = source("service_requests.csv", HEADER + "A1,2026-01-05,,Café licence,Phone,,,\n", encoding="latin-1")
    assert rows(load(folder, tmp_path), "select service from service_requests") == [("Café licence",)]


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_other_delimiters(source, tmp_path, delimiter):
    text = (HEADER + "A1,2026-01-05,,Pothole,Phone,,,\n").replace(",", delimiter)
    assert rows(load(source("service_requests.csv", text), tmp_path), "select request_id, service from service_requests") == [
        ("A1", "Pothole")]


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_windows_and_mac_line_endings(source, tmp_path, newline):
    text = (HEADER + "A1,2026-01-05,,Pothole,Phone,,,\nA2,2026-01-06,,Graffiti,Email,,,\n").replace("\n", newline)
    con = load(source("service_requests.csv", text), tmp_path)
    assert rows(con, "select request_id, channel from service_requests order by 1") == [("A1", "phone"), ("A2", "email")]


def test_quoted_numbers_with_thousands_separators(source, tmp_path):
    source("wards.geojson", TINY_WARDS)
    folder = source("ward_population.csv", 'ward_code,population,imd_decile\nE05000001,"12,345",2\nE05000002,"9,876",9\n')
    assert rows(load(folder, tmp_path), "select ward_code, population, imd_decile from ward_population order by 1") == [
        ("E05000001", 12345, 2), ("E05000002", 9876, 9)]


def test_parquet_excel_and_json_tables(source, tmp_path):
    folder = source.folder
    pd.DataFrame({"feedback_id": ["F1", "F2"], "submitted_at": pd.to_datetime(["2026-02-01", "2026-02-02"]),
                  "rating": [5, 2]}).to_parquet(folder / "feedback.parquet")
    pd.DataFrame({"id": ["takeup"], "name": ["Digital take-up"], "polarity": ["Higher is better"],
                  "target": [0.6]}).to_excel(folder / "kpis.xlsx", index=False)
    source("service_requests.json", {"service_requests": [
        {"service_request_id": "9", "requested_datetime": "2026-03-01T10:00:00+00:00", "service_name": "Graffiti",
         "interface_used": "Android", "lat": None, "long": None}]})
    con = load(folder, tmp_path)
    assert rows(con, "select feedback_id, rating, rating_band from feedback order by 1") == [("F1", 5, "good"), ("F2", 2, "poor")]
    assert rows(con, "select id, polarity, target from kpis") == [("takeup", "higher", 0.6)]
    assert rows(con, "select request_id, channel, service from service_requests") == [("9", "app", "Graffiti")]


def test_monthly_exports_make_one_table(source, tmp_path):
    source("exports/requests_2026-01.csv", HEADER + "A1,2026-01-05,,Pothole,Phone,,,\n")
    source("exports/requests_2026-02.csv", HEADER + "A2,2026-02-05,,Pothole,Phone,,,\n")
    folder = source("pulse.toml", '[service_requests]\nfiles = ["exports/requests_*.csv"]\n')
    con = load(folder, tmp_path)
    assert rows(con, "select request_id, source_file from service_requests order by 1") == [
        ("A1", "exports/requests_2026-01.csv"), ("A2", "exports/requests_2026-02.csv")]


def test_open311_csv_recognised_without_mapping(source, tmp_path):
    text = ("service_request_id,requested_datetime,updated_datetime,service_name,status,interface_used,lat,long\n"
            "1,2024-05-01T08:00:00+01:00,2024-05-02T08:00:00+01:00,Fly-tipping,open,iOS,51.505,-0.095\n"
            "2,2024-05-01 09:00:00,,Graffiti,open,desktop,,\n"
            "3,2024-05-01T10:00:00Z,,Graffiti,open,Web interface,,\n"
            "4,2024-05-01T10:00:00Z,,Graffiti,open,mobile,,\n")
    source("wards.geojson", TINY_WARDS)
    con = load(source("service_requests.csv", text), tmp_path)
    assert rows(con, "select request_id, created_at, channel, ward_code, ward_match from service_requests order by 1") == [
        ("1", datetime(2024, 5, 1, 8, 0), "app", "E05000001", "point"),
        ("2", datetime(2024, 5, 1, 9, 0), "online", None, "none"),
        ("3", datetime(2024, 5, 1, 11, 0), "online", None, "none"),  # 10:00 UTC is 11:00 BST
        ("4", datetime(2024, 5, 1, 11, 0), "online", None, "none"),
    ]


def test_the_readme_mapping_contract(source, tmp_path):
    source("exports/requests_jan.csv",
           "case_enquiry_id,open_dt,closed_dt,type,source,latitude,longitude\n"
           "101,05/01/2026 09:30,06/01/2026 10:00,Street light,Constituent Call,51.495,-0.095\n"
           "102,07/01/2026 14:00,,Pothole,Citizens Connect App,,\n"
           "103,2026-01-08T08:00:00,,Pothole,Self Service,,\n")
    source("boundaries/wards.geojson", json.dumps(TINY_WARDS).replace("ward_code", "area_code").replace("ward_name", "area_name"))
    source("population/wards.csv", "area_code,all_ages\nE05000001,\"10,500\"\nE05000002,8000\n")
    folder = source("pulse.toml", """
[service_requests]
files = ["exports/requests_*.csv"]
date_format = "%d/%m/%Y %H:%M"
[service_requests.columns]
request_id = "case_enquiry_id"
created_at = "open_dt"
closed_at = "closed_dt"
service = "type"
channel = "source"
latitude = "latitude"
longitude = "longitude"
[service_requests.values.channel]
phone = ["Constituent Call"]
app = ["Citizens Connect App"]
online = ["Self Service"]

[wards]
files = ["boundaries/wards.geojson"]
code = "area_code"
name = "area_name"

[ward_population]
files = ["population/wards.csv"]
[ward_population.columns]
ward_code = "area_code"
population = "all_ages"
""")
    con = load(folder, tmp_path)
    assert rows(con, "select request_id, created_at, closed_at, channel, ward_code from service_requests order by 1") == [
        ("101", datetime(2026, 1, 5, 9, 30), datetime(2026, 1, 6, 10, 0), "phone", "E05000002"),
        ("102", datetime(2026, 1, 7, 14, 0), None, "app", None),
        ("103", datetime(2026, 1, 8, 8, 0), None, "online", None),
    ]
    assert rows(con, "select ward_code, ward_name from wards order by 1") == [
        ("E05000001", "North Ward"), ("E05000002", "South Ward")]
    assert rows(con, "select ward_code, population from ward_population order by 1") == [
        ("E05000001", 10500), ("E05000002", 8000)]


def test_bad_rows_rejected_with_reasons_and_lines(source, tmp_path):
    text = (HEADER
            + "A1,2026-01-05T09:00:00,2026-01-04T09:00:00,Pothole,Phone,,,\n"  # line 2: closed before created
            + "A2,2027-01-05,,Pothole,Phone,,,\n"  # line 3: future
            + "A3,31/02/2026,,Pothole,Phone,,,\n"  # line 4: not a date
            + "A4,2026-01-05,,Pothole,Carrier pigeon,,,\n"  # line 5: unknown channel
            + ",2026-01-05,,Pothole,Phone,,,\n"  # line 6: no id
            + "A5,2026-01-05,,,Phone,,,\n"  # line 7: no service
            + "A6,2026-01-05,,Pothole,Phone,,,\n"  # line 8: fine
            + "A6,2026-01-06,,Pothole,Phone,,,\n"  # line 9: duplicate
            + "A7,2026-01-05,,Pothole,Phone,,95,1\n")  # line 10: latitude out of range
    con = load(source("service_requests.csv", text), tmp_path)
    assert rows(con, "select request_id from service_requests") == [("A6",)]
    assert rows(con, "select line, reason from rejected_rows order by line") == [
        (2, "closed before created"),
        (3, "created_at is in the future"),
        (4, "created_at '31/02/2026' is not a date (expected ISO 8601)"),
        (5, "unknown channel 'Carrier pigeon' (add it under [service_requests.values.channel] in pulse.toml; "
            "known: online, app, phone, face_to_face, email, post, social, other)"),
        (6, "missing request_id"),
        (7, "missing service"),
        (9, "duplicate request_id (first at service_requests.csv line 8)"),
        (10, "latitude out of range"),
    ]
    raw = json.loads(rows(con, "select raw from rejected_rows where line = 5")[0][0])
    assert raw == {"request_id": "A4", "created_at": "2026-01-05", "closed_at": "", "service": "Pothole",
                   "channel": "Carrier pigeon", "ward_code": "", "latitude": "", "longitude": ""}
    assert rows(con, "select rows_read, rows_loaded, rows_rejected from sources") == [(9, 1, 8)]


def test_duplicates_across_files_keep_the_first(source, tmp_path):
    source("service_requests_1.csv", HEADER + "A1,2026-01-05,,Pothole,Phone,,,\n")
    folder = source("service_requests_2.csv", HEADER + "A2,2026-01-06,,Pothole,Phone,,,\nA1,2026-01-07,,Graffiti,Phone,,,\n")
    con = load(folder, tmp_path)
    assert rows(con, "select request_id, service from service_requests order by 1") == [("A1", "Pothole"), ("A2", "Pothole")]
    assert rows(con, "select source_file, line, reason from rejected_rows") == [
        ("service_requests_2.csv", 3, "duplicate request_id (first at service_requests_1.csv line 2)")]


def test_line_numbers_follow_the_editor_across_quoted_newlines_and_blank_lines(source, tmp_path):
    text = ('feedback_id,submitted_at,rating,comment\n'
            'F1,2026-01-05,5,"Great\nservice\nthanks"\n'  # lines 2–4
            '\n'  # line 5: blank
            'F2,2026-01-05,9,bad rating\n')  # line 6
    con = load(source("feedback.csv", text), tmp_path)
    assert rows(con, "select feedback_id, source_line from feedback") == [("F1", 2)]
    assert rows(con, "select line, reason from rejected_rows") == [(6, "rating '9' is not 1–5 or good/average/poor")]


def test_unmatched_ward_codes_and_outside_points_are_loaded_and_counted(source, tmp_path):
    source("wards.geojson", TINY_WARDS)
    text = (HEADER
            + "A1,2026-01-05,,Pothole,Phone,E05000001,,\n"  # code matches
            + "A2,2026-01-05,,Pothole,Phone,E05999999,,\n"  # old code: no boundary
            + "A3,2026-01-05,,Pothole,Phone,south ward,,\n"  # a name, not a code
            + "A4,2026-01-05,,Pothole,Phone,,51.40,-0.095\n"  # outside every ward
            + "A5,2026-01-05,,Pothole,Phone,,51.505,-0.095\n")  # inside North
    con = load(source("service_requests.csv", text), tmp_path)
    assert rows(con, "select request_id, ward_code, ward_match, ward_given from service_requests order by 1") == [
        ("A1", "E05000001", "code", "E05000001"),
        ("A2", None, "unmatched", "E05999999"),
        ("A3", "E05000002", "name", "south ward"),
        ("A4", None, "outside", None),
        ("A5", "E05000001", "point", None),
    ]
    assert rows(con, "select table_name, rows_read, rows_loaded, no_ward, unmatched_wards, unmatched_codes "
                     "from sources order by 1") == [
        ("service_requests", 5, 5, 2, 2, "(point outside every ward) (1), E05999999 (1)"),
        ("wards", 2, 2, None, 0, None)]


def test_rerun_gives_the_same_database(source, tmp_path):
    source("wards.geojson", TINY_WARDS)
    folder = source("service_requests.csv", HEADER + "A1,2026-01-05,,Pothole,Phone,,51.505,-0.095\nA1,2026-01-05,,x,Phone,,,\n")
    tables = ["service_requests", "rejected_rows", "wards", "services", "unit_costs", "sources"]
    snapshots = []
    for name in ("a.duckdb", "b.duckdb"):
        ingest(folder, tmp_path / name, now=NOW)
        con = duckdb.connect(str(tmp_path / name), read_only=True)
        snapshots.append({t: rows(con, f"select * from {t} order by all") for t in tables})
        con.close()
    assert snapshots[0] == snapshots[1]


def test_default_unit_costs_are_socitm_2012(source, tmp_path):
    con = load(source("service_requests.csv", HEADER + "A1,2026-01-05,,Pothole,Phone,,,\n"), tmp_path)
    assert rows(con, "select channel, cost_gbp, source, year from unit_costs order by cost_gbp desc, channel") == [
        ("face_to_face", 8.62, "Socitm Insight 2012", 2012),
        ("phone", 2.83, "Socitm Insight 2012", 2012),
        ("app", 0.15, "Socitm Insight 2012 (web; app assumed equal to web)", 2012),
        ("online", 0.15, "Socitm Insight 2012 (web)", 2012),
    ]


def test_kpi_values_for_unknown_kpis_are_rejected(source, tmp_path):
    source("kpis.csv", "id,name,polarity,target,definition\ncalls,Calls answered in 60s,higher,0.8,manual\n")
    folder = source("kpi_values.csv", "kpi_id,period,value\ncalls,2026-01-01,0.7\nghost,2026-01-01,0.5\ncalls,2030-01-01,0.9\n")
    con = load(folder, tmp_path)
    assert rows(con, "select kpi_id, period::varchar, value from kpi_values") == [("calls", "2026-01-01", 0.7)]
    assert rows(con, "select line, reason from rejected_rows order by line") == [
        (3, "unknown KPI 'ghost' (not in the kpis table)"), (4, "period is in the future")]


def test_adoption_role_levels_and_duplicates(source, tmp_path):
    text = ("month,person_id,role_level,directorate,activity,value\n"
            "2026-01,P1,Head of Service,Housing,e_signature,1\n"
            "2026-01,P2,Intern,Housing,e_signature,1\n"
            "2026-01,P1,Head of Service,Housing,e_signature,1\n")
    con = load(source("adoption.csv", text), tmp_path)
    assert rows(con, "select month::varchar, person_id, role_level from adoption") == [("2026-01-01", "P1", "senior_leader")]
    assert [r[0] for r in rows(con, "select reason from rejected_rows order by line")] == [
        "unknown role level 'Intern' (map it under [adoption.values.role_level] in pulse.toml)",
        "duplicate month and person_id and activity (first at adoption.csv line 2)",
    ]
    # Person ids never leave the database, not even in a rejected row's raw text.
    raws = [json.loads(r[0]) for r in rows(con, "select raw from rejected_rows order by line")]
    assert [r["person_id"] for r in raws] == ["[person id hidden]", "[person id hidden]"]


def test_wide_adoption_exports_become_one_row_per_activity(source, tmp_path):
    source("staff/m365.csv", "Month,Employee,Grade,Directorate,Teams meetings,E-signature\n"
                             "2026-01,P1,Chief Executive,Corporate,12,1\n"
                             "2026-01,P2,Officer,Corporate,3,\n")
    folder = source("pulse.toml", """
[adoption]
files = ["staff/m365.csv"]
wide_activities = ["Teams meetings", "E-signature"]
[adoption.columns]
month = "Month"
person_id = "Employee"
role_level = "Grade"
directorate = "Directorate"
""")
    con = load(folder, tmp_path)
    assert rows(con, "select person_id, role_level, activity, value, source_line from adoption order by all") == [
        ("P1", "executive", "e_signature", 1.0, 2), ("P1", "executive", "teams_meetings", 12.0, 2),
        ("P2", "staff", "teams_meetings", 3.0, 3)]
    assert rows(con, "select line, reason from rejected_rows") == [(3, "missing value")]
    assert rows(con, "select rows_read, rows_loaded, rows_rejected from sources") == [(4, 3, 1)]


def test_maturity_self_assessment_loads(source, tmp_path):
    folder = source("maturity.csv", "directorate,assessed_on,framework,dimension,score,max_score\n"
                                    "Housing,2026-03-31,Local Digital Declaration,Leadership,3,5\n")
    con = load(folder, tmp_path)
    assert rows(con, "select directorate, assessed_on::varchar, score, max_score from maturity") == [
        ("Housing", "2026-03-31", 3.0, 5.0)]


def test_check_writes_nothing(source, tmp_path):
    folder = source("service_requests.csv", HEADER + "A1,2026-01-05,,Pothole,Phone,,,\n")
    report = ingest(folder, None, now=NOW)
    assert report.by_table().to_dict("records")[0]["loaded"] == 1
    assert list(tmp_path.rglob("*.duckdb*")) == []
    result = cli("check", str(folder))
    assert result.returncode == 0 and "nothing written" in result.stdout


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("service_requests.csv", "", "service_requests.csv: the file is empty"),
        ("service_requests.csv", "request_id,created_at,channel\nA1,2026-01-01,Phone\n",
         "service_requests.csv: required column service missing"),
        ("service_requests.xlsx", b"this is not a spreadsheet", "service_requests.xlsx: cannot read this file"),
        ("service_requests.json", "{not json", "service_requests.json: not valid JSON"),
        ("wards.geojson", '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": '
                          '{"ward_code": "E05000001"}, "geometry": {"type": "Polygon", "coordinates": [[1, 2]]}}]}',
         "wards.geojson:"),
        ("pulse.toml", "[service_requests\nfiles=", "pulse.toml: not valid TOML"),
    ],
)
def test_fatal_problems_are_one_line_exit_2_and_keep_the_old_database(source, tmp_path, name, content, message):
    good = source("service_requests_ok.csv", HEADER + "A1,2026-01-05,,Pothole,Phone,,,\n")
    db = tmp_path / "pulse.duckdb"
    assert cli("ingest", str(good), "--db", str(db)).returncode == 0
    before = db.read_bytes()
    folder = source(name, content)
    result = cli("ingest", str(folder), "--db", str(db))
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert result.stderr.startswith("error: " + message), result.stderr
    assert "Traceback" not in result.stderr
    assert db.read_bytes() == before
    assert not (tmp_path / "pulse.duckdb.tmp").exists()


def test_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(IngestError, match="no such folder"):
        ingest(tmp_path / "nowhere", None)


def test_mapping_naming_a_missing_column_is_fatal(source):
    source("service_requests.csv", HEADER + "A1,2026-01-05,,Pothole,Phone,,,\n")
    folder = source("pulse.toml", '[service_requests.columns]\nrequest_id = "case_id"\n')
    with pytest.raises(IngestError, match="maps request_id to column 'case_id', which is not in the file"):
        ingest(folder, None, now=NOW)


def test_comments_are_redacted_before_they_reach_the_database(source, tmp_path):
    text = ('feedback_id,submitted_at,rating,comment\n'
            'F1,2026-01-05,2,"My name is Jane Smith, call 07700 900123 or jane@example.com, SE6 4RU"\n'
            'F2,2026-01-05,4,\n'
            'F3,2026-01-05,7,"Ring me on 020 7946 0123"\n')
    con = load(source("feedback.csv", text), tmp_path)
    assert rows(con, "select feedback_id, comment from feedback order by 1") == [
        ("F1", "My name is [name], call [phone] or [email], [postcode]"), ("F2", None)]
    # A rejected row keeps its raw text for the analyst, so it is redacted too.
    assert json.loads(rows(con, "select raw from rejected_rows")[0][0])["comment"] == "Ring me on [phone]"


def test_boundary_features_without_geometry_are_accounted_for(source, tmp_path):
    wards = json.loads(json.dumps(TINY_WARDS))
    wards["features"].append({"type": "Feature", "properties": {"ward_code": "E05000003", "ward_name": "Lost"},
                              "geometry": None})
    con = load(source("wards.geojson", wards), tmp_path)
    assert rows(con, "select rows_read, rows_loaded, rows_rejected from sources where table_name = 'wards'") == [(3, 2, 1)]
    assert rows(con, "select table_name, reason from rejected_rows") == [
        ("wards", "feature with empty or missing geometry (wards left without a boundary: E05000003)")]


def test_deprivation_needs_its_lookup(source, tmp_path):
    source("imd.csv", "LSOA11CD,IMD_decile\nE01000001,3\n")
    folder = source("pulse.toml", '[deprivation]\nfiles = ["imd.csv"]\n')
    with pytest.raises(IngestError, match=r"\[deprivation\] needs files = \(IMD by LSOA\) and lookup"):
        ingest(folder, None, now=NOW)


def test_deprivation_fills_only_the_deciles_left_empty(source, tmp_path):
    source("wards.geojson", TINY_WARDS)
    source("ward_population.csv", "ward_code,population,imd_decile\nE05000001,1000,\nE05000002,800,9\n")
    source("imd.csv", "LSOA11CD,IMD_decile\nE01000001,1\nE01000002,4\nE01000003,2\n")
    source("lookup.csv", "LSOA11CD,WD22CD\nE01000001,E05000001\nE01000002,E05000001\nE01000003,E05000002\n")
    folder = source("pulse.toml", '[deprivation]\nfiles = ["imd.csv"]\nlookup = "lookup.csv"\n')
    con = load(folder, tmp_path)
    assert rows(con, "select ward_code, imd_decile, imd_method from ward_population order by 1") == [
        # (1 + 4) / 2 = 2.5: an exact half goes to the more deprived decile.
        ("E05000001", 2, "mean of 2 LSOA deciles, each LSOA counted once (no LSOA population given)"),
        ("E05000002", 9, "supplied in ward_population.csv"),
    ]


def test_deprivation_lsoas_left_out_are_rejected_counted_and_listed(source, tmp_path):
    source("wards.geojson", TINY_WARDS)
    source("ward_population.csv", "ward_code,population,imd_decile\nE05000001,1000,\nE05000002,800,\n")
    source("imd.csv", "LSOA11CD,IMD_decile\n"
                      "E01000001,1\n"  # North
                      "E01000002,\n"  # line 3: North, but no decile
                      "E01000003,2\n"  # South
                      "E01000004,5\n"  # line 5: in no ward of the lookup
                      "E01000003,7\n")  # line 6: listed twice
    source("lookup.csv", "LSOA11CD,WD22CD\nE01000001,E05000001\nE01000002,E05000001\nE01000003,E05000002\n"
                         "E01000005,E05000002\n")  # line 5: E01000005 has no IMD row at all
    source("people.csv", "LSOA11CD,population\nE01000001,1500\nE01000003,1400\nE01000009,1000\n")
    folder = source("pulse.toml", '[deprivation]\nfiles = ["imd.csv"]\nlookup = "lookup.csv"\npopulation = "people.csv"\n')
    con = load(folder, tmp_path)
    assert rows(con, "select source_file, rows_read, rows_loaded, rows_rejected from sources "
                     "where table_name = 'deprivation' order by 1") == [
        ("imd.csv", 5, 2, 3), ("lookup.csv", 4, 2, 2), ("people.csv", 3, 2, 1)]
    assert rows(con, "select source_file, line, reason from rejected_rows order by 1, 2") == [
        ("imd.csv", 3, "no IMD decile for LSOA E01000002"),
        ("imd.csv", 5, "LSOA E01000004 has no ward in the lookup"),
        ("imd.csv", 6, "LSOA E01000003 listed twice (first at line 4)"),
        ("lookup.csv", 3, "no IMD decile for LSOA E01000002"),
        ("lookup.csv", 5, "no IMD decile for LSOA E01000005"),
        ("people.csv", 4, "LSOA E01000009 is not among the LSOAs with an IMD decile and a ward"),
    ]
    from pulse import db

    assert db.run("deprivation_gaps_by_lsoa", {}, path=tmp_path / "pulse.duckdb").astype(object).where(
        lambda f: f.notna(), None).values.tolist() == [
        ["E01000002", "E05000001", None, "no IMD decile"], ["E01000005", "E05000002", None, "no IMD decile"],
        ["E01000004", None, 5, "no ward in the lookup"]]
    assert rows(con, "select ward_code, imd_decile, imd_method from ward_population order by 1") == [
        ("E05000001", 1, "population-weighted mean of 1 LSOA decile; 1 LSOA of the ward without an IMD decile "
                         "left out"),
        ("E05000002", 2, "population-weighted mean of 1 LSOA decile; 1 LSOA of the ward without an IMD decile "
                         "left out")]
    assert rows(con, "select source_file, kind, note from source_notes") == [(
        "imd.csv", "deprivation",
        "2 of 5 LSOAs count towards their ward's decile; 2 left out for no IMD decile (E01000002, E01000005); "
        "1 left out for no ward in the lookup (E01000004); all 2 ward deciles are population-weighted means")]


def test_deprivation_says_when_population_weights_are_missing(source, tmp_path):
    source("wards.geojson", TINY_WARDS)
    source("ward_population.csv", "ward_code,population,imd_decile\nE05000001,1000,\nE05000002,800,\n")
    source("imd.csv", "LSOA11CD,IMD_decile\nE01000001,1\nE01000002,4\nE01000003,2\nE01000004,6\n")
    source("lookup.csv", "LSOA11CD,WD22CD\nE01000001,E05000001\nE01000002,E05000001\nE01000003,E05000002\n"
                         "E01000004,E05000002\n")
    source("people.csv", "LSOA11CD,population\nE01000001,1500\nE01000002,500\nE01000003,1400\nE01000004,n/a\n")
    folder = source("pulse.toml", '[deprivation]\nfiles = "imd.csv"\nlookup = "lookup.csv"\npopulation = "people.csv"\n')
    con = load(folder, tmp_path)
    assert rows(con, "select ward_code, imd_decile, imd_method from ward_population order by 1") == [
        # (1 × 1500 + 4 × 500) / 2000 = 1.75 → 2
        ("E05000001", 2, "population-weighted mean of 2 LSOA deciles"),
        # E01000004's population is unusable: this ward is an unweighted mean, and says why.
        ("E05000002", 4, "mean of 2 LSOA deciles, each LSOA counted once (population missing for 1 of its 2 LSOAs)"),
    ]
    assert rows(con, "select line, reason from rejected_rows") == [(5, "population 'n/a' is not a positive number")]
    assert rows(con, "select note from source_notes") == [(
        "4 of 4 LSOAs count towards their ward's decile; 1 ward deciles are population-weighted means and 1 "
        "unweighted (LSOA population missing for some of their LSOAs)",)]


def test_status_says_when_the_demo_must_be_rebuilt(tmp_path):
    db = tmp_path / "pulse.duckdb"
    assert cli("status", "--db", str(db)).returncode == 1
    ingest(ROOT / "tests" / "fixtures" / "tiny", db, now=NOW)
    assert cli("status", "--db", str(db)).returncode == 0
    con = duckdb.connect(str(db))
    con.execute("update meta set value = '0' where key = 'schema_version'")
    con.close()
    stale = cli("status", "--db", str(db))  # the council's own data: never replaced by the demo
    assert stale.returncode == 0 and "load it again with `make run DATA=" in stale.stdout
    con = duckdb.connect(str(db))
    con.execute("update meta set value = 'true' where key = 'synthetic'")
    con.close()
    assert cli("status", "--db", str(db)).returncode == 1


# --- Ragged rows: a record with the wrong number of fields is one rejected row, never a failed file ---

FMS_HEADER = ("service_request_id,requested_datetime,updated_datetime,service_name,service_code,status,"
              "interface_used,lat,long,agency_responsible,description,title,detail,address,photo_url\n")


def fms_row(i: int, fields: list[str] | None = None) -> str:
    row = [str(i), "2024-05-01T08:00:00+01:00", "", "Graffiti", "GR", "open", "iOS", "", "", "Lewisham",
           "Tag on wall", "Graffiti", "", "", ""]
    return ",".join(fields or row) + "\n"


def test_a_row_with_an_extra_field_is_rejected_and_every_other_row_loads(source, tmp_path):
    # A shuffled FixMyStreet export: row 6 carries a 16th field, as in the real export that stopped the file.
    shuffled = fms_row(5).rstrip("\n").split(",")
    shuffled.insert(10, "Lewisham")
    text = FMS_HEADER + "".join(fms_row(i) for i in range(1, 5)) + ",".join(shuffled) + "\n" + fms_row(6)
    con = load(source("open311_reports.csv", text), tmp_path)
    assert rows(con, "select request_id, source_line from service_requests order by 2") == [
        ("1", 2), ("2", 3), ("3", 4), ("4", 5), ("6", 7)]
    # The raw text as read, except a value that may have slid into the address column.
    assert rows(con, "select line, reason, raw from rejected_rows") == [
        (6, "16 fields where the header has 15", "5,2024-05-01T08:00:00+01:00,,Graffiti,GR,open,iOS,,,Lewisham,"
                                                 "Lewisham,Tag on wall,Graffiti,,,")]
    assert rows(con, "select rows_read, rows_loaded, rows_rejected from sources") == [(6, 5, 1)]


@pytest.mark.parametrize("delimiter", [",", "\t"])
def test_too_many_and_too_few_fields_with_quoted_newlines(source, tmp_path, delimiter):
    lines = [
        "request_id,created_at,service,channel",
        'A1,2026-01-05,"Pothole\nnear the school",Phone',  # lines 2–3
        "A2,2026-01-05,Pothole,Phone,Extra",  # line 4: one too many
        "A3,2026-01-05,Pothole",  # line 5: one too few
        "",  # line 6: blank, no row
        'A4,2026-01-05,"Fly-tipping\non the\ncorner"',  # lines 7–9: too few, spanning three lines
        "A5,2026-01-06,Graffiti,Email",  # line 10
    ]
    text = "\n".join(lines).replace(",", delimiter) + "\n"
    con = load(source("service_requests.tsv" if delimiter == "\t" else "service_requests.csv", text), tmp_path)
    assert rows(con, "select request_id, source_line from service_requests order by 1") == [("A1", 2), ("A5", 10)]
    assert rows(con, "select line, reason, raw from rejected_rows order by line") == [
        (4, "5 fields where the header has 4", "A2,2026-01-05,Pothole,Phone,Extra".replace(",", delimiter)),
        (5, "3 fields where the header has 4", "A3,2026-01-05,Pothole".replace(",", delimiter)),
        (7, "3 fields where the header has 4",
         'A4,2026-01-05,"Fly-tipping\non the\ncorner"'.replace(",", delimiter)),
    ]
    assert rows(con, "select rows_read, rows_loaded, rows_rejected from sources") == [(5, 2, 3)]


def test_a_ragged_first_row_is_not_taken_for_an_index(source, tmp_path):
    # pandas would have read one extra field in the first row as an index column and shifted every value.
    text = "request_id,created_at,service,channel\nA1,2026-01-05,Pothole,Phone,x\nA2,2026-01-05,Pothole,Phone\n"
    con = load(source("service_requests.csv", text), tmp_path)
    assert rows(con, "select request_id, service, channel from service_requests") == [("A2", "Pothole", "phone")]
    assert rows(con, "select line, reason from rejected_rows") == [(2, "5 fields where the header has 4")]


def test_ragged_rows_keep_their_lines_across_chunks(source, tmp_path, monkeypatch):
    from pulse.ingest import readers

    monkeypatch.setattr(readers, "CHUNK_ROWS", 3)
    monkeypatch.setattr(readers, "BLOCK_BYTES", 64)
    body, expected_loaded, expected_rejected, line = [], [], [], 2
    for i in range(1, 41):
        if i % 7 == 0:
            body.append(f"R{i},2026-01-05,Pothole")
            expected_rejected.append((line, "3 fields where the header has 4"))
            line += 1
        elif i % 5 == 0:
            body.append(f'R{i},2026-01-05,"Pot\nhole",Phone')
            expected_loaded.append((f"R{i}", line))
            line += 2
        else:
            body.append(f"R{i},2026-01-05,Pothole,Phone")
            expected_loaded.append((f"R{i}", line))
            line += 1
    body.append('R41,2026-01-05,"Pot\nhole"')  # the last record is ragged too
    expected_rejected.append((line, "3 fields where the header has 4"))
    con = load(source("service_requests.csv", "request_id,created_at,service,channel\n" + "\n".join(body) + "\n"),
               tmp_path)
    assert rows(con, "select request_id, source_line from service_requests order by 2") == expected_loaded
    assert rows(con, "select line, reason from rejected_rows order by 1") == expected_rejected
    assert rows(con, "select rows_read, rows_loaded, rows_rejected from sources") == [(41, 35, 6)]


def test_a_quote_never_closed_is_one_line_not_a_swallowed_file(source):
    folder = source("service_requests.csv", 'request_id,created_at,service,channel\nA1,2026-01-05,"Pothole,Phone\n'
                                            "A2,2026-01-05,Pothole,Phone\n")
    with pytest.raises(IngestError, match=r"^service_requests.csv: the quoted field on line 2 is never closed$"):
        ingest(folder, None, now=NOW)


def test_an_unknown_suffix_is_never_read_as_csv(source):
    source("exports/requests.xls", b"\xd0\xcf\x11\xe0 an old Excel file")
    folder = source("pulse.toml", '[service_requests]\nfiles = ["exports/requests.xls"]\n')
    with pytest.raises(IngestError) as caught:
        ingest(folder, None, now=NOW)
    assert str(caught.value) == ("exports/requests.xls: no reader for .xls files (readable: .csv, .tsv, .txt, "
                                 ".parquet, .xlsx, .json); save it as CSV or .xlsx")


def test_every_tabular_suffix_has_a_reader():
    from pulse.ingest.mapping import TABULAR_SUFFIXES
    from pulse.ingest.readers import READERS

    assert set(TABULAR_SUFFIXES) == set(READERS)


def test_excel_rows_are_numbered_as_excel_shows_them(source, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([])  # row 1 blank: the header is on row 2
    sheet.append(["request_id", "created_at", "service", "channel"])
    sheet.append(["A1", "2026-01-05", "Pothole", "Phone"])  # row 3
    sheet.append([])  # row 4 blank
    sheet.append(["A2", "2026-01-05", "Pothole", "Pigeon"])  # row 5
    sheet.append(["A3", "2026-01-06", "Graffiti", "Web"])  # row 6
    book.save(source.folder / "service_requests.xlsx")
    con = load(source.folder, tmp_path)
    assert rows(con, "select request_id, source_line from service_requests order by 1") == [("A1", 3), ("A3", 6)]
    assert rows(con, "select line, reason from rejected_rows") == [
        (5, "unknown channel 'Pigeon' (add it under [service_requests.values.channel] in pulse.toml; "
            "known: online, app, phone, face_to_face, email, post, social, other)")]


# --- A rejected row shows nothing a person could be identified by ------------------------------------


def test_personal_details_in_unmapped_columns_never_reach_rejected_rows(source, tmp_path):
    text = ("service_request_id,requested_datetime,service_name,interface_used,description,reporter_name,"
            "reporter_email,customer_ref\n"
            "1,2026-01-05,Pothole,Carrier pigeon,\"My name is Jane Smith, call 07700 900123 or jane@example.com\","
            "Jane Smith,"
            "jane@example.com,CUST-99\n"
            "2,2026-01-05,Pothole,Web,Ring 020 7946 0123,John Brown,john@example.org,CUST-98,extra field\n")
    source("pulse.toml", '[service_requests.columns]\ncustomer_ref = "customer_ref"\n')
    con = load(source("service_requests.csv", text), tmp_path)
    raws = [raw for (raw,) in rows(con, "select raw from rejected_rows order by line")]
    assert json.loads(raws[0]) == {
        "service_request_id": "1", "requested_datetime": "2026-01-05", "service_name": "Pothole",
        "interface_used": "Carrier pigeon", "description": "My name is [name], call [phone] or [email]",
        "reporter_name": "[personal detail hidden]", "reporter_email": "[personal detail hidden]",
        "customer_ref": "[personal detail hidden]"}
    assert raws[1] == ("2,2026-01-05,Pothole,Web,Ring [phone],[personal detail hidden],[personal detail hidden],"
                       "[personal detail hidden],[personal detail hidden]")
    everything = " ".join(str(v) for row in rows(con, "select * from rejected_rows") for v in row)
    for secret in ("Jane", "Smith", "07700", "jane@", "John", "Brown", "john@", "7946", "CUST-9"):
        assert secret not in everything


# --- Day-first dates: said once per file, with the line to add; never guessed -------------------------


def test_day_first_dates_are_named_once_with_the_date_format_to_add(source, tmp_path):
    text = ("request_id,created_at,closed_at,service,channel\n"
            "A1,05/12/2023 09:15,25/12/2023 10:00,Pothole,Phone\n"
            "A2,13/01/2024 10:00,,Pothole,Phone\n"
            "A3,2024-01-14 10:00,,Pothole,Phone\n"
            "A4,yesterday,,Pothole,Phone\n")
    folder = source("service_requests.csv", text)
    con = load(folder, tmp_path)
    assert rows(con, "select request_id from service_requests") == [("A3",)]  # nothing guessed
    assert rows(con, "select line, reason from rejected_rows order by line") == [
        (2, "created_at '05/12/2023 09:15' is not a date (expected ISO 8601); "
            "closed_at '25/12/2023 10:00' is not a date (expected ISO 8601)"),
        (3, "created_at '13/01/2024 10:00' is not a date (expected ISO 8601)"),
        (5, "created_at 'yesterday' is not a date (expected ISO 8601)"),
    ]
    notes = [
        ("closed_at", "date_order",
         "closed_at: 1 row was rejected for dates written day first (UK order), such as '25/12/2023 10:00'; "
         "to load them add date_format = \"%d/%m/%Y %H:%M\" under [service_requests] in pulse.toml"),
        ("created_at", "date_order",
         "created_at: 2 rows were rejected for dates written day first (UK order), such as '13/01/2024 10:00' and "
         "'05/12/2023 09:15'; to load them add date_format = \"%d/%m/%Y %H:%M\" under [service_requests] in "
         "pulse.toml"),
    ]
    assert rows(con, "select column_name, kind, note from source_notes order by 1") == notes
    result = cli("check", str(folder))
    printed = [line for line in result.stdout.splitlines() if line.startswith("note: ")]
    assert printed == [f"note: service_requests.csv: {note}" for _, _, note in sorted(notes, key=lambda n: n[0] != "created_at")]
    # With the line added, every row loads.
    source("pulse.toml", '[service_requests]\ndate_format = "%d/%m/%Y %H:%M"\n')
    report = ingest(folder, None, now=NOW)
    assert (report.files[0].loaded, report.files[0].rejected, report.notes()) == (3, 1, [])


def test_dates_that_could_be_either_order_say_so(source, tmp_path):
    text = "feedback_id,submitted_at,rating\nF1,05/12/2023,4\nF2,01/02/2024,5\n"
    con = load(source("feedback.csv", text), tmp_path)
    assert rows(con, "select count(*) from feedback") == [(0,)]
    assert rows(con, "select note from source_notes") == [(
        "submitted_at: 2 rows were rejected for dates such as '05/12/2023' and '01/02/2024' whose day and month "
        "cannot be told apart (none is above 12); add date_format = \"%d/%m/%Y\" under [feedback] in pulse.toml if "
        "the day comes first (UK), or date_format = \"%m/%d/%Y\" if the month does (US)",)]


# --- Status is not outcome ------------------------------------------------------------------------------


def test_an_outcome_column_holding_statuses_is_not_counted_as_completed(source, tmp_path):
    text = ("request_id,created_at,closed_at,service,channel,outcome\n"
            "A1,2026-01-05,2026-01-06,Pothole,Phone,Closed\n"
            "A2,2026-01-05,2026-01-06,Pothole,Phone,closed\n"
            "A3,2026-01-05,2026-01-06,Pothole,Phone,Resolved\n"
            "A4,2026-01-05,,Pothole,Phone,Open\n"
            "A5,2026-01-05,2026-01-06,Pothole,Phone,Completed\n"
            "A6,2026-01-05,2026-01-06,Pothole,Phone,Not eligible\n"
            "A7,2026-01-05,2026-01-06,Pothole,Phone,Referred to landlord\n"
            "A8,2026-01-05,2026-01-06,Pothole,Phone,\n"
            "A8,2026-01-05,2026-01-06,Pothole,Phone,Closed\n")  # a duplicate: rejected, so not counted
    con = load(source("service_requests.csv", text), tmp_path)
    assert rows(con, "select request_id, outcome from service_requests order by 1") == [
        ("A1", "other"), ("A2", "other"), ("A3", "other"), ("A4", "other"), ("A5", "completed"),
        ("A6", "not_eligible"), ("A7", "other"), ("A8", None)]
    from pulse import db

    assert db.run("outcomes_by_value", {}, path=tmp_path / "pulse.duckdb").to_dict("records") == [
        {"source_value": "Closed", "rows": 1, "files": 1}, {"source_value": "Open", "rows": 1, "files": 1},
        {"source_value": "Referred to landlord", "rows": 1, "files": 1},
        {"source_value": "Resolved", "rows": 1, "files": 1}, {"source_value": "closed", "rows": 1, "files": 1}]
    assert db.run("notes_by_file", {}, path=tmp_path / "pulse.duckdb").to_dict("records") == [{
        "table_name": "service_requests", "source_file": "service_requests.csv", "column_name": "outcome",
        "kind": "outcome_status",
        "note": "outcome: 4 loaded rows have an outcome that reads like a status ('Closed' (1), 'Open' (1), "
                "'Resolved' (1), 'closed' (1)); a status says whether a request is closed, not whether it "
                "succeeded, so they count as 'other' (closed, not successful). If one of them does mean completed, "
                "list it under [service_requests.values.outcome] in pulse.toml"}]


def test_the_mapping_can_say_a_status_means_completed(source, tmp_path):
    source("pulse.toml", '[service_requests.values.outcome]\ncompleted = ["Closed"]\n')
    text = "request_id,created_at,closed_at,service,channel,outcome\nA1,2026-01-05,2026-01-06,Pothole,Phone,Closed\n"
    con = load(source("service_requests.csv", text), tmp_path)
    assert rows(con, "select outcome from service_requests") == [("completed",)]
    assert rows(con, "select count(*) from other_values") == [(0,)]


# --- Points just outside the boundary ------------------------------------------------------------------

SNAP_ROWS = (HEADER
             + "A1,2026-01-05,,Pothole,Phone,,51.5050,-0.095\n"  # inside North
             + "A2,2026-01-05,,Pothole,Phone,,51.5101,-0.095\n"  # 11 m north of North
             + "A3,2026-01-05,,Pothole,Phone,,51.4950,-0.1003\n"  # 21 m west of South
             + "A4,2026-01-05,,Pothole,Phone,,51.5110,-0.095\n")  # 111 m north of North: outside


@pytest.mark.parametrize("toml, expected, snapped", [
    ("", [("A1", "E05000001", "point"), ("A2", "E05000001", "snapped"), ("A3", "E05000002", "snapped"),
          ("A4", None, "outside")], (2, 25.0)),
    ("[service_requests]\nsnap_metres = 15\n", [("A1", "E05000001", "point"), ("A2", "E05000001", "snapped"),
                                                ("A3", None, "outside"), ("A4", None, "outside")], (1, 15.0)),
    ("[service_requests]\nsnap_metres = 0\n", [("A1", "E05000001", "point"), ("A2", None, "outside"),
                                               ("A3", None, "outside"), ("A4", None, "outside")], (0, 0.0)),
])
def test_points_just_outside_a_ward_are_snapped_within_the_tolerance(source, tmp_path, toml, expected, snapped):
    source("wards.geojson", TINY_WARDS)
    source("pulse.toml", toml)
    con = load(source("service_requests.csv", SNAP_ROWS), tmp_path)
    assert rows(con, "select request_id, ward_code, ward_match from service_requests order by 1") == expected
    assert rows(con, "select snapped, snap_metres from sources where table_name = 'service_requests'") == [snapped]
    outside = sum(1 for _, code, _ in expected if code is None)
    assert rows(con, "select unmatched_wards, no_ward from sources where table_name = 'service_requests'") == [
        (outside, outside)]
    from pulse import db

    assert db.run("snapped_by_file", {}, path=tmp_path / "pulse.duckdb").values.tolist() == [
        ["service_requests", "service_requests.csv", snapped[0], snapped[1]]]
