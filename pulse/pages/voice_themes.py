"""Resident voice, themes: what residents write about, by theme, month and ward, every count gated.

A comment can have several themes, so the cells of every model are comments by the set of themes
they have (and ward, month or rating as the table needs): a theme's count adds up the sets that
hold it, and a ward's or a month's comments count each comment once. Comments no rule caught are
"Other". Counts of themes are published from:

- the theme model (sets of themes × rated): each theme's comments and the ratings behind its share
  satisfied, and all comments;
- the ward model (ward × set of themes): the themes × wards table with both margins;
- the trend model (month × the chosen themes): the share of each month's comments per theme.

Each declares every theme's total and the total of comments first. The theme model is the
reference: the ward table or the trend is withheld whole if its model disagrees with it about
any of those totals (it would then let one be worked out that the theme table hides).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from pulse.disclosure import (
    COUNT, LABEL, RATE, TEXT, CountModel, Policy, Protection, Sentence, Table, sentence, withheld,
)
from pulse.disclosure.rules import SUPPRESSED
from pulse.pages.voice_ratings import shown_rate

OTHER = "Other"
SEP = "\x1e"  # between the themes of a set (a character no theme name holds)
NO_WARD = "No ward given"
FEELING = ((0.05, "Positive"), (-0.05, "Neutral"))  # the sentiment labels' own cut-offs
EXAMPLE_CHARACTERS = 280


def comment_cells(rows: pd.DataFrame) -> pd.DataFrame:
    """voice_comments_by_month_ward_themes as cells: period, ward, themes (a set as text), rated, comments,
    sentiment_sum."""
    themes = rows["themes"].fillna("").astype(str).replace("", OTHER).to_numpy()
    return pd.DataFrame({
        "period": pd.to_datetime(rows["period"]).to_numpy(),
        "ward": rows["ward_code"].astype(object).where(rows["ward_code"].notna(), NO_WARD).to_numpy(),
        "themes": themes,
        "rated": rows["rated"].astype(str).to_numpy(),
        "comments": rows["comments"].to_numpy(dtype=float),
        "sentiment_sum": rows["sentiment_sum"].to_numpy(dtype=float),
    })


def has(theme: str):
    """A row filter: cells whose set of themes holds `theme` (each distinct set is looked at once)."""
    def pick(cells: pd.DataFrame) -> pd.Series:
        sets = cells["themes"]
        return sets.isin([s for s in sets.unique() if theme in s.split(SEP)])
    return pick


def _with_zeros(cells: pd.DataFrame, keys: dict[str, Iterable]) -> pd.DataFrame:
    """The cells by `keys` alone, with a zero for every combination of them not already counted: a count
    that happens to be zero is protected like any small count, so one record more or less does not change
    what else is hidden."""
    dims = list(keys)
    counted = cells[dims + ["comments", "sentiment_sum"]]
    grid = pd.MultiIndex.from_product([list(v) for v in keys.values()], names=dims).to_frame(index=False)
    missing = grid.merge(counted[dims].drop_duplicates(), how="left", indicator=True)
    missing = missing[missing["_merge"] == "left_only"].drop(columns="_merge")
    if missing.empty:
        return counted
    return pd.concat([counted, missing.assign(comments=0.0, sentiment_sum=0.0)], ignore_index=True)


def _shared(model: CountModel, themes: Sequence[str]) -> None:
    """What every theme model declares first: all comments and each theme's comments."""
    model.add("total", [], priority=9)
    for theme in themes:
        model.add(f"theme:{theme}", [], where=has(theme), priority=8)


def protect_themes(cells: pd.DataFrame, themes: Sequence[str], policy: Policy) -> Protection:
    """Comments by theme, and the ratings behind each theme's share satisfied."""
    frame = _with_zeros(cells, {"themes": themes, "rated": ("satisfied", "not satisfied")})
    model = CountModel(frame, ["themes", "rated"], "comments", policy, "comments by theme")
    _shared(model, themes)
    rated = lambda c: c["rated"] != "not rated"  # noqa: E731
    for theme in themes:
        model.add(f"scale:{theme}", [], where=lambda c, t=theme: has(t)(c) & rated(c), role="denominator")
        model.add(f"satisfied:{theme}", [], where=lambda c, t=theme: has(t)(c) & (c["rated"] == "satisfied"),
                  role="numerator")
    return model.protect()


