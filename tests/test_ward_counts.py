"""The ward page's counts: one CountModel per kind of record, with the borough and the unmapped rows declared."""

from __future__ import annotations

import pandas as pd

from pulse.pages import ward_tables
from tests.ward_helpers import INTERNAL, PUBLIC, closed, counts, feedback, requests

THREE = [("A", 10_000, 1), ("B", 8_000, 5), ("C", 6_000, 9)]


def texts(c, family: str, wards: str = "ABC", model: str = "requests") -> list[str]:
    return [c.count(model, family, w).text for w in wards]


def test_a_small_ward_and_the_next_smallest_are_hidden_beside_the_borough_total():
    c = counts(THREE, requests({"A": {"online": 60, "phone": 40}, "B": {"online": 10, "phone": 30},
                                "C": {"online": 5, "phone": 2}}))
    # C's 7 would be the borough's 147 less A and B: B (the smaller of the two) is hidden too.
    assert texts(c, "wards") + [c.count("requests", "borough").text] == ["100", "[c]", "[c]", "147"]
    assert c.value("digital_takeup", "A")[0].text == "60.0%"
    assert c.value("digital_takeup", "B")[0].hidden and c.value("requests_per_1000", "B")[0].hidden
    assert not c.models["requests"].disclosed().to_dict("records")


def test_a_small_count_of_rows_no_ward_holds_is_protected_too():
    # Three requests with no ward: borough − A − B − C would give them back, so the smallest ward is hidden.
    c = counts(THREE, requests({"A": {"online": 100}, "B": {"online": 40}, "C": {"online": 30}},
                               {("none", None, "online"): 3}))
    assert texts(c, "wards") == ["100", "40", "[c]"]
    assert (c.count("requests", "unmapped").text, c.count("requests", "borough").text) == ("[c]", "173")


def test_no_ward_is_hidden_when_nothing_is_small():
    c = counts(THREE, requests({"A": {"online": 100}, "B": {"online": 40}, "C": {"online": 30}}))
    assert texts(c, "wards") == ["100", "40", "30"]


def test_take_up_is_hidden_when_it_would_give_away_a_ward_s_few_offline_requests():
    # Priority wards say how many requests came offline: B's 7 is small, so its take-up (93 of 100) is
    # hidden, and C's too, or the borough's take-up less A's and C's would give B's back.
    c = counts(THREE, requests({"A": {"online": 60, "phone": 40}, "B": {"online": 93, "phone": 7},
                                "C": {"app": 20, "post": 30}}))
    assert [c.value("digital_takeup", w)[0].text for w in "ABC"] == ["60.0%", "[c]", "[c]"]
    assert [c.value("requests", w)[0].text for w in "ABC"] == ["100", "100", "50"]
    assert c.value("digital_takeup", None)[0].text == "69.2%"
    assert not c.models["requests"].disclosed().to_dict("records")


def test_unmapped_note_hides_one_more_part_beside_its_total():
    """Issue 8: the note showed a total and all but one of its parts, so the hidden part was the difference."""
    c = counts(THREE, requests({"A": {"online": 500}, "B": {"online": 400}, "C": {"online": 300}},
                               {("unmatched", "E05999999", "phone"): 40, ("outside", None, "phone"): 3,
                                ("none", None, "email"): 11}))
    assert str(ward_tables.unmapped_note(c)) == (
        "Not on the map, but counted in every whole-borough figure — 54 requests: 40 with a ward code or name that "
        "matches no boundary, such as an old code from before a boundary review (E05999999 (40)); [c] with a map "
        "point outside every ward; [c] with no ward or location. The Data page lists them by source file.")


def test_public_safe_rounds_counts_and_works_rates_per_1000_out_from_the_rounded_count():
    """Issue 8: a rate per 1,000 at full precision beside the population gave back the exact count."""
    made = requests({"A": {"online": 1000, "phone": 827}, "B": {"online": 400, "phone": 500},
                     "C": {"online": 300, "phone": 300}})
    inside, public = counts(THREE, made, INTERNAL), counts(THREE, made, PUBLIC)
    assert [inside.value("requests_per_1000", "A")[i].text for i in (0, 1)] == ["182.7", "1,827"]
    # 1,825 ÷ 10,000 × 1,000 = 182.5, published to the nearest 5: × 10 it gives back 1,850, not 1,827.
    assert [public.value("requests_per_1000", "A")[i].text for i in (0, 1)] == ["185", "1,825"]
    assert public.value("digital_takeup", "A")[0].text == "55%"
    assert public.value("requests_per_1000", None)[0].text == "140"  # 3,325 of 24,000 residents


def test_satisfaction_and_resolution_rest_on_their_own_counts():
    c = counts(THREE, requests({w: {"online": 50} for w in "ABC"}),
               shut=closed({"A": (5, 10, 30), "B": (0, 2, 3), "C": (1, 20, 20)}),
               said=feedback({"A": (4, 10, 20), "B": (0, 30, 10), "C": (0, 1, 2)}))
    assert [c.value("resolved_within_target", w)[0].text for w in "ABC"] == ["75.0%", "[c]", "[c]"]
    # B closed 5 (too few), so C (the smaller of the other two) is hidden beside the borough's 91.
    assert [c.value("median_days_to_resolve", w)[0].text for w in "ABC"] == ["5.00 days", "[c]", "[c]"]
    # C gave 3 responses, so A (the smaller of the other two) is hidden beside the borough's 77.
    assert [c.value("user_satisfaction", w)[0].text for w in "ABC"] == ["[c]", "25.0%", "[c]"]
    assert c.value("user_satisfaction", None)[0].text == "43.8%"
    assert [c.count("feedback", "wards", w).text for w in "ABC"] == ["[c]", "40", "[c]"]
    for model in c.models.values():
        assert not model.disclosed().to_dict("records")


