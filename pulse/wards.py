"""Ward maps: metrics per ward made safe to show, colour classes, legends, profiles and priority wards.

Every function here takes query results and returns data ready to draw. Small numbers are
suppressed once, in safe_metrics(), and everything the page shows — map colours, tooltips, the
rank table, downloads, profiles — is built from that safe frame only, so no suppressed value can
reach the browser by another path. A zero is shown as zero: it says nothing about any person.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from pulse.formatting import fmt_value
from pulse.metrics import suppression

SUPPRESSED = suppression.SUPPRESSED


@dataclass(frozen=True)
class Metric:
    """One ward metric: its column, unit, the count it rests on and which way is better."""

    key: str
    label: str
    unit: str  # "%", "per 1,000", "days" or "count"
    base: str  # the count column the value rests on: suppressed under the threshold
    base_label: str  # what that count counts, plural
    higher_is_better: bool | None
    definition: str
    needs_population: bool = False


METRICS: dict[str, Metric] = {m.key: m for m in (
    Metric("requests_per_1000", "Requests per 1,000 residents", "per 1,000", "requests", "requests", None,
           "Requests made in the period per 1,000 residents of the ward.", needs_population=True),
    Metric("requests", "Requests", "count", "requests", "requests", None,
           "Requests made in the period."),
    Metric("digital_takeup", "Digital take-up", "%", "requests", "requests", True,
           "Requests made online or through the app ÷ all requests (GOV.UK)."),
    Metric("satisfaction", "User satisfaction", "%", "ratings", "ratings", True,
           "Ratings of 4 or 5 ÷ all ratings on the 5-point scale (GOV.UK)."),
    Metric("median_days_to_resolve", "Median days to resolve", "days", "closed_requests", "closed requests", False,
           "Median days from a request being made to its being closed, over requests closed in the period."),
    Metric("within_target", "Resolved within target", "%", "closed_with_due", "closed requests with a target",
           True, "Requests closed by their due date ÷ requests closed that had one."),
    Metric("feedback", "Feedback responses", "count", "feedback", "responses", None,
           "Survey responses and comments given in the period."),
)}

# Counts whose every cell is judged against the threshold; numerators are never shown on their own.
BASES = ("requests", "closed_requests", "closed_with_due", "ratings", "feedback")
NUMERATORS = {"digital_requests": "requests", "closed_within_target": "closed_with_due", "satisfied": "ratings"}

# ColorBrewer YlGnBu, sequential and safe for every common colour-vision deficiency (Brewer & Harrower).
YLGNBU = {
    2: ["#a1dab4", "#225ea8"],
    3: ["#edf8b1", "#7fcdbb", "#2c7fb8"],
    4: ["#ffffcc", "#a1dab4", "#41b6c4", "#225ea8"],
    5: ["#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"],
    6: ["#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494"],
    7: ["#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#1d91c0", "#225ea8", "#0c2c84"],
}
# ColorBrewer RdPu for deprivation: darkest = most deprived, a different hue from the metric map.
DEPRIVATION_BANDS = (
    ((1, 2), "1–2: most deprived 20% in England", "#7a0177"),
    ((3, 4), "3–4", "#c51b8a"),
    ((5, 6), "5–6", "#f768a1"),
    ((7, 8), "7–8", "#fbb4b9"),
    ((9, 10), "9–10: least deprived 20%", "#feebe2"),
)
# ColorBrewer Oranges for request density: sequential, colour-blind safe, unlike the ward colours.
DENSITY_COLOURS = {
    1: ["#fd8d3c"],
    2: ["#fdbe85", "#d94701"],
    3: ["#fdbe85", "#fd8d3c", "#d94701"],
    4: ["#fdbe85", "#fd8d3c", "#e6550d", "#a63603"],
    5: ["#feedde", "#fdbe85", "#fd8d3c", "#e6550d", "#a63603"],
}
SUPPRESSED_COLOUR = "#9e9e9e"
NO_DATA_COLOUR = "#f2f2f2"
CLASS_METHODS = {"quantiles": "Quantiles", "natural_breaks": "Natural breaks"}
NO_BOUNDARIES = ("No ward boundaries are loaded, so there is nothing to map. Add a boundary file (GeoJSON, "
                 "Shapefile, GeoPackage or TopoJSON) to the exports folder and load it again; see docs/wards.md.")
NO_DEPRIVATION = ("No deprivation figures are loaded. Add imd_decile to ward_population, or IMD by LSOA with an "
                  "LSOA-to-ward lookup (see docs/wards.md).")
PRIORITY_RULE = ("Wards where **digital take-up is below the borough's** and **deprivation is in the borough's more "
                 "deprived half**: where assisted-digital help is likely to do most, ranked on both together.")
CLASS_HELP = ("Quantiles put an equal number of wards in each colour. Natural breaks (Fisher–Jenks) put "
              "the colour boundaries where the gaps between ward figures are largest.")


def threshold(value: int | None = None) -> int:
    """The small-number threshold: the one given, else the setting."""
    return int(value) if value is not None else int(suppression.default_threshold())


def intro_caption(wards_: int, start: date | None, end: date | None, limit: int, public_safe: bool) -> str:
    """What the page covers and how small numbers are treated, in one line."""
    period = f", {start:%-d %b %Y} to {end:%-d %b %Y}" if start and end else ""
    return (f"{wards_} wards{period}, for the filters in the sidebar. Counts under {limit} show as “{SUPPRESSED}” "
            "and rates resting on them are not shown, so no one can be picked out"
            + ("; every other count is rounded to the nearest 5 (public-safe figures)." if public_safe else "."))


def available_metrics(raw: pd.DataFrame) -> tuple[list[str], dict[str, str]]:
    """Metrics the loaded data can show (judged on the unfiltered data), and for the others why not."""
    borough = _borough(raw)
    shown, missing = [], {}
    for key, metric in METRICS.items():
        if metric.needs_population and not (raw.loc[raw["level"] == "ward", "population"].fillna(0) > 0).any():
            missing[key] = "no ward population loaded"
        elif metric.base != "requests" and (borough is None or not borough[metric.base]):
            missing[key] = f"no {metric.base_label} in the data"
        elif key == "digital_takeup" and borough is not None and borough["digital_requests"] in (0, borough["requests"]):
            # A single-channel source (FixMyStreet is all web and app) says nothing about take-up.
            how = "online or by app" if borough["digital_requests"] else "by phone, in person or another offline channel"
            missing[key] = f"every request in the data came {how}, so take-up cannot differ between wards"
        else:
            shown.append(key)
    return shown, missing


# ---------------------------------------------------------------------------------------------
# Suppression


def safe_metrics(raw: pd.DataFrame, threshold_: int | None = None, public_safe: bool = False) -> pd.DataFrame:
    """metrics_by_ward with every small count shown as "[c]" and every rate on a small base removed.

    Primary suppression is pulse.metrics.suppression's (counts under the threshold, zero
    included; rates whose denominator is under it). Secondary: the borough total is shown, so
    within the ward and unmapped rows a hidden count must never be the only one, nor may the
    hidden ones sum to under the threshold — else the next smallest are hidden too, so that no
    hidden value can be worked out by subtraction. Numerators are dropped: they are only ever
    read as part of their rate.
    """
    limit = threshold(threshold_)
    rates = {m.key: m.base for m in METRICS.values() if m.unit != "count"}
    primary = suppression.suppress_frame(raw, counts=BASES, rates=rates, threshold=limit, public_safe=public_safe)
    out = primary.frame.drop(columns=list(NUMERATORS))
    parts = (raw["level"] != "borough").to_numpy()
    ward_rows = (raw["level"] == "ward").to_numpy()
    for base in BASES:
        counts = raw[base].astype(float).fillna(0).to_numpy()
        hidden = primary.mask[base].to_numpy(dtype=bool)
        extra = _secondary(counts, hidden, parts, ward_rows, limit) & ~hidden
        if extra.any():
            out.loc[extra, base] = SUPPRESSED
            for rate, denominator in rates.items():
                if denominator == base:
                    out.loc[extra, rate] = np.nan
    for rate in rates:
        out[rate] = out[rate].astype(float)
    out.attrs.update({"threshold": limit, "public_safe": public_safe})
    return out


def _secondary(counts: np.ndarray, hidden: np.ndarray, parts: np.ndarray, ward_rows: np.ndarray,
               limit: int) -> np.ndarray:
    # Only a hidden ward needs protecting: the unmapped rows belong to no neighbourhood.
    if not (hidden & ward_rows).any():
        return hidden
    hide = hidden.copy()
    while True:
        among = hide & parts
        if among.sum() >= 2 and counts[among].sum() >= limit:
            return hide
        candidates = np.flatnonzero(parts & ~hide)
        if candidates.size == 0:
            return hide
        hide[candidates[np.argmin(counts[candidates])]] = True


def numeric(values: pd.Series) -> pd.Series:
    """A safe column as floats: "[c]" and missing become NaN."""
    return pd.to_numeric(values.where(~values.map(suppression.is_suppressed)), errors="coerce").astype(float)


def show_count(value: object, limit: int, public_safe: bool = False) -> str:
    """A count as shown: '1,234', or '[c]' when under the threshold or already hidden."""
    if _missing(value):
        return SUPPRESSED
    shown = suppression.suppress_count(value if suppression.is_suppressed(value) else float(value), limit, public_safe)
    return SUPPRESSED if suppression.is_suppressed(shown) or shown is None else f"{float(shown):,.0f}"


def show_value(metric: Metric, value: object, base: object, short: bool = False) -> str:
    """A metric value as shown, or why it is not: '[c] too few ratings to show', 'no population figure'."""
    if _missing(value) or suppression.is_suppressed(value):
        if _missing(base) or suppression.is_suppressed(base):
            return f"{SUPPRESSED} too few {metric.base_label} to show"
        return "no population figure" if metric.needs_population else "no data"
    if metric.unit == "per 1,000":
        return f"{float(value):,.1f}" + ("" if short else " per 1,000")
    if metric.unit == "%":
        return fmt_value(float(value), "%", 1)
    if metric.unit == "days":
        return fmt_value(float(value), "days")
    return f"{float(value):,.0f}"


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _borough(raw: pd.DataFrame) -> pd.Series | None:
    rows = raw[raw["level"] == "borough"]
    return None if rows.empty else rows.iloc[0]


# ---------------------------------------------------------------------------------------------
# Classes, colours and the legend


@dataclass(frozen=True)
class Classes:
    """Colour classes of one metric over the wards: upper bounds, colours, each ward's class."""

    bounds: tuple[float, ...]
    colours: tuple[str, ...]
    ward_class: pd.Series  # class index per ward row, -1 when the ward has no value to show
    method: str
    lowest: float | None


