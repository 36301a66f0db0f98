"""The KPI page's words: definitions, headlines, the matrix sentence, year-end reasoning, what the data
cannot support, and how a KPI's process was judged (before and after an event: pulse.pages.kpi_event_words).

Every sentence is built with pulse.disclosure.sentence(): a KPI's values come from its published series
(pulse.metrics.kpis gates it, so a value here is already at display precision or missing), set figures
(targets, thresholds) go through reference(), and verdict words come from pulse.wording, so a verdict
reads the same everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

import pandas as pd

from pulse import wording
from pulse.disclosure import MISSING, Figure, Sentence, join, reference, sentence, static
from pulse.formatting import month_label, quarter_label
from pulse.metrics import spc
from pulse.metrics.kpis import OFF, Judgement, Kpi, KpiResult, is_quarterly, unit_word
from pulse.metrics.projection import Projection


def value(kpi: Kpi, number: float | None) -> Figure:
    """A value of a KPI's published series (or a statistic of those values) as it reads in its unit."""
    if number is None or pd.isna(number):
        return MISSING
    return Figure(float(number), kpi.fmt(float(number)))


def period_label(period: pd.Timestamp | None, kpi: Kpi) -> str:
    """'Oct 2026', 'Q3 2026' or 'w/c 5 Oct 2026', by the KPI's frequency."""
    if period is None:
        return "–"
    if kpi.frequency == "quarterly" and is_quarterly(pd.DatetimeIndex([period])):
        return quarter_label(period)
    if kpi.frequency == "weekly" and kpi.is_manual:
        return f"w/c {period.day} {period:%b %Y}"
    return month_label(period)


def formula(kpi: Kpi, sql: str | None = None) -> Sentence:
    """The KPI's formula in words: the built-in wording, else its query's header comment."""
    if kpi.is_manual:
        return static("Reported by hand: values come from the kpi_values file, one per period.")
    if kpi.formula:
        return static(kpi.formula)
    lines = []
    for line in (sql or "").splitlines():
        if not line.startswith("--"):
            break
        words = line[2:].strip()
        if words.startswith("$") or words.lower().startswith("no parameters"):
            break
        lines.append(words)
    # A council's own definition, as its SQL file states it: words about the KPI, not figures from the data.
    return static(" ".join(lines) or f"Computed by queries/{kpi.definition}.sql.")


def variation_words(result: KpiResult) -> str:
    """The latest point's variation in plain words, for the matrix."""
    if result.needs:
        return "Needs more data"
    if not result.ok:
        return "No figures"
    if result.uninformative:
        return "Not informative"  # the note above the matrix says with what data, and why
    judged = result.chart
    if judged is None or judged.variation is None:
        return f"Too few points ({judged.n_points if judged else 0} of {spc.MIN_POINTS})"
    return wording.variation_words(judged.variation)


def assurance_words(result: KpiResult) -> Sentence:
    """Whether the target will be met, in plain words ('' when the KPI is not judged at all)."""
    if not result.ok or result.uninformative or result.chart is None:
        return ""
    if result.kpi.target is None:
        return "No target set"
    if result.chart.status:
        # The engine's words name a month and a number of months, worked out from the published series.
        return sentence("{status}", status=result.chart.status)
    if result.chart.variation is None:
        return "Too few points"
    if result.kpi.higher_is_better is None:
        return "No better direction"
    return wording.assurance_words(result.chart.assurance)


def name(kpi: Kpi) -> Sentence:
    """The KPI's name as its catalogue gives it (a council's words, which may hold digits)."""
    return sentence("{name}", name=kpi.name)


def headline(result: KpiResult) -> Sentence:
    """A chart title that states the message: 'Digital take-up is improving: 58% in Oct 2026 (target 60%)'."""
    kpi = result.kpi
    period, latest = result.latest
    if latest is None:
        return name(kpi)
    verb = "is fixed by this data" if result.uninformative else \
        wording.VARIATION_VERB[result.chart.variation if result.chart else None]
    said = sentence("{name} {verb}: {latest} in {period}", name=kpi.name, verb=verb, latest=value(kpi, latest),
                    period=period_label(period, kpi))
    if kpi.target is None:
        return said
    return sentence("{said} (target {target})", said=said, target=value(kpi, kpi.target))