def protect_wards(cells: pd.DataFrame, themes: Sequence[str], wards: Sequence[str], policy: Policy) -> Protection:
    """The themes × wards table: each ward's comments per theme, with both margins."""
    frame = _with_zeros(cells, {"ward": wards, "themes": themes})
    model = CountModel(frame, ["ward", "themes"], "comments", policy, "comments by ward and theme")
    _shared(model, themes)
    model.add("wards", ["ward"], priority=7)
    for theme in themes:
        model.add(f"ward:{theme}", ["ward"], where=has(theme))
    return model.protect()


def protect_trend(cells: pd.DataFrame, themes: Sequence[str], months: Sequence[pd.Timestamp],
                  policy: Policy) -> Protection:
    """Each month's comments, and how many of them mention each chosen theme."""
    keep = set(themes)
    frame = cells.assign(themes=[SEP.join(t for t in s.split(SEP) if t in keep) or "–" for s in cells["themes"]])
    frame = _with_zeros(frame, {"period": months, "themes": themes})
    model = CountModel(frame, ["period", "themes"], "comments", policy, "comments by month and theme")
    _shared(model, themes)
    model.add("months", ["period"], role="denominator", priority=5)
    for theme in themes:
        model.add(f"month:{theme}", ["period"], where=has(theme), role="numerator")
    return model.protect()


def agrees(protection: Protection, hidden: dict[str, bool], themes: Sequence[str]) -> bool:
    """Whether a model hides the same totals as the theme table: all comments ("" in `hidden`) and each theme's."""
    single = singles(protection)
    return single["total"][1] == hidden[""] and all(single[f"theme:{t}"][1] == hidden[t] for t in themes)


# --------------------------------------------------------------------------- tables


def feeling(score: float | None) -> str:
    """'Positive', 'Neutral' or 'Negative' for a published mean sentiment; '–' when it is not shown."""
    if score is None:
        return "–"
    return next((word for cut, word in FEELING if score >= cut), "Negative")


def singles(protection: Protection) -> dict[str, tuple[float, bool]]:
    """Each family of one aggregate (declared with no `by`): its true count and whether it is hidden."""
    out, start = {}, 0
    for family in protection.families:
        if not family.by:
            out[family.name] = (float(protection.counts[start]), bool(protection.hidden[start]))
        start += len(family.counts)
    return out


def theme_table(protection: Protection, cells: pd.DataFrame, themes: Sequence[str], policy: Policy) -> Table:
    """Per theme: comments, their share of all comments, mean sentiment and share satisfied; the most
    mentioned first (by the published count), themes whose count is hidden after them, Other last."""
    single = singles(protection)
    all_comments, all_hidden = single["total"]
    sets = cells.groupby("themes", as_index=False)[["comments", "sentiment_sum"]].sum()
    rows = []
    for position, theme in enumerate(themes):
        mine = sets[has(theme)(sets)]
        n, hidden = float(mine["comments"].sum()), single[f"theme:{theme}"][1]
        scale, satisfied = single[f"scale:{theme}"], single[f"satisfied:{theme}"]
        share = withheld() if hidden or all_hidden else shown_rate(
            n / all_comments if all_comments else None, all_comments, "%", policy, "comments")
        mood = withheld() if hidden else shown_rate(mine["sentiment_sum"].sum() / n if n else None, n, "score",
                                                    policy, "comments", spread=2.0)
        happy = withheld() if scale[1] or satisfied[1] else shown_rate(
            satisfied[0] / scale[0] if scale[0] else None, scale[0], "%", policy, "ratings")
        shown = None if hidden else policy.shown_count(n)
        rows.append({"Theme": theme, "Comments": SUPPRESSED if hidden else shown,
                     "Feeling": feeling(mood.value if mood.shown else None),
                     "Share of comments": share.text, "Mean sentiment": mood.text, "Satisfied": happy.text,
                     "comments_value": np.nan if hidden else float(shown),
                     "share_value": share.value if share.shown else np.nan,
                     "sentiment_value": mood.value if mood.shown else np.nan,
                     "satisfied_value": happy.value if happy.shown else np.nan,
                     "_order": (theme == OTHER, hidden, -(shown or 0), position)})
    frame = pd.DataFrame(sorted(rows, key=lambda r: r["_order"])).drop(columns="_order")
    frame["Comments"] = frame["Comments"].astype(object)
    for column in ("comments_value", "share_value", "sentiment_value", "satisfied_value"):
        frame[column] = frame[column].astype(float)
    # The count before a word: a count just before a rate in a line of the download reads as one number.
    return Table(frame, {"Theme": LABEL, "Comments": COUNT, "Feeling": LABEL, "Share of comments": TEXT,
                         "Mean sentiment": TEXT, "Satisfied": TEXT, "comments_value": RATE, "share_value": RATE,
                         "sentiment_value": RATE, "satisfied_value": RATE})


