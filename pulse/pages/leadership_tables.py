"""The Leadership adoption page's tables: sums over the staff groups the gate kept, published.

Every function takes what pulse.disclosure.staff.keep_groups returned — groups of 5 or more at
directorate × month × group × activity — and adds those cells up, so nothing here can see, let
alone sum, a group under the minimum. Shares are published at display precision and counts of
people rounded in public-safe mode by the gate's own helpers.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from pulse import icons, wording
from pulse.disclosure import (
    COUNT, LABEL, RATE, REFERENCE, TEXT, CountModel, Policy, Protection, Table, rate, withheld,
)
from pulse.disclosure.staff import StaffGroups, share, shares_table, summed
from pulse.metrics import spc
from pulse.pages.leadership_words import activity_title, points

GROUP_LABELS = {"leaders": "Leaders", "executives": "Executives", "senior_leaders": "Senior leaders",
                "managers": "Managers", "staff": "Staff"}
CORE = ("leaders", "staff")  # the two groups compared throughout the page
WHOLE = ("leaders", "managers", "staff")  # every kept person once (executives and senior leaders are in leaders)


def is_training(activity: pd.Series) -> pd.Series:
    """Training records (an activity whose name contains "training"): left out of adoption, shown as trained."""
    return activity.astype(str).str.contains("training", case=False)


def months_between(cells: pd.DataFrame) -> pd.DatetimeIndex:
    """Every month from the first to the last with records, so a month without any is a gap."""
    return pd.date_range(cells["month"].min(), cells["month"].max(), freq="MS")


def percent(values: pd.Series, policy: Policy) -> pd.Series:
    """Published shares in per cent, for a table (53.2 rather than 0.532), at the same precision."""
    return (values.astype(float) * 100).round(max(0, policy.digits("%")))


# --------------------------------------------------------------------------- leaders against staff


def monthly(cells: pd.DataFrame, policy: Policy) -> Table:
    """Leaders and staff: people and share active by month and activity; a month with no records is a gap."""
    core = cells[cells["group"].isin(CORE)]
    sums = summed(core, ["month", "activity", "group"])
    grid = pd.MultiIndex.from_product(
        [months_between(cells), sorted(set(core["activity"])), [g for g in CORE if g in set(core["group"])]],
        names=["month", "activity", "group"]).to_frame(index=False)
    frame = grid.merge(sums, on=["month", "activity", "group"], how="left")
    frame = frame.assign(activity_label=frame["activity"].map(activity_title), group=frame["group"].map(GROUP_LABELS))
    return shares_table(frame, policy, ["month", "activity", "activity_label", "group"])


def gaps(series: Table, policy: Policy) -> Table:
    """Leader share − staff share by month and activity, from the published shares (points in its text)."""
    frame = series.frame
    keys = ["month", "activity", "activity_label"]
    wide = frame[keys].drop_duplicates().reset_index(drop=True)
    for group, name in (("Leaders", "leader_share"), ("Staff", "staff_share")):
        part = frame[frame["group"] == group][[*keys, "share", "share_text"]]
        wide = wide.merge(part.rename(columns={"share": name, "share_text": f"{name}_text"}), on=keys, how="left")
        wide[name] = wide[name].astype(float)
        wide[f"{name}_text"] = wide[f"{name}_text"].fillna("–")
    wide["gap"] = (wide["leader_share"] - wide["staff_share"]).round(6) + 0.0  # + 0.0: never a negative zero
    wide["gap_text"] = [points(g, policy).text if pd.notna(g) else "–" for g in wide["gap"]]
    kinds = {**dict.fromkeys(keys, LABEL), "leader_share": RATE, "leader_share_text": TEXT, "staff_share": RATE,
             "staff_share_text": TEXT, "gap": RATE, "gap_text": TEXT}
    return Table(wide[list(kinds)], kinds)


def role_months(cells: pd.DataFrame, policy: Policy) -> Table:
    """Every kept group (leaders, executives and senior leaders where apart, managers, staff) by month and activity."""
    sums = summed(cells, ["month", "activity", "group"])
    sums["order"] = sums["group"].map({g: i for i, g in enumerate(GROUP_LABELS)})
    sums = sums.sort_values(["month", "activity", "order"]).drop(columns="order")
    sums = sums.assign(activity_label=sums["activity"].map(activity_title), group=sums["group"].map(GROUP_LABELS))
    return shares_table(sums, policy, ["month", "activity", "activity_label", "group"])


# --------------------------------------------------------------------------- directorate by directorate


def directorates(groups: StaffGroups, policy: Policy) -> Table:
    """Directorate × activity × leaders/staff in the latest month; a group left out is a row marked "hidden"."""
    cells, latest = groups.cells, groups.cells["month"].max()
    now = cells[(cells["month"] == latest) & cells["group"].isin(CORE)]
    sums = summed(now, ["directorate", "activity", "group"]).assign(hidden=False)
    gone = groups.left_out[(groups.left_out["month"] == latest) & groups.left_out["group"].isin(CORE)]
    activities = pd.DataFrame({"activity": sorted(set(cells.loc[cells["month"] == latest, "activity"]))})
    hidden = gone[["directorate", "group"]].merge(activities, how="cross").assign(people=np.nan, active=np.nan,
                                                                                   hidden=True)
    frame = pd.concat([sums, hidden], ignore_index=True).sort_values(["directorate", "activity", "group"])
    frame = frame.assign(month=latest, activity_label=frame["activity"].map(activity_title),
                         group=frame["group"].map(GROUP_LABELS)).reset_index(drop=True)
    table = shares_table(frame, policy, ["month", "directorate", "activity", "activity_label", "group"])
    published = table.frame
    published.loc[frame["hidden"].to_numpy(), "share_text"] = "hidden"
    return Table(published, table.kinds)


# --------------------------------------------------------------------------- the scorecard


def _verdict(values: list[float | None]) -> tuple[str | None, str]:
    """The SPC variation icon (a data URI) and its words for a monthly series of published shares."""
    if all(v is None for v in values):
        return None, "–"
    result = spc.xmr(pd.Series([np.nan if v is None else v for v in values], dtype=float), higher_is_better=True)
    return _icon(result.variation, result.side), wording.variation_words(result.variation)


@lru_cache(maxsize=None)
def _icon(variation: str | None, side: str | None) -> str:
    """A variation icon as a data URI; there are only a handful, so each is drawn once."""
    return icons.data_uri(icons.variation_icon(variation, True, side=side))


def scorecard(groups: StaffGroups, policy: Policy) -> Table:
    """Per directorate: the latest month's leader and staff adoption, gap and training, trend and SPC verdicts.

    Adoption is active person-activity records ÷ all of them over every activity but training, so each
    tool counts equally; trained covers every kept group (leaders, managers, staff).
    """
    cells = groups.cells
    months, latest = months_between(cells), cells["month"].max()
    tools = summed(cells[cells["group"].isin(CORE) & ~is_training(cells["activity"])],
                   ["directorate", "month", "group"])
    trained = summed(cells[cells["group"].isin(WHOLE) & is_training(cells["activity"])], ["directorate", "month"])
    done = {d: (p, a) for d, m, p, a in trained[["directorate", "month", "people", "active"]].itertuples(index=False)
            if m == latest}
    heads = cells[cells["group"].isin(CORE)].groupby(["directorate", "month", "group"])["people"].max()
    digits = max(0, policy.digits("%"))
    # Looked up by key rather than by filtering frames: a directorate × month × group lookup is the hot loop.
    sums = {(d, m, g): (p, a) for d, m, g, p, a in tools[["directorate", "month", "group", "people", "active"]]
            .itertuples(index=False)}

    def published(directorate: str, month: pd.Timestamp, group: str):
        people, active = sums.get((directorate, month, group), (None, None))
        return share(active, people, policy)

    rows = []
    for directorate in sorted(set(cells["directorate"])):
        series = {group: [published(directorate, m, group) for m in months] for group in CORE}
        leader, staff = series["leaders"][-1], series["staff"][-1]
        people, active = done.get(directorate, (None, None))
        trained_share = share(active, people, policy) if people else None
        trend = [f.value if f.shown else None for f in series["leaders"]]
        leader_icon, leader_words = _verdict(trend)
        # The sparkline cannot draw a gap (as st.metric's cannot): months without a figure are left out of it.
        drawn = [v for v in trend if v is not None] or None
        staff_icon, staff_words = _verdict([f.value if f.shown else None for f in series["staff"]])
        rows.append({
            "directorate": directorate,
            "leaders_pct": leader.value if leader.shown else np.nan,
            "staff_pct": staff.value if staff.shown else np.nan,
            "gap_pts": round(leader.value - staff.value, 6) if leader.shown and staff.shown else np.nan,
            "trained_pct": trained_share.value if trained_share is not None and trained_share.shown else np.nan,
            "leaders_people": heads.get((directorate, latest, "leaders")),
            "staff_people": heads.get((directorate, latest, "staff")),
            "leader_trend": drawn, "leader_icon": leader_icon, "leader_verdict": leader_words,
            "staff_icon": staff_icon, "staff_verdict": staff_words,
        })
    frame = pd.DataFrame(rows, columns=list(SCORECARD))
    for column in ("leader_trend", "leader_icon", "staff_icon"):  # nothing to draw is None (blank), not NaN
        frame[column] = pd.Series([row[column] for row in rows], dtype=object)
    for column in ("leaders_pct", "staff_pct", "gap_pts", "trained_pct"):
        frame[column] = percent(frame[column], policy).round(digits) + 0.0  # + 0.0: never a negative zero
    for column in ("leaders_people", "staff_people"):
        frame[column] = pd.Series([None if pd.isna(n) else policy.shown_count(float(n)) for n in frame[column]],
                                  dtype=object)
    frame = frame.sort_values(["gap_pts", "directorate"], ascending=[False, True], na_position="last")
    return Table(frame.reset_index(drop=True), SCORECARD)


SCORECARD = {"directorate": LABEL, "leaders_pct": RATE, "staff_pct": RATE, "gap_pts": RATE, "trained_pct": RATE,
             "leaders_people": COUNT, "staff_people": COUNT, "leader_trend": RATE, "leader_icon": LABEL,
             "leader_verdict": LABEL, "staff_icon": LABEL, "staff_verdict": LABEL}
SCORECARD_DOWNLOAD = ["directorate", "leaders_pct", "staff_pct", "gap_pts", "trained_pct", "leaders_people",
                      "staff_people", "leader_verdict", "staff_verdict"]


# --------------------------------------------------------------------------- does it show in services?


def _protect(outcomes: pd.DataFrame, total: str, part: str, policy: Policy, name: str) -> Protection:
    """One directorate × (part or not) table of counts, its rates' bases and numerators declared."""
    cells = pd.concat([
        pd.DataFrame({"directorate": outcomes["directorate"], "part": True, "n": outcomes[part]}),
        pd.DataFrame({"directorate": outcomes["directorate"], "part": False, "n": outcomes[total] - outcomes[part]}),
    ], ignore_index=True)
    model = CountModel(cells, ["directorate", "part"], "n", policy, name)
    model.add("total", ["directorate"], role="denominator")
    model.add("part", ["directorate"], where=lambda c: c["part"], role="numerator")
    return model.protect()