def meaning(result: KpiResult) -> Sentence:
    """What the chart says, for leaders: the latest point's variation and where the target lies."""
    judged = result.chart
    if judged is None:
        return Sentence("")
    chart = judged.chart
    if judged.variation is None:
        return sentence("{why}, so there is no verdict yet.", why=chart.warning or "Too few points to judge variation")
    opening = {
        "common_cause": "Latest value shows common-cause variation only, so nothing has significantly changed",
        "improvement": "Latest value shows special-cause improvement",
        "concern": "Latest value shows special-cause concern",
        "neutral": "Latest value shows special-cause variation that is neither improvement nor concern",
    }[judged.variation]
    kpi = result.kpi
    if kpi.target is None:
        return sentence("{opening}.", opening=opening)
    target = value(kpi, kpi.target)
    if judged.status:
        return sentence("{opening}; against the target of {target}: {status}.", opening=opening, target=target,
                        status=judged.status.rstrip(".").lower())
    if judged.assurance == "hit_or_miss" and value(kpi, chart.lower).text == value(kpi, chart.upper).text:
        # Limits collapsed onto the target: every value has been on it, not hit and missed at random.
        verdict = "is where every value has been, with no variation at all, so it is met while nothing changes"
    elif judged.assurance == "hit_or_miss":
        verdict = "is within the process limits, so it will be hit and missed at random"
    elif judged.assurance is None:
        verdict = "cannot be judged because this measure has no better direction"
    else:
        where = "above the upper" if chart.upper is not None and kpi.target > chart.upper else "below the lower"
        outcome = {"pass": "it will be met consistently",
                   "fail": "it will not be met unless the process changes"}[judged.assurance]
        verdict = f"is {where} process limit, so {outcome}"
    return sentence("{opening}; the target of {target} {verdict}.", opening=opening, target=target, verdict=verdict)


def process_note(judged: Judgement | None, series: pd.Series, kpi: Kpi) -> Sentence | None:
    """Where the current process starts and why, for the KPI card: automatic, chosen, or switched off."""
    if judged is None:
        return None
    if judged.rebase == OFF:
        return Sentence("Limits are not recalculated for this KPI: switched off in this page's link.")
    if not judged.start:
        return None
    when = period_label(series.index[judged.start], kpi)
    if judged.rebase == "manual":
        return sentence("Limits recalculated from {when}, as chosen: the chart shows both periods.", when=when)
    run = {"trend": "a run of {n} {unit} rising or falling", "shift": "a run of {n} {unit} on one side of the "
           "average before"}.get(judged.found_by or "", "a sustained change")
    said = sentence(run, n=reference(judged.run_length), unit=unit_word(kpi, judged.run_length))
    return sentence("Limits recalculated automatically from {when}, where {run} began: the chart shows both "
                    "periods.", when=when, run=said)


def seasonality_note(judged: Judgement | None) -> Sentence | None:
    """How the judgement handled seasonality, when the engine checked it."""
    season = getattr(judged, "seasonality", None)
    if season is None:
        return None
    if getattr(season, "seasonal", False):
        return Sentence("Seasonal: judged after removing the usual month-to-month pattern, so a busy winter "
                        "is not taken for a change.")
    if getattr(season, "checked", False):
        return Sentence("Checked for a usual month-to-month pattern: none stands out from the noise, so the "
                        "figures are judged as they are.")
    return Sentence("Not checked for seasonality: that needs about three years of monthly figures without gaps.")


