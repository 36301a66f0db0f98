"""A ward's profile: each measure against the borough and the same-decile wards, its quarterly
take-up and satisfaction against the borough's, its channel mix and top services against the
borough's, and the themes its residents comment on.

Three CountModels more than the map's: requests by quarter, channel and top service (the ward's and
the borough's), ratings by quarter, and the ward's comments by theme. Each declares the ward and
borough counts the map's models decided (pulse.pages.ward_counts) — first in line when the map
published them, withheld when it did not — so a share beside the ward total can never give back a
channel the map keeps hidden, and whatever the profile must hide of them is hidden on the map too.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from pulse import registry
from pulse.charts.ward_charts import mix_chart, trend_chart
from pulse.disclosure import (
    MISSING, RATE, CountModel, Figure, Policy, Protection, Sentence, Table, join, rate, reference, sentence, static,
    withheld,
)
from pulse.disclosure.published import LABEL, TEXT
from pulse.pages.voice_themes import SEP
from pulse.pages.ward_counts import SOURCES, WardCounts
from pulse.schema import DIGITAL_CHANNELS

TOP_SERVICES = 8
OTHER_SERVICES = "~other services"
LINKED = 9  # the map's published counts come first in a profile's model


@dataclass(frozen=True)
class Tile:
    """One measure of the profile: the ward's figure, its difference from the borough, and a tooltip."""

    measure: registry.Measure
    value: Figure
    delta: Figure
    help: Sentence

    @property
    def label(self) -> Sentence:
        """The measure's name (written in the registry, not a figure from the data)."""
        return static(self.measure.name)

    @property
    def delta_color(self) -> str:
        """Green for better, red for worse; grey when neither way is better."""
        better = self.measure.higher_is_better
        if better is None or not self.delta.shown or self.delta.value == 0:
            return "off"  # no better way, or no difference: a grey arrow
        return "normal" if better else "inverse"


@dataclass(frozen=True)
class Profile:
    """Everything a ward's profile shows, published."""

    code: str
    name: str
    caption: Sentence
    tiles: tuple[Tile, ...]
    trends: tuple
    mix: tuple
    themes: Sentence | None


def _quarters(cells: pd.DataFrame) -> pd.Series:
    """Quarters as ISO dates in words: cells keyed by text are quicker to group than by timestamps."""
    return pd.to_datetime(cells["quarter"]).dt.strftime("%Y-%m-%d")


def _link(model: CountModel, counts: WardCounts, source: str, links: list[tuple], area: str) -> None:
    """Declare the map's counts this model also holds: first when the map published them, else withheld."""
    for name, family, key_is_ward, where, role in links:
        key = area if key_is_ward else None
        hidden = not counts.published(source, family, key)
        model.add(name, where=where, role=role, priority=LINKED, withheld=hidden)


def _hides(protection: Protection, counts: WardCounts, source: str, links: list[tuple], area: str) -> set:
    """The map's published counts this profile had to hide: the map hides them too."""
    out = set()
    for name, family, key_is_ward, _, _ in links:
        key = area if key_is_ward else None
        if counts.published(source, family, key) and protection.hidden_of(name)["hidden"].iloc[0]:
            out.add((source, family, key or ""))
    return out


def protect_requests(cells: pd.DataFrame, counts: WardCounts, area: str, policy: Policy) -> tuple[Protection, set]:
    """The ward's and borough's requests by quarter, channel and top service (ward_requests_by_channel_service_quarter)."""
    ward = cells[cells["in_ward"]]
    top = ward.groupby("service")["requests"].sum().sort_values(ascending=False, kind="stable").index[:TOP_SERVICES]
    frame = cells.assign(service=cells["service"].where(cells["service"].isin(top), OTHER_SERVICES),
                         digital=cells["channel"].isin(DIGITAL_CHANNELS), quarter=_quarters(cells))
    frame = frame[frame["requests"] > 0]
    inside = lambda c: c["in_ward"]  # noqa: E731 (a row filter, read where it is used)
    digital = lambda c: c["digital"]  # noqa: E731
    links = [("ward", "wards", True, inside, "shown"),
             ("ward_digital", "digital", True, lambda c: inside(c) & digital(c), "numerator"),
             ("ward_offline", "offline", True, lambda c: inside(c) & ~digital(c), "shown"),
             ("borough", "borough", False, None, "shown"),
             ("borough_digital", "borough_digital", False, digital, "numerator")]
    model = CountModel(frame, ["in_ward", "quarter", "channel", "service", "digital"], "requests", policy,
                       "a ward's requests by quarter, channel and service")
    _link(model, counts, "requests", links, area)
    model.add("ward_quarters", ["quarter"], where=inside, role="denominator", priority=5)
    model.add("ward_quarter_digital", ["quarter"], where=lambda c: inside(c) & digital(c), role="numerator",
              priority=5)
    model.add("borough_quarters", ["quarter"], role="denominator", priority=5)
    model.add("borough_quarter_digital", ["quarter"], where=digital, role="numerator", priority=5)
    model.add("ward_channels", ["channel"], where=inside, priority=4)
    model.add("borough_channels", ["channel"], priority=4)
    listed = lambda c: c["service"] != OTHER_SERVICES  # noqa: E731
    model.add("ward_services", ["service"], where=lambda c: inside(c) & listed(c), priority=3)
    model.add("borough_services", ["service"], where=listed, priority=3)
    protection = model.protect()
    return protection, _hides(protection, counts, "requests", links, area)


