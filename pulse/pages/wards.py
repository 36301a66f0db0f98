"""Ward maps: is it working in every neighbourhood? Everything the page shows, published, cached per view.

The counts come protected from pulse.pages.ward_counts (the map's three models), refined by the
chosen ward's profile (pulse.pages.ward_profile) and the request-density hexagons
(pulse.pages.ward_density), whose models hold the same ward counts and hide them too where they
must. Every figure below — map colours and tooltips, legend, rank table and its download, the
deprivation chart, priority wards — is read from those published counts only.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd
import streamlit as st

from pulse import db, geo, registry
from pulse.charts import maps
from pulse.charts.colours import (
    CLASS_METHODS, DEPRIVATION_BANDS, NO_DATA_COLOUR, SUPPRESSED_COLOUR, Classes, classify, deprivation_colour,
    hex_to_rgba,
)
from pulse.charts.ward_charts import deprivation_scatter
from pulse.disclosure import Chart, Deck, Policy, Sentence, Table, join, reference, sentence, static
from pulse.disclosure.published import LABEL, TEXT
from pulse.filters import Filters
from pulse.pages import policy_for, ward_density, ward_profile, ward_tables
from pulse.pages.ward_counts import WardCounts, ward_counts
from pulse.threads import raised

NO_BOUNDARIES = static("No ward boundaries are loaded, so there is nothing to map. Add a boundary file (GeoJSON, "
                       "Shapefile, GeoPackage or TopoJSON) to the exports folder and load it again; see docs/wards.md.")
NO_RECORDS = static("No requests or feedback are loaded yet, so there is nothing to map: load a service requests or "
                    "feedback export (see docs/wards.md).")
NO_DEPRIVATION = static("No deprivation figures are loaded. Add imd_decile to ward_population, or IMD by LSOA with an "
                        "LSOA-to-ward lookup (see docs/wards.md).")
PRIORITY_RULE = static("Wards where **digital take-up is below the borough's** and **deprivation is in the borough's "
                       "more deprived half**: where assisted-digital help is likely to do most, ranked on both together.")
CLASS_HELP = static("Quantiles put an equal number of wards in each colour. Natural breaks (Fisher–Jenks) put the "
                    "colour boundaries where the gaps between ward figures are largest.")
DEPRIVATION_TITLE = static("Deprivation: IMD 2019 decile in England")
EXTRAS = {"names": "Ward names", "beside": "Deprivation map", "density": "Request density"}
QUERIES = ("metrics_by_ward", "requests_by_area", "closed_by_area", "feedback_by_area",
           "ward_requests_by_channel_service_quarter", "ward_feedback_by_quarter", "ward_comments_by_themes",
           "requests_by_hexagon")
SUPPRESSED_WHY = "[c] not shown: fewer than {t} {what}, or would give such a count away"


@dataclass(frozen=True)
class MapChoice:
    """What the reader chose to draw: the measure, the colour classes and the extras."""

    metric: str
    method: str = "quantiles"
    labels: bool = False
    beside: bool = False
    density: bool = False


@dataclass(frozen=True)
class Availability:
    """The measures the loaded data can show, and the others with the export that would make them work."""

    keys: tuple[str, ...]
    note: Sentence | None  # one line, for the picker's help
    missing: tuple[Sentence, ...] = ()  # one line per measure the data cannot show


@dataclass(frozen=True)
class WardPage:
    """Everything the Ward maps page shows for one view, published."""

    intro: Sentence
    deck: Deck
    map_alt: str
    legend_title: Sentence
    legend: Table
    borough: Sentence | None
    map_note: Sentence
    deprivation_deck: Deck | None
    deprivation_legend: Table | None
    unmapped: Sentence | None
    profile: ward_profile.Profile | None
    ranked: Table
    rank_formats: dict
    file_name: str
    deprivation_chart: Chart | None
    deprivation_note: Sentence | None
    deprivation_methods: tuple[Sentence, ...]
    priority: Sentence | None  # a numbered list; empty when no ward qualifies
    priority_table: Table | None
    priority_note: Sentence | None


def _stamp() -> tuple:
    return db.database_stamp(db.db_path())


def _params(view: Filters) -> dict:
    # Every ward stays on the map to be compared; the sidebar's ward filter only picks the profile.
    return {**view.params(), "wards": None}


def has_boundaries() -> bool:
    """Whether any ward boundary is loaded."""
    return bool(ward_names())


def ward_names() -> dict[str, str]:
    """Ward code → name, in code order."""
    frame = shapes()
    return dict(zip(frame["ward_code"], frame["ward_name"]))


def shapes() -> gpd.GeoDataFrame:
    """The ward boundaries simplified for drawing, once per database file."""
    return _shapes(_stamp())


@st.cache_data(show_spinner=False)
def _shapes(stamp: tuple) -> gpd.GeoDataFrame:
    boundaries = db.query("boundaries_by_ward")
    if boundaries.empty:
        return gpd.GeoDataFrame({"ward_code": [], "ward_name": []})
    return geo.simplify_for_drawing(geo.wards_from_frame(boundaries))


def metric_name(key: str) -> str:
    """A measure's name, for the metric picker."""
    return registry.measure(key).name