def ward_table(protection: Protection, reference: Protection, order: Sequence[str], wards: dict[str, str],
               deciles: dict[str, int] | None = None) -> Table:
    """Themes (rows, in the theme table's order) × wards (columns), the all-wards total of each theme and a
    last row with each ward's comments (a comment with several themes counts once there). With deprivation
    loaded, wards run from the most deprived, each headed with its decile."""
    deciles = deciles or {}
    codes = sorted(protection.hidden_of("wards")["ward"],
                   key=lambda c: (c == NO_WARD, deciles.get(c, 11), str(wards.get(c, c)).casefold()))
    columns = {code: f"{wards.get(code, code)} (decile {deciles[code]})" if code in deciles else wards.get(code, code)
               for code in codes}
    rows = []
    for theme in [*order, "Comments from the ward"]:
        if theme == "Comments from the ward":
            cells = protection.table("wards").frame.set_index("ward")["comments"]
            total = reference.table("total").frame["comments"].iloc[0]
        else:
            cells = protection.table(f"ward:{theme}").frame.set_index("ward")["comments"]
            total = reference.table(f"theme:{theme}").frame["comments"].iloc[0]
        rows.append({"Theme": theme, **{name: cells.get(code, SUPPRESSED) for code, name in columns.items()},
                     "All": total})
    frame = pd.DataFrame(rows)
    for name in [*columns.values(), "All"]:
        frame[name] = frame[name].astype(object)
    return Table(frame, {"Theme": LABEL, **dict.fromkeys(columns.values(), COUNT), "All": COUNT})


def trend_table(protection: Protection, themes: Sequence[str], policy: Policy) -> Table:
    """Per month and chosen theme: the share of that month's comments mentioning it (NaN where hidden)."""
    months = protection.frame("months")
    rows = []
    for theme in themes:
        counts = protection.frame(f"month:{theme}")
        both = months.merge(counts, on="period", suffixes=("_month", ""))
        for row in both.itertuples():
            figure = withheld() if row.hidden or row.hidden_month else shown_rate(
                row.count / row.count_month if row.count_month else None, row.count_month, "%", policy, "comments")
            rows.append({"period": pd.Timestamp(row.period), "theme": theme, "share": figure.value if figure.shown
                         else np.nan, "share_text": figure.text})
    frame = pd.DataFrame(rows, columns=["period", "theme", "share", "share_text"])
    frame["share"] = frame["share"].astype(float)
    return Table(frame, {"period": LABEL, "theme": LABEL, "share": RATE, "share_text": TEXT})


def shortened(text: str, limit: int = EXAMPLE_CHARACTERS) -> str:
    """A comment shortened for display at a word boundary, marked with an ellipsis; the whole is kept."""
    text = " ".join(str(text).split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] or text[:limit]
    return cut.rstrip(" ,.;:") + " …"


