"""The ward page's tables and sentences, every figure taken from the protected counts (WardCounts):
each ward's published value, the rank table (shown and downloaded), the whole-borough line, the
rows no ward holds, the deprivation comparison and the priority wards.
"""

from __future__ import annotations

import pandas as pd

from pulse import registry
from pulse.disclosure import (
    COUNT, RATE, REFERENCE, Figure, Policy, Sentence, Table, join, rate, reference, sentence, static,
)
from pulse.disclosure.published import LABEL, TEXT
from pulse.pages.ward_counts import NONE, OUTSIDE, UNMATCHED, WardCounts

SHOWN, SUPPRESSED, NO_DATA = "value", "suppressed", "no data"


def md_text(text: object) -> str:
    """Ward names come from the council's files: keep Markdown and HTML characters literal."""
    return "".join("\\" + c if c in "\\`*_{}[]<>()#+!|~" else c for c in str(text))


def values(counts: WardCounts, key: str) -> pd.DataFrame:
    """One row per ward: code, name, decile, population, the published value and base, and its status."""
    rows = []
    for ward in counts.wards.itertuples(index=False):
        value, base = counts.value(key, ward.ward_code)
        status = SHOWN if value.shown else SUPPRESSED if value.hidden or base.hidden else NO_DATA
        rows.append({"ward_code": ward.ward_code, "ward_name": ward.ward_name, "imd_decile": ward.imd_decile,
                     "population": ward.population, "value": value, "base": base, "status": status})
    return pd.DataFrame(rows, columns=["ward_code", "ward_name", "imd_decile", "population", "value", "base",
                                       "status"])


def digits(figures: pd.Series, key: str, policy: Policy) -> int:
    """The most decimal places any of these published figures is written with."""
    unit = registry.measure(key).unit
    if unit == "count":
        return 0
    return max([policy.digits(unit, f.value) for f in figures if f.shown] or [policy.digits(unit)])


def number(figures: pd.Series, key: str, policy: Policy) -> pd.Series:
    """Published figures as a column: whole numbers when published as such, NaN (or <NA>) where hidden."""
    raw = pd.Series([f.value if f.shown else None for f in figures], dtype=float)
    unit = registry.measure(key).unit
    # A whole number written "1075.0" would read as a finer figure than the one published.
    if unit == "count" or (unit == "per 1,000" and digits(figures, key, policy) == 0):
        return raw.round().astype("Int64")
    return raw


def status_text(measure: registry.Measure, value: Figure, status: str) -> str:
    """How a ward's figure reads in a tooltip or note: '53%', '1,075 per 1,000' or why it is not shown."""
    if status == SHOWN:
        return value.text + (" per 1,000" if measure.unit == "per 1,000" else "")
    if status == SUPPRESSED:
        if value.why and value.why.startswith("hidden so"):
            return "[c] hidden so that a small count nearby cannot be worked out"
        return f"[c] too few {measure.base_label} to show"
    return "no population figure" if measure.unit == "per 1,000" else "no data"


def value_column(measure: registry.Measure) -> str:
    """The rank table's heading for the measure: a share of 1 for a percentage, days for days."""
    return measure.name + {"%": " (share)", "days": " (days)"}.get(measure.unit, "")


def rank_table(counts: WardCounts, key: str) -> Table:
    """Wards ranked on the published figure (1 = highest): the table shown, and exactly the one downloaded."""
    measure, policy = registry.measure(key), counts.policy
    found = values(counts, key)
    value = number(found["value"], key, policy)
    column, based = value_column(measure), f"Based on ({measure.base_label})"
    frame = pd.DataFrame({
        "Rank": value.astype(float).rank(ascending=False, method="min").astype("Int64"),
        "Ward": found["ward_name"].astype(str), "Code": found["ward_code"].astype(str),
    })
    kinds = {"Rank": REFERENCE, "Ward": LABEL, "Code": LABEL}
    if measure.unit == "count":
        frame[column] = [f.text if f.hidden else int(f.value) for f in found["value"]]
        kinds[column] = COUNT
    else:
        frame[column] = value
        frame[based] = [f.text if f.hidden else int(f.value) for f in found["base"]]
        kinds |= {column: RATE, based: COUNT}
    frame["Note"] = ["" if s == SHOWN else status_text(measure, v, s) for v, s in zip(found["value"], found["status"])]
    frame["IMD decile"] = pd.to_numeric(found["imd_decile"]).astype("Int64")
    frame["Population"] = pd.to_numeric(found["population"]).round().astype("Int64")
    kinds |= {"Note": TEXT, "IMD decile": REFERENCE, "Population": REFERENCE}
    frame = frame.sort_values(["Rank", "Ward"], na_position="last", kind="stable").reset_index(drop=True)
    return Table(frame, kinds)