def protect_ratings(cells: pd.DataFrame, counts: WardCounts, area: str, policy: Policy) -> tuple[Protection, set]:
    """The ward's and borough's feedback by quarter, rated and satisfied (ward_feedback_by_quarter)."""
    frame = cells[cells["responses"] > 0].assign(quarter=lambda c: _quarters(c))
    inside = lambda c: c["in_ward"]  # noqa: E731
    links = [("ward", "wards", True, inside, "shown"),
             ("ward_ratings", "ratings", True, lambda c: inside(c) & c["rated"], "shown"),
             ("ward_satisfied", "satisfied", True, lambda c: inside(c) & c["satisfied"], "numerator"),
             ("borough", "borough", False, None, "shown"),
             ("borough_ratings", "borough_ratings", False, lambda c: c["rated"], "shown"),
             ("borough_satisfied", "borough_satisfied", False, lambda c: c["satisfied"], "numerator")]
    model = CountModel(frame, ["in_ward", "quarter", "rated", "satisfied"], "responses", policy,
                       "a ward's ratings by quarter")
    _link(model, counts, "feedback", links, area)
    model.add("ward_quarter_ratings", ["quarter"], where=lambda c: inside(c) & c["rated"], role="denominator",
              priority=5)
    model.add("ward_quarter_satisfied", ["quarter"], where=lambda c: inside(c) & c["satisfied"],
              role="numerator", priority=5)
    model.add("borough_quarter_ratings", ["quarter"], where=lambda c: c["rated"], role="denominator", priority=5)
    model.add("borough_quarter_satisfied", ["quarter"], where=lambda c: c["satisfied"], role="numerator",
              priority=5)
    protection = model.protect()
    return protection, _hides(protection, counts, "feedback", links, area)


def protect_themes(comments: pd.DataFrame, counts: WardCounts, area: str, policy: Policy) -> tuple[Protection, set]:
    """The ward's feedback by the set of themes its comments touch (queries/ward_comments_by_themes.sql: the
    themes stored at load time), beside the ward's feedback count; the feedback without a comment is the rest."""
    cells = comments.rename(columns={"comments": "responses"})[["themes", "responses"]]
    rest = counts.exact("feedback", "wards", area) - int(cells["responses"].sum())
    cells = pd.concat([cells, pd.DataFrame({"themes": ["~none"], "responses": [rest]})], ignore_index=True)
    cells = cells[cells["responses"] > 0]
    links = [("ward", "wards", True, None, "shown")]
    model = CountModel(cells, ["themes"], "responses", policy, "a ward's comments by theme")
    _link(model, counts, "feedback", links, area)
    named = sorted({t for combo in cells["themes"] for t in combo.split(SEP) if t and combo != "~none"})
    for theme in named:
        model.add(f"theme:{theme}", where=lambda c, t=theme: c["themes"].map(lambda s: t in s.split(SEP)),
                  priority=2)
    protection = model.protect()
    return protection, _hides(protection, counts, "feedback", links, area)


# --------------------------------------------------------------------------- what the profile shows


def _rates(protection: Protection, numerator: str, denominator: str, by: str, policy: Policy) -> pd.DataFrame:
    """Per key of `by`: the published rate numerator ÷ denominator (or why not), as Figures."""
    den = protection.frame(denominator).set_index(by)
    num = protection.frame(numerator).set_index(by)
    out = []
    for key, row in den.iterrows():
        n = num["count"].get(key, 0.0)
        hidden = row["hidden"] or bool(num["hidden"].get(key, False))
        out.append({by: key, "figure": rate(n / row["count"], row["count"], "%", policy) if not hidden else
                    withheld(row["why"])})
    return pd.DataFrame(out, columns=[by, "figure"])