def summary(results: Iterable[KpiResult], projections: Mapping[str, Projection | None]) -> Sentence:
    """The matrix in one sentence: how many KPIs improve or worsen, and how many will meet target."""
    results = list(results)
    judged = [r.chart.variation if r.ok and r.chart and not r.uninformative else None for r in results]
    counts = pd.Series(judged, dtype=object).value_counts()
    said = (("improvement", "is improving", "are improving"), ("concern", "is getting worse", "are getting worse"),
            ("neutral", "has changed unusually", "have changed unusually"),
            ("common_cause", "shows no significant change", "show no significant change"))
    parts = [_verb(int(counts[k]), one, many) for k, one, many in said if counts.get(k, 0)]
    few = sum(1 for r in results if r.ok and not r.uninformative and (r.chart is None or r.chart.variation is None))
    fixed = sum(1 for r in results if r.ok and r.uninformative)
    needs = sum(1 for r in results if r.needs)
    broken = sum(1 for r in results if not r.ok and not r.needs)
    parts += [_verb(n, one, many) for n, one, many in (
        (few, "cannot be judged yet", "cannot be judged yet"),
        (fixed, "is not informative with this data", "are not informative with this data"),
        (needs, "needs data these exports do not have", "need data these exports do not have"),
        (broken, "has no figures", "have no figures")) if n]
    if not results:
        return Sentence("There are no KPIs to judge.")
    text = sentence("Of {n} {kpis}, {parts}.", n=reference(len(results)), kpis="KPI" if len(results) == 1 else "KPIs",
                    parts=_and(parts))
    years = pd.Series([p.status for p in projections.values() if p], dtype=object).value_counts()
    if years.empty:
        return text
    ends = [_verb(int(years[k]), f"is {k}" if k != "will miss" else k, f"are {k}" if k != "will miss" else k)
            for k in ("on track", "at risk", "will miss") if k in years]
    return sentence("{text} By 31 March {ends}.", text=text, ends=_and(ends))


def _verb(n: int, one: str, many: str) -> Sentence:
    return sentence("{n} {verb}", n=reference(n), verb=one if n == 1 else many)


def _and(parts: list[Sentence]) -> Sentence:
    if len(parts) <= 1:
        return join(parts)
    return join([join(parts[:-1], ", "), parts[-1]], " and ")


def readiness(results: Iterable[KpiResult]) -> Sentence | None:
    """What this data cannot support and what would make each KPI work, said once for the page."""
    results = list(results)
    wanted: dict[str, list[str]] = {}
    for result in results:
        if result.needs:
            wanted.setdefault(result.needs, []).append(result.kpi.name)
    fixed: dict[str, list[str]] = {}
    for result in results:
        if result.ok and result.uninformative:
            fixed.setdefault(result.uninformative, []).append(result.kpi.name)
    if not wanted and not fixed:
        return None
    lines = [sentence("{names} {verb} {needs}.", names=_names(names), verb="needs" if len(names) == 1 else "need",
                      needs=needs) for needs, names in wanted.items()]
    lines += [sentence("{names} {verb} not informative with this data: {why}.", names=_names(names),
                       verb="is" if len(names) == 1 else "are", why=why.removeprefix(wording.NOT_INFORMATIVE + ": "))
              for why, names in fixed.items()]
    head = Sentence("**What these exports cannot show yet**")
    return join([head, *[join(["- ", line], "") for line in lines]], "\n")


def _names(names: list[str]) -> Sentence:
    written = [sentence("{n}", n=names[0])] + [sentence("{n}", n=_lower_first(n)) for n in names[1:]]
    return _and(written)


def _lower_first(text: str) -> str:
    # "Net satisfaction" inside a list reads "net satisfaction"; an acronym ("GOV.UK …") keeps its capitals.
    return text[0].lower() + text[1:] if len(text) > 1 and not text[1].isupper() else text


def problems(results: Iterable[KpiResult]) -> Sentence | None:
    """KPIs with no figures for another reason (a query that fails, no data for these filters), said once."""
    lines = [sentence("**{name}**: {problem}", name=r.kpi.name, problem=r.problem)
             for r in results if not r.ok and not r.needs]
    if not lines:
        return None
    return join([join(["- ", line], "") for line in lines], "\n")


