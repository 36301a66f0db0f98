"""Leadership adoption: are leaders setting the digital example? The logic behind the page.

Every figure about staff passes through this module's suppression before it can reach a chart, a
tooltip, a table or a download. A group is hidden (its people, active count and share all blank)
when it has fewer than STAFF_GROUP_MIN people. Two further rules stop a hidden group being worked
out by subtraction:

- a figure summed over the chosen directorates is hidden when a directorate filter is on and the
  same group has 1 to STAFF_GROUP_MIN - 1 people in any one directorate, because the difference
  between two selections' figures would be that directorate's figure;
- executives and senior leaders are hidden together, because the page also shows them combined
  as "leaders" and one minus the other would give the hidden one.

Person ids never reach this module: every query returns counts only.
"""

from __future__ import annotations

import base64
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from statistics import NormalDist

import numpy as np
import pandas as pd

from pulse import icons
from pulse.formatting import fmt_value
from pulse.metrics import spc
from pulse.metrics.suppression import STAFF_GROUP_MIN, suppress_frame, suppress_staff_groups
from pulse.schema import LEADER_LEVELS, ROLE_LEVELS

QUERIES = ("adoption_share_by_role_month_activity", "adoption_gap_by_month_activity",
           "adoption_share_by_directorate_activity", "adoption_scorecard_by_directorate_month",
           "adoption_services_by_directorate")
MATURITY_AVAILABLE = "adoption_maturity_available_overall"
MATURITY = "adoption_maturity_by_directorate_date"
OUTCOMES = {"digital_takeup": "digital take-up", "satisfaction": "satisfaction"}
# A directorate's leaders "used" a tool in a month when at least this share of them were active.
USED_SHARE = 0.5
# Leaders within this many percentage points of their own staff are level with them, not ahead.
LEVEL_BAND = 0.05
CONFIDENCE = 0.95
_COUNTS = {"people", "active", "leaders", "staff", "training_records", "training_completed", "fewest_leaders",
           "requests", "digital_requests", "ratings", "satisfied"}

ROLE_LABELS = {"executive": "Executives", "senior_leader": "Senior leaders", "manager": "Managers",
               "staff": "Staff"}
GROUP_LABELS = {"leaders": "Leaders", "staff": "Staff"}
# Names for the activities the docs suggest (docs/leadership.md); any other reads as its own name.
ACTIVITY_LABELS = {
    "teams_meetings": "Teams meetings",
    "e_signature": "e-signature",
    "dashboard_viewed": "dashboards",
    "shared_documents": "shared documents",
    "mobile_working": "mobile working",
    "digital_training_completed": "digital training",
}
ACTIVITY_VERBS = {
    "teams_meetings": "joined Teams meetings",
    "e_signature": "used e-signature",
    "dashboard_viewed": "viewed dashboards",
    "shared_documents": "worked in shared documents",
    "mobile_working": "worked on mobile devices",
    "digital_training_completed": "had completed digital training",
}
PRIVACY_NOTE = (f"Staff figures are only ever shown for groups of {STAFF_GROUP_MIN} or more people; smaller "
                "groups, and any figure they could be worked out from, are hidden everywhere on this page, "
                "in its tooltips and in its downloads. No person's id leaves the database.")


# --------------------------------------------------------------------------- words


def activity_label(activity: str) -> str:
    """How an activity reads in a sentence: 'e-signature', 'Teams meetings', 'expenses app'."""
    return ACTIVITY_LABELS.get(activity, str(activity).replace("_", " "))


def activity_title(activity: str) -> str:
    """An activity's label with a capital letter, for chart headers."""
    label = activity_label(activity)
    return label[:1].upper() + label[1:]


def month_name(month: object) -> str:
    """'October 2026'."""
    return pd.Timestamp(month).strftime("%B %Y")


