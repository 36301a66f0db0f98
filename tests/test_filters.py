"""The shared filters to and from the URL: links reproduce a view; bad values are dropped with a note."""

from __future__ import annotations

from datetime import date

import pandas as pd
from streamlit.testing.v1 import AppTest

from pulse.filters import Filters, Options, complete_end, dense_start, from_query_params, period_note

OPTIONS = Options(
    min_date=date(2023, 11, 1), max_date=date(2026, 10, 31), directorates=("Housing", "Highways"),
    services=("Pothole", "Repairs"), channels=("online", "phone"), wards={"E05900001": "Abbey Fields"},
)


def test_no_parameters_means_everything():
    filters, notes = from_query_params({}, OPTIONS)
    assert filters == Filters(date(2023, 11, 1), date(2026, 10, 31))
    assert notes == []
    assert filters.params() == {"date_from": date(2023, 11, 1), "date_to": date(2026, 10, 31), "directorates": None,
                                "services": None, "channels": None, "wards": None}
    assert filters.to_query_params(OPTIONS) == {}


def test_a_link_round_trips():
    wanted = Filters(date(2024, 1, 1), date(2024, 12, 31), ("Housing",), ("Repairs", "Pothole"), ("phone",),
                     ("E05900001",), public_safe=True)
    query = wanted.to_query_params(OPTIONS)
    assert query == {"from": "2024-01-01", "to": "2024-12-31", "directorate": ["Housing"],
                     "service": ["Repairs", "Pothole"], "channel": ["phone"], "ward": ["E05900001"], "public": "1"}
    again, notes = from_query_params({k: v if isinstance(v, list) else [v] for k, v in query.items()}, OPTIONS)
    assert (again, notes) == (wanted, [])


def test_values_not_in_the_data_are_ignored_with_a_note():
    filters, notes = from_query_params(
        {"channel": ["phone", "<img src=x onerror=alert(1)>"], "ward": ["E05999999"], "from": ["yesterday"],
         "public": ["yes please"]}, OPTIONS)
    assert filters.channels == ("phone",) and filters.wards == () and filters.date_from == date(2023, 11, 1)
    assert notes == [
        "Ignored the from date in the link: “yesterday” is not a date (YYYY-MM-DD).",
        "Ignored channel value(s) in the link that are not in the data: “·img src·x onerror·alert·1··”.",
        "Ignored ward value(s) in the link that are not in the data: “E05999999”.",
        "Ignored public=“yes please” in the link: use public=1 for public-safe figures.",
    ]


def test_dates_the_wrong_way_round_fall_back_to_everything():
    filters, notes = from_query_params({"from": ["2026-01-01"], "to": ["2025-01-01"]}, OPTIONS)
    assert (filters.date_from, filters.date_to) == (date(2023, 11, 1), date(2026, 10, 31))
    assert notes == ["Ignored the dates in the link: the start is after the end."]


def test_long_hostile_values_are_cut_short_in_the_note():
    _, notes = from_query_params({"service": ["x" * 500]}, OPTIONS)
    assert notes == ["Ignored service value(s) in the link that are not in the data: “" + "x" * 40 + "…”."]


def test_link_dates_beyond_the_data_are_clamped_with_a_note():
    filters, notes = from_query_params({"from": ["2020-01-01"], "to": ["2024-06-30"]}, OPTIONS)
    assert (filters.date_from, filters.date_to) == (date(2023, 11, 1), date(2024, 6, 30))
    assert notes == ["The link's dates (1 Jan 2020 to 30 Jun 2024) reach beyond the data, which runs from "
                     "1 Nov 2023 to 31 Oct 2026: showing 1 Nov 2023 to 30 Jun 2024."]
    filters, notes = from_query_params({"to": ["2030-12-31"]}, OPTIONS)
    assert (filters.date_from, filters.date_to) == (date(2023, 11, 1), date(2026, 10, 31))
    assert notes == ["The link's dates (1 Nov 2023 to 31 Dec 2030) reach beyond the data, which runs from "
                     "1 Nov 2023 to 31 Oct 2026: showing 1 Nov 2023 to 31 Oct 2026."]
    # Clamped dates make a link that no longer carries them.
    assert filters.to_query_params(OPTIONS) == {}


def test_link_dates_wholly_outside_the_data_show_all_of_it():
    filters, notes = from_query_params({"from": ["2027-01-01"], "to": ["2027-03-31"]}, OPTIONS)
    assert (filters.date_from, filters.date_to) == (date(2023, 11, 1), date(2026, 10, 31))
    assert notes == ["The link's dates (1 Jan 2027 to 31 Mar 2027) lie outside the data, which runs from "
                     "1 Nov 2023 to 31 Oct 2026: showing all of it."]
    filters, notes = from_query_params({"from": ["2027-01-01"]}, OPTIONS)  # a start after the data's end
    assert (filters, notes) == (Filters(date(2023, 11, 1), date(2026, 10, 31)),
                                ["Ignored the dates in the link: the start is after the end."])


def test_link_dates_on_a_database_without_dates_are_kept():
    empty = Options()
    filters, notes = from_query_params({"from": ["2024-01-01"], "to": ["2024-02-01"]}, empty)
    assert (filters.date_from, filters.date_to, notes) == (date(2024, 1, 1), date(2024, 2, 1), [])