def values(safe: pd.DataFrame, metric: Metric) -> pd.Series:
    """The metric per row as floats, NaN wherever it is hidden or missing."""
    return numeric(safe[metric.key])


def classify(shown: pd.Series, method: str = "quantiles", k: int = 5) -> Classes:
    """Classes with mapclassify (quantiles or Fisher–Jenks natural breaks) over the shown values."""
    import mapclassify

    present = shown.dropna().astype(float)
    ward_class = pd.Series(-1, index=shown.index, dtype="int64")
    if present.empty:
        return Classes((), (), ward_class, method, None)
    k = max(1, min(k, present.nunique(), max(YLGNBU)))
    if k == 1:
        ward_class[present.index] = 0
        return Classes((float(present.max()),), (YLGNBU[3][1],), ward_class, method, float(present.min()))
    with warnings.catch_warnings():
        # Numba only speeds up large arrays; a borough has a few dozen wards.
        warnings.simplefilter("ignore")
        if method == "natural_breaks":
            scheme = mapclassify.FisherJenks(present.to_numpy(), k=k)
        else:
            scheme = mapclassify.Quantiles(present.to_numpy(), k=k)
    bounds = tuple(float(b) for b in scheme.bins)
    colours = tuple(YLGNBU[len(bounds)]) if len(bounds) > 1 else (YLGNBU[3][1],)
    ward_class[present.index] = np.asarray(scheme.yb, dtype="int64")
    return Classes(bounds, colours, ward_class, method, float(present.min()))


