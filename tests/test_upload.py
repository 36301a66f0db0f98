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


def test_a_fault_inside_the_ingest_cleans_up_and_later_ingests_still_work(loaded, monkeypatch):
    from pulse import upload

    folder, db = loaded
    before = db.read_bytes()

    def broken(*args, **kwargs):
        raise RuntimeError("DuckDB said no\nwith a second line")

    monkeypatch.setattr(upload, "ingest", broken)
    outcome = add_export(folder, "service_requests", "march.csv", GOOD, db)
    assert (outcome.ok, outcome.message) == (
        False, "Nothing was loaded: march.csv could not be loaded (DuckDB said no). The data already loaded is unchanged.")
    assert not (folder / "uploads").exists()
    assert db.read_bytes() == before
    monkeypatch.undo()
    # Nothing of the failed upload is left to break the next load, nor the same file uploaded again.
    ingest(folder, db)
    assert count(db, "select count(*) from service_requests") == [(10,)]
    assert add_export(folder, "service_requests", "march.csv", GOOD, db).ok


def test_a_file_that_cannot_be_saved_is_reported_plainly(loaded):
    folder, db = loaded
    (folder / "uploads").write_text("a file where the uploads folder should be")
    outcome = add_export(folder, "service_requests", "march.csv", GOOD, db)
    assert (outcome.ok, outcome.message) == (
        False, "Nothing was loaded: march.csv could not be saved in the source folder (a file is in the way of the "
               "uploads folder). The data already loaded is unchanged.")
    assert (folder / "uploads").read_text() == "a file where the uploads folder should be"


def test_a_half_written_file_is_removed(loaded, monkeypatch):
    import errno
    from pathlib import Path

    folder, db = loaded

    def disk_full(self, data):
        with open(self, "wb") as handle:
            handle.write(data[:10])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", disk_full)
    outcome = add_export(folder, "service_requests", "march.csv", GOOD, db)
    assert outcome.message == ("Nothing was loaded: march.csv could not be saved in the source folder (the disk is "
                               "full). The data already loaded is unchanged.")
    assert not (folder / "uploads").exists()


def test_a_refused_upload_leaves_no_folder_behind_and_the_next_load_works(loaded):
    folder, db = loaded
    outcome = add_export(folder, "feedback", "ratings.csv", b"feedback_id,rating\nF9,5\n", db)
    assert outcome.message.startswith("Nothing was loaded: uploads/feedback/ratings.csv: required column submitted_at")
    assert not (folder / "uploads").exists()
    report = ingest(folder, db)
    assert "uploads/feedback/ratings.csv" not in [f.source_file for f in report.files]


def test_only_tables_of_the_contract_take_uploads(loaded):
    folder, db = loaded
    outcome = add_export(folder, "../../etc", "march.csv", GOOD, db)
    assert (outcome.ok, outcome.message) == (False, "'../../etc' is not a table an export can be added to.")
    assert not (folder / "uploads").exists()