def test_the_app_opens_a_link_with_dates_beyond_the_data(tiny_db, monkeypatch):
    from tests.conftest import ROOT

    monkeypatch.setenv("PULSE_DB", str(tiny_db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["from"] = "2019-01-01"
    at.query_params["to"] = "2031-12-31"
    at.run()
    assert not at.exception, at.exception
    # The tiny fixture's dates run from its adoption and KPI months (1 January) to the end of its last
    # adoption month (28 February).
    assert at.session_state["f_dates"] == (date(2026, 1, 1), date(2026, 2, 28))
    assert [w.value for w in at.sidebar.warning] == [
        "The link's dates (1 Jan 2019 to 31 Dec 2031) reach beyond the data, which runs from 1 Jan 2026 to "
        "28 Feb 2026: showing 1 Jan 2026 to 28 Feb 2026."]


# --------------------------------------------------------------------------- the default period


def test_the_default_period_starts_where_the_data_becomes_regular():
    strays = {date(2016, 11, 1): 2, date(2018, 3, 1): 1, date(2020, 5, 1): 3}
    real = {date(2021, m, 1): 400 for m in range(1, 13)} | {date(2022, m, 1): 500 for m in range(1, 13)}
    assert dense_start(strays | real) == date(2021, 1, 1)
    assert dense_start(real) is None  # no tail: the data's own first day
    # An outage in the middle of real data never moves the start: too much came before it.
    outage = {date(2021, m, 1): 400 for m in range(1, 13)} | {date(2022, m, 1): 500 for m in range(5, 13)}
    assert dense_start(outage) is None
    # A sparse month right after the tail is skipped too; the start is the first month that is not sparse.
    assert dense_start(strays | {date(2020, 12, 1): 5} | real) == date(2021, 1, 1)
    assert dense_start({}) is None


def test_links_without_dates_open_on_the_default_period_and_a_full_range_is_kept_in_the_link():
    options = Options(min_date=date(2016, 11, 15), max_date=date(2024, 5, 5), default_from=date(2021, 8, 1))
    default, notes = from_query_params({}, options)
    assert (default.date_from, default.date_to, notes) == (date(2021, 8, 1), date(2024, 5, 5), [])
    assert default.to_query_params(options) == {}
    everything, _ = from_query_params({"from": ["2016-11-15"]}, options)
    assert everything.date_from == date(2016, 11, 15)
    assert everything.to_query_params(options) == {"from": "2016-11-15"}


def test_a_partial_last_month_is_left_out_of_the_default_view_only_with_a_year_to_show():
    def months(first: date, last: date, last_count: int) -> dict[date, int]:
        made = {d.date(): 300 for d in pd.date_range(first, last, freq="MS")}
        return made | {last.replace(day=1): last_count}

    lewisham = months(date(2021, 8, 1), date(2024, 5, 5), 40)
    assert complete_end(date(2024, 5, 5), date(2021, 8, 1), lewisham) == date(2024, 4, 30)
    assert complete_end(date(2024, 5, 5), date(2021, 8, 1), months(date(2021, 8, 1), date(2024, 5, 5), 150)) is None
    assert complete_end(date(2024, 4, 30), date(2021, 8, 1), lewisham) is None  # the last month is complete
    feb = months(date(2025, 2, 1), date(2026, 2, 12), 40)
    assert complete_end(date(2026, 2, 12), date(2025, 2, 1), feb) == date(2026, 1, 31)  # 12 complete months before
    assert complete_end(date(2026, 2, 12), date(2025, 2, 2), feb) is None  # 11: every month is worth keeping
    assert complete_end(date(2026, 2, 12), date(2026, 1, 5), feb) is None
    assert complete_end(None, None) is None
    options = Options(min_date=date(2021, 8, 1), max_date=date(2024, 5, 5), default_to=date(2024, 4, 30))
    default, _ = from_query_params({}, options)
    assert (default.date_from, default.date_to, default.to_query_params(options)) == (
        date(2021, 8, 1), date(2024, 4, 30), {})
    everything, _ = from_query_params({"to": ["2024-05-05"]}, options)
    assert everything.date_to == date(2024, 5, 5) and everything.to_query_params(options) == {"to": "2024-05-05"}
    assert period_note(options) == "Ending Apr 2024, the last complete month; the records run on to 5 May 2024."


def test_real_lewisham_opens_on_its_dense_span_with_everything_one_click_away(real_lewisham, tmp_path, monkeypatch):
    from tests.conftest import ROOT, lewisham_database

    monkeypatch.setenv("PULSE_DB", str(lewisham_database(real_lewisham, tmp_path)))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    assert not at.exception
    # A few stray reports go back to November 2016; the feed itself starts in August 2021.
    # The last report is of 5 May 2024: the default view ends with April, the last complete month.
    assert at.session_state["f_dates"] == (date(2021, 8, 1), date(2024, 4, 30))
    assert ("Starting Aug 2021, where the data becomes regular; some older records go back to Nov 2016. Ending "
            "Apr 2024, the last complete month; the records run on to 5 May 2024.") in [c.value for c in at.sidebar.caption]
    assert at.query_params.get("to") is None  # the default period needs nothing in the link
    at.sidebar.button(key="f_all_dates").click().run()
    assert at.session_state["f_dates"] == (date(2016, 11, 15), date(2024, 5, 5))
    assert at.query_params["from"] == "2016-11-15"
