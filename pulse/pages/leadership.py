"""Leadership adoption: are leaders setting the digital example, and does it show in services?

One query returns adoption at the finest grain the filters can reach (directorate × month × role
level × activity: people and active people, counts only). pulse.disclosure.staff takes out every
group of fewer than 5 there, before anything is added up; every chart, table, sentence and download
below is a sum of the groups it kept (pulse/pages/leadership_tables.py), so no combination of
filters can work a small group out by subtraction. Take-up and satisfaction beside it are rates
published through a CountModel. The whole page is built once per view and database.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from pulse import db
from pulse.charts import adoption as charts
from pulse.disclosure import RATE, Chart, Policy, Sentence, Table, join, reference, sentence, static
from pulse.disclosure.staff import StaffGroups, keep_groups
from pulse.filters import Filters
from pulse.metrics.correlation import Correlation, correlation
from pulse.pages import leadership_tables as tables
from pulse.pages import leadership_words as words
from pulse.pages import policy_for

QUERY = "adoption_by_directorate_month_role_activity"
OUTCOMES = "adoption_outcomes_by_directorate"
OUTCOMES_AVAILABLE = "adoption_outcomes_available_overall"
MATURITY_AVAILABLE = "adoption_maturity_available_overall"
MATURITY = "adoption_maturity_by_directorate_date"
# Outcome column → how it reads, and what export it needs when it cannot be shown.
MEASURES = {"digital_takeup": ("digital take-up", "requests", "requests_with_directorate",
                               "a service requests export whose requests name their directorate"),
            "satisfaction": ("satisfaction", "ratings", "ratings_with_directorate",
                             "a feedback export with ratings, for services whose requests name their directorate")}


@dataclass(frozen=True)
class Scatter:
    """One outcome against leaders' adoption: the chart (when there are 3 or more points) and its caption."""

    chart: Chart | None
    caption: Sentence


@dataclass(frozen=True)
class Download:
    """A CSV of exactly a published table."""

    label: str
    file_name: str
    table: Table


@dataclass(frozen=True)
class Leadership:
    """Everything the Leadership adoption page shows, published."""

    empty: Sentence | None  # why there is nothing to show; the rest is blank when set
    intro: Sentence
    privacy: Sentence
    left_out: Sentence | None
    story: Sentence | None
    bullets: tuple[Sentence, ...]
    used_note: Sentence
    lines: Chart | None
    gap: Chart | None
    gap_note: Sentence | None  # why there is no gap chart
    roles: Chart | None
    roles_note: Sentence
    heat_leaders: Chart | None
    heat_staff: Chart | None
    card: Table | None
    card_note: Sentence
    digits: int  # decimal places of the per-cent columns in tables
    services_note: Sentence | None  # what the scatters compare; None when no export supports either
    scatters: tuple[Scatter, ...]
    services_missing: Sentence | None
    maturity: Chart | None
    maturity_table: Table | None
    maturity_note: Sentence | None
    downloads: tuple[Download, ...]
    queries: tuple[str, ...]


def build(view: Filters) -> Leadership:
    """The Leadership adoption page for one view of the data (cached per view and database)."""
    return _build(view, db.database_stamp(db.db_path()))


@st.cache_data(show_spinner=False, max_entries=32)
def _build(view: Filters, stamp: tuple) -> Leadership:
    policy = policy_for(view)
    records = db.query(QUERY, **view.params())
    has_maturity = bool(db.query(MATURITY_AVAILABLE)["available"].iloc[0])
    maturity = db.query(MATURITY, **view.params()) if has_maturity else None
    return page(records, db.query(OUTCOMES, **view.params()), db.query(OUTCOMES_AVAILABLE).iloc[0].to_dict(),
                maturity, policy)