def projection_reasoning(projection: Projection, kpi: Kpi) -> tuple[Sentence, ...]:
    """Why the year end is on track, at risk or will miss, step by step."""
    word = unit_word(kpi, 2)
    start, end = pd.Timestamp(projection.year_start), pd.Timestamp(projection.year_end)
    n = projection.so_far
    reasoning = [sentence("Financial year {fy} so far: {n} {unit} averaging {mean}.",
                          fy=f"{start.year}/{str(end.year)[2:]}", n=reference(n), unit=unit_word(kpi, n),
                          mean=value(kpi, projection.so_far_mean))]
    if projection.remaining:
        left = projection.remaining
        lower, upper = value(kpi, projection.process_lower), value(kpi, projection.process_upper)
        worst, best = value(kpi, projection.worst), value(kpi, projection.best)
        # Not "between 50% and 50%" or "50% at worst, 50% at best": a process with no variation is said plainly.
        spread = sentence("; a single {one} normally falls between {lower} and {upper}", one=unit_word(kpi, 1),
                          lower=lower, upper=upper) if lower.text != upper.text else Sentence(", with no variation")
        range_ = sentence(": {worst} at worst, {best} at best", worst=worst, best=best) \
            if worst.text != best.text else Sentence("")
        reasoning += [
            sentence("The current process (the last {points} {word}) averages {mean}{spread}.",
                     points=reference(projection.process_points), word=word,
                     mean=value(kpi, projection.process_mean), spread=spread),
            sentence("If the remaining {left} {unit} to {end} follow it, the year averages about {expected}{range}.",
                     left=reference(left), unit=unit_word(kpi, left), end=f"{end:%-d %B %Y}",
                     expected=value(kpi, projection.expected), range=range_),
        ]
    else:
        reasoning.append(sentence("The year is complete: it averaged {mean}.", mean=value(kpi, projection.expected)))
    meets_expected = projection.meets(projection.expected, kpi.target, kpi.higher_is_better)
    verdict = {"on track": "even at worst the year meets it", "will miss": "even at best the year falls short",
               "at risk": "the year meets it only if the rest goes better than average" if not meets_expected
               else "the year meets it on average, but not at worst"}[projection.status]
    reasoning.append(sentence("Target {target} {better}: {verdict}, so {status}.", target=value(kpi, kpi.target),
                              better="or more" if kpi.higher_is_better else "or less", verdict=verdict,
                              status=projection.status))
    return tuple(reasoning)


def costs_source(costs: pd.DataFrame) -> Sentence:
    """Where the unit costs come from, briefly: 'Socitm Insight 2012 (2012)'."""
    if costs.empty:
        return Sentence("none loaded")
    sources = costs["source"].fillna("source not given").str.replace(r"\s*\(.*\)$", "", regex=True)
    years = costs["year"].astype("Int64").astype("string").fillna("year not given")
    return sentence("{sources}", sources="; ".join(f"{s} ({y})" for s, y in dict.fromkeys(zip(sources, years))))


def data_through(result: KpiResult, last_dates: Mapping[str, date | None], sql: str | None = None,
                 date_to: date | None = None) -> date | None:
    """The last day the KPI's figures cover: its source's last record, or its last reported period."""
    if result.kpi.is_manual:
        period, _ = result.latest
        if period is None:
            return None
        length = {"weekly": pd.DateOffset(weeks=1), "quarterly": pd.DateOffset(months=3)}.get(
            result.kpi.frequency, pd.DateOffset(months=1))
        day = (period + length - pd.Timedelta(days=1)).date()
    else:
        source = "feedback" if sql and "filtered_feedback" in sql else "service_requests"
        day = last_dates.get(source)
        if day is None or pd.isna(day):
            return None
        day = pd.Timestamp(day).date()
    return min(day, date_to) if date_to else day
