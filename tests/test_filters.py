"""The shared filters to and from the URL: links reproduce a view; bad values are dropped with a note."""

from __future__ import annotations

from datetime import date

from pulse.filters import Filters, Options, from_query_params

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