@dataclass(frozen=True)
class LegendEntry:
    """One line of the legend: a colour, what it means, how many wards have it."""

    colour: str
    label: str
    wards: int
    hatched: bool = False


def legend(classes: Classes, metric: Metric, safe: pd.DataFrame) -> list[LegendEntry]:
    """Legend entries, lowest class first, then suppressed and no-data wards."""
    entries = []
    lower = classes.lowest
    digits = _digits(metric, [b for b in (classes.lowest, *classes.bounds) if b is not None])
    for i, (upper, colour) in enumerate(zip(classes.bounds, classes.colours)):
        entries.append(LegendEntry(colour, _range(metric, lower, upper, digits), int((classes.ward_class == i).sum())))
        lower = upper
    status = ward_status(safe[safe["level"] == "ward"], metric)
    if (status == "suppressed").any():
        entries.append(LegendEntry(
            SUPPRESSED_COLOUR, f"{SUPPRESSED} not shown: fewer than {safe.attrs['threshold']} {metric.base_label}",
            int((status == "suppressed").sum()), hatched=True))
    if (status == "no data").any():
        entries.append(LegendEntry(NO_DATA_COLOUR, "No population figure" if metric.needs_population else "No data",
                                   int((status == "no data").sum())))
    return entries


def _digits(metric: Metric, bounds: list[float]) -> int:
    """The fewest decimals (from the unit's usual) that keep every class boundary distinct."""
    usual = {"%": 0, "count": 0}.get(metric.unit, 1)
    scale = 100.0 if metric.unit == "%" else 1.0
    for digits in range(usual, usual + 3):
        shown = [round(b * scale, digits) for b in bounds]
        if len(set(shown)) == len(set(bounds)):
            return digits
    return usual + 2


