"""pulse.db: named queries on the current database file."""

from __future__ import annotations

import duckdb


def test_a_reloaded_database_is_read_afresh(tmp_path, monkeypatch):
    # DuckDB reuses the database still open on a path: the app must not keep reading a replaced file.
    from pulse import db

    path = tmp_path / "pulse.duckdb"
    for value in (1, 2):
        fresh = tmp_path / f"new{value}.duckdb"
        con = duckdb.connect(str(fresh))
        con.execute(f"create table meta as select 'loaded_at' as key, '{value}' as value")
        con.close()
        fresh.replace(path)
        monkeypatch.setenv("PULSE_DB", str(path))
        assert db.query("meta_by_key").values.tolist() == [["loaded_at", str(value)]]
