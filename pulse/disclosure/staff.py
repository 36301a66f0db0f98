"""Staff groups under the minimum (Policy.staff_min, 5) taken out before anything is added up.

Adoption records count people, and a group of fewer than 5 is never shown and never part of a
figure that is shown. The shared filters select directorates and months, so the finest grain a
reader can reach by comparing views is directorate × month. The groups at that grain are:

- leaders: executives and senior leaders together;
- managers;
- staff;
- executives and senior leaders apart, only in a directorate-month where each of the two has at
  least the minimum; anywhere else they are counted only together, as leaders.

A group's size in a directorate-month is the fewest of its people with a record on any one activity
that month (an export usually has a row for every person and activity, so this is its headcount),
so no single activity's cell is a group under the minimum either. A group under the minimum is
taken out of its directorate-month before anything is summed, and whether it is taken out depends
on its own size alone, never on the filters. So every figure a view makes by adding cells up — over
any directorates, any months, any activities — is a sum of whole groups of 5 or more, and so is the
difference between any two such figures: "all leaders − the directorates shown" gives back only
groups of 5 or more. Executive and senior-leader figures are sums over exactly the directorate-months
where both are shown, so leaders − executives − senior leaders is again a sum of whole leader
groups of 5 or more.

Published shares are rates over people (a group of 5 or more): shown at the policy's display
precision; counts of people are rounded to 5 in public-safe mode like every other count.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from pulse.disclosure.gate import rate
from pulse.disclosure.published import COUNT, LABEL, RATE, TEXT, Figure, Table
from pulse.disclosure.rules import Policy

# Role level (pulse.schema.ROLE_LEVELS) → the group it is counted in.
LEVEL_GROUP = {"executive": "leaders", "senior_leader": "leaders", "manager": "managers", "staff": "staff"}
# Leader levels shown apart, where both are big enough, and the group each is then published as.
SPLIT = {"executive": "executives", "senior_leader": "senior_leaders"}
GROUPS = ("leaders", "executives", "senior_leaders", "managers", "staff")
KEYS = ["directorate", "month", "group"]
LEFT_OUT_WHY = "hidden so that a group of fewer than {minimum} cannot be worked out"


@dataclass(frozen=True)
class StaffGroups:
    """Adoption counts with every group under the minimum taken out, and which groups those were."""

    cells: pd.DataFrame  # directorate, month, group, activity, people, active: groups of the minimum or more
    left_out: pd.DataFrame  # directorate, month, group: groups under the minimum (their sizes are not kept)

    @property
    def empty(self) -> bool:
        """Whether no group is big enough to show."""
        return self.cells.empty


def keep_groups(records: pd.DataFrame, policy: Policy) -> StaffGroups:
    """Group the records (directorate, month, role_level, activity, people, active) and drop small groups.

    Executives and senior leaders get their own rows ("executives", "senior_leaders") beside the
    leaders row only in directorate-months where both reach the minimum.
    """
    unknown = set(records["role_level"]) - set(LEVEL_GROUP)
    if unknown:
        raise ValueError(f"unknown role level(s): {sorted(unknown)}")
    counts = records.assign(people=records["people"].astype(int), active=records["active"].astype(int))
    grouped = (counts.assign(group=counts["role_level"].map(LEVEL_GROUP))
               .groupby([*KEYS, "activity"], as_index=False, sort=True)[["people", "active"]].sum())
    sizes = grouped.groupby(KEYS, as_index=False)["people"].min()
    big = sizes[sizes["people"] >= policy.staff_min][KEYS]
    small = sizes[sizes["people"] < policy.staff_min][KEYS]
    kept = grouped.merge(big, on=KEYS)

    levels = counts[counts["role_level"].isin(list(SPLIT))]
    level_sizes = levels.groupby(["directorate", "month", "role_level"])["people"].min().unstack("role_level")
    level_sizes = level_sizes.reindex(columns=list(SPLIT))
    both = (level_sizes.fillna(0) >= policy.staff_min).all(axis=1)
    split_months = both[both].index.to_frame(index=False)
    apart = levels.merge(split_months, on=["directorate", "month"])
    apart = apart.assign(group=apart["role_level"].map(SPLIT))[[*KEYS, "activity", "people", "active"]]

    cells = pd.concat([kept, apart], ignore_index=True)
    cells["order"] = cells["group"].map({g: i for i, g in enumerate(GROUPS)})
    cells = cells.sort_values(["directorate", "month", "order", "activity"]).drop(columns="order")
    return StaffGroups(cells.reset_index(drop=True), small.reset_index(drop=True))


def summed(cells: pd.DataFrame, by: Sequence[str], where: pd.Series | None = None) -> pd.DataFrame:
    """People and active people of the kept cells added up by `by` (only ever over whole kept groups)."""
    chosen = cells if where is None else cells[np.asarray(where, dtype=bool)]
    return chosen.groupby(list(by), as_index=False, sort=True)[["people", "active"]].sum()


def staff_policy(policy: Policy) -> Policy:
    """The policy for shares of people: a share is shown over a group that reaches the staff minimum."""
    return replace(policy, threshold=policy.staff_min)


def share(active: float | None, people: float | None, policy: Policy) -> Figure:
    """The share of a group that was active, at display precision; hidden over fewer than the minimum."""
    if people is None or pd.isna(people) or not people:
        return rate(None, people, "%", staff_policy(policy), "people")
    return rate(float(active) / float(people), people, "%", staff_policy(policy), "people")


def people_count(people: float | None, policy: Policy) -> int | None:
    """A count of people in kept groups as published: itself, or to the nearest 5 in public-safe mode."""
    if people is None or pd.isna(people):
        return None
    return policy.shown_count(float(people))


def shares_table(frame: pd.DataFrame, policy: Policy, labels: Sequence[str], active: str = "active",
                 people: str = "people", column: str = "share") -> Table:
    """Labels, the people in each group (rounded in public-safe mode) and the share active, published.

    A row with no people (a month with no records, or a group left out) keeps its labels, with the
    people empty and the share NaN, its text "–".
    """
    figures = [share(a, p, policy) for a, p in zip(frame[active], frame[people])]
    out = frame[list(labels)].copy().reset_index(drop=True)
    out[people] = pd.Series([people_count(p, policy) for p in frame[people]], dtype=object)
    out[column] = pd.Series([f.value if f.shown else np.nan for f in figures], dtype=float)
    out[f"{column}_text"] = [f.text if f.shown else "–" for f in figures]
    return Table(out, {**dict.fromkeys(labels, LABEL), people: COUNT, column: RATE, f"{column}_text": TEXT})


__all__ = ["GROUPS", "LEFT_OUT_WHY", "LEVEL_GROUP", "SPLIT", "StaffGroups", "keep_groups", "people_count", "share",
           "shares_table", "staff_policy", "summed"]
