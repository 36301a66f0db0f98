"""Resident voice, satisfaction: ratings by month, service, channel and ward, and their distribution.

Every table of ratings is a grain (month, service, channel or ward) × rating value, and each is
protected by its own CountModel over those cells: the responses shown per row, the ratings on the
5-point scale and the satisfied ones behind user satisfaction, good − poor behind net satisfaction.
Tables of different grains share nothing but the distribution of rating values and the totals
(responses, ratings on the scale, satisfied, good − poor), so every model declares those first, with
the highest priority: each then protects its own rows knowing what the others let a reader work out.
Where the models would differ about one of those shared figures it is withheld everywhere.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from pulse.disclosure import (
    COUNT, LABEL, RATE, TEXT, CountModel, Figure, Policy, Protection, Sentence, Table, rate, reference, sentence,
    withheld,
)
from pulse.disclosure.rules import SUPPRESSED
from pulse.filters import Filters
from pulse.schema import CHANNELS

SCALE = ("1", "2", "3", "4", "5")
BANDS = ("poor", "average", "good")
VALUES = SCALE + BANDS
SATISFIED = ("4", "5")
NET = {"4": 1.0, "5": 1.0, "good": 1.0, "1": -1.0, "2": -1.0, "poor": -1.0}  # GovMetric: good − poor
VALUE_LABELS = {"1": "1 (lowest)", "2": "2", "3": "3", "4": "4", "5": "5 (highest)", "poor": "Poor",
                "average": "Average", "good": "Good"}
NOT_GIVEN = "Not given"
DIGITAL = ("online", "app")
GROUP_LABELS = {"digital": "Digital (online, app)", "assisted": "Assisted (phone, face to face, email…)",
                "not known": "Channel not given"}
GRAINS = {"month": "period", "service": "service", "channel": "channel", "ward": "ward_code"}
# Families every grain's model declares first: what each table lets a reader add up to.
SHARED = ("values", "total", "scale_total", "satisfied_total", "net_total")


def universe(everything: pd.DataFrame, view: Filters, wards: list[str]) -> dict[str, list]:
    """The rows each grain's table has whatever the counts: what the loaded feedback holds (unfiltered) within
    what the filters allow, the view's wards, and every month of its dates. A row that happens to count
    nobody is shown as "[c]" like a small one, so one response more or less never adds or drops a row."""
    def keys(grain: str) -> list:
        part = everything[everything["grain"] == grain]
        column = part[GRAINS[grain]]
        if grain == "service" and view.directorates:
            column = column[part["directorate"].isin(view.directorates)]
        chosen = {"service": view.services, "channel": view.channels}.get(grain)
        found = [k for k in dict.fromkeys(column.dropna()) if not chosen or k in chosen]
        return found + ([NOT_GIVEN] if column.isna().any() and not chosen else [])
    months = pd.to_datetime(everything.loc[everything["grain"] == "month", "period"])
    first = max(months.min(), pd.Timestamp(view.date_from).to_period("M").start_time) if view.date_from else months.min()
    last = min(months.max(), pd.Timestamp(view.date_to)) if view.date_to else months.max()
    no_ward = everything.loc[everything["grain"] == "ward", "ward_code"].isna().any() and not view.wards
    present = set(everything["value"])
    return {"month": list(pd.date_range(first, last, freq="MS")) if not months.empty else [],
            "service": keys("service"), "channel": keys("channel"),
            "ward": list(wards) + ([NOT_GIVEN] if no_ward else []),
            "value": [v for v in VALUES if v in SCALE or v in present]}


def grain_cells(rows: pd.DataFrame, grain: str, keys: dict[str, list] | None = None) -> pd.DataFrame:
    """One grain's cells from voice_ratings_by_grain_value: key, value, responses (a key not given is
    'Not given'; a month stays a date), with a zero for every key and value of `keys` not counted."""
    column = GRAINS[grain]
    part = rows[rows["grain"] == grain]
    key = pd.to_datetime(part[column]) if grain == "month" else part[column].astype(object).where(
        part[column].notna(), NOT_GIVEN)
    frame = pd.DataFrame({"key": key.to_numpy(), "value": part["value"].astype(str).to_numpy(),
                          "responses": part["responses"].to_numpy(dtype=float)})
    if keys is not None:
        grid = pd.MultiIndex.from_product([list(dict.fromkeys([*keys[grain], *frame["key"]])),
                                           list(dict.fromkeys([*keys["value"], *frame["value"]]))],
                                          names=["key", "value"]).to_frame(index=False)
        frame = grid.merge(frame, how="left").fillna({"responses": 0.0})
    if grain == "channel":
        frame["group"] = [("digital" if k in DIGITAL else "not known" if k == NOT_GIVEN else "assisted")
                          for k in frame["key"]]
    return frame


def protect(cells: pd.DataFrame, policy: Policy, name: str) -> Protection:
    """A grain's table of ratings, its rates' bases, and the distribution and totals every table shares."""
    dims = ["group", "key", "value"] if "group" in cells else ["key", "value"]
    scale = lambda c: c["value"].isin(SCALE)  # noqa: E731 (row filters, read where they are used)
    satisfied = lambda c: c["value"].isin(SATISFIED)  # noqa: E731
    net = lambda c: c["value"].map(NET).fillna(0.0)  # noqa: E731
    model = CountModel(cells, dims, "responses", policy, name)
    model.add("total", [], priority=9)
    model.add("values", ["value"], priority=8)
    model.add("scale_total", [], where=scale, role="denominator", priority=9)
    model.add("satisfied_total", [], where=satisfied, role="numerator", priority=9)
    model.add("net_total", [], role="numerator", weight=net, priority=9)
    if "group" in cells:
        # Digital against assisted is the comparison the page is asked for: its rows come before channels'.
        model.add("group_responses", ["group"], priority=5)
        model.add("group_scale", ["group"], where=scale, role="denominator", priority=6)
        model.add("group_satisfied", ["group"], where=satisfied, role="numerator", priority=6)
        model.add("group_net", ["group"], role="numerator", weight=net, priority=6)
    model.add("responses", ["key"])
    model.add("scale", ["key"], where=scale, role="denominator")
    model.add("satisfied", ["key"], where=satisfied, role="numerator")
    model.add("net", ["key"], role="numerator", weight=net)
    return model.protect()


@dataclass(frozen=True)
class Ratings:
    """The page's ratings, one protected model per grain (none when nothing is rated in view)."""

    policy: Policy
    models: dict[str, Protection]
    cells: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)
    _shared: dict[str, pd.DataFrame] = field(default_factory=dict, repr=False)

    @property
    def any(self) -> bool:
        """Whether any response in view has a rating."""
        return bool(self.models)

    def shared_hidden(self, family: str) -> pd.DataFrame:
        """A shared family's keys, true `count` and `hidden`: withheld when any grain's model withheld it."""
        if family not in self._shared:
            self._shared[family] = self._union(family)
        return self._shared[family]

    def _union(self, family: str) -> pd.DataFrame:
        frames = [p.frame(family) for p in self.models.values()]
        first = frames[0]
        keys = [c for c in first.columns if c not in ("hidden", "why", "count")]
        hidden = np.zeros(len(first), dtype=bool)
        for frame in frames:
            # Every grain adds up the same responses, so each model has the same keys in the same order.
            if not frame[keys].reset_index(drop=True).equals(first[keys].reset_index(drop=True)):
                raise ValueError(f"{family}: the grains' models disagree about what they count")
            hidden |= frame["hidden"].to_numpy(dtype=bool)
        return first[keys + ["count"]].assign(hidden=hidden)


