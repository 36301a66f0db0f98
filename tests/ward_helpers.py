"""Hand-written query results for the ward page's logic: a few wards, their requests, closures and feedback."""

from __future__ import annotations

import pandas as pd

from pulse.disclosure import Policy
from pulse.pages.ward_counts import WardCounts, ward_counts

LIMIT = 10
INTERNAL, PUBLIC = Policy(threshold=LIMIT), Policy(public_safe=True, threshold=LIMIT)


def metrics(wards: list[tuple], median: float | None = 5.0) -> pd.DataFrame:
    """metrics_by_ward's reference columns: (code, population, decile[, median days]) per ward, and the borough."""
    rows = [{"level": "ward", "ward_code": w[0], "ward_name": f"{w[0]} Ward", "population": w[1],
             "imd_decile": w[2], "area_km2": 1.0, "median_days_to_resolve": w[3] if len(w) > 3 else median}
            for w in wards]
    rows.append({"level": "unmapped", "ward_code": None, "ward_name": None, "population": None, "imd_decile": None,
                 "area_km2": None, "median_days_to_resolve": None})
    rows.append({"level": "borough", "ward_code": None, "ward_name": None, "population": None, "imd_decile": None,
                 "area_km2": None, "median_days_to_resolve": median})
    return pd.DataFrame(rows)


def requests(cells: dict[str, dict[str, int]], unmapped: dict[tuple, int] | None = None) -> pd.DataFrame:
    """requests_by_area: {ward: {channel: n}} and {(how, code or None, channel): n} for rows no ward holds."""
    rows = [{"ward_code": ward, "how": None, "ward_given": None, "channel": channel, "requests": n}
            for ward, channels in cells.items() for channel, n in channels.items()]
    rows += [{"ward_code": None, "how": how, "ward_given": code, "channel": channel, "requests": n}
             for (how, code, channel), n in (unmapped or {}).items()]
    return pd.DataFrame(rows, columns=["ward_code", "how", "ward_given", "channel", "requests"])


def feedback(cells: dict[str, tuple[int, int, int]], unmapped: dict[tuple, int] | None = None) -> pd.DataFrame:
    """feedback_by_area: {ward: (unrated, rated 1–3, rated 4–5)} and {(how, code): n} unrated responses no ward holds."""
    rows = []
    for ward, (unrated, unhappy, happy) in cells.items():
        for rated, satisfied, n in ((False, False, unrated), (True, False, unhappy), (True, True, happy)):
            rows.append({"ward_code": ward, "how": None, "ward_given": None, "rated": rated, "satisfied": satisfied,
                         "responses": n})
    rows += [{"ward_code": None, "how": how, "ward_given": code, "rated": False, "satisfied": False, "responses": n}
             for (how, code), n in (unmapped or {}).items()]
    return pd.DataFrame(rows, columns=["ward_code", "how", "ward_given", "rated", "satisfied", "responses"])


def closed(cells: dict[str, tuple[int, int, int]]) -> pd.DataFrame:
    """closed_by_area: {ward: (no due date, late, on time)}."""
    rows = []
    for ward, (undated, late, on_time) in cells.items():
        for with_due, in_time, n in ((False, False, undated), (True, False, late), (True, True, on_time)):
            rows.append({"ward_code": ward, "with_due": with_due, "on_time": in_time, "closed": n})
    return pd.DataFrame(rows, columns=["ward_code", "with_due", "on_time", "closed"])


def counts(wards: list[tuple], made: pd.DataFrame, policy: Policy = INTERNAL, shut: pd.DataFrame | None = None,
           said: pd.DataFrame | None = None) -> WardCounts:
    """The page's protected counts for hand-written query results."""
    return ward_counts(metrics(wards), made, shut if shut is not None else closed({}),
                       said if said is not None else feedback({}), policy)