def _rates(protection: Protection | None, directorates: list[str], policy: Policy, what: str) -> list:
    """Each directorate's published rate (part ÷ total), or a missing figure."""
    if protection is None:
        return [rate(None, None, "%", policy, what)] * len(directorates)
    total = protection.frame("total").set_index("directorate")
    part = protection.frame("part").set_index("directorate")
    out = []
    for directorate in directorates:
        if directorate not in total.index or total.loc[directorate, "count"] == 0:
            out.append(rate(None, None, "%", policy, what))
            continue
        d, n = total.loc[directorate], part.loc[directorate]
        if d["hidden"] or n["hidden"]:
            out.append(withheld(d["why"] or n["why"]))
        else:
            out.append(rate(n["count"] / d["count"], d["count"], "%", policy, what))
    return out


def services(groups: StaffGroups, outcomes: pd.DataFrame, policy: Policy) -> Table:
    """Per directorate: leaders' and staff's adoption over the period beside its services' take-up and satisfaction."""
    cells = groups.cells
    names = sorted(set(cells["directorate"]) | set(groups.left_out["directorate"]))
    tools = summed(cells[cells["group"].isin(CORE) & ~is_training(cells["activity"])], ["directorate", "group"])
    frame = pd.DataFrame({"directorate": names})
    kinds = {"directorate": LABEL}
    for group in CORE:
        mine = tools[tools["group"] == group].set_index("directorate")
        figures = [share(mine["active"].get(d), mine["people"].get(d), policy) for d in names]
        frame[group] = pd.Series([f.value if f.shown else np.nan for f in figures], dtype=float)
        frame[f"{group}_text"] = [f.text if f.shown else "–" for f in figures]
        kinds |= {group: RATE, f"{group}_text": TEXT}
    chosen = outcomes[outcomes["directorate"].isin(names)]
    for column, total, part, what in (("digital_takeup", "requests", "digital_requests", "requests"),
                                      ("satisfaction", "ratings", "satisfied", "ratings")):
        protection = _protect(chosen, total, part, policy, f"{what} by directorate") if len(chosen) else None
        figures = _rates(protection, names, policy, what)
        frame[column] = pd.Series([f.value if f.shown else np.nan for f in figures], dtype=float)
        frame[f"{column}_text"] = [f.text for f in figures]
        kinds |= {column: RATE, f"{column}_text": TEXT}
    return Table(frame, kinds)