def availability() -> Availability:
    """What the loaded data can show, judged on all of it (not the filters), so the picker stays put."""
    return _availability(_stamp())


@st.cache_data(show_spinner=False, max_entries=4)
def _availability(stamp: tuple) -> Availability:
    raw = db.query("metrics_by_ward", **Filters().params())
    borough = raw[raw["level"] == "borough"].iloc[0] if (raw["level"] == "borough").any() else None
    people = (raw.loc[raw["level"] == "ward", "population"].fillna(0) > 0).any()
    keys, missing = [], []
    for key in registry.WARD_ORDER:
        measure = registry.measure(key)
        n = 0 if borough is None else float(borough[measure.ward_base])
        why = None
        if not n:
            why = f"no {measure.base_label} in the data"
        elif key == "requests_per_1000" and not people:
            why = "no ward populations"
        elif key == "digital_takeup" and borough["digital_requests"] in (0, n):
            how = "online or by app" if borough["digital_requests"] else "by phone, in person or another offline way"
            why = f"every request came {how}, so take-up cannot differ between wards"
        elif key == "user_satisfaction" and borough["satisfied"] in (0, n):
            why = "every rating is on the same side of 4, so satisfaction cannot differ between wards"
        if why:
            missing.append((measure.name, static(f"**{measure.name}**: {why}. It needs {measure.needs.export}.")))
        else:
            keys.append(key)
    note = sentence("This data cannot show {list}: see below the map settings.",
                    list=join([static(name) for name, _ in missing], sep=", ")) if missing else None
    return Availability(tuple(keys), note, tuple(line for _, line in missing))


@st.cache_data(show_spinner=False, max_entries=64)
def _counts(view: Filters, policy: Policy, stamp: tuple) -> WardCounts:
    params = _params(view)
    names = ("metrics_by_ward", "requests_by_area", "closed_by_area", "feedback_by_area")
    answers = db.query_all(names, **params)  # side by side
    return ward_counts(*(raised(answers[name]) for name in names), policy)


@st.cache_data(show_spinner=False, max_entries=64)
def _profile_models(view: Filters, code: str, policy: Policy, stamp: tuple) -> tuple[WardCounts, tuple]:
    """The chosen ward's profile models, and the counts with whatever they hide hidden on the map too."""
    counts, params = _counts(view, policy, stamp), {**_params(view), "ward_code": code}
    requests = ratings = themes = None
    hides: set = set()
    if counts.models["requests"] is not None:
        requests, more = ward_profile.protect_requests(
            db.query("ward_requests_by_channel_service_quarter", **params), counts, code, policy)
        hides |= more
    if counts.models["feedback"] is not None:
        ratings, more = ward_profile.protect_ratings(db.query("ward_feedback_by_quarter", **params), counts, code,
                                                     policy)
        hides |= more
        themes, more = ward_profile.protect_themes(db.query("ward_comments_by_themes", **params), counts, code,
                                                   policy)
        hides |= more
    return counts.hiding(hides), (requests, ratings, themes)


def _density(view: Filters, counts: WardCounts, frame: gpd.GeoDataFrame) -> tuple[WardCounts, ward_density.Density]:
    per_degree = ward_density.metres_per_degree(float(frame["centroid_lat"].mean()))
    params = {**_params(view), "metres_per_lon": per_degree[0], "metres_per_lat": per_degree[1]}
    rows, size = ward_density.choose_size(lambda m: db.query("requests_by_hexagon", **params, size=m), counts.policy)
    protection, hides = ward_density.protect(rows, counts, counts.policy)
    return counts.hiding(hides), ward_density.density(rows, size, protection, counts.policy)


def build(view: Filters, choice: MapChoice, code: str | None) -> WardPage:
    """The page for one view of the data, one map choice and one chosen ward (cached)."""
    # The policy is part of the key: a threshold set for the deployment changes every figure.
    return _build(view, choice, code, policy_for(view), _stamp())