def rank_formats(counts: WardCounts, key: str) -> dict[str, str]:
    """How the rank table's figure column reads on screen (Streamlit number formats)."""
    measure = registry.measure(key)
    formats = {"Population": "localized"}
    if measure.unit == "%":
        return formats | {value_column(measure): "percent"}
    if measure.unit == "count":
        return formats
    # Every figure with the same decimals, as published (a whole number in public-safe mode).
    return formats | {value_column(measure): f"%.{digits(values(counts, key)['value'], key, counts.policy)}f"}


def borough_line(counts: WardCounts, key: str) -> Sentence:
    """'Whole borough: **53%** from 12,345 requests. 19 of 20 wards can be shown.'"""
    measure = registry.measure(key)
    value, base = counts.value(key, None)
    found = values(counts, key)
    shown = sentence("Whole borough: **{v}**", v=status_text(measure, value, SHOWN if value.shown else SUPPRESSED)
                     if value.shown or value.hidden else value.text)
    if measure.unit != "count":
        shown = sentence("{s} from {n} {what}", s=shown, n=base, what=measure.base_label)
    k = int((found["status"] == SHOWN).sum())
    if len(found) == 1:  # not "1 of 1 wards"
        return sentence("{s}. The one ward {can} be shown.", s=shown, can="can" if k else "cannot")
    return sentence("{s}. {k} of {m} wards can be shown.", s=shown, k=reference(k), m=reference(len(found)))


def unmapped_note(counts: WardCounts) -> Sentence | None:
    """Requests and feedback no ward on the map holds, by how, with the commonest old codes; None when none."""
    parts = []
    for model, what in (("requests", "requests"), ("feedback", "feedback responses")):
        protection = counts.models.get(model)
        if protection is None or not protection.any("unmapped"):
            continue
        kinds = set(protection.hidden_of("unmapped_how")["how"])
        bits = []  # (its count, what it is)
        if UNMATCHED in kinds:
            codes = protection.hidden_of("unmapped_codes")
            listed = join([sentence("{code} ({n})", code=code, n=protection.figure(
                "unmapped_codes", {"how": UNMATCHED, "ward_given": code})) for code in sorted(codes["ward_given"])],
                sep=", ")
            bits.append((protection.figure("unmapped_how", {"how": UNMATCHED}),
                         sentence("with a ward code or name that matches no boundary, such as an old code from "
                                  "before a boundary review ({codes})", codes=listed)))
        if OUTSIDE in kinds:
            bits.append((protection.figure("unmapped_how", {"how": OUTSIDE}),
                         static("with a map point outside every ward")))
        if NONE in kinds:
            bits.append((protection.figure("unmapped_how", {"how": NONE}), static("with no ward or location")))
        total = protection.figure("unmapped")
        if len(bits) == 1:  # one kind only: its count is the total, said once
            parts.append(sentence("{n} {what} {kind}", n=total, what=what, kind=bits[0][1]))
        else:
            parts.append(sentence("{n} {what}: {bits}", n=total, what=what, bits=join(
                [sentence("{n} {kind}", n=n, kind=kind) for n, kind in bits], sep="; ")))
    if not parts:
        return None
    return sentence("Not on the map, but counted in every whole-borough figure — {parts}. The Data page lists them "
                    "by source file.", parts=join(parts, sep=". "))


# --------------------------------------------------------------------------- deprivation


def deprivation_points(counts: WardCounts, key: str) -> Table:
    """Wards with both a published figure and an IMD decile (ward_code, ward_name, imd_decile, value, value_text)."""
    measure = registry.measure(key)
    found = values(counts, key)
    found = found[(found["status"] == SHOWN) & found["imd_decile"].notna()].reset_index(drop=True)
    frame = pd.DataFrame({"ward_code": found["ward_code"].astype(str), "ward_name": found["ward_name"].astype(str),
                          "imd_decile": pd.to_numeric(found["imd_decile"]).astype("Int64"),
                          "value": number(found["value"], key, counts.policy),
                          "value_text": [status_text(measure, v, SHOWN) for v in found["value"]]})
    return Table(frame, {"ward_code": LABEL, "ward_name": LABEL, "imd_decile": REFERENCE,
                         "value": COUNT if measure.unit == "count" else RATE, "value_text": TEXT})


def _half_mean(counts: WardCounts, key: str, half: pd.DataFrame) -> Figure:
    """The mean of published ward figures, published as the measure is (a count rounded like a count)."""
    measure = registry.measure(key)
    mean = float(half["value"].astype(float).mean())
    if measure.unit == "count":
        shown = counts.policy.shown_count(mean)
        return Figure(float(shown), f"{shown:,}")
    # Every ward averaged is shown, so its base reached the threshold: the mean is published at the measure's precision.
    figure = rate(mean, counts.policy.threshold, measure.unit, counts.policy)
    return Figure(figure.value, status_text(measure, figure, SHOWN))