def page(records: pd.DataFrame, outcomes: pd.DataFrame, available: dict, maturity: pd.DataFrame | None,
         policy: Policy) -> Leadership:
    """The page from its query results: the adoption records, the services' outcomes, what was loaded."""
    records = records.assign(month=pd.to_datetime(records["month"]))
    groups = keep_groups(records, policy)
    queries = (QUERY, OUTCOMES, OUTCOMES_AVAILABLE, MATURITY_AVAILABLE) + ((MATURITY,) if maturity is not None else ())
    if groups.empty:
        return _nothing(records, groups, policy, queries)
    cells = groups.cells
    first, latest = cells["month"].min(), cells["month"].max()
    series = tables.monthly(cells, policy)
    gap = tables.gaps(series, policy)
    roles = tables.role_months(cells, policy)
    heat = tables.directorates(groups, policy)
    card = tables.scorecard(groups, policy)
    linked = tables.services(groups, outcomes, policy)
    heat_frame, card_frame = heat.frame, card.frame.rename(columns={"gap_pts": "gap"})
    has_gap = gap.frame["gap"].notna().any()
    latest_roles = roles.select(rows=roles.frame["month"] == latest)
    split = bool(cells["group"].isin(["executives", "senior_leaders"]).any())
    beside = tables.maturity_beside(maturity, linked, policy) if maturity is not None else None
    scatters, missing = _scatters(linked, available, policy)
    return Leadership(
        empty=None,
        intro=sentence("Digital adoption by leaders (executives and senior leaders), managers and staff, {period}. "
                       "Dates and directorates filter everything here; service, channel and ward filter only the "
                       "services side.", period=words.period(first, latest)),
        privacy=words.privacy_note(policy),
        left_out=words.left_out_note(groups.left_out, _months_with_records(records), policy),
        story=words.story_sentence(card_frame, latest),
        bullets=tuple(s for s in (words.gap_sentence(gap.frame), *words.activity_sentences(heat_frame)) if s),
        used_note=words.used_note(),
        lines=charts.leaders_vs_staff(series, words.lines_title(gap.frame)) if len(series) else None,
        gap=charts.gap_chart(gap, words.gap_title(gap.frame, policy)) if has_gap else None,
        gap_note=None if has_gap else static("There is no leader–staff gap to show: it needs both leaders and staff "
                                             "in groups big enough to show, in the same months."),
        roles=charts.heatmap(latest_roles, words.roles_title(latest), row="group", row_title="Group",
                             name="adoption-heatmap-roles"),
        roles_note=words.roles_note(split, policy),
        heat_leaders=_heat(heat, "Leaders"),
        heat_staff=_heat(heat, "Staff"),
        card=card,
        card_note=sentence("Adoption is the share of tools (every activity but training) a group's people used in "
                           "{month}; trained is everyone in groups shown who has completed training. The icons judge "
                           "each directorate's monthly series with statistical process control (NHS Making Data "
                           "Count) once it has 12 months.", month=words.month_name(latest)),
        digits=max(0, policy.digits("%")),
        services_note=sentence("Each directorate's leaders' adoption over {period}, against the digital take-up and "
                               "the satisfaction of its services over the same months. Rates resting on fewer than "
                               "{n} requests or ratings are left out, and so is a directorate whose leaders are left "
                               "out.", period=words.period(first, latest), n=reference(policy.threshold))
        if scatters else None,
        scatters=scatters,
        services_missing=missing,
        maturity=_maturity_chart(beside, policy),
        maturity_table=beside,
        maturity_note=_maturity_note(beside),
        downloads=_downloads(card, heat, series, roles, linked if scatters else None, beside),
        queries=queries,
    )


def _nothing(records: pd.DataFrame, groups: StaffGroups, policy: Policy, queries: tuple[str, ...]) -> Leadership:
    """The page when no group is big enough to show, or there are no records at all."""
    if records.empty:
        why = static("No staff adoption records for these filters. Widen the dates or directorates, or load an "
                     "adoption export (docs/leadership.md says how).")
    else:
        why = sentence("No group of staff in these records has {n} or more people, so nothing can be shown without "
                       "giving a smaller group away. Widen the dates or directorates.",
                       n=reference(policy.staff_min))
    blank = static("")
    return Leadership(
        empty=why, intro=blank, privacy=words.privacy_note(policy), left_out=None, story=None, bullets=(),
        used_note=blank, lines=None, gap=None, gap_note=None, roles=None, roles_note=blank, heat_leaders=None, heat_staff=None,
        card=None, card_note=blank, digits=0, services_note=None, scatters=(), services_missing=None, maturity=None,
        maturity_table=None, maturity_note=None, downloads=(), queries=queries)


def _months_with_records(records: pd.DataFrame) -> pd.Series:
    """Per directorate, how many months of the view it has any records in."""
    return records.groupby("directorate")["month"].nunique()


