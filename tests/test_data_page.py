"""The Data page: every row accounted for, exactly inside the council and safely in public-safe mode.

The fixture borough has three exports of service requests: a large one (60 rows), a CRM export of
12 rows (one rejected, its unmapped description holding a name, a phone number, an email address
and a postcode) and a small old export of 3 rows, the file issue 8 found counted exactly whatever
the mode.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from pulse.disclosure import Policy
from pulse.ingest.redact import redact
from pulse.pages import data_counts
from tests.audit.collect import run

PAGE = "views/data.py"
PERSONAL = ("Jane Doe", "07700 900123", "jane.doe@example.com", "SE6 4RU")
CRM_REJECT = ('my name is Jane Doe, call 07700 900123 or jane.doe@example.com, SE6 4RU')


def _write(folder: Path) -> Path:
    folder.mkdir(parents=True)
    header = "request_id,created_at,service,channel,ward_code"
    big = [f"A{i:03d},2026-01-{1 + i % 28:02d} 10:00,Pothole,{'online' if i % 3 else 'phone'},E05000001"
           for i in range(60)]
    old = [f"B{i:03d},2026-02-{1 + i:02d} 10:00,Pothole,online,E05000001" for i in range(3)]
    crm = [f"C{i:03d},2026-01-{1 + i:02d} 10:00,Pothole,phone,E05000001,Hole in road" for i in range(11)]
    crm.append(f'C999,2026-01-20 10:00,Pothole,Fax,E05000001,"{CRM_REJECT}"')
    (folder / "service_requests.csv").write_text("\n".join([header, *big]) + "\n")
    (folder / "service_requests_old.csv").write_text("\n".join([header, *old]) + "\n")
    (folder / "service_requests_crm.csv").write_text("\n".join([header + ",description", *crm]) + "\n")
    return folder


@pytest.fixture(scope="module")
def borough(tmp_path_factory) -> Path:
    """The fixture borough ingested once."""
    from pulse.ingest import ingest

    root = tmp_path_factory.mktemp("data_page")
    ingest(_write(root / "exports"), root / "pulse.duckdb")
    return root / "pulse.duckdb"


def _copy(db: Path, tmp_path: Path, *sql: str) -> Path:
    """A copy of a database, changed by some SQL (a newer ingest's tables, say)."""
    target = tmp_path / "copy" / "pulse.duckdb"
    target.parent.mkdir()
    shutil.copy(db, target)
    con = duckdb.connect(str(target))
    try:
        for statement in sql:
            con.execute(statement)
    finally:
        con.close()
    return target


def _tables(at) -> dict[str, pd.DataFrame]:
    """Each dataframe on the page, keyed by its columns."""
    return {",".join(d.value.columns): d.value for d in at.dataframe}


def _rows(frame: pd.DataFrame) -> list[list]:
    return frame.astype(object).where(frame.notna(), None).values.tolist()


SOURCES = "Table,File,Read,Loaded,Rejected,From,To,File saved"


# --------------------------------------------------------------------------- counts, exact and public


def test_inside_the_council_every_file_is_counted_exactly(borough, monkeypatch):
    at, _ = run(borough, PAGE, {}, monkeypatch)
    assert not at.exception
    assert [(m.label, m.value) for m in at.metric] == [("Rows read", "75"), ("Loaded", "74"), ("Rejected", "1"),
                                                       ("No matching ward", "0")]
    sources = _tables(at)[SOURCES]
    assert _rows(sources[["File", "Read", "Loaded", "Rejected", "From", "To"]]) == [
        ["service_requests.csv", "60", "60", "0", "1 Jan 2026", "28 Jan 2026"],
        ["service_requests_crm.csv", "12", "11", "1", "1 Jan 2026", "11 Jan 2026"],
        ["service_requests_old.csv", "3", "3", "0", "1 Feb 2026", "3 Feb 2026"],
    ]


def test_public_safe_hides_the_small_file_and_the_file_that_would_give_it_away(borough, monkeypatch):
    at, shown = run(borough, PAGE, {"public": "1"}, monkeypatch)
    assert not at.exception
    # Rows loaded (74) and read (75) side by side would give the 1 rejected row away: read is hidden.
    assert [(m.label, m.value) for m in at.metric] == [("Rows read", "[c]"), ("Loaded", "75"), ("Rejected", "[c]"),
                                                       ("No matching ward", "[c]")]
    assert "hidden so that a count under 10 nearby cannot be worked out" in at.metric[0].proto.help
    sources = _tables(at)[SOURCES]
    # 74 loaded = 60 + 11 + 3: with the 3 hidden, the 11 must go too, or 74 − 60 − 11 gives it back.
    assert _rows(sources[["File", "Read", "Loaded", "Rejected", "From", "To"]]) == [
        ["service_requests.csv", "60", "60", "[c]", "Jan 2026", "Jan 2026"],
        ["service_requests_crm.csv", "10", "[c]", "[c]", "Jan 2026", "Jan 2026"],
        ["service_requests_old.csv", "[c]", "[c]", "[c]", None, None],
    ]
    assert _rows(_tables(at)["Table,Reason,Rows"]) == [
        ["service requests", "unknown channel '…' (add it under [service_requests.values.channel] in pulse.toml; "
         "known: online, app, phone, face_to_face, email, post, social, other)", "[c]"]]
    text = "\n".join(s for s in shown if "/code" not in s.split("\n", 1)[0])  # the SQL quotes reasons
    assert "C999" not in text and "'Fax'" not in text, "no rejected row in public-safe mode"
    # The sidebar's board pack is the only download left (its own tests audit what it holds).
    downloads = [b.key for b in at.get("download_button")]
    assert not at.selectbox and not at.get("file_uploader") and downloads == ["p_pack.pptx", "p_pack.pdf"]
    assert "Rejected rows themselves are not shown in public-safe figures" in text
    assert "adding an export are for the council's own analysts" in text


def test_the_count_model_leaves_nothing_to_subtract():
    sources = pd.DataFrame({
        "table_name": ["service_requests"] * 3, "source_file": ["a.csv", "b.csv", "c.csv"],
        "rows_read": [60, 12, 3], "rows_loaded": [60, 11, 3], "rows_rejected": [0, 1, 0],
        "no_ward": [0, 0, 0], "unmatched_wards": [0, 0, 0]})
    reasons = pd.DataFrame({"table_name": ["service_requests"], "source_file": ["b.csv"],
                            "reason": ["unknown channel '…'"], "rows": [1]})
    cells = data_counts.cells(sources, reasons)
    assert cells.loc[cells["rows"] > 0].values.tolist() == [
        ["service_requests", "a.csv", "loaded", "", 60], ["service_requests", "b.csv", "loaded", "", 11],
        ["service_requests", "b.csv", "rejected", "unknown channel '…'", 1],
        ["service_requests", "c.csv", "loaded", "", 3]]
    exact = data_counts.publish(cells, Policy(public_safe=False))
    assert exact.protection is None
    assert [exact.totals[k].text for k in ("read", "loaded", "rejected")] == ["75", "74", "1"]
    public = data_counts.publish(cells, Policy(public_safe=True))
    assert public.protection.disclosed().empty
    assert public.tables["file_read"].frame["rows"].tolist() == [60, 10, "[c]"]
    assert public.tables["file_loaded"].frame["rows"].tolist() == [60, "[c]", "[c]"]
    assert [public.totals[k].text for k in ("read", "loaded", "rejected")] == ["[c]", "75", "[c]"]


# --------------------------------------------------------------------------- free text


def test_rejected_rows_never_show_personal_details_on_screen_or_in_the_download(borough, monkeypatch):
    at, shown = run(borough, PAGE, {}, monkeypatch)
    text = "\n".join(shown)
    for detail in PERSONAL:
        assert detail not in text, f"{detail!r} reached the Data page or its download"
    rejected = _tables(at)["File,Line,Reason,Row as read"]
    row = rejected["Row as read"].iloc[0]
    assert row == redact(row) and "my name is [name], call [phone] or [email], [postcode]" in row
    download = next(s for s in shown if s.startswith("download Download these rejected rows"))
    assert "my name is [name], call [phone] or [email], [postcode]" in download
    assert _rows(rejected[["File", "Line"]]) == [["service_requests_crm.csv", 13]]


def test_the_page_redacts_whatever_the_database_holds(borough, tmp_path, monkeypatch):
    # A reason quoting a value, and a load that kept an unredacted row (an older ingest): both redacted here.
    db = _copy(borough, tmp_path, "update rejected_rows set reason = 'unknown channel ''jane.doe@example.com'''")
    at, shown = run(db, PAGE, {}, monkeypatch)
    text = "\n".join(shown)
    assert not any(detail in text for detail in PERSONAL)
    assert _tables(at)["File,Line,Reason,Row as read"]["Reason"].tolist() == ["unknown channel '[email]'"]


# --------------------------------------------------------------------------- the ingest's notes and counts


# What a load of messier exports leaves in the tables the ingest keeps for the Data page.
NEWER_INGEST = (
    "update sources set snapped = 2, snap_metres = 25 where source_file = 'service_requests.csv'",
    "insert into source_notes values ('service_requests', 'service_requests_crm.csv', 'created_at', 'date_order', "
    "'created_at: 2 rows were rejected for dates written day first; ask jane.doe@example.com')",
    "insert into other_values values ('service_requests', 'service_requests.csv', 'outcome', 'Closed', 12), "
    "('service_requests', 'service_requests_crm.csv', 'outcome', 'Closed', 3)",
    "insert into deprivation_lsoas values ('E01000001', 'E05000001', null, 1500, 'no IMD decile'), "
    "('E01000002', null, 3, null, 'no ward in the lookup'), ('E01000003', 'E05000001', 4, 1600, null)",
)


def test_without_notes_or_snapped_points_their_sections_are_simply_absent(borough, monkeypatch):
    at, shown = run(borough, PAGE, {}, monkeypatch)
    assert [h.value for h in at.subheader] == ["Sources", "Rows without a ward", "KPIs that cannot be shown",
                                               "Rejected rows", "Add a new export"]
    assert _rows(_tables(at)["Table,File,No ward,Of which unmatched,Snapped to the nearest ward,"
                             "Unmatched codes (rows)"]) == [
        ["service requests", "service_requests.csv", "0", "0", "0", None],
        ["service requests", "service_requests_crm.csv", "0", "0", "0", None],
        ["service requests", "service_requests_old.csv", "0", "0", "0", None]]
    assert [m.value for m in at.main.markdown if m.value.startswith("### ")] == []


def test_the_ingests_notes_and_counts_are_drawn_when_there_are_some(borough, tmp_path, monkeypatch):
    db = _copy(borough, tmp_path, *NEWER_INGEST)
    at, shown = run(db, PAGE, {}, monkeypatch)
    assert not at.exception
    tables = _tables(at)
    wards = tables["Table,File,No ward,Of which unmatched,Snapped to the nearest ward,Unmatched codes (rows)"]
    assert _rows(wards) == [
        ["service requests", "service_requests.csv", "0", "0", "2", None],
        ["service requests", "service_requests_crm.csv", "0", "0", "0", None],
        ["service requests", "service_requests_old.csv", "0", "0", "0", None]]
    assert any(c.value.endswith("A point up to 25 m outside every ward was given the nearest ward (snapped).")
               for c in at.caption)
    assert "- **service_requests_crm.csv**: created_at: 2 rows were rejected for dates written day first; ask [email]" \
        in [m.value for m in at.main.markdown]
    assert "jane.doe@example.com" not in "\n".join(shown)
    assert _rows(tables["Outcome as written,Requests,Files"]) == [["Closed", "15", "2"]]
    assert _rows(tables["LSOA,Ward,IMD decile,Why left out"]) == [
        ["E01000001", "E05000001", None, "no IMD decile"], ["E01000002", None, 3, "no ward in the lookup"]]
    headings = [h.value for h in at.main.markdown if h.value.startswith("### ")]
    assert headings == ["### Notes on the files", "### Outcomes loaded as 'other'",
                        "### Neighbourhoods left out of ward deprivation"]


def test_in_public_safe_mode_the_ingests_notes_are_left_out_and_its_counts_rounded(borough, tmp_path,
                                                                                       monkeypatch):
    db = _copy(borough, tmp_path, *NEWER_INGEST)
    at, shown = run(db, PAGE, {"public": "1"}, monkeypatch)
    tables = _tables(at)
    assert "Outcome as written,Requests,Files" not in tables
    assert not any("rows were rejected for dates" in s for s in shown)
    assert _rows(tables["Table,File,No ward,Of which unmatched,Snapped to the nearest ward"]) == [
        ["service requests", "service_requests.csv", "[c]", "[c]", "[c]"],
        ["service requests", "service_requests_crm.csv", "[c]", "[c]", "[c]"],
        ["service requests", "service_requests_old.csv", "[c]", "[c]", "[c]"]]
    assert "LSOA,Ward,IMD decile,Why left out" in tables


def test_files_snapped_within_different_distances_say_so_file_by_file():
    from pulse.pages import data

    sources = pd.DataFrame({
        "table_name": ["feedback", "service_requests"], "source_file": ["f.csv", "s.csv"], "rows_read": [30, 40],
        "rows_loaded": [30, 40], "rows_rejected": [0, 0], "no_ward": [1, 2], "unmatched_wards": [0, 2],
        "unmatched_codes": [None, "E05000009 (2)"]})
    snapped = pd.DataFrame({"table_name": ["feedback", "service_requests"], "source_file": ["f.csv", "s.csv"],
                            "snapped": [3, 4], "snap_metres": [10.0, 25.0]})
    counts = data_counts.publish(data_counts.cells(sources, pd.DataFrame(), snapped), Policy(), with_snapped=True)
    table = data.wards_table(sources, counts, snapped, public=False)
    assert _rows(table.frame) == [["feedback", "f.csv", 1, 0, 3, "10 m", None],
                                  ["service requests", "s.csv", 2, 2, 4, "25 m", "E05000009 (2)"]]
    assert data.wards_note(snapped) == data.WARDS_NOTE


# --------------------------------------------------------------------------- partial data


def _tidy(shown: list[str]) -> list[str]:
    """Text a reader should never see: None, nan, NaT, or a count written as a float."""
    import re

    bad = re.compile(r"\b(None|nan|NaN|NaT)\b|(?<![\d.])\d{1,3}(,\d{3})*\.0\b")
    return [s.split("\n", 1)[0] + ": " + bad.search(s).group(0) for s in shown
            if bad.search(s) and "/code" not in s.split("\n", 1)[0]]


@pytest.mark.parametrize("public", [False, True], ids=["internal", "public-safe"])
def test_one_export_no_rejects_no_unit_costs_reads_tidily(tmp_path, monkeypatch, public):
    from pulse.ingest import ingest

    folder = tmp_path / "exports"
    folder.mkdir()
    shutil.copy(Path(__file__).parent / "fixtures" / "tiny" / "service_requests.csv", folder)
    ingest(folder, tmp_path / "pulse.duckdb")
    db = _copy(tmp_path / "pulse.duckdb", tmp_path, "delete from unit_costs")
    at, shown = run(db, PAGE, {"public": "1"} if public else {}, monkeypatch)
    assert not at.exception
    assert _tidy(shown) == []
    text = "\n".join(shown)
    assert "No unit costs are loaded, so cost per transaction cannot be worked out" in text
    assert ("No rows were rejected." in text) is not public
    assert "Table,Reason,Rows" not in _tables(at)
    sources = _rows(_tables(at)[SOURCES][["File", "Read", "Loaded", "Rejected", "From", "To"]])
    assert sources == ([["service_requests.csv", "10", "10", "[c]", "Jan 2026", "Feb 2026"]] if public else
                       [["service_requests.csv", "10", "10", "0", "5 Jan 2026", "12 Feb 2026"]])


# --------------------------------------------------------------------------- upload


GOOD = b"request_id,created_at,service,channel\nU1,2026-03-01 10:00,Pothole,Web\nU2,2026-03-02 10:00,Pothole,Fax\n"


def test_the_pages_upload_loads_an_export_and_says_what_happened(borough, tmp_path, monkeypatch):
    from pulse.pages import data

    folder = tmp_path / "exports"
    _write(folder)
    db = tmp_path / "pulse.duckdb"
    from pulse.ingest import ingest

    ingest(folder, db)
    monkeypatch.setenv("PULSE_DB", str(db))
    assert data.add_export("service_requests", None, None) == data.Uploaded(False, "Choose a file first.")
    outcome = data.add_export("service_requests", "march.csv", GOOD)
    assert outcome == data.Uploaded(True, "march.csv: 2 rows read, 1 loaded into service_requests, 1 rejected — "
                                          "their reasons are listed below.")
    at, _ = run(db, PAGE, {}, monkeypatch)
    assert "uploads/service_requests/march.csv" in _tables(at)[SOURCES]["File"].tolist()


# --------------------------------------------------------------------------- its queries


def test_rejections_by_file_reason_blanks_the_values_it_quotes(borough):
    from pulse import db

    frame = db.run("rejections_by_file_reason", path=borough)
    assert frame.values.tolist() == [["service_requests", "service_requests_crm.csv", "unknown channel '…' (add it "
                                      "under [service_requests.values.channel] in pulse.toml; known: online, app, "
                                      "phone, face_to_face, email, post, social, other)", 1]]


def test_columns_by_table_lists_what_the_load_made(borough):
    from pulse import db

    frame = db.run("columns_by_table", path=borough)
    assert frame[frame["table_name"] == "rejected_rows"]["column_name"].tolist() == [
        "table_name", "source_file", "line", "reason", "raw"]
    assert {"source_notes", "other_values", "deprivation_lsoas"} <= set(frame["table_name"])



def test_rejected_rows_filter_by_reason_and_the_download_has_them_all(borough, tmp_path, monkeypatch):
    db = _copy(borough, tmp_path, "insert into rejected_rows select 'service_requests', 'service_requests_crm.csv', "
                                  "100 + i, 'closed before created', '{}' from range(1004) t(i)")
    at, shown = run(db, PAGE, {}, monkeypatch)
    assert len(_tables(at)["File,Line,Reason,Row as read"]) == 1000
    captions = [c.value for c in at.caption]
    assert "1,005 rejected rows (the first 1,000 are shown; the download has them all)." in captions
    download = next(s for s in shown if s.startswith("download Download these rejected rows"))
    assert len(download.splitlines()) == 2 + 1005  # its label, the header, every row
    at.text_input(key="data_reason_search").input("CHANNEL").run()
    assert _rows(_tables(at)["File,Line,Reason,Row as read"][["File", "Line"]]) == [["service_requests_crm.csv", 13]]
    assert "1 rejected row." in [c.value for c in at.caption]