def _range(metric: Metric, lower: float | None, upper: float, digits: int | None = None) -> str:
    if digits is None:
        digits = {"%": 0, "count": 0}.get(metric.unit, 1)

    def short(v: float) -> str:
        return f"{v * 100:.{digits}f}%" if metric.unit == "%" else f"{v:,.{digits}f}"

    suffix = {"days": " days", "per 1,000": " per 1,000"}.get(metric.unit, "")
    if lower is None or short(lower) == short(upper):
        return f"{short(upper)}{suffix}"
    return f"{short(lower)} to {short(upper)}{suffix}"


def ward_status(wards: pd.DataFrame, metric: Metric) -> pd.Series:
    """Per ward: 'value' when shown, 'suppressed' when small numbers hide it, else 'no data'."""
    shown = values(wards, metric).notna().to_numpy()
    hidden = wards[metric.base].map(suppression.is_suppressed).to_numpy(dtype=bool)
    return pd.Series(np.where(shown, "value", np.where(hidden, "suppressed", "no data")), index=wards.index)


def hex_to_rgba(colour: str, alpha: int = 255) -> list[int]:
    """'#41b6c4' → [65, 182, 196, alpha], as deck.gl wants colours."""
    colour = colour.lstrip("#")
    return [int(colour[i:i + 2], 16) for i in (0, 2, 4)] + [alpha]


def map_frame(safe: pd.DataFrame, metric: Metric, classes: Classes) -> pd.DataFrame:
    """One row per ward for drawing: code, name, fill colour, status and the tooltip's text."""
    wards = safe[safe["level"] == "ward"]
    status = ward_status(wards, metric)
    colours = [classes.colours[c] if c >= 0 else (SUPPRESSED_COLOUR if s == "suppressed" else NO_DATA_COLOUR)
               for c, s in zip(classes.ward_class[wards.index], status)]
    limit, public = safe.attrs["threshold"], safe.attrs["public_safe"]
    return pd.DataFrame({
        "ward_code": wards["ward_code"].to_numpy(object),
        "ward_name": wards["ward_name"].to_numpy(object),
        "fill": [hex_to_rgba(c, 235) for c in colours],
        "status": status.to_numpy(object),
        "shown": [show_value(metric, v, b) for v, b in zip(wards[metric.key], wards[metric.base])],
        "base": [f"based on {show_count(b, limit, public)} {metric.base_label}" if metric.unit != "count" else ""
                 for b in wards[metric.base]],
    })


def deprivation_frame(safe: pd.DataFrame) -> tuple[pd.DataFrame, list[LegendEntry]]:
    """Wards coloured by IMD decile band, for the map beside the metric, and its legend."""
    wards = safe[safe["level"] == "ward"]
    deciles = wards["imd_decile"]
    colours, shown = [], []
    for d in deciles:
        band = next((b for b in DEPRIVATION_BANDS if not _missing(d) and int(d) in b[0]), None)
        colours.append(band[2] if band else NO_DATA_COLOUR)
        shown.append(f"IMD decile {int(d)}" if band else "no deprivation figure")
    frame = pd.DataFrame({
        "ward_code": wards["ward_code"].to_numpy(object), "ward_name": wards["ward_name"].to_numpy(object),
        "fill": [hex_to_rgba(c, 235) for c in colours], "status": "value", "shown": shown, "base": "",
    })
    entries = [LegendEntry(colour, f"Decile {label}", int(deciles.isin(list(band)).sum()))
               for band, label, colour in DEPRIVATION_BANDS]
    if deciles.isna().any():
        entries.append(LegendEntry(NO_DATA_COLOUR, "No deprivation figure", int(deciles.isna().sum())))
    return frame, entries


# ---------------------------------------------------------------------------------------------
# Tables


def rank_table(safe: pd.DataFrame, metric: Metric) -> pd.DataFrame:
    """Wards ranked on the metric (1 = highest), with readable column names: the table shown and downloaded."""
    wards = safe[safe["level"] == "ward"]
    value = values(wards, metric)
    scale = 100.0 if metric.unit == "%" else 1.0
    limit, public = safe.attrs["threshold"], safe.attrs["public_safe"]
    table = pd.DataFrame({
        "Rank": value.rank(ascending=False, method="min").astype("Int64").reset_index(drop=True),
        "Ward": wards["ward_name"].to_numpy(object),
        "Code": wards["ward_code"].to_numpy(object),
        value_label(metric): (value * scale).round(2).to_numpy(),
        f"Based on ({metric.base_label})": [show_count(b, limit, public) for b in wards[metric.base]],
        "Note": [show_value(metric, v, b) if _missing(n) else ""
                 for v, b, n in zip(wards[metric.key], wards[metric.base], value)],
        "IMD decile": wards["imd_decile"].astype("Int64").reset_index(drop=True),
        "Population": wards["population"].astype("Int64").reset_index(drop=True),
    })
    if metric.unit == "count":
        table = table.drop(columns=f"Based on ({metric.base_label})")
    return table.sort_values(["Rank", "Ward"], na_position="last", kind="stable").reset_index(drop=True)


