"""The Leadership adoption page's words: headline sentences, chart titles, notes and captions.

Every number in them comes from a figure the page has already published (a share at display
precision, a count of directorates or activities); nothing here reads the database.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from pulse.disclosure import Figure, Policy, Sentence, join, reference, sentence, static
from pulse.metrics.correlation import Correlation, strength

# A directorate's leaders "used" a tool in a month when at least this share of them were active.
USED_SHARE = 0.5
# Leaders within this many percentage points of their own staff are level with them, not ahead.
LEVEL_BAND = 5.0
# Names for the activities docs/leadership.md suggests; any other reads as its own name.
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
GROUP_WORDS = {"leaders": "leaders", "managers": "managers", "staff": "staff"}


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


def period(first: object, last: object) -> str:
    """'November 2023 to October 2026', or one month's name."""
    a, b = month_name(first), month_name(last)
    return a if a == b else f"{a} to {b}"


def listed(names: Sequence[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def possessive(name: str) -> str:
    """"Housing's", "Adult Services'"."""
    return name + ("'" if name.endswith("s") else "'s")


def in_points(gap: pd.Series) -> pd.Series:
    """Gaps between two shares in percentage points, clear of binary noise (0.05 → 5.0, not 4.999…)."""
    return (gap.astype(float) * 100).round(6)


def _figure(value: float, text: str) -> Figure:
    return Figure(float(value), text)


# --------------------------------------------------------------------------- notes


def privacy_note(policy: Policy) -> Sentence:
    """What the page promises about small staff groups, true by construction (pulse.disclosure.staff)."""
    note = sentence(
        "Figures about staff come only from groups of {n} or more people. A directorate's leaders, managers or "
        "staff are left out of a month when fewer than {n} of them have records that month — left out before "
        "anything is added up, so they are in no figure, total, chart, tooltip or download here, and no "
        "comparison of views can work them out. Executives and senior leaders are shown apart only where each "
        "group numbers {n} or more; elsewhere they count only among leaders. No person's id leaves the database.",
        n=reference(policy.staff_min))
    if policy.public_safe:
        return join([note, static("Public-safe figures: counts of people are rounded to the nearest 5 and shares "
                                  "to whole per cent.")])
    return note


def left_out_note(left_out: pd.DataFrame, months: pd.Series, policy: Policy) -> Sentence | None:
    """Which directorates' groups are left out, and why — never how many people they have.

    `months` is, per directorate, how many months of the view it has records in: a group left out
    in all of them is named alone, one left out in fewer "in some months".
    """
    if left_out.empty:
        return None
    parts = []
    for directorate, rows in left_out.groupby("directorate", sort=True):
        always = [g for g in ("leaders", "managers", "staff") if (rows["group"] == g).sum() >= months[directorate]]
        sometimes = [g for g in ("leaders", "managers", "staff") if g in set(rows["group"]) and g not in always]
        words = []
        if always:
            words.append(f"{possessive(directorate)} {listed([GROUP_WORDS[g] for g in always])}")
        if sometimes:
            who = listed([GROUP_WORDS[g] for g in sometimes])
            words.append(f"{who} in some months" if always else f"{possessive(directorate)} {who} in some months")
        parts.append(" (and ".join(words) + (")" if len(words) > 1 else ""))
    return sentence("Hidden so that a group of fewer than {n} cannot be worked out: {who}.",
                    n=reference(policy.staff_min), who="; ".join(parts))


def used_note() -> Sentence:
    """What 'used' and 'active' mean in the headline sentences."""
    return static("A directorate's leaders \"used\" a tool when at least half of them were active that month; "
                  "someone is active when their record for the month is above zero.")


def roles_note(split: bool, policy: Policy) -> Sentence:
    """Why executives and senior leaders are (or are not) shown apart."""
    head = static("A gap in a line or a missing bar is a month with no records, never a zero.")
    if split:
        rest = sentence("Executives and senior leaders are shown apart only from directorates where each group has "
                        "{n} or more people that month; elsewhere they count only among leaders.",
                        n=reference(policy.staff_min))
    else:
        rest = sentence("Executives and senior leaders are shown apart only from directorates where each group has "
                        "{n} or more people; none has here, so they appear together as leaders.",
                        n=reference(policy.staff_min))
    return join([head, rest])


# --------------------------------------------------------------------------- headline sentences


def activity_sentence(heat: pd.DataFrame, activity: str) -> Sentence | None:
    """'7 of 8 directorates' leaders used e-signature in October 2026; Adult Social Care's did not.'"""
    rows = heat[(heat["activity"] == activity) & (heat["group"] == "Leaders") & heat["share"].notna()]
    if rows.empty:
        return None
    month = month_name(rows["month"].iloc[0])
    verb = ACTIVITY_VERBS.get(activity, "used " + activity_label(activity))
    used = rows["share"] >= USED_SHARE
    n, k = len(rows), int(used.sum())
    if n == 1:
        row = rows.iloc[0]
        return sentence("{share} of {whose} leaders {verb} in {month}.", share=_figure(row["share"], row["share_text"]),
                        whose=possessive(row["directorate"]), verb=verb, month=month)
    if k == n:
        return sentence("{all} directorates' leaders {verb} in {month}.",
                        all="Both" if n == 2 else sentence("All {n}", n=reference(n)), verb=verb, month=month)
    if k == 0:
        return sentence("No directorate's leaders {verb} in {month}.", verb=verb, month=month)
    laggards = rows.loc[~used].sort_values(["share", "directorate"])["directorate"].tolist()
    who = f"{possessive(laggards[0])} did not" if len(laggards) == 1 else f"those of {listed(laggards)} did not"
    return sentence("{k} of {n} directorates' leaders {verb} in {month}; {who}.", k=reference(k), n=reference(n),
                    verb=verb, month=month, who=who)


def activity_sentences(heat: pd.DataFrame) -> list[Sentence]:
    """One sentence per activity, the activities where fewest directorates' leaders took part first."""
    leaders = heat[(heat["group"] == "Leaders") & heat["share"].notna()]
    if leaders.empty:
        return []
    reach = leaders.assign(used=leaders["share"] >= USED_SHARE).groupby("activity")["used"].mean()
    order = reach.reset_index().sort_values(["used", "activity"])["activity"]
    return [s for s in (activity_sentence(heat, a) for a in order) if s]


def story_sentence(card: pd.DataFrame, month: object) -> Sentence | None:
    """Where leaders are ahead of their own staff, and where behind, in the latest month (`gap` in points)."""
    rows = card[card["gap"].notna()]
    if rows.empty:
        return None
    ahead = rows[rows["gap"] >= LEVEL_BAND].sort_values(["gap", "directorate"], ascending=[False, True])
    behind = rows[rows["gap"] <= -LEVEL_BAND].sort_values(["gap", "directorate"])
    parts = []
    if len(ahead):
        parts.append(f"ahead of their own staff in {listed(ahead['directorate'].tolist())}")
    if len(behind):
        where = listed(behind["directorate"].tolist())
        parts.append(f"behind them in {where}" if len(ahead) else f"behind their own staff in {where}")
    if not parts:
        level = "every directorate shown" if len(rows) > 1 else rows["directorate"].iloc[0]
        return sentence("In {month} leaders' use of digital tools was level with their staff's in {where}.",
                        month=month_name(month), where=level)
    return sentence("In {month} leaders were {parts}.", month=month_name(month), parts=", and ".join(parts))


def gap_sentence(gap: pd.DataFrame) -> Sentence | None:
    """'Across the directorates shown, leaders were ahead of staff on 4 of 6 activities in October 2026; …'"""
    rows = gap[gap["gap"].notna()]
    if rows.empty:
        return None
    latest = rows[rows["month"] == rows["month"].max()]
    ahead = int((in_points(latest["gap"]) >= LEVEL_BAND).sum())
    widest = latest.loc[latest["gap"].abs().sort_values(ascending=False, kind="stable").index[0]]
    month = month_name(latest["month"].iloc[0])
    if widest["leader_share_text"] == widest["staff_share_text"]:
        # Not "the widest gap was …: 50% of leaders against 50% of staff": there is no gap to name.
        return sentence("Across the directorates shown, leaders and staff were as active as each other on {what} "
                        "in {month}.", month=month, what=activity_label(widest["activity"]) if len(latest) == 1
                        else sentence("each of the {n} activities", n=reference(len(latest))))
    if len(latest) == 1:
        # Not "ahead of staff on 0 of 1 activities": with one activity, name it.
        points_ = in_points(latest["gap"]).iloc[0]
        where = "ahead of" if points_ >= LEVEL_BAND else "behind" if points_ <= -LEVEL_BAND else "level with"
        return sentence("Across the directorates shown, leaders were {where} staff on {activity} in {month}: {a} of "
                        "leaders against {b} of staff.", where=where, activity=activity_label(widest["activity"]),
                        month=month, a=_figure(widest["leader_share"], widest["leader_share_text"]),
                        b=_figure(widest["staff_share"], widest["staff_share_text"]))
    return sentence("Across the directorates shown, leaders were ahead of staff on {k} of {n} activities in "
                    "{month}; the widest gap was on {activity}: {a} of leaders against {b} of staff.",
                    k=reference(ahead), n=reference(len(latest)), month=month,
                    activity=activity_label(widest["activity"]),
                    a=_figure(widest["leader_share"], widest["leader_share_text"]),
                    b=_figure(widest["staff_share"], widest["staff_share_text"]))


# --------------------------------------------------------------------------- chart titles


def lines_title(gap: pd.DataFrame) -> Sentence:
    """Title for the leaders-against-staff lines: on how many activities leaders are ahead."""
    rows = gap[gap["gap"].notna()]
    if rows.empty:
        return static("Leaders and staff: share active each month")
    latest = rows[rows["month"] == rows["month"].max()]
    ahead = int((in_points(latest["gap"]) >= LEVEL_BAND).sum())
    if len(latest) == 1:
        # Not "leaders ahead on 0 of 1 activities": with one activity, name it.
        return sentence("Leaders and staff, share active each month: leaders {ahead} on {activity} in {month}",
                        ahead="ahead" if ahead else "not ahead", activity=activity_label(latest["activity"].iloc[0]),
                        month=month_name(latest["month"].iloc[0]))
    return sentence("Leaders and staff, share active each month: leaders ahead on {k} of {n} activities in {month}",
                    k=reference(ahead), n=reference(len(latest)), month=month_name(latest["month"].iloc[0]))


def points(gap: float, policy: Policy) -> Figure:
    """A gap in percentage points, signed: '+12 points', '−3 points', '0 points'."""
    digits = max(0, policy.digits("%"))
    size = round(abs(gap) * 100, digits)
    sign = "+" if gap > 0 and size else "−" if gap < 0 and size else ""
    number = f"{size:.{digits}f}"
    return Figure(float(gap), f"{sign}{number} point{'' if number == '1' else 's'}")  # "+1 point", "+1.0 points"


def gap_title(gap: pd.DataFrame, policy: Policy) -> Sentence:
    """Title for the gap chart: which activity's gap moved most between the first and last month shown."""
    rows = gap[gap["gap"].notna()].sort_values(["activity", "month"])
    if rows["month"].nunique() < 2:
        return static("The leader–staff gap, month by month")
    ends = rows.groupby("activity").agg(first=("gap", "first"), last=("gap", "last"), start=("month", "first"),
                                        end=("month", "last"))
    ends = ends[ends["start"] != ends["end"]]
    if ends.empty:
        return static("The leader–staff gap, month by month")
    moved = (ends["last"] - ends["first"]).abs()
    activity = moved.sort_values(ascending=False, kind="stable").index[0]
    first, last = ends.loc[activity, "first"], ends.loc[activity, "last"]
    if points(first, policy).text == points(last, policy).text:
        # Not "+5 points in September and +5 points in October": the gap that moved most did not move.
        if len(ends) > 1:
            return static("The leader–staff gap, month by month: no activity's gap changed between the first and "
                          "last month shown")
        return sentence("The leader–staff gap, month by month: on {activity} it held at {a} from {start} to {end}",
                        activity=activity_label(activity), a=points(first, policy),
                        start=month_name(ends.loc[activity, "start"]), end=month_name(ends.loc[activity, "end"]))
    if round(abs(last), 6) == round(abs(first), 6):
        return sentence("The leader–staff gap, month by month: on {activity} it was {a} in {start} and {b} in {end}",
                        activity=activity_label(activity), a=points(first, policy),
                        start=month_name(ends.loc[activity, "start"]), b=points(last, policy),
                        end=month_name(ends.loc[activity, "end"]))
    return sentence("The leader–staff gap, month by month: it {moved} most on {activity}, from {a} in {start} to {b} "
                    "in {end}", moved="widened" if abs(last) > abs(first) else "narrowed",
                    activity=activity_label(activity), a=points(first, policy),
                    start=month_name(ends.loc[activity, "start"]), b=points(last, policy),
                    end=month_name(ends.loc[activity, "end"]))


def heatmap_title(heat: pd.DataFrame, group: str) -> Sentence:
    """Title for one heatmap: the directorates whose group is most and least active."""
    rows = heat[(heat["group"] == group) & heat["share"].notna()]
    if rows.empty:
        return sentence("{group}: no directorate has a group big enough to show", group=group)
    mean = rows.groupby("directorate")["share"].mean().reset_index().sort_values(["share", "directorate"])
    month = month_name(rows["month"].iloc[0])
    if len(mean) == 1:
        return sentence("{group} in {where}, {month}", group=group, where=mean["directorate"].iloc[0], month=month)
    if mean["share"].round(6).nunique() == 1:
        # Not "most active in B, least in A" when every directorate's share is the same.
        return sentence("{group}, {month}: equally active in every directorate shown", group=group, month=month)
    return sentence("{group}, {month}: most active in {most}, least in {least}", group=group, month=month,
                    most=mean["directorate"].iloc[-1], least=mean["directorate"].iloc[0])


def roles_title(month: object) -> Sentence:
    """Title for the role-level heatmap."""
    return sentence("By role level, {month}", month=month_name(month))


# --------------------------------------------------------------------------- does it show in services?


def r_digits(policy: Policy) -> int:
    """Decimals r and its interval are written with: one in public-safe mode, where its inputs are whole per
    cents (a finer r would claim more than a handful of rounded rates can say), else two."""
    return 1 if policy.public_safe else 2


def association_caption(result: Correlation, outcome: str, digits: int = 2) -> Sentence:
    """An honest caption: r, its uncertainty, and that an association is not a cause."""
    if result.r is None:
        if result.n == 0:
            return sentence("No directorate has both figures, so there is no link between leaders' adoption and "
                            "{outcome} to look for.", outcome=outcome)
        if result.n < 3:
            return sentence("Only {n} directorate{s} with both figures: at least {min} are needed to look for a link "
                            "between leaders' adoption and {outcome}.", n=reference(result.n),
                            s="" if result.n == 1 else "s", min=reference(3), outcome=outcome)
        return sentence("No correlation can be computed: every directorate shown has the same leaders' adoption or "
                        "{outcome}.", outcome=outcome)
    r = _figure(result.r, f"{result.r:.{digits}f}")
    if round(result.r, digits) == 0:
        # Not "tend to have lower …: a weak association (r = -0.00": an r that reads as zero has no direction.
        r = _figure(0.0, f"{0.0:.{digits}f}")
        text = sentence("Across {n} directorates, leaders' use of digital tools shows no sign of an association "
                        "with {outcome} (r = {r}", n=reference(result.n), outcome=outcome, r=r)
    else:
        text = sentence("Across {n} directorates, those whose leaders use digital tools more tend to have "
                        "{direction} {outcome}: a {strength} association (r = {r}", n=reference(result.n),
                        direction="higher" if result.r > 0 else "lower", outcome=outcome,
                        strength=strength(result.r), r=r)
    if result.low is None:
        text = join([text, static("; too few directorates for an interval).")], sep="")
        if round(result.r, digits) == 0:
            return text  # no association: nothing more to qualify
    else:
        text = join([text, sentence(", {level} interval {low} to {high}).",
                                    level=_figure(result.confidence, f"{result.confidence:.0%}"),
                                    low=_figure(result.low, f"{result.low:.{digits}f}"),
                                    high=_figure(result.high, f"{result.high:.{digits}f}"))], sep="")
        if result.low <= 0 <= result.high:
            if round(result.r, digits) == 0:
                return text  # no association: nothing more to qualify
            text = join([text, static("The interval includes zero, so the data are also consistent with no link "
                                      "at all.")])
    return join([text, static("This is an association, not evidence that leaders cause it: directorates differ in "
                              "their services, residents and history, and a handful of directorates is a small "
                              "sample.")])


def scatter_title(result: Correlation, outcome: str) -> Sentence:
    """The scatter's title states what the data show, and no more."""
    head = outcome[:1].upper() + outcome[1:]
    if not result.clear:
        return sentence("{head}: no clear link with leaders' adoption in this period", head=head)
    return sentence("{head}: {direction} where leaders use digital tools more", head=head,
                    direction="higher" if result.r > 0 else "lower")


def maturity_title(result: Correlation) -> Sentence:
    """Title for self-assessed maturity against measured leader adoption: do the two agree?"""
    if not result.clear:
        return static("Self-assessment and measurement: no clear link between maturity scores and leaders' adoption")
    if result.r > 0:
        return static("Self-assessment and measurement agree: directorates scoring themselves higher have more "
                      "active leaders")
    return static("Self-assessment and measurement disagree: directorates scoring themselves higher have less "
                  "active leaders")