def test_rank_table_counts_are_whole_numbers_and_hidden_wards_have_no_rank():
    """Issue 14: a requests-only export showed counts as "1108.0"."""
    c = counts(THREE, requests({"A": {"online": 1108}, "B": {"phone": 40}, "C": {"online": 500}}))
    table = ward_tables.rank_table(c, "requests")
    assert table.kinds["Requests"] == "count"
    assert table.frame.to_csv(index=False).splitlines() == [
        "Rank,Ward,Code,Requests,Note,IMD decile,Population",
        "1,A Ward,A,1108,,1,10000",
        "2,C Ward,C,500,,9,6000",
        "3,B Ward,B,40,,5,8000",
    ]
    hidden = ward_tables.rank_table(counts(THREE, requests({"A": {"online": 1108}, "B": {"phone": 4},
                                                            "C": {"online": 500}})), "requests")
    assert hidden.frame.to_csv(index=False).splitlines()[1:] == [
        "1,A Ward,A,1108,,1,10000",
        ",B Ward,B,[c],[c] too few requests to show,5,8000",
        ",C Ward,C,[c],[c] hidden so that a small count nearby cannot be worked out,9,6000",
    ]


def test_rank_table_of_a_rate_keeps_its_base_and_public_precision():
    made = requests({"A": {"online": 1000, "phone": 827}, "B": {"online": 400, "phone": 500},
                     "C": {"online": 300, "phone": 300}})
    frame = ward_tables.rank_table(counts(THREE, made, PUBLIC), "digital_takeup").frame
    assert list(frame.columns) == ["Rank", "Ward", "Code", "Digital take-up (share)", "Based on (requests)", "Note",
                                   "IMD decile", "Population"]
    assert frame[["Code", "Digital take-up (share)", "Based on (requests)"]].values.tolist() == [
        ["A", 0.55, 1825], ["C", 0.5, 600], ["B", 0.44, 900]]
    per_1000 = ward_tables.rank_table(counts(THREE, made, PUBLIC), "requests_per_1000").frame
    assert str(per_1000["Requests per 1,000 residents"].dtype) == "Int64"
    assert list(per_1000["Requests per 1,000 residents"]) == [185, 115, 100]


def test_borough_line_and_values_for_each_ward():
    c = counts(THREE, requests({"A": {"online": 60, "phone": 40}, "B": {"online": 30, "phone": 10},
                                "C": {"online": 5, "phone": 2}}))
    assert str(ward_tables.borough_line(c, "digital_takeup")) == (
        "Whole borough: **64.6%** from 147 requests. 1 of 3 wards can be shown.")
    found = ward_tables.values(c, "digital_takeup")
    assert list(found["status"]) == ["value", "suppressed", "suppressed"]


def test_priority_wards_are_ranked_with_their_reasons_from_published_figures():
    wards = [("A", 9000, 1), ("B", 9000, 2), ("C", 9000, 1), ("D", 9000, 9), ("E", 9000, 3), ("F", 9000, 8)]
    made = requests({code: {"online": d, "phone": 1000 - d} for code, d in
                     zip("ABCDEF", (400, 450, 700, 300, 480, 800))})
    lines, table = ward_tables.priority_wards(counts(wards, made))
    # Borough take-up 52.2%; the more deprived half is deciles 1–2. C is deprived but above the borough;
    # D and E are below it but less deprived.
    assert list(table.frame["Code"]) == ["A", "B"]
    assert str(lines[0]) == ("1. **A Ward** — Digital take-up 40.0%, 12.2 points below the borough's 52.2%. IMD "
                             "decile 1: among the 10% most deprived areas in England. 600 requests came by phone, in "
                             "person or another offline channel.")
    assert table.frame.loc[0, "Offline requests"] == 600


def test_values_without_population_or_records():
    c = counts([("A", None, None), ("B", 5000, 2)], requests({"A": {"online": 50}, "B": {"online": 50}}))
    assert c.value("requests_per_1000", "A")[0].text == "–"
    assert ward_tables.status_text(__import__("pulse.registry", fromlist=["measure"]).measure("requests_per_1000"),
                                   c.value("requests_per_1000", "A")[0], "no data") == "no population figure"
    assert list(ward_tables.values(c, "requests_per_1000")["status"]) == ["no data", "value"]
    empty = counts([("A", 100, 1)], requests({}))
    assert empty.models["requests"] is None and empty.value("requests", "A")[0].text == "[c]"
    assert pd.isna(ward_tables.rank_table(empty, "requests").frame["Rank"]).all()


def test_public_rates_per_1000_keep_what_the_rounded_count_can_say_when_they_are_small():
    # A month of reports in a ward of 11,682: 12 requests round to 10, which is 0.86 per 1,000, not "0".
    c = counts([("A", 11_682, 1), ("B", 1_000, 2), ("C", 20_000, 3)],
               requests({"A": {"online": 12}, "B": {"online": 47}, "C": {"online": 2_003}}), PUBLIC)
    assert [c.value("requests_per_1000", w)[0].text for w in "ABC"] == ["0.86", "45", "100"]
    frame = ward_tables.rank_table(c, "requests_per_1000").frame
    assert frame["Requests per 1,000 residents"].tolist() == [100.0, 45.0, 0.86]
    assert ward_tables.rank_formats(c, "requests_per_1000")["Requests per 1,000 residents"] == "%.2f"