def trend_table(protection: Protection, prefix: str, measure: str, policy: Policy) -> Table:
    """Quarterly rates of the ward and the borough (period, series, value, value_text); hidden ones are gaps."""
    names = {"requests": ("quarters", "quarter_digital"), "ratings": ("quarter_ratings", "quarter_satisfied")}
    den, num = names[prefix]
    parts = []
    for series, side in (("Ward", "ward"), ("Borough", "borough")):
        found = _rates(protection, f"{side}_{num}", f"{side}_{den}", "quarter", policy)
        parts.append(pd.DataFrame({"period": pd.to_datetime(found["quarter"]), "series": series,
                                   "value": [f.value if f.shown else float("nan") for f in found["figure"]],
                                   "value_text": [f.text for f in found["figure"]]}))
    frame = pd.concat(parts, ignore_index=True)
    return Table(frame.astype({"value": float}), {"period": LABEL, "series": LABEL, "value": RATE,
                                                  "value_text": TEXT})


def mix_table(protection: Protection, key: str, policy: Policy) -> Table:
    """Ward and borough shares per channel or service (key, ward, borough and their text), the ward's commonest first."""
    family = {"channel": "channels", "service": "services"}[key]
    ward_total, borough_total = protection.frame("ward")["count"].iloc[0], protection.frame("borough")["count"].iloc[0]
    ward_ok = not protection.hidden_of("ward")["hidden"].iloc[0]
    borough_ok = not protection.hidden_of("borough")["hidden"].iloc[0]
    borough = protection.frame(f"borough_{family}").set_index(key)
    ward = protection.frame(f"ward_{family}").set_index(key)
    rows = []
    for name in borough.index:
        w = ward.loc[name] if name in ward.index else None
        if key == "service" and w is None:
            continue  # only the ward's own top services
        shown_w = ward_ok and w is not None and not w["hidden"]
        shown_b = borough_ok and not borough.loc[name, "hidden"]
        fw = rate(w["count"] / ward_total, ward_total, "%", policy) if shown_w else withheld()
        fb = rate(borough.loc[name, "count"] / borough_total, borough_total, "%", policy) if shown_b else withheld()
        rows.append({key: str(name).replace("_", " ") if key == "channel" else str(name),
                     "ward": fw.value if fw.shown else float("nan"), "borough": fb.value if fb.shown else float("nan"),
                     "ward_text": fw.text, "borough_text": fb.text,
                     "_order": w["count"] if w is not None else 0.0})
    frame = pd.DataFrame(rows, columns=[key, "ward", "borough", "ward_text", "borough_text", "_order"])
    # The ward's commonest first; a hidden share sorts by its true size, which the order alone cannot give back.
    frame = frame.sort_values(["_order", key], ascending=[False, True], kind="stable").drop(columns="_order")
    return Table(frame.astype({"ward": float, "borough": float}).reset_index(drop=True),
                 {key: LABEL, "ward": RATE, "borough": RATE, "ward_text": TEXT, "borough_text": TEXT})


def themes_sentence(protection: Protection, policy: Policy) -> Sentence | None:
    """'What residents here comment on: waiting time (25 comments); …' from the published theme counts."""
    shown = []
    for family in protection.families:
        if family.name.startswith("theme:") and not protection.hidden_of(family.name)["hidden"].iloc[0]:
            shown.append((family.counts[0], family.name.split(":", 1)[1], protection.figure(family.name)))
    if not shown:
        return None
    shown.sort(key=lambda t: (-t[0], t[1]))
    parts = [sentence("{theme} ({n} comments)", theme=theme, n=figure) for _, theme, figure in shown[:6]]
    return sentence("What residents here comment on: {list}. Themes mentioned fewer than {t} times are left out.",
                    list=join(parts, sep="; "), t=reference(policy.threshold))


# --------------------------------------------------------------------------- tiles


def _difference(ward: Figure, other: Figure, unit: str, policy: Policy, against: str) -> Figure:
    """'+4.1 pts vs borough' from two published figures ('+0 …' when equal); missing when either is hidden."""
    if not (ward.shown and other.shown):
        return MISSING
    difference = ward.value - other.value
    if unit == "%":
        shown, digits, suffix = difference * 100, policy.digits("%"), " pts"
    else:
        places = max(policy.digits(unit, ward.value), policy.digits(unit, other.value))
        shown, digits, suffix = difference, (0 if unit == "count" else places), {"days": " days"}.get(unit, "")
    # Equal figures still say so, so that the tile reads the same whichever side of a rounding step they fall.
    shown = round(shown, digits) + 0.0
    return Figure(difference if shown else 0.0, f"{shown:+,.{digits}f}{suffix} vs {against}")


def _average_ward(figure: Figure, wards: int, policy: Policy) -> Figure:
    """A count per ward on average, rounded like a count."""
    if not figure.shown or not wards:
        return figure if figure.hidden else MISSING  # a hidden borough reads "[c]" here too, not "–"
    shown = policy.shown_count(figure.value / wards)
    return Figure(float(shown), f"{shown:,} (average ward)")


