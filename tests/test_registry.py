"""One definition per measure: the registry is complete, its queries exist, and the docs follow it."""

from __future__ import annotations

from pulse import db, registry
from pulse.docs import METRICS_DOC, metrics_markdown
from pulse.metrics import kpis


def test_every_built_in_kpi_has_a_query_a_formula_and_a_polarity():
    for measure in registry.BUILT_IN_KPIS:
        assert db.query_text(measure.query).startswith("-- One row per month"), measure.key
        assert measure.formula.endswith(".") and measure.polarity in ("higher", "lower"), measure.key
    assert [k.definition for k in kpis.BUILT_IN] == [m.query for m in registry.BUILT_IN_KPIS]


def test_the_overview_and_ward_map_read_the_registry():
    assert [m.key for m in registry.HEADLINES] == ["digital_takeup", "completion_rate", "user_satisfaction",
                                                   "cost_per_transaction"]
    assert all(registry.MEASURES[k].ward_base for k in registry.WARD_ORDER)
    assert registry.by_query("kpi_digital_takeup_by_month").name == "Digital take-up"


def test_docs_metrics_md_is_written_from_the_registry():
    assert METRICS_DOC.read_text() == metrics_markdown(), "run `python -m pulse docs`"
