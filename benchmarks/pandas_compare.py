"""The alternative, measured: the Overview's chart aggregate in pandas with the data already in memory,
against the same aggregate as the dashboard runs it in DuckDB from the database file.

    python -m benchmarks.pandas_compare path/to/pulse.duckdb

The aggregate is queries/requests_by_month_channel.sql (requests by month and channel, through
filtered_requests), for the whole borough and for one ward. pandas gets the whole service_requests table
in memory first (the time and memory that takes are reported, not counted in its aggregate time), as a
dashboard that loads its data into a DataFrame at start would hold it. Both answers are compared row by
row before any time is reported. Each figure is the median of RUNS runs after one uncounted run; DuckDB
runs the query afresh every time (pulse.db.run, no cache).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

import pandas as pd

from pulse import db

RUNS = 5
QUERY = "requests_by_month_channel"


def _median(work, runs: int = RUNS) -> tuple[float, object]:
    result = work()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = work()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def by_month_channel(frame: pd.DataFrame, ward: str | None = None) -> pd.DataFrame:
    """The query's answer in pandas: requests by calendar month and channel, optionally in one ward. It groups by
    the month the ingest stores (created_month), as the query does, so neither side works it out per run."""
    rows = frame if ward is None else frame[frame["ward_code"] == ward]
    out = (rows.groupby([pd.to_datetime(rows["created_month"]).rename("period"), "channel"])
           .size().rename("requests").reset_index())
    return out.sort_values(["period", "channel"], ignore_index=True)


def _same(pandas_result: pd.DataFrame, duck: pd.DataFrame) -> bool:
    left = pandas_result.assign(period=pd.to_datetime(pandas_result["period"]).dt.date,
                                requests=pandas_result["requests"].astype("int64"))
    right = duck.assign(period=pd.to_datetime(duck["period"]).dt.date, requests=duck["requests"].astype("int64"))
    return left.reset_index(drop=True).equals(right[left.columns].reset_index(drop=True))


def bench(db_path: str | os.PathLike) -> dict[str, float]:
    """Seconds for the aggregate in pandas (data in memory) and in DuckDB, and their ratio."""
    path = Path(db_path)
    params = {"date_from": None, "date_to": None, "directorates": None, "services": None, "channels": None,
              "wards": None}
    started = time.perf_counter()
    frame = db.connection(path).cursor().execute("select * from service_requests").df()
    load_s = time.perf_counter() - started
    ward = frame["ward_code"].dropna().mode().iloc[0]
    out: dict[str, float] = {"rows": float(len(frame)), "pandas_load_s": round(load_s, 3),
                             "pandas_frame_mb": round(frame.memory_usage(deep=True).sum() / 1e6)}
    for label, chosen in (("borough", None), ("one_ward", ward)):
        pandas_s, pandas_result = _median(lambda: by_month_channel(frame, chosen))
        duck_params = {**params, "wards": None if chosen is None else [chosen]}
        duck_s, duck_result = _median(lambda: db.run(QUERY, duck_params, path))
        if not _same(pandas_result, duck_result):
            raise RuntimeError(f"pandas and DuckDB disagree on {QUERY} ({label})")
        out[f"{label}_pandas_s"] = round(pandas_s, 4)
        out[f"{label}_duckdb_s"] = round(duck_s, 4)
        out[f"{label}_pandas_over_duckdb"] = round(pandas_s / duck_s, 1)
    return out


if __name__ == "__main__":
    print(json.dumps(bench(sys.argv[1])))
