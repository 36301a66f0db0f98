"""The Leadership adoption page's rerun time, cold and warm, on the benchmark database and on a 50,000-person council.

    python -m benchmarks.leadership path/to/pulse.duckdb

`bench(db_path)` is what benchmarks/run.py calls. The 50,000-person case copies the database and
replaces its adoption table with 50,000 people × 36 months × 6 activities (10.8 million rows),
made up in SQL: the issue asks for the page to rerun within 0.5 s warm at that size.
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from benchmarks.apptest import open_cold, using_db, warm

PAGE = "views/leadership.py"
BIG_PEOPLE = 50_000
BIG_MONTHS = 36
ACTIVITIES = ("teams_meetings", "digital_training_completed", "dashboard_viewed", "e_signature",
              "shared_documents", "mobile_working")

# Made-up adoption for a big council: about 1 in 1,000 people an executive, 1 in 100 a senior
# leader, 1 in 8 a manager; the share active rises month by month and differs by activity.
BIG_ADOPTION = """
create or replace table adoption as
with directorates as (
    select list(distinct directorate order by directorate) as names from adoption
),
people as (
    select
        i,
        'B' || lpad(i::varchar, 6, '0') as person_id,
        names[1 + (hash(i) % len(names))::bigint] as directorate,
        case when i % 1000 = 0 then 'executive' when i % 100 = 0 then 'senior_leader'
             when i % 8 = 0 then 'manager' else 'staff' end as role_level
    from range($people) as t(i), directorates
),
months as (
    select m, (date '2023-11-01' + to_months(m::integer))::date as month
    from range($months) as t(m)
),
activities as (
    select unnest($activities::varchar[]) as activity
)
select
    month, person_id, role_level, directorate, activity,
    (hash(person_id, month, activity) % 100 < 35 + m)::double as value,
    'benchmark' as source_file, null::bigint as source_line
from people, months, activities
"""


def _time_page(db_path: Path) -> tuple[float, float]:
    """Seconds for the page's first run with empty caches, and the median warm rerun."""
    with using_db(db_path):
        at, cold = open_cold(PAGE)
        return cold, warm(at)


def big_council(db_path: Path, out: Path) -> int:
    """A copy of the database whose adoption table holds a 50,000-person council; its row count."""
    shutil.copy(db_path, out)
    con = duckdb.connect(str(out))
    try:
        con.execute(BIG_ADOPTION, {"people": BIG_PEOPLE, "months": BIG_MONTHS, "activities": list(ACTIVITIES)})
        con.execute("checkpoint")
        return con.execute("select count(*) from adoption").fetchone()[0]
    finally:
        con.close()


def bench(db_path: Path | str) -> dict[str, float]:
    """Cold and warm rerun seconds of the Leadership adoption page, on this database and a 50,000-person one."""
    db_path = Path(db_path)
    cold, warm_s = _time_page(db_path)
    with tempfile.TemporaryDirectory(prefix="leadership-bench-") as folder:
        big = Path(folder) / "big.duckdb"
        started = time.perf_counter()
        rows = big_council(db_path, big)
        build = time.perf_counter() - started
        big_cold, big_warm = _time_page(big)
    return {
        "cold_s": round(cold, 3),
        "warm_s": round(warm_s, 3),
        "council_50k_rows": float(rows),
        "council_50k_build_s": round(build, 1),
        "council_50k_cold_s": round(big_cold, 3),
        "council_50k_warm_s": round(big_warm, 3),
    }


if __name__ == "__main__":
    print(json.dumps(bench(sys.argv[1])))
