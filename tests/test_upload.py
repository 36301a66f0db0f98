"""The Data page's upload: a new export validated and loaded with the ingest's own code, in plain words."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from pulse.ingest import ingest
from pulse.upload import add_export
from tests.conftest import TINY

GOOD = (b"request_id,created_at,service,channel\n"
        b"U1,2026-03-01 10:00,Pothole,Web\n"
        b"U2,2026-03-02 10:00,Pothole,Carrier pigeon\n")


@pytest.fixture
def loaded(tmp_path):
    folder = tmp_path / "exports"
    shutil.copytree(TINY, folder)
    db = tmp_path / "pulse.duckdb"
    ingest(folder, db)
    return folder, db


def count(db, sql: str):
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_a_good_export_is_loaded_and_its_rejects_explained(loaded):
    folder, db = loaded
    outcome = add_export(folder, "service_requests", "march.csv", GOOD, db)
    assert outcome.ok
    assert outcome.message == ("march.csv: 2 rows read, 1 loaded into service_requests, 1 rejected — "
                               "their reasons are listed below.")
    assert (folder / "uploads" / "service_requests" / "march.csv").exists()
    assert count(db, "select count(*) from service_requests") == [(11,)]
    assert count(db, "select source_file, line from rejected_rows") == [("uploads/service_requests/march.csv", 3)]


def test_a_broken_export_changes_nothing(loaded):
    folder, db = loaded
    before = db.read_bytes()
    outcome = add_export(folder, "service_requests", "broken.csv", b"id,when\n1,2026-03-01\n", db)
    assert not outcome.ok
    assert outcome.message.startswith("Nothing was loaded: uploads/service_requests/broken.csv: required column ")
    assert outcome.message.endswith("The data already loaded is unchanged.")
    assert not (folder / "uploads" / "service_requests" / "broken.csv").exists()
    assert db.read_bytes() == before


@pytest.mark.parametrize("name, message", [
    ("notes.docx", "notes.docx is not a CSV, Excel, Parquet or JSON export."),
    ("", "That file is not a CSV, Excel, Parquet or JSON export."),
])
def test_files_that_are_not_exports_are_refused(loaded, name, message):
    folder, db = loaded
    assert add_export(folder, "feedback", name, b"x", db).message == message


def test_the_same_file_twice_is_refused(loaded):
    folder, db = loaded
    assert add_export(folder, "service_requests", "march.csv", GOOD, db).ok
    again = add_export(folder, "service_requests", "march.csv", GOOD, db)
    assert (again.ok, again.message) == (False, "march.csv was uploaded before; rename the file if it holds new rows.")