def ratings(rows: pd.DataFrame, policy: Policy, keys: dict[str, list] | None = None) -> Ratings:
    """Every grain's model, from voice_ratings_by_grain_value, on the rows of `keys` (see universe())."""
    if rows.empty:
        return Ratings(policy, {})
    cells = {grain: grain_cells(rows, grain, keys) for grain in GRAINS}
    return Ratings(policy, {grain: protect(cells[grain], policy, f"ratings by {grain} and value")
                            for grain in GRAINS}, cells)


# --------------------------------------------------------------------------- tables


def sums(cells: pd.DataFrame, key: str | None) -> pd.DataFrame:
    """Per key (or for all, when None): responses, ratings on the scale, satisfied and good − poor."""
    frame = cells.assign(scale=cells["responses"].where(cells["value"].isin(SCALE), 0.0),
                         satisfied=cells["responses"].where(cells["value"].isin(SATISFIED), 0.0),
                         net=cells["responses"] * cells["value"].map(NET).fillna(0.0))
    columns = ["responses", "scale", "satisfied", "net"]
    if key is None:
        return frame[columns].sum().to_frame().T
    return frame.groupby(key, sort=True)[columns].sum().reset_index()


def _rates(protection: Protection, cells: pd.DataFrame, prefix: str = "") -> pd.DataFrame:
    """Per key: responses, scale, satisfied, net (from the cells) and whether the model hides each."""
    key = "group" if prefix else "key"
    out = sums(cells, key)
    for column in ("responses", "scale", "satisfied", "net"):
        hidden = protection.hidden_of(prefix + column).set_index(key)["hidden"]
        out[f"{column}_hidden"] = out[key].map(hidden).fillna(False).astype(bool).to_numpy()
    return out