def _heat(heat: Table, group: str) -> Chart | None:
    """One directorate heatmap, when the group has any row."""
    rows = heat.frame["group"] == group
    if not rows.any():
        return None
    cells = heat.select(rows=rows)
    return charts.heatmap(cells, words.heatmap_title(heat.frame, group), name=f"adoption-heatmap-{group.lower()}")


def fit_line(frame: pd.DataFrame, x: str, y: str, fit: Correlation, policy: Policy) -> Table | None:
    """The least-squares line's two ends, over the published points' range, at the rates' display precision."""
    if fit.slope is None:
        return None
    ends = frame[x].dropna()
    lo, hi = float(ends.min()), float(ends.max())
    ys = [policy.round_rate(fit.intercept + fit.slope * v, "%") for v in (lo, hi)]
    return Table(pd.DataFrame({x: [lo, hi], y: ys}), {x: RATE, y: RATE})


def _scatters(linked: Table, available: dict, policy: Policy) -> tuple[tuple[Scatter, ...], Sentence | None]:
    """A scatter per outcome the loaded exports can support, and what export the rest need."""
    frame = linked.frame
    out, needs = [], []
    for column, (label, loaded, named, export) in MEASURES.items():
        if not available.get(loaded) or not available.get(named):
            needs.append(sentence("{label} needs {export}", label=label[:1].upper() + label[1:], export=export))
            continue
        fit = correlation(frame["leaders"], frame[column])
        chart = charts.scatter(linked, "leaders", column, "Leaders' adoption", label[:1].upper() + label[1:],
                               words.scatter_title(fit, label), fit_line(frame, "leaders", column, fit, policy),
                               name=f"adoption-scatter-{column}") if fit.n >= 3 else None
        out.append(Scatter(chart, words.association_caption(fit, label, words.r_digits(policy))))
    missing = None
    if needs:
        missing = join([static("To see whether leaders' adoption shows in services:"),
                        join([join([s, static(".")], sep="") for s in needs])])
    return tuple(out), missing


def _maturity_chart(beside: Table | None, policy: Policy) -> Chart | None:
    """Self-assessed maturity against measured leaders' adoption, when 3 or more directorates have both."""
    if beside is None or beside.empty:
        return None
    frame = beside.frame
    fit = correlation(frame["maturity"], frame["leaders"])
    if fit.n < 3:
        return None
    return charts.scatter(beside, "maturity", "leaders", "Self-assessed maturity", "Leaders' adoption (measured)",
                          words.maturity_title(fit), fit_line(frame, "maturity", "leaders", fit, policy),
                          name="adoption-scatter-maturity")


def _maturity_note(beside: Table | None) -> Sentence | None:
    """What the maturity table compares, naming the frameworks."""
    if beside is None:
        return None
    if beside.empty:
        return static("No maturity self-assessment falls in this period.")
    frameworks = sorted({f for f in beside.frame["framework"] if f and f != "–"})
    return sentence("Maturity is a directorate's own score against {frameworks}, as a share of the top score; "
                    "adoption is measured from staff records over the period. Where the two disagree is worth a "
                    "conversation.", frameworks=words.listed(frameworks) if frameworks else "its framework")


def _downloads(card: Table, heat: Table, series: Table, roles: Table, linked: Table | None,
               beside: Table | None) -> tuple[Download, ...]:
    """Every table behind the page, as shown: the charts' data without the empty rows that draw a gap."""
    found = series.frame["people"].notna()
    out = [Download("Scorecard", "leadership_scorecard.csv", card.select(columns=tables.SCORECARD_DOWNLOAD)),
           Download("Heatmaps", "leadership_heatmaps.csv", heat),
           Download("Leaders vs staff", "leadership_leaders_vs_staff.csv", series.select(rows=found)),
           Download("Role levels", "leadership_role_levels.csv", roles)]
    if linked is not None:
        out.append(Download("Services", "leadership_services.csv", linked))
    if beside is not None:
        out.append(Download("Maturity", "leadership_maturity.csv",
                            beside.select(columns=["directorate", "assessed_on", "framework", "maturity_pct",
                                                   "leaders_pct", "staff_pct"])))
    return tuple(out)
