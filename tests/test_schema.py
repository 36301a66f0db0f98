"""The data contract in pulse/schema.py and the database schema in queries/ingest/schema.sql agree."""

from __future__ import annotations

import duckdb
import pytest

from pulse.config import QUERIES_DIR
from pulse.schema import TABLES

# Tables the ingest keeps beside the canonical ones: boundaries, bookkeeping and the Data page's figures.
INGEST_TABLES = {"wards", "rejected_rows", "sources", "meta", "source_notes", "other_values", "deprivation_lsoas",
                 "feedback_themes", "themes"}


@pytest.fixture(scope="module")
def declared() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    con.execute((QUERIES_DIR / "ingest" / "schema.sql").read_text())
    return con


@pytest.mark.parametrize("name", TABLES)
def test_every_canonical_table_agrees_column_by_column(declared, name):
    got = declared.execute(
        "select column_name, data_type, is_nullable from information_schema.columns "
        "where table_name = $name and table_schema = 'main' order by ordinal_position", {"name": name}).fetchall()
    expected = [(c.name, c.type, "NO" if c.not_null else "YES") for c in TABLES[name].stored]
    assert got == expected


def test_schema_sql_holds_no_table_the_contract_does_not_know(declared):
    tables = {name for (name,) in declared.execute(
        "select table_name from information_schema.tables where table_type = 'BASE TABLE'").fetchall()}
    assert tables == set(TABLES) | INGEST_TABLES


def test_the_header_names_files_that_exist():
    from pulse.config import ROOT

    header = (QUERIES_DIR / "ingest" / "schema.sql").read_text().split("\n\n")[0]
    named = [word.strip(";,.") for word in header.split() if "/" in word]
    assert named and all((ROOT / path).exists() for path in named), named