def public_base(policy: Policy, unit: str, spread: float = 1.0) -> int:
    """The fewest records a rate may rest on in public-safe figures: enough that one record more or fewer moves
    it by at most one display step (a share moves by at most 1 ÷ its base, a score from −1 to +1 by 2 ÷ its
    base), so that a hidden small count beside it cannot show through. Inside the council: no such floor."""
    if not policy.public_safe:
        return 0
    return math.ceil(spread / policy.step(unit) - 1e-9)


def shown_rate(value: float | None, base: float | None, unit: str, policy: Policy, what: str,
               spread: float = 1.0) -> Figure:
    """A rate through pulse.disclosure.rate, and in public-safe figures only on a base of public_base() or more."""
    least = public_base(policy, unit, spread)
    if base is not None and least and policy.rate_visible(base) and base < least:
        return withheld(f"public-safe figures show this only for {least} {what} or more")
    figure = rate(value, base, unit, policy, what)
    if unit == "score" and figure.shown:
        # A plain minus and no plus: a sign that flips at zero is a digit's change, not a new word.
        return Figure(figure.value, f"{figure.value:.2f}")
    return figure


def user_satisfaction(satisfied: float, scale: float, hidden: bool, policy: Policy) -> Figure:
    """User satisfaction (4–5 ÷ ratings on the 5-point scale), or why it is not shown."""
    if hidden:
        return withheld("hidden so that a count under the threshold nearby cannot be worked out")
    return shown_rate(satisfied / scale if scale else None, scale, "%", policy, "ratings")


def net_satisfaction(net: float, responses: float, hidden: bool, policy: Policy) -> Figure:
    """Net satisfaction ((good − poor) ÷ responses, −1 to +1), or why it is not shown."""
    if hidden:
        return withheld("hidden so that a count under the threshold nearby cannot be worked out")
    return shown_rate(net / responses if responses else None, responses, "score", policy, "responses", spread=2.0)


def rate_table(protection: Protection, cells: pd.DataFrame, policy: Policy, label: str, prefix: str = "",
               labels: dict[str, str] | None = None, order: list | None = None) -> Table:
    """One grain's rows (in `order` of keys, else the keys' own): its label, responses (a whole number or
    "[c]"), user and net satisfaction."""
    key = "group" if prefix else "key"
    rows = _rates(protection, cells, prefix)
    counts = protection.table(prefix + "responses").frame.set_index(key)["responses"]
    rows = rows.assign(Responses=rows[key].map(counts).to_numpy())
    if order is not None:
        rows = rows.set_index(key).loc[[k for k in order if k in set(rows[key])]].reset_index()
    figures = [(user_satisfaction(r.satisfied, r.scale, r.scale_hidden or r.satisfied_hidden, policy),
                net_satisfaction(r.net, r.responses, r.responses_hidden or r.net_hidden, policy))
               for r in rows.itertuples()]
    # Counts last: a count just before a rate in a line of the download ("335,41%") reads as one number.
    frame = pd.DataFrame({
        label: [(labels or {}).get(k, k) for k in rows[key]],
        "User satisfaction": [u.text for u, _ in figures],
        "Net satisfaction": [n.text for _, n in figures],
        "Responses": pd.Series(list(rows["Responses"]), dtype=object),
        "user_value": pd.Series([u.value if u.shown else np.nan for u, _ in figures], dtype=float),
        "net_value": pd.Series([n.value if n.shown else np.nan for _, n in figures], dtype=float),
    })
    return Table(frame, {label: LABEL, "User satisfaction": TEXT, "Net satisfaction": TEXT, "Responses": COUNT,
                         "user_value": RATE, "net_value": RATE})