def value_label(metric: Metric) -> str:
    """The metric's column heading with its unit: 'Digital take-up (%)'."""
    return metric.label + {"%": " (%)", "days": " (days)"}.get(metric.unit, "")


def borough_line(safe: pd.DataFrame, metric: Metric) -> str:
    """The borough figure in words, with what it rests on and how many wards can be shown."""
    borough = _borough(safe)
    wards = safe[safe["level"] == "ward"]
    shown = show_value(metric, borough[metric.key], borough[metric.base])
    visible = int(values(wards, metric).notna().sum())
    base = "" if metric.unit == "count" else (
        f" from {show_count(borough[metric.base], safe.attrs['threshold'], safe.attrs['public_safe'])} {metric.base_label}")
    return f"Whole borough: **{shown}**{base}. {visible} of {len(wards)} wards can be shown."


def unmatched_note(unmatched: pd.DataFrame, threshold_: int | None = None, public_safe: bool = False) -> str | None:
    """A sentence on rows no ward on the map holds, by count; None when there are none."""
    if unmatched.empty:
        return None
    limit = threshold(threshold_)

    def _few(n: object, limit: int) -> str:
        return f"fewer than {limit}" if int(n) < limit else show_count(int(n), limit, public_safe)

    words = {"service_requests": "requests", "feedback": "feedback responses"}
    parts = []
    for table, group in unmatched.groupby("table_name", sort=False):
        how = group.groupby("how")["rows"].sum()
        bits = []
        if how.get("unmatched", 0):
            codes = group[group["how"] == "unmatched"].head(3)
            listed = ", ".join(f"{c} ({_few(n, limit)})" for c, n in zip(codes["ward_given"], codes["rows"]))
            bits.append(f"{_few(how['unmatched'], limit)} with a ward code or name that matches no boundary, "
                        f"such as an old code from before a boundary review ({listed})")
        if how.get("outside", 0):
            bits.append(f"{_few(how['outside'], limit)} with a map point outside every ward")
        if how.get("none", 0):
            bits.append(f"{_few(how['none'], limit)} with no ward or location")
        parts.append(f"{_few(group['rows'].sum(), limit)} {words.get(table, table)}: {'; '.join(bits)}")
    return ("Not on the map, but counted in every whole-borough figure — " + ". ".join(parts) +
            ". The Data page lists them by source file.")


# ---------------------------------------------------------------------------------------------
# Ward profile


def profile(safe: pd.DataFrame, raw: pd.DataFrame, ward_code: str, metrics: list[str]) -> pd.DataFrame:
    """One row per metric: the ward, the borough, and the other wards of its deprivation decile."""
    wards = safe[safe["level"] == "ward"]
    match = wards[wards["ward_code"] == ward_code]
    if match.empty:
        raise KeyError(f"no ward {ward_code!r} on the map")
    row = match.iloc[0]
    borough = _borough(safe)
    decile = row["imd_decile"]
    peers = wards[(wards["imd_decile"] == decile) & (wards["ward_code"] != ward_code)] if not _missing(decile) \
        else wards.iloc[0:0]
    counts = raw[raw["level"] == "ward"].set_index("ward_code")
    out = []
    for key in metrics:
        metric = METRICS[key]
        ward_value, borough_value = numeric(pd.Series([row[key], borough[key]], dtype=object))
        borough_shown = show_value(metric, borough[key], borough[metric.base])
        if metric.unit == "count" and not _missing(borough_value):
            # A ward's count sits beside the average ward's, not beside the borough's total.
            borough_value = borough_value / len(wards)
            borough_shown = f"{borough_value:,.0f} (average ward)"
        pooled, n = _pooled(metric, peers, counts, safe.attrs["threshold"])
        if _missing(decile):
            peers_shown = "no deprivation figure"
        elif peers.empty:
            peers_shown = "no other ward in this decile"
        else:
            peers_shown = "too few to compare" if pooled is None else show_value(metric, pooled, 1)
        out.append({
            "metric": key,
            "label": metric.label,
            "ward": ward_value,
            "ward_shown": show_value(metric, row[key], row[metric.base], short=True),
            "borough": borough_value,
            "borough_shown": borough_shown,
            "peers": pooled,
            "peers_shown": peers_shown,
            "peer_wards": n,
            "difference": None if _missing(ward_value) or _missing(borough_value) else ward_value - borough_value,
        })
    frame = pd.DataFrame(out)
    frame.attrs.update({"ward_name": row["ward_name"], "imd_decile": None if _missing(decile) else int(decile),
                        "population": None if _missing(row["population"]) else int(row["population"])})
    return frame