@st.cache_data(show_spinner=False, max_entries=64)
def _build(view: Filters, choice: MapChoice, code: str | None, policy: Policy, stamp: tuple) -> WardPage:
    frame, names, available = _shapes(stamp), ward_names(), _availability(stamp).keys
    counts, models = (_profile_models(view, code, policy, stamp) if code in names else
                      (_counts(view, policy, stamp), None))
    density = None
    if choice.density:
        counts, density = _density(view, counts, frame)
    measure = registry.measure(choice.metric)
    found = ward_tables.values(counts, choice.metric)
    classes = classify(pd.Series([f.value if f.shown else None for f in found["value"]], dtype=float), choice.method)
    per_degree = ward_density.metres_per_degree(float(frame["centroid_lat"].mean()))
    width = 430 if choice.beside else 640  # pixels the map gets in a wide layout, so the borough fits the view
    hexagons = None if density is None else Table(density.hexagons, {"lon": "reference", "lat": "reference",
                                                                     "fill": LABEL, "shown": TEXT})
    deck = maps.ward_deck(frame, map_table(found, measure, classes), labels=choice.labels, selected=code,
                          hexagons=hexagons, hexagon_size_m=density.size_m if density else 250.0,
                          metres_per_degree=per_degree, width=width,
                          alt_text=static(f"Map of {measure.name.lower()} by ward"))
    has_deciles = counts.wards["imd_decile"].notna().any()
    points = ward_tables.deprivation_points(counts, choice.metric)
    lines, priority = ward_tables.priority_wards(counts) if "digital_takeup" in available else (None, None)
    profile = None
    if models is not None:
        tiles, peers = ward_profile.tiles(counts, code, list(available))
        trends, mix = ward_profile.charts(models[0], models[1], list(available), counts.policy)
        profile = ward_profile.Profile(code, ward_tables.md_text(names[code]), ward_profile.caption(counts, code, peers),
                                       tiles, trends, mix,
                                       ward_profile.themes_sentence(models[2], counts.policy) if models[2] else None)
    return WardPage(
        intro=intro(view, len(names), counts.policy.threshold),
        deck=deck,
        map_alt=f"Map of {measure.name.lower()} by ward; the ranked table below holds the same figures.",
        legend_title=static(f"{measure.name} ({CLASS_METHODS[choice.method].lower()})") if density is None else
        static("Requests made in each hexagon"),
        legend=legend(found, measure, classes, counts.policy.threshold) if density is None else density.legend,
        borough=ward_tables.borough_line(counts, choice.metric) if density is None else None,
        map_note=join([measure.definition, static("Click a ward for its profile.")]) if density is None
        else density.caption,
        deprivation_deck=maps.ward_deck(frame, deprivation_table(counts), labels=choice.labels, selected=code,
                                        layer_id="deprivation", width=width,
                                        alt_text=static("Map of deprivation (IMD decile) by ward"))
        if choice.beside and has_deciles else None,
        deprivation_legend=deprivation_legend(counts) if has_deciles else None,
        unmapped=ward_tables.unmapped_note(counts),
        profile=profile,
        ranked=ward_tables.rank_table(counts, choice.metric),
        rank_formats=ward_tables.rank_formats(counts, choice.metric),
        file_name=f"wards_{choice.metric}.csv",
        deprivation_chart=deprivation_scatter(points, measure.name, measure.unit, code, static(
            f"{measure.name} against deprivation (1 = most deprived 10% in England)")) if len(points) else None,
        deprivation_note=ward_tables.deprivation_sentence(counts, choice.metric, points) if len(points) else None,
        deprivation_methods=methods(),
        priority=None if lines is None else join(list(lines), sep="\n"),
        priority_table=priority,
        priority_note=None if "digital_takeup" in available else static(
            "Priority wards need digital take-up, which this data cannot show (see the note at the top)."),
    )


def intro(view: Filters, wards: int, threshold: int) -> Sentence:
    """What the page covers and how small numbers are treated, in one line."""
    period = ""
    if view.date_from and view.date_to:  # one day is not "3 Feb 2026 to 3 Feb 2026"
        period = f", {view.date_from:%-d %b %Y}" + (
            "" if view.date_to == view.date_from else f" to {view.date_to:%-d %b %Y}")
    public = ("; every other count is rounded to the nearest 5, and rates per 1,000 residents are worked out from "
              "the rounded count (public-safe figures)." if view.public_safe else ".")
    return sentence("{n}{period}, for the filters in the sidebar. Counts under {t} show as “[c]”, as does "
                    "any count that would let one be worked out, and rates resting on them are not shown, so no one "
                    "can be picked out{public}", n=_wards(wards), period=period, t=reference(threshold),
                    public=public)


