"""Resident voice: how residents rate us and what they write, every figure published through the gate.

Satisfaction over time is the KPI page's own user and net satisfaction (pulse.pages.voice_time).
Ratings by service, channel and ward and their distribution are protected in
pulse.pages.voice_ratings; themes by ward and month in pulse.pages.voice_themes. Free text (example
comments) is shown only inside the council, only from themes whose count is shown, shortened for
display; in public-safe mode the page says it is left out.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import pandas as pd
import streamlit as st

from pulse import db, registry
from pulse.charts import voice as charts
from pulse.disclosure import (
    Chart, Figure, Policy, Sentence, Table, count, label_table, reference, sentence, static, withheld,
)
from pulse.filters import Filters
from pulse.formatting import month_span
from pulse.pages import policy_for
from pulse.pages import voice_ratings as vr
from pulse.pages import voice_themes as vt
from pulse.pages import voice_time as vs
from pulse.pages.voice_gaps import gaps, public_note

RATINGS_QUERY = "voice_ratings_by_grain_value"
COMMENTS_QUERY = "voice_comments_by_month_ward_themes"
THEMES_QUERY = "themes_by_position"
WARDS_QUERY = "ward_deprivation_by_ward"
EXAMPLES_QUERY = "voice_examples_by_theme"
ACTIONS_QUERY = "actions_by_date"
COLUMNS_QUERY = "feedback_columns_overall"
PER_THEME = 3
TREND_MOST = 5
BANDS_NOTE = static("Good, average and poor are answers given only as a band (GovMetric); in net satisfaction 4–5 "
                    "count as good, 3 as average and 1–2 as poor.")


@dataclass(frozen=True)
class Voice:
    """Everything the Resident voice page shows, published."""

    intro: Sentence
    gaps: tuple[Sentence, ...]
    public_note: Sentence | None
    responses: Figure
    comments: Figure
    measures: tuple[vs.Satisfaction, ...]
    channel_sentence: Sentence | None
    groups: Table | None
    channels: Table | None
    services: Table | None
    wards: Table | None
    ward_chart: Chart | None
    distribution: Table | None
    distribution_chart: Chart | None
    withheld: tuple[Sentence, ...]
    themes: Table | None
    theme_chart: Chart | None
    theme_wards: Table | None
    examples: dict[str, Table]
    actions: Table | None
    actions_legend: Sentence | None
    rules: Table | None
    trend_choices: tuple[str, ...]
    trend_default: tuple[str, ...]
    theme_hidden: tuple[tuple[str, bool], ...]
    queries: tuple[str, ...]


def build(view: Filters, first: date | None, last: date | None) -> Voice:
    """The page for one view of the data (cached per view and database)."""
    # The policy is part of the key: a threshold set for the deployment is never served another's figures.
    return _build(view, first, last, db.database_stamp(db.db_path()), policy_for(view))


@st.cache_data(show_spinner=False, max_entries=64)
def _build(view: Filters, first: date | None, last: date | None, stamp: tuple, policy: Policy) -> Voice:
    params = view.params()
    # The page's own queries side by side first (db.query_all); the calls below then find them cached.
    db.query_all([COLUMNS_QUERY, RATINGS_QUERY, THEMES_QUERY, COMMENTS_QUERY, ACTIONS_QUERY, WARDS_QUERY]
                 + ([] if policy.public_safe else [EXAMPLES_QUERY]), **params, per_theme=PER_THEME)
    loaded = db.query(COLUMNS_QUERY).iloc[0]
    names, deciles, keys = rows_of(view)
    rated = vr.ratings(db.query(RATINGS_QUERY, **params), policy, keys)
    catalogue = db.query(THEMES_QUERY)
    themes = tuple(catalogue["theme"]) + (vt.OTHER,)
    cells = vt.comment_cells(db.query(COMMENTS_QUERY, **params))
    actions = actions_table(db.query(ACTIONS_QUERY, **params))
    measures = tuple(vs.satisfaction(key, result, rated, actions, policy)
                     for key, result in vs.satisfaction_results(view, first, last).items())
    parts = theme_section(cells, themes, names, deciles, keys, policy, loaded)
    groups, channels, services, wards, hidden = vr.grain_tables(rated, names, loaded, deciles)
    examples = {} if policy.public_safe or parts.table is None else vt.examples(
        db.query(EXAMPLES_QUERY, **params, per_theme=PER_THEME), published_themes(parts.table), names)
    responses = rated.shared_hidden("total") if rated.any else None
    spread = vr.distribution(rated) if rated.any else None
    return Voice(
        intro=intro(view),
        gaps=gaps(loaded, policy),
        public_note=public_note(policy),
        responses=_total(responses, policy, "responses"),
        comments=parts.comments,
        measures=measures,
        channel_sentence=vr.channel_sentence(groups) if groups is not None else None,
        groups=groups, channels=channels, services=services, wards=wards,
        ward_chart=charts.ward_chart(wards, Sentence("User satisfaction by ward, lowest first"), (vr.NOT_GIVEN,))
        if wards is not None and wards.frame["user_value"].notna().any() else None,
        distribution=spread,
        distribution_chart=charts.distribution_chart(spread, Sentence("How residents rated us"))
        if spread is not None else None,
        withheld=hidden + parts.withheld,
        themes=parts.table, theme_chart=parts.chart, theme_wards=parts.wards,
        examples=examples,
        actions=actions,
        actions_legend=charts.actions_legend(actions),
        rules=label_table(catalogue.rename(columns={"theme": "Theme", "rule": "Found in comments that mention"}),
                          labels=["Theme", "Found in comments that mention"]) if not catalogue.empty else None,
        trend_choices=tuple(t for t, ok in published_themes(parts.table).items() if ok),
        trend_default=trend_default(parts.table, actions),
        theme_hidden=parts.hidden,
        queries=(RATINGS_QUERY, *(registry.measure(k).query for k in vs.MEASURES), WARDS_QUERY, COMMENTS_QUERY,
                 THEMES_QUERY, EXAMPLES_QUERY, ACTIONS_QUERY, COLUMNS_QUERY),
    )


def rows_of(view: Filters) -> tuple[dict[str, str], dict[str, int], dict[str, list]]:
    """The view's wards (code → name, code → deprivation decile where known) and the rows every table has
    whatever the counts (vr.universe)."""
    ward_rows = db.query(WARDS_QUERY, **view.params())
    names = {c: n if isinstance(n, str) else c for c, n in zip(ward_rows["ward_code"], ward_rows["ward_name"])}
    deciles = {c: int(d) for c, d in zip(ward_rows["ward_code"], ward_rows["imd_decile"]) if not pd.isna(d)}
    return names, deciles, vr.universe(db.query(RATINGS_QUERY, **Filters().params()), view, list(names))


def intro(view: Filters) -> Sentence:
    """What the page covers."""
    if view.date_from and view.date_to:
        return sentence("How residents rated us and what they wrote, {span}: satisfaction over time "
                        "with statistical process control, by channel, service and ward, and the themes of their "
                        "comments.", span=month_span(view.date_from, view.date_to))
    return static("How residents rated us and what they wrote.")


def _total(frame: pd.DataFrame | None, policy: Policy, what: str) -> Figure:
    """A view's total as published: hidden when the tables beside it hide it."""
    if frame is None:
        return count(0, policy, what)
    if bool(frame["hidden"].iloc[0]):
        return withheld(f"fewer than {policy.threshold} {what}")
    return count(float(frame["count"].iloc[0]), policy, what)