def _pooled(metric: Metric, peers: pd.DataFrame, counts: pd.DataFrame, limit: int) -> tuple[float | None, int]:
    """The metric over the peer wards whose own figure is shown, pooled from their counts.

    A pool that took in a hidden ward would let its figure be worked out by subtraction.
    """
    shown = peers.loc[values(peers, metric).notna(), "ward_code"]
    if shown.empty:
        return None, 0
    pool = counts.loc[shown]
    base = float(pool[metric.base].sum())
    if base < limit:
        return None, len(shown)
    if metric.key == "median_days_to_resolve":
        return float(pool[metric.key].median()), len(shown)  # medians do not pool: the median of medians
    numerator = {"digital_takeup": "digital_requests", "satisfaction": "satisfied",
                 "within_target": "closed_within_target"}.get(metric.key)
    if numerator:
        return float(pool[numerator].sum()) / base, len(shown)
    if metric.key == "requests_per_1000":
        population = float(pool["population"].sum())
        return (1000.0 * base / population if population else None), len(shown)
    return base / len(shown), len(shown)  # a count: the average peer ward


def difference_text(row: pd.Series) -> str | None:
    """'+4.1 pts vs borough' for st.metric's delta; None when either side is hidden."""
    if _missing(row["difference"]):
        return None
    metric = METRICS[row["metric"]]
    d = float(row["difference"])
    if abs(d) < {"%": 0.0005, "days": 0.05}.get(metric.unit, 0.05):
        return None  # shown as "same as" in the help rather than a coloured +0.0
    if metric.unit == "%":
        return f"{d * 100:+.1f} pts vs borough"
    if metric.unit == "days":
        return f"{d:+.1f} days vs borough"
    if metric.unit == "count":
        return f"{d:+,.0f} vs average ward"
    return f"{d:+,.1f} vs borough"


def profile_caption(prof: pd.DataFrame) -> str:
    """One line under the ward's name: deprivation, population and what it is compared with."""
    decile, population = prof.attrs["imd_decile"], prof.attrs["population"]
    peers = int(prof["peer_wards"].max()) if len(prof) else 0
    parts = [f"IMD decile {decile} (1 = most deprived 10% in England)" if decile else "No deprivation figure",
             f"population {population:,}" if population else None,
             "compared with the whole borough" + (f" and with the {peers} other decile-{decile} ward"
                                                  f"{'s' if peers != 1 else ''} that can be shown" if decile and peers else "")]
    return " · ".join(p for p in parts if p)


def metric_help(row: pd.Series) -> str:
    """The tooltip of a profile tile: the borough's figure and the same-decile wards'."""
    return (f"{METRICS[row['metric']].definition} Whole borough: {row['borough_shown']}. "
            f"Other wards of the same deprivation decile: {row['peers_shown']}.")


def trend(monthly: pd.DataFrame, threshold_: int | None = None, measures: tuple[str, ...] = (
        "digital_takeup", "satisfaction")) -> pd.DataFrame:
    """Quarterly digital take-up and satisfaction, ward and borough; quarters on a small base are left out."""
    limit = threshold(threshold_)
    columns = ["period", "series", "measure", "value"]
    if monthly.empty:
        return pd.DataFrame(columns=columns)
    quarterly = monthly.assign(period=pd.to_datetime(monthly["period"]).dt.to_period("Q").dt.start_time)
    sums = quarterly.groupby("period", as_index=False).sum(numeric_only=True)
    parts = []
    for prefix, series in (("ward", "Ward"), ("borough", "Borough")):
        for key, num, den in (("digital_takeup", "digital", "requests"), ("satisfaction", "satisfied", "ratings")):
            if key not in measures:
                continue
            measure = METRICS[key].label
            d = sums[f"{prefix}_{den}"].astype(float)
            visible = d.map(lambda x: suppression.rate_visible(x, limit))
            rate = (sums[f"{prefix}_{num}"] / d.where(d > 0)).where(visible)
            parts.append(pd.DataFrame({"period": sums["period"], "series": series, "measure": measure, "value": rate}))
    if not parts:
        return pd.DataFrame(columns=columns)
    return pd.concat(parts, ignore_index=True).dropna(subset=["value"]).reset_index(drop=True)[columns]


