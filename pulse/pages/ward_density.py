"""Where requests were made: hexagons binned in SQL, protected together with the ward counts beside them.

A hexagon's count is split by ward in the query (requests_by_hexagon), so one CountModel holds the
hexagons, the requests with a map point in a ward (the caption's total) and every ward's count:
a ward whose requests all fall in hexagons that are shown would otherwise give a hidden hexagon
back as its total minus the others. Hexagons under the threshold, and any that would give one away,
never reach the browser.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from pulse.charts.colours import ORANGES, SINGLE_DENSITY, Classes, classify, hex_to_rgba
from pulse.disclosure import CountModel, Figure, Policy, Protection, Sentence, Table, rate, reference, sentence
from pulse.disclosure.published import LABEL, TEXT
from pulse.pages.ward_counts import UNMAPPED, WardCounts

SIZES_M = (150.0, 250.0, 400.0, 600.0, 1000.0)
KEEP = 0.9  # the finest hexagons whose shown ones hold this share of located requests …
MOST = 800  # … and are few enough to keep the map light in the browser
UNLOCATED = "~unlocated"


@dataclass(frozen=True)
class Density:
    """The hexagons to draw (lon, lat, fill, shown), their legend and the caption."""

    hexagons: pd.DataFrame
    size_m: float
    legend: Table
    caption: Sentence


def metres_per_degree(latitude: float) -> tuple[float, float]:
    """Metres in a degree of longitude and of latitude at this latitude (a local flat projection)."""
    per_lat = 111_320.0  # near enough anywhere in the UK; the hexagons only need to look even
    return per_lat * math.cos(math.radians(latitude)), per_lat


def _totals(rows: pd.DataFrame) -> pd.Series:
    return rows.groupby(["q", "r"])["requests"].sum()


def choose_size(fetch: Callable[[float], pd.DataFrame], policy: Policy, sizes: tuple[float, ...] = SIZES_M,
                keep: float = KEEP, most: int = MOST) -> tuple[pd.DataFrame, float]:
    """The finest hexagons (fetch(size) → requests_by_hexagon) whose hexagons at or over the threshold hold
    `keep` of the located requests and number at most `most`."""
    rows, size = pd.DataFrame(), sizes[-1]
    for size in sizes:
        rows = fetch(size)
        totals = _totals(rows)
        big = totals[~totals.map(policy.count_hidden)]
        if not totals.sum() or (big.sum() >= keep * totals.sum() and len(big) <= most):
            break
    return rows, size


def protect(rows: pd.DataFrame, counts: WardCounts, policy: Policy) -> tuple[Protection | None, set]:
    """Hexagons, the located total and the ward counts in one model; the ward counts it must hide besides."""
    if rows.empty:
        return None, set()
    located = rows.assign(hexagon=rows["q"].astype(str) + "," + rows["r"].astype(str), area=rows["ward_code"])
    cells = located.groupby(["hexagon", "area"], as_index=False)["requests"].sum()
    codes = list(counts.wards["ward_code"])
    here = cells.groupby("area")["requests"].sum()
    # The requests of each ward with no map point, and those no ward holds: the rest of each count.
    rest = [{"hexagon": "", "area": code, "requests": counts.exact("requests", "wards", code) - here.get(code, 0)}
            for code in codes]
    rest.append({"hexagon": "", "area": UNMAPPED, "requests": counts.exact("requests", "unmapped")})
    cells = pd.concat([cells, pd.DataFrame(rest)], ignore_index=True)
    cells = cells[cells["requests"] > 0]
    hidden = [c for c in codes if not counts.published("requests", "wards", c)]
    model = CountModel(cells, ["hexagon", "area"], "requests", policy, "requests by hexagon")
    model.add("borough", priority=9, withheld=not counts.published("requests", "borough"))
    model.add("wards", ["area"], where=lambda c: c["area"] != UNMAPPED, priority=9,
              withheld=pd.DataFrame({"area": hidden}))
    model.add("located", where=lambda c: c["hexagon"] != "", priority=8)
    model.add("hexagons", ["hexagon"], where=lambda c: c["hexagon"] != "", priority=3)
    protection = model.protect()
    wards = protection.hidden_of("wards")
    hides = {("requests", "wards", code) for code in wards.loc[wards["hidden"], "area"] if code not in hidden}
    if protection.hidden_of("borough")["hidden"].iloc[0] and counts.published("requests", "borough"):
        hides.add(("requests", "borough", ""))
    return protection, hides


def density(rows: pd.DataFrame, size_m: float, protection: Protection | None, policy: Policy) -> Density:
    """Published hexagons coloured by quantile class of their published counts, with legend and caption."""
    if protection is None:
        empty = pd.DataFrame(columns=["lon", "lat", "fill", "shown"])
        return Density(empty, size_m, _legend(pd.Series(dtype=float), None),
                       Sentence("No request in these filters has a map point inside a ward."))
    centres = rows.assign(hexagon=rows["q"].astype(str) + "," + rows["r"].astype(str)).drop_duplicates(
        "hexagon").set_index("hexagon")[["lon", "lat"]]
    published = protection.table("hexagons", "requests").frame
    published = published[published["requests"] != "[c]"].reset_index(drop=True)
    values = published["requests"].astype(float)
    classes = classify(values, "quantiles", palette=ORANGES, single=SINGLE_DENSITY)
    colours = [classes.colours[c] for c in classes.of]
    hexagons = pd.DataFrame({
        "lon": centres.loc[published["hexagon"], "lon"].to_numpy(float),
        "lat": centres.loc[published["hexagon"], "lat"].to_numpy(float),
        "fill": [hex_to_rgba(c, 215) for c in colours],
        "shown": [f"{int(n):,} requests" for n in values],
    })
    frame = protection.frame("hexagons")
    drawn = frame.loc[~frame["hidden"], "count"].sum()
    total = protection.figure("located")
    share = rate(drawn / frame["count"].sum(), frame["count"].sum(), "%", policy)
    if share.shown and share.value == 1.0 and drawn < frame["count"].sum():
        share = Figure(share.value, "nearly all")  # rounding must not say that none were left off
    if not drawn:  # not "the hexagons drawn hold 0.0% of …" when there are none
        return Density(hexagons, size_m, _legend(values, classes), sentence(
            "Each hexagon is about {across} m across. Hexagons with fewer than {t} requests, or that would give such "
            "a count away, are left off, so no single report can be located: none of the {total} requests with a "
            "map point inside a ward is in a hexagon that can be drawn.", across=reference(round(2 * size_m)),
            t=reference(policy.threshold), total=total))
    caption = sentence(
        "Each hexagon is about {across} m across. Hexagons with fewer than {t} requests, or that would give such a "
        "count away, are left off, so no single report can be located: the hexagons drawn hold {share} of the "
        "{total} requests with a map point inside a ward.", across=reference(round(2 * size_m)),
        t=reference(policy.threshold), share=share, total=total)
    return Density(hexagons, size_m, _legend(values, classes), caption)


def _legend(values: pd.Series, classes: Classes | None) -> Table:
    """One legend row per class: its colour, the range of published counts in it, and how many hexagons."""
    rows = []
    if classes is not None:
        for index, colour in enumerate(classes.colours):
            members = values[classes.of == index]
            low, high = (Figure(float(v), f"{int(v):,}") for v in (members.min(), members.max()))
            label = sentence("{n} requests", n=low) if low.value == high.value else \
                sentence("{a} to {b} requests", a=low, b=high)
            rows.append({"colour": colour, "label": label, "note": _hexagons(len(members)), "hatched": False})
    frame = pd.DataFrame(rows, columns=["colour", "label", "note", "hatched"])
    return Table(frame, {"colour": LABEL, "label": TEXT, "note": TEXT, "hatched": LABEL})


def _hexagons(n: int) -> Sentence:
    return sentence("{n} hexagon{s}", n=reference(n), s="" if n == 1 else "s")