# --------------------------------------------------------------------------- themes


@dataclass(frozen=True)
class Themes:
    """The themes part of the page: the theme table and chart, themes by ward, and what is withheld."""

    table: Table | None
    chart: Chart | None
    wards: Table | None
    comments: Figure
    withheld: tuple[Sentence, ...]
    hidden: tuple[tuple[str, bool], ...]  # each total the theme table hides ("" for all comments), for the trend


def theme_section(cells: pd.DataFrame, themes: tuple[str, ...], names: dict[str, str], deciles: dict[str, int],
                  keys: dict[str, list], policy: Policy, loaded: pd.Series) -> Themes:
    """The theme table and chart, the themes × wards table, all comments, and what is withheld."""
    if cells.empty:
        return Themes(None, None, None, count(0, policy, "comments"), (), ())
    base = vt.protect_themes(cells, themes, policy)
    table = vt.theme_table(base, cells, themes, policy)
    total = base.frame("total")
    comments = _total(total, policy, "comments")
    single = vt.singles(base)
    chart = charts.theme_bars(table, theme_title(table)) if table.frame["comments_value"].notna().any() else None
    hidden = (("", single["total"][1]),) + tuple((t, single[f"theme:{t}"][1]) for t in themes)
    withheld: tuple[Sentence, ...] = ()
    wards = None
    if loaded["wards"] and loaded["boundaries"]:
        in_view = [vt.NO_WARD if w == vr.NOT_GIVEN else w for w in keys["ward"]]
        in_view += [w for w in dict.fromkeys(cells["ward"]) if w not in in_view]
        by_ward = vt.protect_wards(cells, themes, in_view, policy)
        if vt.agrees(by_ward, dict(hidden), themes):
            wards = vt.ward_table(by_ward, base, list(table.frame["Theme"]), names, deciles)
        else:
            withheld = (sentence("Themes by ward are not shown: beside the theme table they would let a count "
                                 "under {n} be worked out.", n=reference(policy.threshold)),)
    return Themes(table, chart, wards, comments, withheld, hidden)