def shares(frame: pd.DataFrame, key: str, threshold_: int | None = None, top: int | None = None) -> pd.DataFrame:
    """Ward and borough shares of requests by channel or service; a ward cell under the threshold is hidden."""
    limit = threshold(threshold_)
    ward_total = float(frame["ward_requests"].sum())
    borough_total = float(frame["borough_requests"].sum())
    hidden = (frame["ward_requests"] < limit).to_numpy() | (ward_total < limit)
    out = pd.DataFrame({
        key: frame[key].astype(str).str.replace("_", " ") if key == "channel" else frame[key].astype(str),
        "ward_share": np.where(hidden, np.nan, frame["ward_requests"] / (ward_total or np.nan)),
        "borough_share": frame["borough_requests"] / (borough_total or np.nan),
        "ward_requests": [show_count(n, limit) for n in frame["ward_requests"]],
    })
    return (out.head(top) if top else out).reset_index(drop=True)


def themes(comments: pd.DataFrame, threshold_: int | None = None, public_safe: bool = False) -> pd.DataFrame:
    """Themes of one ward's comments, most mentioned first; themes under the threshold are left out."""
    from pulse.metrics.text import OTHER, theme_series

    limit = threshold(threshold_)
    if comments.empty:
        return pd.DataFrame(columns=["theme", "comments"])
    counts = theme_series(comments["comment"]).explode().dropna().value_counts()
    counts = counts[(counts.index != OTHER) & (counts >= limit)]
    return pd.DataFrame({"theme": counts.index.astype(str),
                         "comments": [show_count(int(n), limit, public_safe) for n in counts.to_numpy()]})


# ---------------------------------------------------------------------------------------------
# Priority wards


def priority_wards(safe: pd.DataFrame) -> pd.DataFrame:
    """Wards whose digital take-up is below the borough's and whose deprivation is in the borough's worse half.

    Ranked by the mean of two percentile ranks among the wards that can be shown — lowest take-up
    and most deprived — so that neither measure's scale dominates; each row says why in words.
    """
    columns = ["Rank", "Ward", "Code", "Digital take-up (%)", "IMD decile", "Why"]
    wards = safe[safe["level"] == "ward"].assign(takeup=values(safe, METRICS["digital_takeup"]))
    wards = wards[wards["takeup"].notna() & wards["imd_decile"].notna()]
    borough = _borough(safe)
    if wards.empty or _missing(borough["digital_takeup"]):
        return pd.DataFrame(columns=columns)
    decile = wards["imd_decile"].astype(float)
    score = (wards["takeup"].rank(pct=True, ascending=False) + decile.rank(pct=True, ascending=False)) / 2
    chosen = wards.assign(score=score)
    chosen = chosen[(chosen["takeup"] < float(borough["digital_takeup"])) & (decile <= decile.median())]
    chosen = chosen.sort_values(["score", "takeup"], ascending=[False, True], kind="stable")
    limit, public = safe.attrs["threshold"], safe.attrs["public_safe"]
    return pd.DataFrame({
        "Rank": list(range(1, len(chosen) + 1)),
        "Ward": chosen["ward_name"].to_numpy(object),
        "Code": chosen["ward_code"].to_numpy(object),
        "Digital take-up (%)": (chosen["takeup"] * 100).round(1).to_numpy(),
        "IMD decile": chosen["imd_decile"].astype("Int64").reset_index(drop=True),
        "Why": [_reasons(r, float(borough["digital_takeup"]), limit, public) for _, r in chosen.iterrows()],
    }, columns=columns)


def priority_markdown(top: pd.DataFrame, n: int = 10) -> str:
    """The first n priority wards as a numbered Markdown list with their reasons."""
    return "\n".join(f"{r['Rank']}. **{md_text(r['Ward'])}** — {r['Why']}" for _, r in top.head(n).iterrows())


def md_text(text: object) -> str:
    """Ward names come from the council's files: keep Markdown and HTML characters literal."""
    return "".join("\\" + c if c in "\\`*_{}[]<>()#+!|~" else c for c in str(text))


def _reasons(row: pd.Series, borough_takeup: float, limit: int, public: bool) -> str:
    gap = (borough_takeup - row["takeup"]) * 100
    decile = int(row["imd_decile"])
    where = (f"among the {decile * 10}% most deprived areas in England" if decile <= 5 else
             "not among England's most deprived, but among the more deprived wards here")
    text = (f"Digital take-up {row['takeup'] * 100:.1f}%, {gap:.1f} points below the borough's "
            f"{borough_takeup * 100:.1f}%. IMD decile {decile}: {where}.")
    requests = numeric(pd.Series([row["requests"]], dtype=object)).iloc[0]
    if not _missing(requests):
        offline = show_count(round(requests * (1 - row["takeup"])), limit, public)
        if offline != SUPPRESSED:
            text += f" {offline} requests came by phone, in person or another offline channel."
    return text


# ---------------------------------------------------------------------------------------------
# Where requests were made