def examples(rows: pd.DataFrame, published: dict[str, bool], wards: dict[str, str]) -> dict[str, Table]:
    """A few example comments per theme (from voice_examples_by_theme), only for themes whose count is shown:
    shortened for display, with the linked request's service, channel and ward where there is one."""
    out = {}
    for theme, group in rows.groupby("theme", sort=False):
        if not published.get(theme):
            continue
        frame = pd.DataFrame({
            "Comment": [shortened(c) for c in group["comment"]],
            "Month": [pd.Timestamp(d).strftime("%b %Y") for d in group["submitted_at"]],
            "Rating": [_rating(r) for r in group["rating"]],
            "Service": group["service"].fillna("–").astype(str).to_numpy(),
            "Channel": group["channel"].fillna("–").astype(str).str.replace("_", " ").to_numpy(),
            "Ward": [wards.get(w, n if isinstance(n, str) else "–") if isinstance(w, str) else "–"
                     for w, n in zip(group["ward_code"], group["ward_name"])],
            "Details from": ["request" if linked else "feedback" for linked in group["linked"]],
        })
        out[str(theme)] = Table(frame, dict.fromkeys(frame.columns, LABEL))
    return out


def _rating(value: object) -> str:
    if value is None or pd.isna(value):
        return "band only"
    return f"{int(value)} of 5"


def top_themes(cells: pd.DataFrame, themes: Sequence[str], policy: Policy) -> Table:
    """The themes of one ward's comments, most mentioned first, each with its share of the ward's comments.

    One CountModel over the ward's comments by set of themes declares the ward's comments (the base of
    the shares) and each theme's count. Only themes whose count is shown are listed: a hidden count
    ("[c]", under the threshold, zero included) is left out, so the list says nothing about it. Other
    (comments no rule caught) is left out too.
    """
    columns = {"Theme": LABEL, "Share of comments": TEXT, "Comments": COUNT, "share_value": RATE}
    named = [t for t in themes if t != OTHER]
    if cells.empty or not named:
        return Table(pd.DataFrame({c: pd.Series(dtype=float if c == "share_value" else object) for c in columns}),
                     columns)
    frame = _with_zeros(cells, {"themes": named})
    model = CountModel(frame, ["themes"], "comments", policy, "comments in the ward by theme")
    model.add("comments", [], role="denominator", priority=9)
    for theme in named:
        model.add(f"theme:{theme}", [], where=has(theme))
    protection = model.protect()
    base = protection.frame("comments")
    all_comments, base_hidden = float(base["count"].iloc[0]), bool(base["hidden"].iloc[0])
    rows = []
    for position, theme in enumerate(named):
        figure = protection.frame(f"theme:{theme}")
        n, hidden = float(figure["count"].iloc[0]), bool(figure["hidden"].iloc[0])
        if hidden:
            continue
        share = withheld() if base_hidden else shown_rate(n / all_comments, all_comments, "%", policy, "comments")
        shown = policy.shown_count(n)
        rows.append(((-shown, position), {"Theme": theme, "Share of comments": share.text, "Comments": shown,
                                          "share_value": share.value if share.shown else np.nan}))
    out = pd.DataFrame([row for _, row in sorted(rows, key=lambda r: r[0])], columns=list(columns))
    out["Comments"] = out["Comments"].astype(object)
    out["share_value"] = out["share_value"].astype(float)
    return Table(out, columns)


_MARKDOWN = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()#+-.!|>~<"})


def quotes(examples: Table) -> list[Sentence]:
    """Example comments as quotations with their details, for reading: '“…” — Oct 2026 · 4 of 5 · …'."""
    lines = []
    for row in examples.frame.itertuples(index=False):
        source = "the request" if row[6] == "request" else "the feedback"
        # Details not known are left out, not written "· – · – · –".
        known = "".join(f" · {d}" for d in row[3:6] if d != "–")
        lines.append(sentence("“{comment}” — {month} · rated {rating}{known} (details from {source})",
                              comment=str(row[0]).translate(_MARKDOWN), month=row[1], rating=row[2], known=known,
                              source=source))
    return lines