def map_table(found: pd.DataFrame, measure: registry.Measure, classes: Classes) -> Table:
    """One row per ward for drawing: code, name, fill colour, status and the tooltip's text."""
    colours = [classes.colours[c] if c >= 0 else SUPPRESSED_COLOUR if s == ward_tables.SUPPRESSED else NO_DATA_COLOUR
               for c, s in zip(classes.of, found["status"])]
    frame = pd.DataFrame({
        "ward_code": found["ward_code"].astype(str), "ward_name": found["ward_name"].astype(str),
        "fill": [hex_to_rgba(c, 235) for c in colours], "status": found["status"].astype(str),
        "shown": [ward_tables.status_text(measure, v, s) for v, s in zip(found["value"], found["status"])],
        "base": [f"based on {b.text} {measure.base_label}" if measure.unit != "count" else ""
                 for b in found["base"]],
    })
    return Table(frame, {"ward_code": LABEL, "ward_name": LABEL, "fill": LABEL, "status": LABEL, "shown": TEXT,
                         "base": TEXT})


def _wards(n: int) -> Sentence:
    return sentence("{n} ward{s}", n=reference(n), s="" if n == 1 else "s")


def legend(found: pd.DataFrame, measure: registry.Measure, classes: Classes, threshold: int) -> Table:
    """Legend rows, lowest class first: each class's range of published figures, then hidden and no-data wards."""
    rows = []
    for index, colour in enumerate(classes.colours):
        members = [f for f, c in zip(found["value"], classes.of) if c == index]
        low, high = min(members, key=lambda f: f.value), max(members, key=lambda f: f.value)
        # The legend's title names the unit ("… per 1,000 residents"), so each line is just the range.
        label = Sentence(low.text) if low.text == high.text else sentence("{a} to {b}", a=low, b=high)
        rows.append({"colour": colour, "label": label, "note": _wards(len(members)), "hatched": False})
    status = found["status"]
    if (status == ward_tables.SUPPRESSED).any():
        rows.append({"colour": SUPPRESSED_COLOUR, "label": sentence(SUPPRESSED_WHY, t=reference(threshold),
                                                                    what=measure.base_label),
                     "note": _wards(int((status == ward_tables.SUPPRESSED).sum())), "hatched": True})
    if (status == ward_tables.NO_DATA).any():
        rows.append({"colour": NO_DATA_COLOUR, "label": static("No population figure" if measure.unit == "per 1,000"
                                                                 else "No data"),
                     "note": _wards(int((status == ward_tables.NO_DATA).sum())), "hatched": False})
    return Table(pd.DataFrame(rows, columns=["colour", "label", "note", "hatched"]),
                 {"colour": LABEL, "label": TEXT, "note": TEXT, "hatched": LABEL})


def deprivation_table(counts: WardCounts) -> Table:
    """Wards coloured by IMD decile band, for the map beside the metric."""
    deciles = counts.wards["imd_decile"]
    colours = [deprivation_colour(d)[0] for d in deciles]
    frame = pd.DataFrame({
        "ward_code": counts.wards["ward_code"].astype(str), "ward_name": counts.wards["ward_name"].astype(str),
        "fill": [hex_to_rgba(c, 235) for c in colours], "status": "value",
        "shown": [f"IMD decile {int(d)}" if pd.notna(d) else "no deprivation figure" for d in deciles], "base": ""})
    return Table(frame, {"ward_code": LABEL, "ward_name": LABEL, "fill": LABEL, "status": LABEL, "shown": TEXT,
                         "base": TEXT})


def deprivation_legend(counts: WardCounts) -> Table:
    """The deprivation map's legend: each decile band and how many wards are in it."""
    deciles = counts.wards["imd_decile"]
    rows = [{"colour": colour, "label": static(f"Decile {label}"), "note": _wards(int(deciles.isin(list(band)).sum())),
             "hatched": False} for band, label, colour in DEPRIVATION_BANDS]
    if deciles.isna().any():
        rows.append({"colour": NO_DATA_COLOUR, "label": static("No deprivation figure"),
                     "note": _wards(int(deciles.isna().sum())), "hatched": False})
    return Table(pd.DataFrame(rows), {"colour": LABEL, "label": TEXT, "note": TEXT, "hatched": LABEL})


def methods() -> tuple[Sentence, ...]:
    """How the wards' deprivation deciles were made, one sentence per method."""
    return tuple(sentence("Deprivation (IMD 2019 decile, 1 = most deprived 10% in England) of {n} wards: {method}.",
                          n=reference(int(n)), method=str(method))
                 for method, n in db.query("deprivation_method_overall").itertuples(index=False))
