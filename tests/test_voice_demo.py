"""The demo borough's resident voice: its planted themes come out as themes, and none of the fake
personal data its generator writes into comments reaches the database."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import numpy as np
import pytest

from pulse import demo
from pulse.ingest import ingest
from pulse.ingest.redact import redact

# Large enough for each planted story to show in a few months of comments (about 5,000 comments).
REQUESTS = 120_000
LOGIN = "Couldn't log in / website problems"
PHONE = "Long wait on the phone"


@pytest.fixture(scope="module")
def con(tmp_path_factory) -> duckdb.DuckDBPyConnection:
    folder = tmp_path_factory.mktemp("voice_demo")
    demo.generate(folder / "source", requests=REQUESTS, seed=7)
    ingest(folder / "source", folder / "pulse.duckdb")
    connection = duckdb.connect(str(folder / "pulse.duckdb"), read_only=True)
    yield connection
    connection.close()


def share(con, theme: str, where: str) -> float:
    """The share of the comments matching where that have the theme."""
    themed, comments = con.execute(f"""
        select count(*) filter (where feedback_id in (select feedback_id from feedback_themes where theme = ?)),
            count(*)
        from feedback
        left join ward_population using (ward_code)
        where comment is not null and ({where})""", [theme]).fetchone()
    return themed / comments


def test_sign_in_problems_rise_after_the_council_tax_account_and_fall_after_the_fix(con):
    # Among the council tax services' comments, where the account launched ...
    council_tax = "service like 'Council tax%' and "
    during = share(con, LOGIN, council_tax + "submitted_at >= '2026-01-12' and submitted_at < '2026-04-13'")
    before = share(con, LOGIN, council_tax + "submitted_at >= '2025-01-01' and submitted_at < '2026-01-12'")
    after = share(con, LOGIN, council_tax + "submitted_at >= '2026-05-01'")
    assert during > 3 * before and during > 3 * after
    # ... and enough to show in the borough's comments as a whole.
    assert share(con, LOGIN, "submitted_at >= '2026-01-12' and submitted_at < '2026-04-13'") > 2 * share(
        con, LOGIN, "submitted_at < '2026-01-12' or submitted_at >= '2026-05-01'")


def test_long_waits_on_the_phone_peak_each_spring_until_call_backs(con):
    spring = "month(submitted_at) in (3, 4)"
    spring_before = share(con, PHONE, f"{spring} and submitted_at < '2025-10-06'")
    rest_before = share(con, PHONE, f"not ({spring}) and submitted_at < '2025-10-06'")
    spring_after = share(con, PHONE, f"{spring} and submitted_at >= '2025-10-06'")
    assert spring_before > 3 * rest_before
    assert spring_after < spring_before / 2


def test_long_waits_on_the_phone_are_concentrated_in_the_most_deprived_wards(con):
    deprived = share(con, PHONE, "imd_decile <= 3")
    affluent = share(con, PHONE, "imd_decile >= 8")
    assert deprived > 1.5 * affluent


def test_the_demo_comments_find_their_themes(con):
    found = dict(con.execute("select theme, count(*) from feedback_themes group by theme").fetchall())
    for theme in (LOGIN, PHONE, "Bins missed", "Slow to sort out", "Staff were helpful",
                  "Staff were rude or unhelpful", "Repairs, damp and mould", "Kept informed",
                  "No updates / nobody got back to me", "Closed but not fixed", "Easy to do online"):
        assert found.get(theme, 0) >= 20, theme
    # Most comments have a theme; the rest are Other.
    themed, comments = con.execute("select count(distinct feedback_id) filter (where theme is not null), "
                                   "count(distinct feedback_id) "
                                   "from feedback left join feedback_themes using (feedback_id) "
                                   "where comment is not null").fetchone()
    assert themed / comments > 0.9


def test_you_said_we_did(con):
    actions = con.execute("select date::varchar, theme, service from actions order by date").fetchall()
    assert actions == [("2024-11-04", "Bins missed", "Missed bin collection"), ("2025-10-06", PHONE, None),
                       ("2026-04-13", LOGIN, "Council tax enquiry")]
    themes = {t for (t,) in con.execute("select theme from themes").fetchall()}
    assert {theme for _, theme, _ in actions} <= themes


# --- no unredacted personal data ----------------------------------------------------------------

NAMES = re.compile(r"\b(?:" + "|".join(demo.FIRST_NAMES + demo.LAST_NAMES) + r")\b")
PERSONAL = {
    "email": re.compile(r"[\w.+'-]+ ?@ ?[\w-]+\.[\w.]+"),
    "phone": re.compile(r"(?:\+44|\b0)[ \d().-]{9,14}\d"),
    "postcode": re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2}\b", re.IGNORECASE),
    "NI number": re.compile(r"\bQQ ?\d\d"),
    "card": re.compile(r"4111[ -]?1111"),
    "sort code": re.compile(r"12-34-56"),
    "registration": re.compile(r"PF79"),
    "street": re.compile("|".join(demo.STREETS)),
    "date of birth": re.compile(r"DOB \d"),
}


def text_columns(con) -> list[tuple[str, str]]:
    return con.execute("select table_name, column_name from information_schema.columns "
                       "where data_type = 'VARCHAR' and table_schema = 'main' order by 1, 2").fetchall()


def test_the_generator_plants_every_kind_of_personal_data_the_scan_looks_for():
    planted = demo._fake_pii(np.random.default_rng(3), 200)
    for kind, pattern in PERSONAL.items():
        assert any(pattern.search(t) for t in planted), kind
    assert any(NAMES.search(t) for t in planted)
    # and redaction removes all of it
    for text in planted:
        clean = redact(str(text))
        assert not NAMES.search(clean) and not any(p.search(clean) for p in PERSONAL.values()), clean


def test_no_personal_data_reaches_any_text_column_of_any_table(con):
    # The source comments did hold personal data...
    raw = con.execute("select count(*) from feedback where comment like '%[%]%'").fetchone()[0]
    assert raw > 100
    # ... and not one value of any text column of any table still does.
    leaks = []
    columns = text_columns(con)
    assert ("feedback", "comment") in columns and ("rejected_rows", "raw") in columns
    for table, column in columns:
        values = [v for (v,) in con.execute(f'select distinct "{column}" from "{table}" where "{column}" is not null')
                  .fetchall()]
        for value in values:
            for kind, pattern in {**PERSONAL, "name": NAMES}.items():
                if pattern.search(value):
                    leaks.append((table, column, kind, value[:80]))
    assert leaks == []