def deprivation_sentence(counts: WardCounts, key: str, points: Table) -> Sentence:
    """The measure in the borough's more and less deprived halves of wards, in one sentence."""
    frame = points.frame
    middle = float(frame["imd_decile"].median())
    more, less = frame[frame["imd_decile"] <= middle], frame[frame["imd_decile"] > middle]
    if len(frame) < 2:
        return Sentence("Only one ward's figure can be shown here, so there is nothing to compare." if len(frame) else
                        "No ward's figure can be shown here, so there is nothing to compare.")
    if more.empty or less.empty:
        return Sentence("Every ward shown has the same deprivation decile, so there is nothing to compare.")

    def span(half: pd.DataFrame) -> Sentence:
        # "deciles 1–2, 3 wards", or "decile 3, 1 ward" (not "deciles 3–3, 1 wards")
        lo, hi, n = int(half["imd_decile"].min()), int(half["imd_decile"].max()), len(half)
        deciles = sentence("decile {lo}", lo=reference(lo)) if lo == hi else \
            sentence("deciles {lo}–{hi}", lo=reference(lo), hi=reference(hi))
        return sentence("{deciles}, {n} ward{s}", deciles=deciles, n=reference(n), s="" if n == 1 else "s")

    x, y = _half_mean(counts, key, more), _half_mean(counts, key, less)
    if x.text == y.text:  # not "average 60%; the less deprived half … 60%"
        return sentence("Each dot is a ward whose figure can be shown. The more deprived half of wards ({a}) "
                        "average {x}, and so does the less deprived half ({b}). Averages are of ward figures, each "
                        "ward counting once.", a=span(more), x=x, b=span(less))
    return sentence("Each dot is a ward whose figure can be shown. The more deprived half of wards ({a}) average {x}; "
                    "the less deprived half ({b}) {y}. Averages are of ward figures, each ward counting once.",
                    a=span(more), x=x, b=span(less), y=y)


# --------------------------------------------------------------------------- priority wards


PRIORITY_COLUMNS = ["Rank", "Ward", "Code", "Digital take-up (share)", "IMD decile", "Offline requests", "Why"]


def priority_wards(counts: WardCounts) -> tuple[tuple[Sentence, ...], Table]:
    """Wards whose digital take-up is below the borough's and whose deprivation is in the borough's worse half.

    Ranked by the mean of two percentile ranks among the wards that can be shown — lowest take-up and
    most deprived — so that neither measure's scale dominates; each comes with its reasons in words.
    """
    found = values(counts, "digital_takeup")
    found = found[(found["status"] == SHOWN) & found["imd_decile"].notna()].copy()
    borough, _ = counts.value("digital_takeup", None)
    empty = Table(pd.DataFrame(columns=PRIORITY_COLUMNS), dict(zip(PRIORITY_COLUMNS, [
        REFERENCE, LABEL, LABEL, RATE, REFERENCE, COUNT, TEXT])))
    if found.empty or not borough.shown:
        return (), empty
    found["takeup"] = [f.value for f in found["value"]]
    decile = pd.to_numeric(found["imd_decile"]).astype(float)
    found["score"] = (found["takeup"].rank(pct=True, ascending=False) + decile.rank(pct=True, ascending=False)) / 2
    chosen = found[(found["takeup"] < borough.value) & (decile <= decile.median())]
    chosen = chosen.sort_values(["score", "takeup"], ascending=[False, True], kind="stable").reset_index(drop=True)
    lines, rows = [], []
    for rank, row in enumerate(chosen.itertuples(index=False), start=1):
        offline = counts.count("requests", "offline", row.ward_code)
        why = _reasons(counts, row.value, borough, int(row.imd_decile), offline)
        lines.append(sentence("{rank}. **{ward}** — {why}", rank=reference(rank), ward=md_text(row.ward_name), why=why))
        rows.append({"Rank": rank, "Ward": str(row.ward_name), "Code": str(row.ward_code),
                     "Digital take-up (share)": row.value.value, "IMD decile": int(row.imd_decile),
                     "Offline requests": offline.text if offline.hidden else int(offline.value), "Why": why})
    frame = pd.DataFrame(rows, columns=PRIORITY_COLUMNS)
    return tuple(lines), Table(frame.astype({"Digital take-up (share)": float}), empty.kinds)


def _reasons(counts: WardCounts, takeup: Figure, borough: Figure, decile: int, offline: Figure) -> Sentence:
    policy = counts.policy
    places = policy.digits("%")
    gap = Figure(borough.value - takeup.value, f"{(borough.value - takeup.value) * 100:.{places}f}")
    where = (sentence("among the {p}% most deprived areas in England", p=reference(decile * 10)) if decile <= 5 else
             static("not among England's most deprived, but among the more deprived wards here"))
    text = sentence("Digital take-up {t}, {gap} points below the borough's {b}. IMD decile {d}: {where}.",
                    t=takeup, gap=gap, b=borough, d=reference(decile), where=where)
    if offline.shown:
        text = sentence("{text} {n} requests came by phone, in person or another offline channel.", text=text,
                        n=offline)
    return text


__all__ = ["borough_line", "deprivation_points", "deprivation_sentence", "md_text", "priority_wards",
           "rank_formats", "rank_table", "unmapped_note", "values"]
