"""pulse.toml: every bad value is one line naming the file, the key and what is expected; exit 2, nothing written."""

from __future__ import annotations

import subprocess
import sys

import pytest

from pulse.ingest import ingest
from pulse.ingest.mapping import IngestError, load_mapping
from tests.conftest import ROOT

HEADER = "request_id,created_at,service,channel\n"


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pulse", *args], capture_output=True, text=True, cwd=ROOT)


# The five from the issue, through the command line: the old database must survive each.
@pytest.mark.parametrize("toml, message", [
    ("[service_requests]\nvalues = 3\n",
     "pulse.toml: [service_requests] values = 3 must be a section per column, e.g. [service_requests.values.channel] "
     "with canonical value = source values"),
    ("[service_requests]\nfiles = 5\n",
     "pulse.toml: [service_requests] files = 5 must be a file name or glob, or a list of them, relative to the "
     "folder holding pulse.toml"),
    ('[service_requests]\nfiles = ["/srv/exports/*.csv"]\n',
     'pulse.toml: [service_requests] files = "/srv/exports/*.csv" must be relative to the folder holding pulse.toml '
     "(not an absolute path)"),
    ("[complaints]\nfiles = ['c.csv']\n",
     "pulse.toml: unknown table [complaints] (known: actions, adoption, deprivation, events, feedback, kpi_values, kpis, "
     "maturity, service_requests, unit_costs, ward_population, wards)"),
    ('[service_requests.columns]\nrequest_id = "ref"\ncustomer_ref = "ref"\n',
     "pulse.toml: [service_requests.columns] maps source column 'ref' to both request_id and customer_ref; "
     "a column can mean one thing"),
])
def test_bad_mapping_is_one_line_exit_2_and_the_database_untouched(source, tmp_path, toml, message):
    folder = source("service_requests.csv", HEADER + "A1,2026-01-05,Pothole,Phone\n")
    db = tmp_path / "pulse.duckdb"
    ingest(folder, db)
    before = db.read_bytes()
    source("pulse.toml", toml)
    result = cli("ingest", str(folder), "--db", str(db))
    assert (result.returncode, result.stdout, result.stderr) == (2, "", f"error: {message}\n")
    assert db.read_bytes() == before
    assert not (tmp_path / "pulse.duckdb.tmp").exists()


def test_check_stops_on_a_bad_mapping_too(source):
    folder = source("service_requests.csv", HEADER + "A1,2026-01-05,Pothole,Phone\n")
    source("pulse.toml", "[service_requests]\nfiles = 5\n")
    result = cli("check", str(folder))
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith("error: pulse.toml: [service_requests] files = 5 must be ")