def listed(names: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _possessive(name: str) -> str:
    return name + ("'" if name.endswith("s") else "'s")


def _pct(value: float | None) -> str:
    return fmt_value(value, "%")


def _points(value: float) -> str:
    points = round(value * 100)
    return f"{'+' if points > 0 else '−' if points < 0 else ''}{abs(points)} points"


# --------------------------------------------------------------------------- suppression


def too_small(people: pd.Series, elsewhere: pd.Series | None = None,
              smallest_directorate: pd.Series | None = None) -> pd.Series:
    """True for groups that must not be shown (see the module docstring for the three rules)."""
    hidden = pd.to_numeric(people).fillna(0) < STAFF_GROUP_MIN
    if elsewhere is not None and smallest_directorate is not None:
        filtered = pd.to_numeric(elsewhere).fillna(0) > 0
        hidden |= filtered & (pd.to_numeric(smallest_directorate).fillna(0) < STAFF_GROUP_MIN)
    return hidden.astype(bool)


def _blank(frame: pd.DataFrame, hidden: pd.Series, columns: Sequence[str]) -> pd.DataFrame:
    """The frame with the given columns emptied where hidden; counts stay whole numbers."""
    out = frame.copy()
    mask = pd.Series(hidden, index=out.index).astype(bool)
    for column in columns:
        values = pd.to_numeric(out[column]).astype(float).mask(mask)
        out[column] = values.astype("Int64") if column in _COUNTS else values
    return out


def _with_gaps(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Rows for months with no data between the first and last month, values empty: a gap, not a zero."""
    if frame.empty:
        return frame
    months = pd.date_range(pd.Timestamp(frame["month"].min()), pd.Timestamp(frame["month"].max()), freq="MS")
    combos = frame[keys].drop_duplicates()
    grid = combos.merge(pd.DataFrame({"month": months}), how="cross")
    data = frame.assign(month=pd.to_datetime(frame["month"]))
    return grid.merge(data, on=[*keys, "month"], how="left").sort_values([*keys, "month"]).reset_index(drop=True)


# --------------------------------------------------------------------------- leaders against staff


def role_shares(frame: pd.DataFrame) -> pd.DataFrame:
    """Share active by role level, month and activity, small groups hidden, gap months as empty rows."""
    out = frame.copy()
    hidden = too_small(out["people"], out["people_elsewhere"], out["smallest_directorate"])
    # Leaders are also shown combined, so one leader level hidden hides the other.
    leader_rows = out["role_level"].isin(LEADER_LEVELS)
    hidden_leader = (hidden & leader_rows).groupby([out["month"], out["activity"]]).transform("any")
    hidden |= leader_rows & hidden_leader
    out = _blank(out, hidden, ["people", "active", "share"])
    out = out.drop(columns=["people_elsewhere", "smallest_directorate"])
    out = _with_gaps(out, ["activity", "role_level"])
    out["shown"] = out["share"].notna()
    out["activity_label"] = out["activity"].map(activity_title)
    out["role_label"] = out["role_level"].map(ROLE_LABELS)
    out["role_order"] = out["role_level"].map({level: i for i, level in enumerate(ROLE_LEVELS)})
    return out.sort_values(["month", "activity", "role_order"]).drop(columns="role_order").reset_index(drop=True)


def leaders_vs_staff(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Long form (month, activity, group, people, active, share) and the gap by month, small groups hidden."""
    parts = []
    shown = {}
    for group in ("leaders", "staff"):
        share = "leader_share" if group == "leaders" else "staff_share"
        hidden = too_small(frame[group], frame[f"{group}_elsewhere"], frame[f"{group}_smallest_directorate"])
        part = pd.DataFrame({"month": frame["month"], "activity": frame["activity"], "group": GROUP_LABELS[group],
                             "people": frame[group], "active": frame[f"{group}_active"], "share": frame[share]})
        parts.append(_blank(part, hidden, ["people", "active", "share"]))
        shown[group] = ~hidden
    long = _with_gaps(pd.concat(parts, ignore_index=True), ["activity", "group"])
    long["activity_label"] = long["activity"].map(activity_title)
    gap = pd.DataFrame({"month": frame["month"], "activity": frame["activity"],
                        "leader_share": frame["leader_share"].where(shown["leaders"]),
                        "staff_share": frame["staff_share"].where(shown["staff"])})
    gap["gap"] = gap["leader_share"] - gap["staff_share"]
    gap = _with_gaps(gap, ["activity"])
    gap["activity_label"] = gap["activity"].map(activity_title)
    return long, gap


def heatmap(frame: pd.DataFrame) -> pd.DataFrame:
    """Directorate × activity × leaders/staff for the latest month, small groups hidden."""
    out = _blank(frame, too_small(frame["people"]), ["people", "active", "share"])
    out["group"] = out["role_group"].map(GROUP_LABELS)
    out["activity_label"] = out["activity"].map(activity_title)
    out["shown"] = out["share"].notna()
    return out


def role_heatmap(roles: pd.DataFrame) -> pd.DataFrame:
    """Role level × activity in the latest month, from role_shares(), shaped like heatmap()."""
    latest = roles[roles["month"] == roles["month"].max()] if not roles.empty else roles
    return latest.assign(group=latest.get("role_label")).reset_index(drop=True)


# --------------------------------------------------------------------------- sentences


def activity_sentence(heat: pd.DataFrame, activity: str) -> str | None:
    """'7 of 8 directorates' leaders used e-signature in October 2026; Adult Social Care's did not.'"""
    rows = heat[(heat["activity"] == activity) & (heat["role_group"] == "leaders") & heat["shown"]]
    if rows.empty:
        return None
    month = month_name(rows["month"].iloc[0])
    verb = ACTIVITY_VERBS.get(activity, "used " + activity_label(activity))
    used = rows["share"] >= USED_SHARE
    n, k = len(rows), int(used.sum())
    if n == 1:
        return f"{_pct(rows['share'].iloc[0])} of {_possessive(rows['directorate'].iloc[0])} leaders {verb} in {month}."
    if k == n:
        return f"{'Both' if n == 2 else f'All {n}'} directorates' leaders {verb} in {month}."
    if k == 0:
        return f"No directorate's leaders {verb} in {month}."
    laggards = rows.loc[~used].sort_values("share")["directorate"].tolist()
    who = f"{_possessive(laggards[0])} did not" if len(laggards) == 1 else f"those of {listed(laggards)} did not"
    return f"{k} of {n} directorates' leaders {verb} in {month}; {who}."


def activity_sentences(heat: pd.DataFrame) -> list[str]:
    """One sentence per activity, the activities where fewest directorates' leaders took part first."""
    leaders = heat[(heat["role_group"] == "leaders") & heat["shown"]]
    if leaders.empty:
        return []
    reach = leaders.assign(used=leaders["share"] >= USED_SHARE).groupby("activity")["used"].mean().sort_values()
    return [s for s in (activity_sentence(heat, a) for a in reach.index) if s]


def not_counted_note(heat: pd.DataFrame) -> str | None:
    """Which directorates the sentences leave out because they have too few leaders to show."""
    leaders = heat[heat["role_group"] == "leaders"]
    hidden = sorted(set(leaders["directorate"]) - set(leaders.loc[leaders["shown"], "directorate"]))
    if not hidden:
        return None
    return f"{listed(hidden)} {'is' if len(hidden) == 1 else 'are'} not counted: fewer than {STAFF_GROUP_MIN} leaders."


def story_sentence(card: pd.DataFrame) -> str | None:
    """Where leaders are ahead of their own staff, and where behind, in the latest month."""
    rows = card[card["gap"].notna()]
    if rows.empty:
        return None
    ahead = rows[rows["gap"] >= LEVEL_BAND].sort_values("gap", ascending=False)["directorate"].tolist()
    behind = rows[rows["gap"] <= -LEVEL_BAND].sort_values("gap")["directorate"].tolist()
    month = month_name(rows["month"].iloc[0])
    parts = []
    if ahead:
        parts.append(f"ahead of their own staff in {listed(ahead)}")
    if behind:
        parts.append(f"behind them in {listed(behind)}" if ahead else f"behind their own staff in {listed(behind)}")
    if not parts:
        return f"In {month} leaders' use of digital tools was level with their staff's in every directorate shown."
    return f"In {month} leaders were {', and '.join(parts)}."


def gap_sentence(gap: pd.DataFrame) -> str | None:
    """'Leaders were ahead of staff on 4 of 6 activities in October 2026; the widest gap was …'"""
    rows = gap[gap["gap"].notna()]
    if rows.empty:
        return None
    latest = rows[rows["month"] == rows["month"].max()]
    month = month_name(latest["month"].iloc[0])
    ahead = int((latest["gap"] >= LEVEL_BAND).sum())
    widest = latest.loc[latest["gap"].abs().idxmax()]
    return (f"Across the directorates shown, leaders were ahead of staff on {ahead} of {len(latest)} "
            f"activities in {month}; the widest gap was on {activity_label(widest['activity'])}: "
            f"{_pct(widest['leader_share'])} of leaders against {_pct(widest['staff_share'])} of staff.")


def lines_title(gap: pd.DataFrame) -> str:
    """Title for the leaders-against-staff lines: on how many activities leaders are ahead."""
    rows = gap[gap["gap"].notna()]
    if rows.empty:
        return "Leaders and staff: share active each month"
    latest = rows[rows["month"] == rows["month"].max()]
    ahead = int((latest["gap"] >= LEVEL_BAND).sum())
    return (f"Leaders and staff, share active each month: leaders ahead on {ahead} of {len(latest)} activities in "
            f"{month_name(latest['month'].iloc[0])}")


def gap_title(gap: pd.DataFrame) -> str:
    """Title for the gap chart: which activity's gap moved most between the first and last month shown."""
    rows = gap[gap["gap"].notna()].sort_values("month")
    if rows.empty:
        return "The leader–staff gap: nothing to show for these filters"
    ends = rows.groupby("activity").agg(first=("gap", "first"), last=("gap", "last"), start=("month", "first"),
                                        end=("month", "last"))
    activity = (ends["last"] - ends["first"]).abs().idxmax()
    first, last = ends.loc[activity, "first"], ends.loc[activity, "last"]
    moved = "widened" if abs(last) > abs(first) else "narrowed"
    return (f"The leader–staff gap, month by month: it {moved} most on {activity_label(activity)}, from "
            f"{_points(first)} in {month_name(ends.loc[activity, 'start'])} to {_points(last)} in "
            f"{month_name(ends.loc[activity, 'end'])}")


def heatmap_title(heat: pd.DataFrame, group: str) -> str:
    """Title for one heatmap: the directorates whose group is most and least active."""
    rows = heat[(heat["group"] == group) & heat["shown"]]
    if rows.empty:
        return f"{group}: no directorate has enough people to show"
    mean = rows.groupby("directorate")["share"].mean().sort_values()
    month = month_name(rows["month"].iloc[0])
    if len(mean) == 1:
        return f"{group} in {mean.index[0]}, {month}"
    return f"{group}, {month}: most active in {mean.index[-1]}, least in {mean.index[0]}"


# --------------------------------------------------------------------------- the scorecard


def _icon_uri(svg: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


VARIATION_WORDS = {"improvement": "Improving", "concern": "Worsening", "common_cause": "No significant change",
                   "neutral": "Unusual change, neither better nor worse"}


def _judge(series: pd.Series) -> tuple[str, str]:
    """The SPC variation icon (a data URI) and a few words for a monthly series; gaps stay gaps."""
    result = spc.xmr(series, higher_is_better=True)
    words = VARIATION_WORDS.get(result.variation) or f"Too few months to judge ({result.n_points} of {spc.MIN_POINTS})"
    return _icon_uri(icons.variation_icon(result.variation, True, side=result.side)), words


def scorecard(frame: pd.DataFrame) -> pd.DataFrame:
    """Per directorate: latest leader and staff adoption, gap, training, trend and SPC verdicts."""
    columns = ["directorate", "month", "leader_adoption", "staff_adoption", "gap", "training_completion",
               "leaders", "staff", "leader_trend", "leader_icon", "leader_variation", "staff_icon", "staff_variation"]
    if frame.empty:
        return pd.DataFrame(columns=columns)
    data = frame.copy()
    data = _blank(data, too_small(data["leaders"]), ["leader_adoption", "leaders"])
    data = _blank(data, too_small(data["staff"]), ["staff_adoption", "staff"])
    data = _blank(data, too_small(data["smallest_group"]),
                  ["training_completion", "training_records", "training_completed"])
    data = _with_gaps(data, ["directorate"])
    latest_month = data["month"].max()
    rows = []
    for directorate, series in data.groupby("directorate", sort=True):
        series = series.set_index("month").sort_index()
        latest = series.loc[latest_month]
        leader_icon, leader_words = _judge(series["leader_adoption"].astype(float))
        staff_icon, staff_words = _judge(series["staff_adoption"].astype(float))
        leader, staff = latest["leader_adoption"], latest["staff_adoption"]
        rows.append({
            "directorate": directorate, "month": latest_month,
            "leader_adoption": leader, "staff_adoption": staff,
            "gap": leader - staff if pd.notna(leader) and pd.notna(staff) else np.nan,
            "training_completion": latest["training_completion"],
            "leaders": latest["leaders"], "staff": latest["staff"],
            "leader_trend": [None if pd.isna(v) else round(float(v), 4) for v in series["leader_adoption"]],
            "leader_icon": leader_icon, "leader_variation": leader_words,
            "staff_icon": staff_icon, "staff_variation": staff_words,
        })
    card = pd.DataFrame(rows, columns=columns)
    for column in ("leader_adoption", "staff_adoption", "gap", "training_completion"):
        card[column] = card[column].astype(float)
    return card.sort_values("gap", ascending=False, na_position="last").reset_index(drop=True)


def scorecard_download(card: pd.DataFrame) -> pd.DataFrame:
    """The scorecard as a plain table: no icons, the SPC verdicts in words."""
    out = card.drop(columns=["leader_icon", "staff_icon", "leader_trend"])
    return out.rename(columns={"leaders": "leaders_in_group", "staff": "staff_in_group"})


# --------------------------------------------------------------------------- does it show in services?


@dataclass(frozen=True)
class Correlation:
    """Pearson's r between two columns with its Fisher-z interval, and the least-squares line."""

    n: int
    r: float | None = None
    low: float | None = None
    high: float | None = None
    slope: float | None = None
    intercept: float | None = None
    confidence: float = CONFIDENCE


def correlation(x: Sequence[float], y: Sequence[float], confidence: float = CONFIDENCE) -> Correlation:
    """Pearson's r, its Fisher-z interval (needs 4 or more pairs) and the fitted line y = a + b·x."""
    pairs = pd.DataFrame({"x": pd.to_numeric(pd.Series(list(x)), errors="coerce"),
                          "y": pd.to_numeric(pd.Series(list(y)), errors="coerce")}).dropna()
    n = len(pairs)
    if n < 3 or pairs["x"].nunique() < 2 or pairs["y"].nunique() < 2:
        return Correlation(n, confidence=confidence)
    xs, ys = pairs["x"].to_numpy(float), pairs["y"].to_numpy(float)
    dx, dy = xs - xs.mean(), ys - ys.mean()
    r = float(np.clip((dx * dy).sum() / math.sqrt((dx**2).sum() * (dy**2).sum()), -1.0, 1.0))
    slope = float((dx * dy).sum() / (dx**2).sum())
    intercept = float(ys.mean() - slope * xs.mean())
    low = high = None
    # Fisher's z is undefined at |r| = 1 and its standard error needs n > 3.
    if n > 3 and abs(r) < 1:
        z, se = math.atanh(r), 1 / math.sqrt(n - 3)
        q = NormalDist().inv_cdf(0.5 + confidence / 2)
        low, high = math.tanh(z - q * se), math.tanh(z + q * se)
    return Correlation(n, r, low, high, slope, intercept, confidence)


def _strength(r: float) -> str:
    size = abs(r)
    return "weak" if size < 0.3 else "moderate" if size < 0.7 else "strong"


def association_caption(result: Correlation, outcome: str) -> str:
    """An honest caption: r, its uncertainty, and that an association is not a cause."""
    if result.r is None:
        if result.n < 3:
            return (f"Only {result.n} directorate{'s' if result.n != 1 else ''} with enough data: at least 3 are "
                    f"needed to look for a link between leader adoption and {outcome}.")
        return f"No correlation can be computed: every directorate shown has the same leader adoption or {outcome}."
    direction = "higher" if result.r > 0 else "lower"
    text = (f"Across {result.n} directorates, those whose leaders use digital tools more tend to have {direction} "
            f"{outcome}: a {_strength(result.r)} association (r = {result.r:.2f}")
    if result.low is None:
        text += "; too few directorates for an interval)."
    else:
        text += f", {result.confidence:.0%} interval {result.low:.2f} to {result.high:.2f})."
        if result.low <= 0 <= result.high:
            text += " The interval includes zero, so the data are also consistent with no link at all."
    return (text + " This is an association, not evidence that leaders cause it: directorates differ in their "
            "services, residents and history, and a handful of directorates is a small sample.")


def scatter_title(result: Correlation, outcome: str) -> str:
    """The scatter's title states what the data show, and no more."""
    head = outcome[:1].upper() + outcome[1:]
    if result.r is None or result.low is None or result.low <= 0 <= result.high:
        return f"{head}: no clear link with leaders' adoption in this period"
    return f"{head}: {'higher' if result.r > 0 else 'lower'} where leaders use digital tools more"


def maturity_title(result: Correlation) -> str:
    """Title for self-assessed maturity against measured leader adoption: do the two agree?"""
    if result.r is None or result.low is None or result.low <= 0 <= result.high:
        return "Self-assessment and measurement: no clear link between maturity scores and leaders' adoption"
    if result.r > 0:
        return "Self-assessment and measurement agree: directorates scoring themselves higher have more active leaders"
    return "Self-assessment and measurement disagree: directorates scoring themselves higher have less active leaders"


def services(frame: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    """Per directorate: leader adoption over the period against take-up and satisfaction; and how many left out.

    A directorate with fewer than STAFF_GROUP_MIN leaders in any month is left out altogether; take-up
    and satisfaction follow ONS practice (a rate only over a big enough denominator, small counts "[c]").
    """
    kept = suppress_staff_groups(frame, "fewest_leaders")
    shown = suppress_frame(kept.frame, counts=["digital_requests", "satisfied"],
                           rates={"digital_takeup": "requests", "satisfaction": "ratings"}).frame
    return shown.rename(columns={"fewest_leaders": "leaders"}).reset_index(drop=True), kept.hidden


# --------------------------------------------------------------------------- maturity


def maturity_beside_adoption(maturity: pd.DataFrame, card: pd.DataFrame) -> pd.DataFrame:
    """Each directorate's latest self-assessed maturity beside its measured leader and staff adoption."""
    if maturity.empty:
        return pd.DataFrame(columns=["directorate", "assessed_on", "framework", "maturity",
                                     "leader_adoption", "staff_adoption"])
    latest = maturity.sort_values("assessed_on").groupby(["directorate", "framework"], as_index=False).tail(1)
    measured = card[["directorate", "leader_adoption", "staff_adoption"]]
    out = latest[["directorate", "assessed_on", "framework", "maturity"]].merge(measured, on="directorate", how="left")
    return out.sort_values("maturity", ascending=False).reset_index(drop=True)


# --------------------------------------------------------------------------- the whole page


@dataclass(frozen=True)
class View:
    """Everything the Leadership adoption page shows, small groups already hidden."""

    roles: pd.DataFrame
    lines: pd.DataFrame
    gap: pd.DataFrame
    heat: pd.DataFrame
    card: pd.DataFrame
    linked: pd.DataFrame
    left_out: int = 0
    story: str | None = None
    bullets: list[str] = field(default_factory=list)
    note: str | None = None
    fits: dict[str, Correlation] = field(default_factory=dict)
    maturity: pd.DataFrame | None = None
    maturity_fit: Correlation | None = None

    @property
    def empty(self) -> bool:
        """No adoption records match the filters."""
        return self.roles.empty

    def public_safe(self) -> View:
        """The same view with every count of people rounded to the nearest 5, for publication (ONS)."""
        frames = {name: _round_counts(getattr(self, name))
                  for name in ("roles", "lines", "gap", "heat", "card", "linked", "maturity")}
        return replace(self, **frames)

    @property
    def period(self) -> str:
        """The months the adoption records cover: 'November 2023 to October 2026'."""
        first, last = (month_name(self.roles["month"].min()), month_name(self.roles["month"].max()))
        return first if first == last else f"{first} to {last}"

    def downloads(self) -> dict[str, pd.DataFrame]:
        """File name → the table behind each part of the page, exactly as shown (nothing hidden is in them)."""
        out = {
            "leadership_scorecard.csv": scorecard_download(self.card),
            "leadership_heatmaps.csv": self.heat.drop(columns=["shown"]),
            "leadership_leaders_vs_staff.csv": self.lines,
            "leadership_role_levels.csv": self.roles.drop(columns=["shown"]),
            "leadership_services.csv": self.linked,
        }
        if self.maturity is not None:
            out["leadership_maturity.csv"] = self.maturity
        return out


def _round_counts(frame: pd.DataFrame | None) -> pd.DataFrame | None:
    """Counts of people to the nearest 5 (hidden groups stay blank); shares keep their exact values."""
    if frame is None:
        return None
    out = frame.copy()
    for column in _COUNTS & set(out.columns):
        values = pd.to_numeric(out[column], errors="coerce")
        out[column] = values.map(lambda n: n if pd.isna(n) else float(math.floor(n / 5 + 0.5) * 5))
    return out


def view(found: Mapping[str, pd.DataFrame], maturity: pd.DataFrame | None = None) -> View:
    """The page's figures, sentences and fits from the results of QUERIES (and the maturity query)."""
    roles = role_shares(found["adoption_share_by_role_month_activity"])
    lines, gap = leaders_vs_staff(found["adoption_gap_by_month_activity"])
    heat = heatmap(found["adoption_share_by_directorate_activity"])
    card = scorecard(found["adoption_scorecard_by_directorate_month"])
    linked, left_out = services(found["adoption_services_by_directorate"])
    fits = {outcome: correlation(linked["leader_adoption"], linked[outcome]) for outcome in OUTCOMES}
    beside = None if maturity is None else maturity_beside_adoption(maturity, card)
    maturity_fit = None if beside is None else correlation(beside["maturity"], beside["leader_adoption"])
    return View(roles=roles, lines=lines, gap=gap, heat=heat, card=card, linked=linked, left_out=left_out,
                story=story_sentence(card), bullets=[s for s in (gap_sentence(gap), *activity_sentences(heat)) if s],
                note=not_counted_note(heat), fits=fits, maturity=beside, maturity_fit=maturity_fit)
