"""Tables of counts published together: primary suppression, then secondary, then rounding.

A view builds one CountModel per kind of record it counts (requests by month and channel, say),
declares every aggregate it will publish or let be worked out — the cells of a chart, the totals
its rates rest on, a count in a sentence — and protects them all at once, so that relations between
them (a total beside its parts, a rate beside its denominator) are taken into account.

Roles of an aggregate:
- "shown": published as a count; hidden under the threshold (primary), rounded in public-safe mode;
- "denominator": the base of a published rate; under the threshold the rate is not shown (primary);
- "numerator": what a published rate lets a reader work out; never primary itself, but hidden (and
  with it the rate) when it would give a hidden count away.

A view that needs more than one model (tables too fine to join in one) links them: aggregates one
model withheld are declared `withheld` in the next, which then protects them as if they were primary.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from pulse.disclosure import secondary
from pulse.disclosure.published import COUNT, LABEL, Figure, Table, withheld
from pulse.disclosure.rules import SUPPRESSED, Policy

ROLES = ("shown", "denominator", "numerator")
# Which aggregates are published first when two compete: totals, then rates' bases, then cells.
PRIORITY = {"denominator": 3, "numerator": 2, "shown": 1}
PRIMARY_WHY = "fewer than {threshold}"
SECONDARY_WHY = "hidden so that a count under {threshold} nearby cannot be worked out"

# Every protection made, for the disclosure auditor in the tests (it re-checks them independently).
LISTENERS: list[Callable[[Protection], None]] = []


@dataclass(frozen=True)
class _Family:
    name: str
    by: tuple[str, ...]
    role: str
    priority: int
    keys: pd.DataFrame  # one row per aggregate: the `by` values
    members: np.ndarray  # aggregates × cells: 1 where a cell counts (its weight, for a weighted numerator)
    counts: np.ndarray
    withheld: np.ndarray  # aggregates withheld elsewhere in the view: protected as if primary


class CountModel:
    """Counts over cells (one row per combination of `dims`) and the aggregates a view publishes of them."""

    def __init__(self, cells: pd.DataFrame, dims: Sequence[str], count: str, policy: Policy, name: str) -> None:
        dims = list(dims)
        grouped = cells.groupby(dims, dropna=False, sort=True, as_index=False)[count].sum() if dims else \
            pd.DataFrame({count: [cells[count].sum()]})
        self.cells = grouped.reset_index(drop=True)
        self.dims, self.count, self.policy, self.name = dims, count, policy, name
        self._families: dict[str, _Family] = {}
        self._grouped: dict[tuple[str, ...], tuple[pd.DataFrame, np.ndarray]] = {}

    def add(self, name: str, by: Sequence[str] = (), where: Callable[[pd.DataFrame], pd.Series] | None = None,
            role: str = "shown", priority: int | None = None,
            weight: Callable[[pd.DataFrame], pd.Series] | None = None,
            withheld: pd.DataFrame | bool = False) -> CountModel:
        """Declare aggregates: the count over cells matching `where`, grouped by `by` (all cells when empty).

        `weight` makes a numerator a weighted sum of cells (a cost: requests × the unit cost of their
        channel), which a published average lets a reader work out as surely as a plain total.
        `withheld` names aggregates another model of the same view withheld (True for all, or a frame
        of their `by` values): nothing published here may give them back either.
        """
        if role not in ROLES:
            raise ValueError(f"role must be one of {ROLES}, not {role!r}")
        if name in self._families:
            raise ValueError(f"{name!r} is declared twice")
        by = tuple(by)
        unknown = [d for d in by if d not in self.dims]
        if unknown:
            raise KeyError(f"{self.name}: not a dimension {unknown}")
        chosen = np.ones(len(self.cells), dtype=bool) if where is None else \
            np.asarray(where(self.cells), dtype=bool)
        if by:
            every_key, key_of_cell = self._keys(by)
            # A numerator of zero is still worked out from its rate (0%), so it has a row for every key.
            present = np.unique(key_of_cell if role == "numerator" else key_of_cell[chosen])
            keys = every_key.iloc[present].reset_index(drop=True)
            # Each aggregate's cells: the chosen cells whose `by` values match its key.
            position = np.full(len(every_key), -1)
            position[present] = np.arange(len(present))
            position = position[key_of_cell]
            members = np.zeros((len(keys), len(self.cells)), dtype=bool)
            rows = np.flatnonzero(chosen & (position >= 0))
            members[position[rows], rows] = True
        else:
            keys = pd.DataFrame(index=[0])
            members = chosen[None, :]
        counts = members.astype(float) @ self.cells[self.count].to_numpy(dtype=float)
        if weight is not None:
            if role != "numerator":
                raise ValueError("only a numerator can be weighted: counts shown are plain counts")
            members = members * np.asarray(weight(self.cells), dtype=float)[None, :]
        if isinstance(withheld, pd.DataFrame):
            forced = keys.merge(withheld[list(by)].drop_duplicates().assign(_withheld=True), on=list(by),
                                how="left")["_withheld"].fillna(False).to_numpy(dtype=bool) if by else \
                np.full(len(keys), not withheld.empty)
        else:
            forced = np.full(len(keys), bool(withheld))
        self._families[name] = _Family(name, by, role, PRIORITY[role] if priority is None else priority, keys,
                                       members, counts, forced)
        return self

    def _keys(self, by: tuple[str, ...]) -> tuple[pd.DataFrame, np.ndarray]:
        """Every distinct combination of the `by` values among the cells, sorted, and each cell's position
        in it: worked out once per `by`, however many families group by it."""
        if by not in self._grouped:
            every_key = self.cells[list(by)].drop_duplicates().sort_values(list(by)).reset_index(drop=True)
            key_of_cell = pd.MultiIndex.from_frame(every_key.astype(object)).get_indexer(
                pd.MultiIndex.from_frame(self.cells[list(by)].astype(object)))
            self._grouped[by] = every_key, key_of_cell
        return self._grouped[by]

    def protect(self) -> Protection:
        """Apply primary suppression to shown counts and denominators, then secondary suppression to all."""
        families = list(self._families.values())
        if not families:
            raise ValueError(f"{self.name}: nothing declared to publish")
        members = np.vstack([f.members for f in families])
        counts = np.concatenate([f.counts for f in families])
        roles = np.concatenate([[f.role] * len(f.counts) for f in families])
        priority = np.concatenate([[f.priority] * len(f.counts) for f in families])
        limit = self.policy.threshold
        small = counts < limit
        if self.policy.public_safe:
            small |= np.floor(counts / 5 + 0.5) * 5 < limit
        withheld = np.concatenate([f.withheld for f in families])
        primary = (small & (roles != "numerator")) | withheld
        # Wanted first: higher priority, then larger counts (hiding small ones costs least), then declared order.
        order = np.lexsort((np.arange(len(counts)), -counts, -priority))
        hidden = secondary.protect(members, primary, order)
        protection = Protection(self, families, members, counts, primary, hidden, withheld)
        for listener in LISTENERS:
            listener(protection)
        return protection


@dataclass(frozen=True, eq=False)
class Protection:
    """A protected CountModel: which aggregates are hidden, and the published tables and figures."""

    model: CountModel
    families: list[_Family]
    members: np.ndarray
    counts: np.ndarray
    primary: np.ndarray
    hidden: np.ndarray
    withheld: np.ndarray | None = None  # protected as primary because another model withheld them

    def _slice(self, name: str) -> tuple[_Family, slice]:
        start = 0
        for family in self.families:
            stop = start + len(family.counts)
            if family.name == name:
                return family, slice(start, stop)
            start = stop
        raise KeyError(f"{self.model.name}: nothing declared as {name!r}")

    def hidden_of(self, name: str) -> pd.DataFrame:
        """The family's keys with `hidden` (bool) and `why` (None, primary or secondary reason)."""
        family, where = self._slice(name)
        limit = self.model.policy.threshold
        small = self.primary[where] & ~(self.withheld[where] if self.withheld is not None else False)
        why = np.where(small, PRIMARY_WHY.format(threshold=limit),
                       np.where(self.hidden[where], SECONDARY_WHY.format(threshold=limit), None))
        return family.keys.assign(hidden=self.hidden[where], why=why)

    def table(self, name: str, column: str | None = None) -> Table:
        """A shown family as a published table: its keys (labels) and the count, a whole number or "[c]"."""
        family, where = self._slice(name)
        if family.role != "shown":
            raise ValueError(f"{name!r} is a {family.role}, not published as counts")
        column = column or self.model.count
        values = [SUPPRESSED if h else self.model.policy.shown_count(c)
                  for h, c in zip(self.hidden[where], family.counts)]
        frame = family.keys.copy() if family.by else pd.DataFrame(index=[0])
        frame[column] = pd.Series(values, index=frame.index, dtype=object)
        return Table(frame.reset_index(drop=True), {**{c: LABEL for c in family.by}, column: COUNT})

    def figure(self, name: str, key: dict | None = None, unit_word: str = "") -> Figure:
        """One shown aggregate as a Figure: '1,235' (rounded in public-safe mode) or '[c]'."""
        family, where = self._slice(name)
        position = 0
        if key:
            match = np.ones(len(family.keys), dtype=bool)
            for column, value in key.items():
                match &= (family.keys[column] == value).to_numpy()
            if not match.any():
                raise KeyError(f"{name}: no aggregate {key}")
            position = int(np.flatnonzero(match)[0])
        row = where.start + position
        why = self.hidden_of(name)["why"].iloc[position]
        if self.hidden[row]:
            return withheld(why)
        if family.role != "shown":
            raise ValueError(f"{name!r} is a {family.role}: publish the rate, not the count")
        shown = self.model.policy.shown_count(self.counts[row])
        return Figure(float(shown), f"{shown:,}{unit_word}")

    def frame(self, name: str) -> pd.DataFrame:
        """The family's keys with its true `count` and `hidden`: for computing rates to publish through
        pulse.disclosure.rate(), never to show as counts."""
        family, where = self._slice(name)
        return self.hidden_of(name).assign(count=family.counts)

    def any(self, name: str) -> bool:
        """Whether the family counts any record at all (so that "none" need not be said as "[c]")."""
        family, _ = self._slice(name)
        return bool(family.counts.sum() > 0)

    def published(self, name: str) -> pd.Series:
        """Per aggregate of the family: True where it may be published (its rate, or its count)."""
        return ~self.hidden_of(name)["hidden"]

    def disclosed(self) -> pd.DataFrame:
        """Hidden aggregates that the published ones determine exactly (should be none): an independent check."""
        found = secondary.determined(self.members, self.hidden)
        rows = []
        start = 0
        for family in self.families:
            for i in range(len(family.counts)):
                if found[start + i]:
                    rows.append({"family": family.name, **family.keys.iloc[i].to_dict(),
                                 "count": family.counts[i]})
            start += len(family.counts)
        return pd.DataFrame(rows)