@pytest.mark.parametrize("toml, message", [
    ("service_requests = 3\n", "pulse.toml: service_requests = 3 must be a section, [service_requests], holding its settings"),
    ('[service_requests]\nfile = "a.csv"\n',
     "pulse.toml: [service_requests] has no setting 'file' (settings: files, date_format, sheet, columns, values, "
     "snap_metres)"),
    ('[service_requests]\nfiles = []\n',
     "pulse.toml: [service_requests] files = [] must be a file name or glob, or a list of them, relative to the "
     "folder holding pulse.toml"),
    ('[service_requests]\nfiles = ["../elsewhere/*.csv"]\n',
     'pulse.toml: [service_requests] files = "../elsewhere/*.csv" must be inside the folder holding pulse.toml '
     "(no '..')"),
    ('[service_requests]\nfiles = ["C:\\\\exports\\\\a.csv"]\n',
     'pulse.toml: [service_requests] files = "C:\\\\exports\\\\a.csv" must be relative to the folder holding '
     "pulse.toml (not an absolute path)"),
    ('[service_requests]\ndate_format = "dd/mm/yyyy"\n',
     'pulse.toml: [service_requests] date_format = "dd/mm/yyyy" must be a strptime pattern such as "%d/%m/%Y %H:%M"'),
    ('[service_requests]\ndate_format = 2023\n',
     'pulse.toml: [service_requests] date_format = 2023 must be a strptime pattern such as "%d/%m/%Y %H:%M"'),
    ('[service_requests]\nsnap_metres = -5\n',
     "pulse.toml: [service_requests] snap_metres = -5 must be a distance in metres from 0 (no snapping) to 1000"),
    ('[service_requests]\nsnap_metres = true\n',
     "pulse.toml: [service_requests] snap_metres = true must be a distance in metres from 0 (no snapping) to 1000"),
    ('[kpis]\nsnap_metres = 25\n',
     "pulse.toml: [kpis] has no setting 'snap_metres' (settings: files, date_format, sheet, columns, values)"),
    ('[service_requests]\nsheet = 1.5\n',
     "pulse.toml: [service_requests] sheet = 1.5 must be a sheet name, or its number counting from 0"),
    ('[service_requests]\ncolumns = "request_id"\n',
     'pulse.toml: [service_requests] columns = "request_id" must be a section, [service_requests.columns], of '
     "canonical name = source column"),
    ('[service_requests.columns]\nrequest_id = 7\n',
     "pulse.toml: [service_requests.columns] request_id = 7 must be the name of a column in the file, as text"),
    ('[service_requests.columns]\nreference = "ref"\n',
     "pulse.toml: [service_requests.columns] names unknown canonical column(s) reference (allowed: channel, "
     "closed_at, created_at, customer_ref, directorate, due_at, latitude, longitude, outcome, request_id, "
     "resolved_first_contact, service, service_code, status, ward_code, ward_name)"),
    ('[service_requests.values]\nchannel = ["Web"]\n',
     'pulse.toml: [service_requests.values] channel = ["Web"] must be a section, [service_requests.values.channel], '
     "of canonical value = source value or list of them"),
    ('[service_requests.values.channel]\nweb = ["Web form"]\n',
     "pulse.toml: [service_requests.values.channel] maps to 'web', which is not one of the canonical values "
     "(online, app, phone, face_to_face, email, post, social, other)"),
    ('[service_requests.values.channel]\nonline = ["Web"]\nphone = "WEB"\n',
     "pulse.toml: [service_requests.values.channel] lists 'WEB' under both online and phone; a source value can "
     "mean one thing"),
    ('[service_requests.values.channel]\nonline = 3\n',
     "pulse.toml: [service_requests.values.channel] online = 3 must be a source value or a list of them, as text"),
    ('[service_requests.values.created_at]\nx = "y"\n',
     "pulse.toml: [service_requests.values.created_at]: created_at is not a text column of service_requests "
     "(values can be mapped for: request_id, service, service_code, directorate, channel, ward_code, status, "
     "outcome, customer_ref)"),
    ('[service_requests.values.outcome]\ncompleted = ["Closed - done"]\nclosed = ["Closed"]\n',
     "pulse.toml: [service_requests.values.outcome] maps to 'closed', which is not one of the canonical values "
     "(completed, not_eligible, error, dropped_out, other)"),
    ('[adoption]\nwide_activities = "Teams"\n',
     'pulse.toml: [adoption] wide_activities = "Teams" must be a list of the column names that hold one activity '
     "each"),
    ('[wards]\ncode = 5\n', "pulse.toml: [wards] code = 5 must be the name of the property that holds the ward code"),
    ('[wards]\ndate_format = "%Y"\n', "pulse.toml: [wards] has no setting 'date_format' (settings: files, code, name)"),
    ('[deprivation]\nfiles = ["a.csv", "b.csv"]\nlookup = "l.csv"\n',
     "pulse.toml: [deprivation] needs files = (IMD by LSOA) and lookup = (LSOA → ward), one file each"),
    ('[deprivation]\nfiles = "a.csv"\nlookup = ["l.csv", "m.csv"]\n',
     'pulse.toml: [deprivation] lookup = ["l.csv", "m.csv"] must be a file name or glob, relative to the folder '
     "holding pulse.toml"),
    ('[deprivation]\nfiles = "a.csv"\nlookup = "l.csv"\n[deprivation.columns]\nlsoa = "LSOA11CD"\n',
     "pulse.toml: [deprivation.columns] names unknown canonical column(s) lsoa (allowed: imd_decile, lsoa_code, "
     "population, ward_code)"),
])
def test_every_bad_value_is_named_with_what_is_expected(source, toml, message):
    folder = source("pulse.toml", toml)
    with pytest.raises(IngestError) as caught:
        load_mapping(folder)
    assert str(caught.value) == message


def test_a_good_mapping_reads_every_setting(source):
    folder = source("pulse.toml", """
[service_requests]
files = ["exports/*.csv", "more.csv"]
date_format = "%d/%m/%Y"
snap_metres = 40
[service_requests.columns]
request_id = "Case"
[service_requests.values.channel]
phone = ["Telephone", "Call"]
online = "Web"
[wards]
files = "wards.geojson"
code = "WD22CD"
[deprivation]
files = "imd.csv"
lookup = "lookup.csv"
""")
    mapping = load_mapping(folder)
    requests = mapping["service_requests"]
    assert (requests.files, requests.date_format, requests.snap_metres, requests.columns) == (
        ("exports/*.csv", "more.csv"), "%d/%m/%Y", 40.0, {"request_id": "Case"})
    assert requests.values == {"channel": {"phone": ("Telephone", "Call"), "online": ("Web",)}}
    assert (mapping["wards"].files, mapping["wards"].code, mapping["wards"].name_field) == (("wards.geojson",), "WD22CD", None)
    assert (mapping["deprivation"].files, mapping["deprivation"].lookup) == (("imd.csv",), "lookup.csv")