def peers_figure(counts: WardCounts, key: str, peers: list[str]) -> tuple[Figure, int]:
    """The measure over the same-decile wards whose own figure is published, pooled from their counts.

    Pooling only published wards means the pool is worked out from what the page already shows.
    """
    measure, policy = registry.measure(key), counts.policy
    values = {code: counts.value(key, code) for code in peers}
    shown = [code for code, (value, _) in values.items() if value.shown]
    if not shown:
        return MISSING, 0
    bases = sum(values[c][1].value for c in shown)
    model, base, numerator = SOURCES[key]
    exact = sum(counts.exact(model, base, c) for c in shown)
    if measure.unit == "count":
        return _average_ward(Figure(bases, ""), len(shown), policy), len(shown)
    if measure.unit == "per 1,000":
        people = sum(counts.reference(c, "population") or 0 for c in shown)
        return rate(bases / people * 1000, exact, measure.unit, policy), len(shown)
    if numerator is None:
        median = pd.Series([values[c][0].value for c in shown]).median()
        return rate(median, exact, measure.unit, policy), len(shown)
    pooled = sum(counts.exact(model, numerator, c) for c in shown) / exact
    return rate(pooled, exact, measure.unit, policy), len(shown)


def tiles(counts: WardCounts, code: str, available: list[str]) -> tuple[tuple[Tile, ...], int]:
    """One tile per measure the data supports, and how many same-decile wards the comparison can use."""
    wards = counts.wards.set_index("ward_code")
    decile = wards.loc[code, "imd_decile"]
    peers = [] if pd.isna(decile) else [c for c in wards.index[wards["imd_decile"] == decile] if c != code]
    out, most = [], 0
    for key in available:
        measure = registry.measure(key)
        value, _ = counts.value(key, code)
        borough, _ = counts.value(key, None)
        against = "borough"
        if measure.unit == "count":
            borough, against = _average_ward(borough, len(wards), counts.policy), "average ward"
        pooled, n = peers_figure(counts, key, peers)
        most = max(most, n)
        peer_text = ("no deprivation figure" if pd.isna(decile) else "no other ward in this decile" if not peers
                     else pooled.text if pooled.shown else "too few to compare")
        help_text = sentence("{definition} Whole borough: {borough}. Other wards of the same deprivation decile: "
                             "{peers}.", definition=measure.definition, borough=borough.text, peers=peer_text)
        shown = value if value.shown else Figure(None, f"[c] too few {measure.base_label} to show", hidden=True) \
            if value.hidden else Figure(None, "no population figure" if measure.unit == "per 1,000" else "no data")
        out.append(Tile(measure, shown, _difference(value, borough, measure.unit, counts.policy, against), help_text))
    return tuple(out), most


def caption(counts: WardCounts, code: str, peers: int) -> Sentence:
    """Deprivation, population and what the ward is compared with, in one line."""
    row = counts.wards.set_index("ward_code").loc[code]
    decile, population = row["imd_decile"], row["population"]
    parts = [sentence("IMD decile {d} (1 = most deprived 10% in England)", d=reference(decile)) if pd.notna(decile)
             else static("No deprivation figure")]
    if pd.notna(population):
        parts.append(sentence("population {p}", p=reference(population)))
    if pd.notna(decile) and peers:
        parts.append(sentence("compared with the whole borough and with the {n} other decile-{d} ward{s} that can "
                              "be shown", n=reference(peers), d=reference(decile), s="s" if peers != 1 else ""))
    else:
        parts.append(static("compared with the whole borough"))
    return sentence(" · ".join(["{p%d}" % i for i in range(len(parts))]), **{f"p{i}": p for i, p in enumerate(parts)})


def charts(requests: Protection | None, ratings: Protection | None, available: list[str], policy: Policy) -> tuple:
    """The trend charts (take-up, satisfaction) and the mix charts (services, channels) of a profile."""
    trends, mix = [], []
    if requests is not None and "digital_takeup" in available:
        trends.append(trend_chart(trend_table(requests, "requests", "Digital take-up", policy), "Digital take-up",
                                  "%", static("Digital take-up, quarter by quarter")))
    if ratings is not None and "user_satisfaction" in available:
        trends.append(trend_chart(trend_table(ratings, "ratings", "User satisfaction", policy), "User satisfaction",
                                  "%", static("User satisfaction, quarter by quarter")))
    if requests is not None:
        mix = [mix_chart(mix_table(requests, "service", policy), "service", static("Top services asked for")),
               mix_chart(mix_table(requests, "channel", policy), "channel", static("How residents got in touch"))]
    return tuple(trends), tuple(mix)
