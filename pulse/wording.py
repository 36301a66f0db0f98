"""The one set of words for statistical process control verdicts, used by every page, icon and slide."""

from __future__ import annotations

# Short words for a table cell or a tile, by Making Data Count variation.
VARIATION = {
    "improvement": "Improving",
    "concern": "Getting worse",
    "common_cause": "No significant change",
    "neutral": "Unusual change",
}
NOT_JUDGED = "Not judged yet"
NOT_INFORMATIVE = "Not informative with this data"
# The same verdicts as a verb phrase, for sentences: "Digital take-up is improving".
VARIATION_VERB = {
    "improvement": "is improving",
    "concern": "is getting worse",
    "common_cause": "shows no significant change",
    "neutral": "has changed unusually",
    None: "is not judged yet",
}
ASSURANCE = {
    "pass": "Always meets target",
    "fail": "Can't meet target",
    "hit_or_miss": "Hit and miss",
}
YEAR_END = {"on track": "On track", "at risk": "At risk", "will miss": "Will miss"}


def variation_words(variation: str | None) -> str:
    """'Improving', 'Getting worse', 'No significant change', 'Unusual change' or 'Not judged yet'."""
    return VARIATION.get(variation or "", NOT_JUDGED)


def variation_description(variation: str | None, higher_is_better: bool | None, letter: str | None) -> str:
    """The verdict with its reason, for an icon's text alternative and a tooltip."""
    if variation is None:
        return f"{NOT_JUDGED}: too few points for statistical process control"
    words = VARIATION[variation]
    if variation == "common_cause":
        return f"{words}: common-cause variation only"
    if variation == "neutral":
        values = {"H": " (higher values)", "L": " (lower values)"}.get(letter or "", "")
        return f"{words}: special-cause variation, neither better nor worse{values}"
    if higher_is_better is None:
        return f"{words}: special-cause variation"
    better = "higher" if higher_is_better else "lower"
    if variation == "improvement":
        return f"{words}: special-cause improvement, {better} is better"
    moved = "higher" if letter == "H" else "lower"
    return f"{words}: special-cause concern, {moved} values where {better} is better"


def assurance_words(assurance: str | None) -> str:
    """'Always meets target', "Can't meet target", 'Hit and miss', or 'Not judged yet'."""
    return ASSURANCE.get(assurance or "", NOT_JUDGED)


def assurance_description(assurance: str | None) -> str:
    """The assurance verdict with its reason, for an icon's text alternative."""
    return {
        "pass": f"{ASSURANCE['pass']}: the target lies beyond the process limits on the good side",
        "fail": f"{ASSURANCE['fail']}: the target lies beyond the process limits on the bad side, so it will "
                "not be met unless the process changes",
        "hit_or_miss": f"{ASSURANCE['hit_or_miss']}: the target lies between the process limits, so it will be "
                       "met only some of the time",
        None: f"{NOT_JUDGED}: no target, no better direction, or too few points",
    }[assurance]
