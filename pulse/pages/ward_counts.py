"""Ward maps: every count per ward, the rows no ward holds and the borough, protected together.

One CountModel per kind of record (docs/disclosure.md): requests made, requests closed and
feedback. Each has a cell per ward, and per kind of row no ward on the map holds, split by what the
page's rates count; it declares everything the page publishes or lets be worked out: each ward's
count (map, tooltip, table, profile), the numerators of its rates, its offline requests (priority
wards), the rows no ward holds (the unmapped note, by how and by old code) and the borough's totals.
Secondary suppression then hides whatever would give a small count away.

A ward's profile and the request-density hexagons are protected in models of their own (their
tables are too fine to join with these); what those hide of the counts here is passed back as
`overrides`, so every part of the page publishes the same thing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from functools import cached_property

import pandas as pd

from pulse import registry
from pulse.disclosure import MISSING, CountModel, Figure, Policy, Protection, rate, withheld
from pulse.disclosure.counts import PRIMARY_WHY, SECONDARY_WHY
from pulse.schema import DIGITAL_CHANNELS

UNMAPPED = "~unmapped"  # the area of rows no ward on the map holds; sorts after every ward code
UNMATCHED, OUTSIDE, NONE = "unmatched", "outside", "none"
LISTED_CODES = 3  # old or unknown ward codes named in the unmapped note

# Per measure: the model, the family of the count it rests on, and the family of its numerator.
SOURCES = {
    "requests_per_1000": ("requests", "wards", None),
    "requests": ("requests", "wards", None),
    "digital_takeup": ("requests", "wards", "digital"),
    "user_satisfaction": ("feedback", "ratings", "satisfied"),
    "median_days_to_resolve": ("closed", "wards", None),
    "resolved_within_target": ("closed", "with_due", "on_time"),
    "feedback": ("feedback", "wards", None),
}
BOROUGH = {"wards": "borough", "digital": "borough_digital", "ratings": "borough_ratings",
           "satisfied": "borough_satisfied", "with_due": "borough_with_due", "on_time": "borough_on_time",
           "offline": None}


@dataclass(frozen=True)
class WardCounts:
    """The page's three protected models, the wards' reference figures, and what linked models hid."""

    policy: Policy
    wards: pd.DataFrame  # ward_code, ward_name, population, imd_decile, area_km2, median_days_to_resolve
    borough: dict  # population, median_days_to_resolve
    models: dict[str, Protection | None]
    overrides: frozenset[tuple[str, str, str]] = field(default_factory=frozenset)  # (model, family, key)

    def hiding(self, more: Iterable[tuple[str, str, str]]) -> WardCounts:
        """These counts with more aggregates hidden, as a linked model (profile, hexagons) requires."""
        hidden = replace(self, overrides=self.overrides | frozenset(more))
        for name in ("_index", "_references"):  # the models and wards are the same: so are their indexes
            if name in self.__dict__:
                hidden.__dict__[name] = self.__dict__[name]
        return hidden

    @cached_property
    def _index(self) -> dict[tuple[str, str], dict[str, tuple[bool, str | None, float]]]:
        """Every aggregate of every model by (model, family) and key: (hidden, why, exact count)."""
        index = {}
        for name, protection in self.models.items():
            if protection is None:
                continue
            for family in protection.families:
                frame = protection.frame(family.name)
                keys = frame["area"] if "area" in frame else [""] * len(frame)
                index[(name, family.name)] = {
                    str(k): (bool(h), None if w is None or w != w else str(w), float(n))
                    for k, h, w, n in zip(keys, frame["hidden"], frame["why"], frame["count"])}
        return index

    def _row(self, model: str, family: str, key: str | None) -> tuple[bool, str | None, float]:
        """(hidden, why, exact count) of one aggregate; an aggregate with no records is hidden as small."""
        found = self._index.get((model, family), {}).get(key or "")
        if found is None:  # no records at all: a count of zero, under the threshold like any small one
            return True, PRIMARY_WHY.format(threshold=self.policy.threshold), 0.0
        if (model, family, key or "") in self.overrides:
            return True, SECONDARY_WHY.format(threshold=self.policy.threshold), found[2]
        return found

    def count(self, model: str, family: str, key: str | None = None, what: str = "") -> Figure:
        """One published count: '1,235' (rounded in public-safe mode) or '[c]'."""
        hidden, why, n = self._row(model, family, key)
        if hidden:
            return withheld(why)
        shown = self.policy.shown_count(n)
        return Figure(float(shown), f"{shown:,}{what}")

    def published(self, model: str, family: str, key: str | None = None) -> bool:
        """Whether an aggregate (a count, or a rate's numerator) is published."""
        return not self._row(model, family, key)[0]

    def exact(self, model: str, family: str, key: str | None = None) -> float:
        """An aggregate's true count, for working out a published rate; never shown as a count."""
        return self._row(model, family, key)[2]

    def value(self, key: str, area: str | None) -> tuple[Figure, Figure]:
        """A measure for one ward (area) or the borough (None): its published value and the count it rests on."""
        measure = registry.measure(key)
        model, base, numerator = SOURCES[key]
        family = base if area is not None else BOROUGH[base]
        count = self.count(model, family, area)
        if measure.unit == "count" or not count.shown:
            return count, count
        n = self.exact(model, family, area)
        if measure.unit == "per 1,000":
            people = self.borough["population"] if area is None else self.reference(area, "population")
            if not people:
                return MISSING, count
            return rate(count.value / people * 1000, n, measure.unit, self.policy, measure.base_label), count
        if numerator is None:  # the median: no count can be rebuilt from it
            median = self.borough["median_days_to_resolve"] if area is None else \
                self.reference(area, "median_days_to_resolve")
            return rate(median, n, measure.unit, self.policy, measure.base_label), count
        top = numerator if area is not None else BOROUGH[numerator]
        if not self.published(model, top, area):
            return withheld(self._row(model, top, area)[1]), count
        return rate(self.exact(model, top, area) / n, n, measure.unit, self.policy, measure.base_label), count

    @cached_property
    def _references(self) -> dict[str, dict]:
        return self.wards.set_index("ward_code").to_dict("index")

    def reference(self, area: str, column: str) -> float | None:
        """A ward's reference figure (population, decile, median days), None when it has none."""
        value = self._references.get(area, {}).get(column)
        return None if value is None or pd.isna(value) else float(value)


# --------------------------------------------------------------------------- cells


def _areas(frame: pd.DataFrame, count: str) -> pd.DataFrame:
    """Query rows as cells: area (ward code, or UNMAPPED), how and ward_given ("" when none); no empty cells."""
    cells = frame.assign(area=frame["ward_code"].fillna(UNMAPPED).astype(str))
    for column in ("how", "ward_given"):
        cells[column] = cells[column].fillna("").astype(str) if column in cells else ""
    return cells[cells[count] > 0].drop(columns=["ward_code"]).reset_index(drop=True)


def _listed(cells: pd.DataFrame, count: str) -> set[str]:
    """The old or unknown ward codes the unmapped note names: the most used few."""
    unmatched = cells[(cells["area"] == UNMAPPED) & (cells["how"] == UNMATCHED)]
    totals = unmatched.groupby("ward_given")[count].sum().sort_values(ascending=False, kind="stable")
    return set(totals.index[:LISTED_CODES])


def _unmapped(model: CountModel, cells: pd.DataFrame, count: str) -> None:
    listed = _listed(cells, count)
    model.add("unmapped", where=lambda c: c["area"] == UNMAPPED, priority=4)
    model.add("unmapped_how", ["how"], where=lambda c: c["area"] == UNMAPPED, priority=3)
    model.add("unmapped_codes", ["how", "ward_given"], priority=3,
              where=lambda c: (c["area"] == UNMAPPED) & (c["how"] == UNMATCHED) & c["ward_given"].isin(listed))


def protect_requests(frame: pd.DataFrame, policy: Policy) -> Protection | None:
    """Requests made, per ward and kind of unmapped row, split digital/offline (requests_by_area)."""
    if frame.empty or not frame["requests"].sum():
        return None
    cells = _areas(frame, "requests").assign(digital=lambda c: c["channel"].isin(DIGITAL_CHANNELS))
    ward = lambda c: c["area"] != UNMAPPED  # noqa: E731 (a row filter, read where it is used)
    model = CountModel(cells, ["area", "how", "ward_given", "digital"], "requests", policy, "requests by ward")
    model.add("borough", priority=7)
    model.add("borough_digital", where=lambda c: c["digital"], role="numerator", priority=6)
    model.add("wards", ["area"], where=ward, priority=6)
    model.add("digital", ["area"], where=lambda c: ward(c) & c["digital"], role="numerator", priority=5)
    _unmapped(model, cells, "requests")
    # Priority wards say how many requests came offline.
    model.add("offline", ["area"], where=lambda c: ward(c) & ~c["digital"], priority=2)
    return model.protect()


def protect_feedback(frame: pd.DataFrame, policy: Policy) -> Protection | None:
    """Feedback given, per ward and kind of unmapped row, split by rated and satisfied (feedback_by_area)."""
    if frame.empty or not frame["responses"].sum():
        return None
    cells = _areas(frame, "responses")
    ward = lambda c: c["area"] != UNMAPPED  # noqa: E731
    model = CountModel(cells, ["area", "how", "ward_given", "rated", "satisfied"], "responses", policy,
                       "feedback by ward")
    model.add("borough", priority=7)
    model.add("borough_ratings", where=lambda c: c["rated"], priority=7)
    model.add("borough_satisfied", where=lambda c: c["satisfied"], role="numerator", priority=6)
    model.add("wards", ["area"], where=ward, priority=6)
    model.add("ratings", ["area"], where=lambda c: ward(c) & c["rated"], priority=5)
    model.add("satisfied", ["area"], where=lambda c: ward(c) & c["satisfied"], role="numerator", priority=5)
    _unmapped(model, cells, "responses")
    return model.protect()


def protect_closed(frame: pd.DataFrame, policy: Policy) -> Protection | None:
    """Requests closed, per ward (and those no ward holds), split by due date and on time (closed_by_area)."""
    if frame.empty or not frame["closed"].sum():
        return None
    cells = _areas(frame, "closed")
    ward = lambda c: c["area"] != UNMAPPED  # noqa: E731
    model = CountModel(cells, ["area", "with_due", "on_time"], "closed", policy, "closed requests by ward")
    model.add("borough", priority=7)
    model.add("borough_with_due", where=lambda c: c["with_due"], priority=7)
    model.add("borough_on_time", where=lambda c: c["on_time"], role="numerator", priority=6)
    model.add("wards", ["area"], where=ward, priority=6)
    model.add("with_due", ["area"], where=lambda c: ward(c) & c["with_due"], priority=5)
    model.add("on_time", ["area"], where=lambda c: ward(c) & c["on_time"], role="numerator", priority=5)
    model.add("unmapped", where=lambda c: c["area"] == UNMAPPED, priority=4)
    return model.protect()


def ward_counts(metrics: pd.DataFrame, requests: pd.DataFrame, closed: pd.DataFrame, feedback: pd.DataFrame,
                policy: Policy) -> WardCounts:
    """The page's counts protected: metrics_by_ward gives the wards and medians, the *_by_area queries the cells."""
    wards = metrics[metrics["level"] == "ward"][
        ["ward_code", "ward_name", "population", "imd_decile", "area_km2", "median_days_to_resolve"]]
    borough = metrics[metrics["level"] == "borough"]
    people = wards["population"].dropna()
    return WardCounts(
        policy=policy,
        wards=wards.reset_index(drop=True),
        borough={"population": float(people.sum()) if len(people) else None,
                 "median_days_to_resolve": None if borough.empty or pd.isna(
                     borough["median_days_to_resolve"].iloc[0]) else float(borough["median_days_to_resolve"].iloc[0])},
        models={"requests": protect_requests(requests, policy), "closed": protect_closed(closed, policy),
                "feedback": protect_feedback(feedback, policy)},
    )