def theme_title(table: Table) -> Sentence:
    """'Most mentioned: Sorted quickly, Kept informed and Staff were helpful; the most negative: Slow to sort out'."""
    shown = table.frame[table.frame["comments_value"].notna() & (table.frame["Theme"] != vt.OTHER)]
    if shown.empty:
        return Sentence("What residents write about")
    top = list(shown["Theme"].head(3))
    named = top[0] if len(top) == 1 else ", ".join(top[:-1]) + " and " + top[-1]
    worst = shown[shown["Feeling"] == "Negative"].sort_values("comments_value", ascending=False, kind="stable")
    if worst.empty:
        return sentence("Most mentioned: {named}", named=named)
    return sentence("Most mentioned: {named}; most mentioned with a negative feeling: {worst}", named=named,
                    worst=worst["Theme"].iloc[0])


def published_themes(table: Table | None) -> dict[str, bool]:
    """Theme → whether its count is shown (examples come only from those)."""
    if table is None:
        return {}
    frame = table.frame
    return dict(zip(frame["Theme"], frame["comments_value"].notna()))


def trend_default(table: Table | None, actions: Table | None) -> tuple[str, ...]:
    """The themes followed over time unless the reader picks others: those the council acted on (up to five),
    else the three most mentioned (Other only when picked)."""
    if table is None:
        return ()
    shown = [t for t, ok in published_themes(table).items() if ok and t != vt.OTHER]
    acted = [] if actions is None else [t for t in actions.frame["Theme"] if t in shown]
    return tuple(dict.fromkeys(acted))[:TREND_MOST] if acted else tuple(shown[:3])


def theme_trend(view: Filters, themes: tuple[str, ...], hidden: tuple[tuple[str, bool], ...]
                ) -> tuple[Chart | None, Sentence | None]:
    """The chosen themes' share of each month's comments, with the actions drawn on it (cached per choice);
    `hidden` is the theme table's hidden totals (Voice.theme_hidden), which the trend must agree with."""
    return _theme_trend(view, tuple(themes), hidden, db.database_stamp(db.db_path()), policy_for(view))


@st.cache_data(show_spinner=False, max_entries=64)
def _theme_trend(view: Filters, themes: tuple[str, ...], hidden: tuple[tuple[str, bool], ...],
                 stamp: tuple, policy: Policy) -> tuple[Chart | None, Sentence | None]:
    cells = vt.comment_cells(db.query(COMMENTS_QUERY, **view.params()))
    if cells.empty or not themes:
        return None, None
    months = list(rows_of(view)[2]["month"])
    months += [m for m in pd.to_datetime(cells["period"].unique()) if m not in set(months)]
    trend = vt.protect_trend(cells, themes, sorted(months), policy)
    if not vt.agrees(trend, dict(hidden), themes):
        return None, sentence("The trend of these themes is not shown: beside the theme table it would let a "
                              "count under {n} be worked out; choose other themes.", n=reference(policy.threshold))
    table = vt.trend_table(trend, themes, policy)
    if table.frame["share"].notna().sum() < 2:
        least = vr.public_base(policy, "%")
        return None, (sentence("No month has enough comments to follow these themes over time (public-safe "
                               "figures need {n} comments in a month).", n=reference(least)) if least else
                      Sentence("No month has enough comments to follow these themes over time."))
    title = Sentence("Share of each month's comments that mention each theme")
    return charts.theme_trend(table, title, actions_table(db.query(ACTIONS_QUERY, **view.params()))), None


# --------------------------------------------------------------------------- you said, we did


def actions_table(rows: pd.DataFrame) -> Table | None:
    """"You said, we did": the council's changes in view, oldest first (its own words, not residents')."""
    if rows.empty:
        return None
    frame = pd.DataFrame({"date": pd.to_datetime(rows["date"]),
                          "When": pd.to_datetime(rows["date"]).dt.strftime("%-d %b %Y"),
                          "What we did": rows["description"].astype(str),
                          "Theme": rows["theme"].fillna("–").astype(str),
                          "Service": rows["service"].fillna("All services").astype(str)})
    return label_table(frame, labels=["date", "When", "What we did", "Theme", "Service"])




# --------------------------------------------------------------------------- for the ward page


def ward_themes(view: Filters, ward_code: str) -> Table:
    """The themes residents of one ward mention, most mentioned first, "Other" left out (for the ward profile).

    Columns: Theme, Comments (a whole number, rounded to 5 in public-safe mode), Share of comments (text,
    of all the ward's comments) and share_value (that share as a number). The view's other filters
    apply; its ward filter is replaced by the ward. Themes whose count would be hidden are not listed.
    """
    where = replace(view, wards=(ward_code,))
    return _ward_themes(where, db.database_stamp(db.db_path()), policy_for(where))


@st.cache_data(show_spinner=False, max_entries=256)
def _ward_themes(view: Filters, stamp: tuple, policy: Policy) -> Table:
    cells = vt.comment_cells(db.query(COMMENTS_QUERY, **view.params()))
    return vt.top_themes(cells, tuple(db.query(THEMES_QUERY)["theme"]), policy)


def display(table: Table) -> Table:
    """A published table without the numeric columns kept for charts (the `_value` ones)."""
    return table.select(columns=[c for c in table.frame.columns if not c.endswith("_value")])