def total_row(ratings: Ratings, label: str, column: str) -> Table:
    """The view's total as one row of a grain's table (responses and both rates), from the shared families."""
    policy = ratings.policy
    total = ratings.shared_hidden("total")
    scale = ratings.shared_hidden("scale_total")
    satisfied = ratings.shared_hidden("satisfied_total")
    net = ratings.shared_hidden("net_total")
    every = sums(ratings.cells["month"], None).iloc[0]
    n, hidden = float(every["responses"]), bool(total["hidden"].iloc[0])
    user = user_satisfaction(float(every["satisfied"]), float(every["scale"]),
                             bool(scale["hidden"].iloc[0] or satisfied["hidden"].iloc[0]), policy)
    score = net_satisfaction(float(every["net"]), n, hidden or bool(net["hidden"].iloc[0]), policy)
    frame = pd.DataFrame({column: [label], "User satisfaction": [user.text], "Net satisfaction": [score.text],
                          "Responses": pd.Series([SUPPRESSED if hidden or policy.count_hidden(n)
                                                  else policy.shown_count(n)], dtype=object),
                          "user_value": [user.value if user.shown else np.nan],
                          "net_value": [score.value if score.shown else np.nan]})
    return Table(frame, {column: LABEL, "User satisfaction": TEXT, "Net satisfaction": TEXT, "Responses": COUNT,
                         "user_value": RATE, "net_value": RATE})


def stacked(top: Table, bottom: Table) -> Table:
    """Two published tables of the same columns, one above the other."""
    return Table(pd.concat([top.frame, bottom.frame], ignore_index=True), dict(top.kinds))


def distribution(ratings: Ratings) -> Table:
    """Responses per rating value (the 5-point scale, then good/average/poor given only as a band), its
    share of all responses, and the total."""
    policy = ratings.policy
    values = ratings.shared_hidden("values").set_index("value")
    total = ratings.shared_hidden("total")
    n, total_hidden = float(total["count"].iloc[0]), bool(total["hidden"].iloc[0])
    shown = [v for v in VALUES if v in SCALE or v in values.index]
    rows = []
    for value in shown:
        count = float(values["count"].get(value, 0.0))
        hidden = bool(values["hidden"].get(value, True)) or policy.count_hidden(count)
        share = withheld() if hidden or total_hidden else shown_rate(count / n if n else None, n, "%", policy,
                                                                      "responses")
        rows.append({"Rating": VALUE_LABELS[value], "Scale": "5-point scale" if value in SCALE else "Band only",
                     "Share": share.text, "Responses": SUPPRESSED if hidden else policy.shown_count(count),
                     "share_value": share.value if share.shown else np.nan})
    rows.append({"Rating": "All responses", "Scale": "", "Share": "", "Responses": SUPPRESSED if total_hidden or
                 policy.count_hidden(n) else policy.shown_count(n), "share_value": np.nan})
    frame = pd.DataFrame(rows)
    frame["Responses"] = frame["Responses"].astype(object)
    frame["share_value"] = frame["share_value"].astype(float)
    return Table(frame, {"Rating": LABEL, "Scale": LABEL, "Share": TEXT, "Responses": COUNT, "share_value": RATE})


def masked_months(ratings: Ratings, numerator: str, denominator: str, least: int = 0) -> set[pd.Timestamp] | None:
    """Months whose rate may be published beside the other tables, on a base of at least `least` (None: no
    model to ask)."""
    model = ratings.models.get("month")
    if model is None:
        return None
    base = sums(ratings.cells["month"], "key").set_index("key")[denominator]
    keep = {pd.Timestamp(k) for k, n in base.items() if n >= least}
    for family in (numerator, denominator):
        shown = model.hidden_of(family)
        keep &= set(pd.to_datetime(shown.loc[~shown["hidden"], "key"]))
    return keep


# --------------------------------------------------------------------------- the page's tables of ratings


