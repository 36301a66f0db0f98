"""What the loaded data can support: for each built-in KPI, whether the exports hold what it needs,
and whether the data leaves it anything to measure.

Pure: facts counted by one query (queries/data_readiness_by_fact.sql) in, a verdict per KPI out.
Each measure says what it needs in pulse.registry (Measure.needs). Choices made here, tested in
tests/test_readiness.py:

- A KPI cannot be supported when the table it needs has no rows, or a column it needs has no value in
  any row of it. This is judged on everything loaded, whatever the filters: it is the export that lacks
  the column, and a filter that happens to leave it empty is not a reason to ask for another export.
- A KPI is not informative when the data in view fixes its value (Needs.varies), so it says nothing
  about change: every request made online or by app, or none (digital take-up is 100% or 0% every
  month); every costed request at one unit cost (cost per transaction is that cost, and channel shift
  can save nothing); every rating the same value. This is judged under the filters, as the KPI is.
- A KPI without a built-in measure (a council's own query, or values reported by hand) has no stated
  needs, and is always ready.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from pulse.registry import Needs

# What each column adds, in the words a council's data team would recognise.
COLUMN_WORDS = {
    "channel": "a channel column",
    "closed_at": "a closed date (closed_at)",
    "outcome": "an outcome column (completed, not eligible, error, dropped out)",
    "due_at": "a due date (due_at)",
    "resolved_first_contact": "a resolved-at-first-contact column (yes or no)",
    "customer_ref": "a pseudonymised customer reference (customer_ref)",
    "rating": "ratings",
    "population": "populations",
}
TABLE_WORDS = {
    "service_requests": "the service requests export",
    "feedback": "the feedback export",
    "ward_population": "the ward population file",
}
# What to load when a table is empty.
TABLE_NEEDS = {
    "service_requests": "a service requests export",
    "feedback": "a feedback export with ratings",
    "ward_population": "ward populations (ward_population)",
}
FIXED = {
    ("digital_mix", "all"): "every request in view was made online or by app",
    ("digital_mix", "none"): "no request in view was made online or by app",
    ("channel_costs", "one"): "every costed request in view went through channels with the same unit cost",
    ("rating_values", "one"): "every rating in view has the same value",
}


@dataclass(frozen=True)
class Readiness:
    """Whether a KPI can be shown with this data: what it still needs, or why the data fixes it."""

    needs: str | None = None  # "an outcome column (…) in the service requests export"
    fixed: str | None = None  # "every request in view was made online or by app"
    fix: str | None = None  # what would make a fixed KPI informative: the registry's Needs.export

    @property
    def ready(self) -> bool:
        """Whether the KPI can be judged."""
        return self.needs is None and self.fixed is None


READY = Readiness()


def facts(frame: pd.DataFrame) -> dict[str, int]:
    """The readiness query's rows (fact, value) as a mapping; a fact with no value is left out."""
    return {str(f): int(v) for f, v in zip(frame["fact"], frame["value"]) if not pd.isna(v)}


def assess(needs: Needs | None, counted: Mapping[str, int]) -> Readiness:
    """The verdict for one measure's needs, from the counted facts."""
    if needs is None:
        return READY
    if counted.get(needs.table, 1) == 0:
        return Readiness(needs=TABLE_NEEDS.get(needs.table, needs.export))
    # A fact the query does not count is taken as present: better to try the KPI than to refuse it.
    missing = [c for c in needs.columns if counted.get(f"{needs.table}.{c}", 1) == 0]
    if missing:
        where = TABLE_WORDS.get(needs.table, f"the {needs.table.replace('_', ' ')} export")
        return Readiness(needs=f"{_and([COLUMN_WORDS.get(c, c) for c in missing])} in {where}")
    why = fixed_by(needs.varies, counted)
    return Readiness(fixed=why, fix=needs.export) if why else READY


def fixed_by(varies: str | None, counted: Mapping[str, int]) -> str | None:
    """Why the data in view fixes a measure's value, or None when it can vary."""
    if varies == "digital_mix":
        digital, assisted = counted.get("digital_requests", 0), counted.get("assisted_requests", 0)
        if digital and not assisted:
            return FIXED["digital_mix", "all"]
        if assisted and not digital:
            return FIXED["digital_mix", "none"]
    elif varies == "channel_costs" and counted.get("channel_costs") == 1:
        return FIXED["channel_costs", "one"]
    elif varies == "rating_values" and counted.get("rating_values") == 1:
        return FIXED["rating_values", "one"]
    return None


def _and(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