def metres_per_degree(latitude: float) -> tuple[float, float]:
    """Metres in a degree of longitude and of latitude at this latitude (a local flat projection)."""
    per_lat = 111_320.0  # near enough anywhere in the UK; the hexagons only need to look even
    return per_lat * math.cos(math.radians(latitude)), per_lat


def visible_hexagons(hexagons: pd.DataFrame, threshold_: int | None = None) -> pd.DataFrame:
    """Hexagons holding at least the threshold of requests; the rest never reach the browser."""
    limit = threshold(threshold_)
    small = hexagons["requests"] < limit
    kept = hexagons[~small].reset_index(drop=True)
    kept.attrs.update({"dropped_requests": int(hexagons.loc[small, "requests"].sum()),
                       "requests": int(hexagons["requests"].sum()), "threshold": limit})
    return kept


def choose_hexagons(fetch: Callable[[float], pd.DataFrame], sizes_m: tuple[float, ...] = (150.0, 250.0, 400.0, 600.0, 1000.0), keep: float = 0.9,
                    most: int = 800) -> tuple[pd.DataFrame, float]:
    """The finest hexagons (fetch(size) → requests_by_hexagon) whose shown ones hold `keep` of the
    requests, and few enough (`most`) to keep the map light in the browser."""
    for size in sizes_m:
        hexagons = visible_hexagons(fetch(size))
        total = hexagons.attrs["requests"]
        if not total or ((total - hexagons.attrs["dropped_requests"]) >= keep * total and len(hexagons) <= most):
            break
    return hexagons, size


def density_frame(hexagons: pd.DataFrame, public_safe: bool = False) -> tuple[pd.DataFrame, list[LegendEntry]]:
    """Hexagons coloured by quantile class of their requests, with tooltip text, and their legend."""
    limit = hexagons.attrs.get("threshold", threshold())
    classes = classify(hexagons["requests"].astype(float), "quantiles", k=5)
    colours = [DENSITY_COLOURS[len(classes.bounds)][c] for c in classes.ward_class] if len(hexagons) else []
    frame = hexagons.assign(fill=[hex_to_rgba(c, 215) for c in colours],
                            shown=[f"{show_count(n, limit, public_safe)} requests" for n in hexagons["requests"]])
    metric = Metric("density", "Requests", "count", "requests", "requests", None, "")
    entries, lower = [], classes.lowest
    for i, upper in enumerate(classes.bounds):
        entries.append(LegendEntry(DENSITY_COLOURS[len(classes.bounds)][i], _range(metric, lower, upper) + " requests",
                                   int((classes.ward_class == i).sum())))
        lower = upper
    return frame, entries


def density_caption(hexagons: pd.DataFrame, size_m: float) -> str:
    """What the hexagons show and what they leave out."""
    shown = hexagons.attrs["requests"] - hexagons.attrs["dropped_requests"]
    return (f"Each hexagon is about {2 * size_m:,.0f} m across. Hexagons with fewer than {hexagons.attrs['threshold']} "
            f"requests are left off, so no single report can be located: {shown:,} of the "
            f"{hexagons.attrs['requests']:,} requests with a map point inside a ward are drawn.")


# ---------------------------------------------------------------------------------------------
# Deprivation


def deprivation_points(safe: pd.DataFrame, metric: Metric) -> pd.DataFrame:
    """Wards with both a shown value and an IMD decile: ward_code, ward_name, imd_decile, value."""
    wards = safe[safe["level"] == "ward"].assign(value=values(safe, metric))
    wards = wards[wards["value"].notna() & wards["imd_decile"].notna()]
    return pd.DataFrame({"ward_code": wards["ward_code"].to_numpy(object),
                         "ward_name": wards["ward_name"].to_numpy(object),
                         "imd_decile": wards["imd_decile"].astype(int).to_numpy(),
                         "value": wards["value"].to_numpy(float)})


def deprivation_sentence(points: pd.DataFrame, metric: Metric) -> str:
    """The metric in the borough's more and less deprived halves of wards, in one sentence."""
    middle = float(points["imd_decile"].median())
    more = points[points["imd_decile"] <= middle]
    less = points[points["imd_decile"] > middle]
    if more.empty or less.empty:
        return "Every ward shown has the same deprivation decile, so there is nothing to compare."
    def shown(v: float) -> str:
        return show_value(metric, v, 1)

    return (f"The more deprived half of wards (deciles {more['imd_decile'].min()}–{more['imd_decile'].max()}, "
            f"{len(more)} wards) average {shown(more['value'].mean())}; the less deprived half (deciles "
            f"{less['imd_decile'].min()}–{less['imd_decile'].max()}, {len(less)} wards) {shown(less['value'].mean())}. "
            "Averages are of ward figures, each ward counting once.")