def maturity_beside(maturity: pd.DataFrame, linked: Table, policy: Policy) -> Table:
    """Each directorate's latest self-assessed maturity (per cent of the top score) beside its measured adoption."""
    frame = linked.frame
    latest = maturity.dropna(subset=["maturity"]).sort_values("assessed_on")
    latest = latest.groupby(["directorate", "framework"], as_index=False, dropna=False).tail(1)
    out = latest[["directorate", "assessed_on", "framework", "maturity"]].merge(
        frame[["directorate", "leaders", "leaders_text", "staff"]], on="directorate", how="left")
    out = out.assign(assessed_on=pd.to_datetime(out["assessed_on"]), framework=out["framework"].fillna("–"),
                     maturity_text=[f"{m:.0%}" for m in out["maturity"].astype(float)],
                     leaders_text=out["leaders_text"].fillna("–"),
                     maturity_pct=(out["maturity"].astype(float) * 100).round(0) + 0.0,
                     leaders_pct=percent(out["leaders"], policy) + 0.0, staff_pct=percent(out["staff"], policy) + 0.0)
    out = out.sort_values(["maturity", "directorate"], ascending=[False, True]).reset_index(drop=True)
    kinds = {"directorate": LABEL, "assessed_on": LABEL, "framework": LABEL, "maturity": REFERENCE,
             "maturity_text": TEXT, "leaders": RATE, "leaders_text": TEXT, "maturity_pct": REFERENCE,
             "leaders_pct": RATE, "staff_pct": RATE}
    return Table(out[list(kinds)], kinds)