def grain_tables(rated: Ratings, names: dict[str, str], loaded: pd.Series,
                 deciles: dict[str, int] | None = None) -> tuple:
    """Digital against assisted, channels, services and wards, each with the view's total beside it."""
    if not rated.any:
        return None, None, None, None, ()
    policy = rated.policy
    withheld = []
    tables = {}
    for grain, label in (("channel", "Channel"), ("service", "Service"), ("ward", "Ward")):
        protection = rated.models[grain]
        if not consistent(rated, grain):
            withheld.append(sentence("Ratings by {grain} are not shown: beside the other tables they would let a "
                                     "count under {n} be worked out.", grain=grain, n=reference(policy.threshold)))
            tables[grain] = None
            continue
        labels = {k: k.replace("_", " ").capitalize() for k in protection.hidden_of("responses")["key"]} \
            if grain == "channel" else names if grain == "ward" else None
        order = _order(grain, rated.cells[grain]["key"], labels)
        table = stacked(rate_table(protection, rated.cells[grain], policy, label, labels=labels, order=order),
                        total_row(rated, "All responses", label))
        if grain == "ward" and deciles:
            # Words, and last in the row: a number beside a count reads as one in a line of the download.
            present = set(rated.cells["ward"]["key"])
            codes = [k for k in order if k in present] + [None]
            table = table.with_columns({"Deprivation": LABEL}, Deprivation=[
                f"decile {deciles[c]}" if c in deciles else "" if c is None else "–" for c in codes])
        tables[grain] = table
    groups = None
    if tables["channel"] is not None:
        groups = rate_table(rated.models["channel"], rated.cells["channel"], policy, "Channels", prefix="group_",
                            labels=GROUP_LABELS, order=list(GROUP_LABELS))
    if not loaded["channels"]:
        groups, tables["channel"] = None, None
    if not loaded["services"]:
        tables["service"] = None
    if not loaded["wards"] or not loaded["boundaries"]:
        tables["ward"] = None
    return groups, tables["channel"], tables["service"], tables["ward"], tuple(withheld)


def consistent(rated: Ratings, grain: str) -> bool:
    """Whether a grain's model hides exactly the shared figures the page hides (see voice_ratings)."""
    mine = rated.models[grain]
    return all((mine.hidden_of(f)["hidden"].to_numpy() == rated.shared_hidden(f)["hidden"].to_numpy()).all()
               for f in SHARED)


def channel_sentence(groups: Table) -> Sentence | None:
    """'Residents rated digital channels 62.1% satisfied, against 48.3% for assisted channels.'"""
    rows = groups.frame.set_index("Channels")
    digital, assisted = GROUP_LABELS["digital"], GROUP_LABELS["assisted"]
    if digital not in rows.index or assisted not in rows.index:
        only = "digital" if digital in rows.index else "assisted" if assisted in rows.index else None
        return sentence("Only {kind} channels are in view, so there is nothing to compare them with.",
                        kind=only) if only else None
    a, b = rows.loc[digital], rows.loc[assisted]
    if pd.isna(a["user_value"]) or pd.isna(b["user_value"]):
        return Sentence("Too few ratings through digital or assisted channels to compare their satisfaction.")
    word = "more" if a["user_value"] > b["user_value"] else "less" if a["user_value"] < b["user_value"] else "as"
    template = ("Residents who used online or the app were {word} satisfied ({a} rated 4 or 5) than those who "
                "phoned, wrote or called in ({b})." if word != "as" else
                "Residents who used online or the app were as satisfied ({a} rated 4 or 5) as those who phoned, "
                "wrote or called in ({b}).")
    return sentence(template, word=word, a=Figure(a["user_value"], a["User satisfaction"]),
                    b=Figure(b["user_value"], b["User satisfaction"]))


def _order(grain: str, keys: pd.Series, labels: dict[str, str] | None) -> list:
    """Rows in reading order: channels as the data contract lists them, services and wards by name; not given last."""
    present = list(dict.fromkeys(keys))
    if grain == "channel":
        ranked = [c for c in CHANNELS if c in present] + [k for k in present if k not in CHANNELS]
    else:
        ranked = sorted(present, key=lambda k: str((labels or {}).get(k, k)).casefold())
    return [k for k in ranked if k != NOT_GIVEN] + ([NOT_GIVEN] if NOT_GIVEN in present else [])
