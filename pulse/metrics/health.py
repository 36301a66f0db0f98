"""The digital health index (CityScore): each KPI's latest value against its target, averaged.

Each KPI's latest value ÷ target (target ÷ value when lower is better), kept between 0 and 1.25,
averaged over the KPIs that can be scored. A KPI without a target, polarity or latest value, with
a target at or below zero when higher is better, or not informative with this data, is left out
and listed with the reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pulse.metrics.kpis import Kpi, KpiResult

HEALTH_CAP = 1.25


@dataclass(frozen=True)
class HealthScore:
    """One KPI's part in the digital health index: its latest value against target, or why not."""

    kpi: Kpi
    actual: float | None
    score: float | None
    reason: str | None = None


def health_score(kpi: Kpi, actual: float | None) -> HealthScore:
    """Latest value ÷ target (target ÷ value when lower is better), kept between 0 and 1.25."""
    if kpi.target is None:
        return HealthScore(kpi, actual, None, "no target")
    if kpi.higher_is_better is None:
        return HealthScore(kpi, actual, None, "no better direction")
    if actual is None or pd.isna(actual):
        return HealthScore(kpi, None, None, "no latest value")
    if kpi.higher_is_better:
        if kpi.target <= 0:
            return HealthScore(kpi, actual, None, "a target at or below zero cannot be divided by")
        ratio = actual / kpi.target
    else:
        if kpi.target < 0:
            return HealthScore(kpi, actual, None, "a target below zero cannot be divided by")
        # Nothing beats zero when lower is better, so zero or less scores the most a KPI can.
        ratio = HEALTH_CAP if actual <= 0 else kpi.target / actual
    return HealthScore(kpi, actual, float(min(max(ratio, 0.0), HEALTH_CAP)))


def health_index(results: Iterable[KpiResult]) -> tuple[float | None, list[HealthScore]]:
    """The index (1.00 = on target on average) and each KPI's part."""
    scores = []
    for result in results:
        if result.ok and result.uninformative:
            scores.append(HealthScore(result.kpi, None, None, result.uninformative))
        else:
            scores.append(health_score(result.kpi, result.latest[1] if result.ok else None))
    counted = [s.score for s in scores if s.score is not None]
    return (float(np.mean(counted)) if counted else None), scores
