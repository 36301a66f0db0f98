"""The KPI trends page with a 50-KPI catalogue: seconds to render it cold and warm.

    python -m benchmarks.kpi_matrix path/to/pulse.duckdb

`bench(db_path)` is what benchmarks/run.py calls. It copies the database and grows its kpis
table to 50 KPIs by repeating the catalogue (copies named "… (2)", "… (3)"; hand-reported copies
get their original's kpi_values), so the page judges 50 series, draws 50 rows of icons and
trends and projects 50 year ends. The copies share their originals' query files, so the cold
run runs each distinct query once, as a council's catalogue reusing the built-in queries would.
The issue asks for the matrix within 1 s warm at 10 million requests.
"""

from __future__ import annotations

import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import duckdb
import pandas as pd

from benchmarks.apptest import WARM_RUNS, open_cold, using_db, warm
from pulse import db
from pulse.filters import Filters
from pulse.metrics import kpis
from pulse.pages import kpi_parts
from pulse.pages import kpis as kpi_page

PAGE = "views/kpis.py"
CATALOGUE_SIZE = 50

BIG_CATALOGUE = """
create or replace table kpis as
with base as (
    select *, row_number() over (order by source_file, source_line, id) as n
    from kpis
)
select
    case when copy = 0 then id else id || '_' || (copy + 1) end as id,
    case when copy = 0 then name else name || ' (' || (copy + 1) || ')' end as name,
    challenge, unit, polarity, target, definition, owner, frequency, source_file,
    copy * 1000 + n as source_line
from base, range($copies) as t(copy)
order by copy, n
limit $kpis
"""

BIG_VALUES = """
create or replace table kpi_values as
select
    case when copy = 0 then kpi_id else kpi_id || '_' || (copy + 1) end as kpi_id,
    period, value, source_file, source_line
from kpi_values, range($copies) as t(copy)
"""

BUILT_IN_ROW = """
insert into kpis (id, name, challenge, unit, polarity, target, definition, owner, frequency, source_file, source_line)
values ($id, $name, $challenge, $unit, $polarity, null, $definition, null, 'monthly', 'benchmark', $line)
"""


def big_catalogue(db_path: Path, out: Path, size: int = CATALOGUE_SIZE) -> int:
    """A copy of the database whose kpis table holds `size` KPIs; how many it holds."""
    shutil.copy(db_path, out)
    con = duckdb.connect(str(out))
    try:
        if con.execute("select count(*) from kpis").fetchone()[0] == 0:
            for line, kpi in enumerate(kpis.BUILT_IN, start=1):
                con.execute(BUILT_IN_ROW, {"id": kpi.id, "name": kpi.name, "challenge": kpi.challenge,
                                           "unit": kpi.unit, "polarity": kpi.polarity,
                                           "definition": kpi.definition, "line": line})
        base = con.execute("select count(*) from kpis").fetchone()[0]
        copies = -(-size // base)
        con.execute(BIG_CATALOGUE, {"copies": copies, "kpis": size})
        con.execute(BIG_VALUES, {"copies": copies})
        con.execute("checkpoint")
        return con.execute("select count(*) from kpis").fetchone()[0]
    finally:
        con.close()


def _time_page(db_path: Path) -> tuple[float, float]:
    """Seconds for the page's first run with empty caches, and the median warm rerun."""
    with using_db(db_path):
        at, cold = open_cold(PAGE)
        rows = sum(len(d.value) for d in at.dataframe if "variation" in d.value.columns)
        if rows != CATALOGUE_SIZE:
            raise RuntimeError(f"{PAGE}: the matrix shows {rows} KPIs, not {CATALOGUE_SIZE}")
        return cold, warm(at)


def _time_matrix(db_path: Path) -> float:
    """Median seconds to judge every KPI and build the matrix from cached query results (the page's own path,
    pulse.pages.kpis, without its cache)."""
    span = db.run("date_range_overall", path=db_path).iloc[0]
    first, last = (pd.Timestamp(span[c]).date() for c in ("min_date", "max_date"))
    filters = Filters(date_from=first, date_to=last)
    inputs = kpi_page.cost_inputs(kpi_page.loaded_costs(), kpis.default_baseline(first, last))
    catalogue = kpis.catalogue(db.query("kpis_by_id"))
    times = []
    for _ in range(WARM_RUNS + 1):
        started = time.perf_counter()
        results = kpi_page._evaluate(catalogue, filters, inputs)
        kpi_parts.matrices(results, {r.kpi.id: kpi_page.year_end(r) for r in results})
        times.append(time.perf_counter() - started)
    return statistics.median(times[1:])


def bench(db_path: Path | str) -> dict[str, float]:
    """Cold and warm seconds of the KPI trends page with a 50-KPI catalogue, and of the matrix alone."""
    with tempfile.TemporaryDirectory(prefix="kpi-bench-") as folder:
        big = Path(folder) / "kpis50.duckdb"
        size = big_catalogue(Path(db_path), big)
        cold, warm_s = _time_page(big)
        with using_db(big):
            matrix = _time_matrix(big)
    return {
        "kpis": float(size),
        "cold_s": round(cold, 3),
        "warm_s": round(warm_s, 3),
        "matrix_warm_s": round(matrix, 3),
    }


if __name__ == "__main__":
    print(json.dumps(bench(sys.argv[1])))
