"""What the loaded data can support (pulse.metrics.readiness): exact verdicts from counted facts, and the
readiness query's facts on the hand-written tiny fixture."""

from __future__ import annotations

from pulse import registry
from pulse.metrics import readiness
from pulse.metrics.readiness import Readiness

FULL = {"service_requests": 100, "service_requests.channel": 100, "service_requests.closed_at": 90,
        "service_requests.outcome": 90, "service_requests.due_at": 80, "service_requests.resolved_first_contact": 40,
        "service_requests.customer_ref": 100, "feedback": 30, "feedback.rating": 30, "ward_population": 3,
        "ward_population.population": 3, "digital_requests": 60, "assisted_requests": 40, "channel_costs": 3,
        "rating_values": 5}


def needs(key: str):
    return registry.measure(key).needs


def test_every_measure_is_ready_with_full_data():
    assert {k: readiness.assess(m.needs, FULL) for k, m in registry.MEASURES.items()} == \
        {k: readiness.READY for k in registry.MEASURES}


def test_a_missing_column_says_what_the_export_needs():
    no_outcome = {**FULL, "service_requests.outcome": 0}
    assert readiness.assess(needs("completion_rate"), no_outcome) == Readiness(
        needs="an outcome column (completed, not eligible, error, dropped out) in the service requests export")
    no_closure = {**FULL, "service_requests.closed_at": 0, "service_requests.due_at": 0}
    assert readiness.assess(needs("resolved_within_target"), no_closure).needs == (
        "a closed date (closed_at) and a due date (due_at) in the service requests export")
    assert readiness.assess(needs("repeat_contact"), {**FULL, "service_requests.customer_ref": 0}).needs == (
        "a pseudonymised customer reference (customer_ref) in the service requests export")


def test_a_missing_table_says_which_export_to_load():
    assert readiness.assess(needs("user_satisfaction"), {**FULL, "feedback": 0, "feedback.rating": 0}).needs == (
        "a feedback export with ratings")
    assert readiness.assess(needs("requests_per_1000"), {**FULL, "ward_population": 0}).needs == (
        "ward populations (ward_population)")


def test_data_that_fixes_a_kpi_makes_it_not_informative():
    all_digital = {**FULL, "assisted_requests": 0, "channel_costs": 1}
    assert readiness.assess(needs("digital_takeup"), all_digital) == Readiness(
        fixed="every request in view was made online or by app",
        fix="requests through both digital and assisted channels (phone, face to face, post…)")
    assert readiness.assess(needs("digital_takeup"), {**FULL, "digital_requests": 0}).fixed == (
        "no request in view was made online or by app")
    assert readiness.assess(needs("cost_per_transaction"), all_digital).fixed == (
        "every costed request in view went through channels with the same unit cost")
    assert readiness.assess(needs("channel_shift_saving"), all_digital).fixed == (
        "every costed request in view went through channels with the same unit cost")
    assert readiness.assess(needs("net_satisfaction"), {**FULL, "rating_values": 1}).fixed == (
        "every rating in view has the same value")
    # No requests in view at all is not "fixed": the KPI simply has no data for these filters.
    assert readiness.assess(needs("digital_takeup"), {**FULL, "digital_requests": 0, "assisted_requests": 0}).ready


def test_no_stated_needs_is_ready():
    assert readiness.assess(None, {}) is readiness.READY


def test_the_query_counts_every_fact_a_measure_needs(tiny_query):
    costs = tiny_query("unit_costs_by_channel")
    counted = readiness.facts(tiny_query("data_readiness_by_fact", cost_channels=list(costs["channel"]),
                                         cost_values=list(costs["cost_gbp"])))
    wanted = {m.needs.table for m in registry.MEASURES.values()} | {
        f"{m.needs.table}.{c}" for m in registry.MEASURES.values() for c in m.needs.columns} | {
        "digital_requests", "assisted_requests", "channel_costs", "rating_values"}
    assert wanted <= set(counted)
    assert set(counted) - wanted == set()
    # Ten requests (six made online or by app; R03 and R09 still open, R05 and R09 without a due date); five
    # ratings, one given as a word; three different unit costs among the channels used (email has none).
    assert counted == {
        "service_requests": 10, "service_requests.channel": 10, "service_requests.closed_at": 8,
        "service_requests.outcome": 8, "service_requests.due_at": 8, "service_requests.resolved_first_contact": 8,
        "service_requests.customer_ref": 10, "feedback": 5, "feedback.rating": 5, "ward_population": 2,
        "ward_population.population": 2, "digital_requests": 6, "assisted_requests": 4, "channel_costs": 3,
        "rating_values": 5}
