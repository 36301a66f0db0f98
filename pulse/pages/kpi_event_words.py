"""The KPI page's words on an event: whether the KPI changed at it (a signal, noise, or too unclear to call),
and the figures behind that verdict, one line each.

Built like pulse.pages.kpi_words (whose value() and period_label() they use): a KPI's values come from its
published series, set figures go through reference().
"""

from __future__ import annotations

import math
from datetime import date

import pandas as pd

from pulse.disclosure import Figure, Sentence, reference, sentence
from pulse.metrics.before_after import MIN_AFTER, MIN_BEFORE, SIGNAL_Z, BeforeAfter
from pulse.metrics.kpis import Kpi, unit_word
from pulse.pages.kpi_words import period_label, value


def _per_period(kpi: Kpi, size: float) -> Figure:
    if kpi.unit == "%":
        return Figure(size, f"{size * 100:.1f} points")
    return value(kpi, size) if kpi.unit in ("£", "days", "score") else Figure(size, f"{size:,.3g}")


def before_after_sentence(change: BeforeAfter, kpi: Kpi, label: str, event_date: date) -> Sentence:
    """The verdict on an event in one sentence: signal, noise, or too unclear to call."""
    event = sentence("“{label}” ({day})", label=label, day=f"{pd.Timestamp(event_date):%-d %b %Y}")
    if not change.judged:
        n_before, n_after = change.n_before, change.n_after
        short = n_before < MIN_BEFORE
        n = n_before if short else n_after
        need = sentence("{only} {unit} with figures {where} (at least {least} {why})",
                        only=sentence("only {n}", n=reference(n)) if n else "no", unit=unit_word(kpi, n),
                        where="before it" if short else "from it", least=reference(MIN_BEFORE if short else MIN_AFTER),
                        why="are needed to know what normal looked like" if short else "are needed")
        return sentence("Not enough figures to judge {event}: there {verb} {need}.", event=event,
                        verb="is" if n == 1 else "are", need=need)
    said = sentence("{name} averaged {after} in the {n_after} {unit_after} from {start}, against {before} in the "
                    "{n_before} before", name=kpi.name, after=value(kpi, change.after_mean),
                    n_after=reference(change.n_after), unit_after=unit_word(kpi, change.n_after),
                    start=period_label(change.start, kpi), before=value(kpi, change.before_mean),
                    n_before=reference(change.n_before))
    if change.verdict == "unclear":
        return sentence("{said}, but {name} was not steady before {event}, so a change cannot be put down to it.",
                        said=said, name=kpi.name, event=event)
    trend = " beyond the trend already under way" if change.drift is not None else ""
    if change.verdict == "signal":
        kind = {"improvement": "an improvement", "concern": "a change for the worse"}.get(change.direction or "",
                                                                                         "a change")
        return sentence("{said}: a signal, not noise. After {event} the process changed{trend}, {kind}.", said=said,
                        event=event, trend=trend, kind=kind)
    if change.drift is None and value(kpi, change.after_mean).text == value(kpi, change.before_mean).text:
        # Not "50% against 50%: that is noise": equal averages are no change at all.
        return sentence("{said}: no change, so no sign that {event} changed anything.", said=said, event=event)
    if change.drift is not None:
        return sentence("{said}: in line with the {move} already under way before {event}, so no sign that it "
                        "changed anything.", said=said, move="rise" if change.drift > 0 else "fall", event=event)
    return sentence("{said}: that is noise, within the normal variation of the {word} before, not a signal that "
                    "{event} changed anything.", said=said, word=unit_word(kpi, 2), event=event)


def _range(kpi: Kpi, lower: float | None, upper: float | None, limits: str = "") -> Sentence:
    """'normal range 48% to 52%', or 'no variation at all' when the limits read the same."""
    low, high = value(kpi, lower), value(kpi, upper)
    if low.text == high.text:
        return Sentence("no variation at all")
    return sentence("normal range {lower} to {upper}{limits}", lower=low, upper=high, limits=limits)


def before_after_reasons(change: BeforeAfter, kpi: Kpi) -> tuple[Sentence, ...]:
    """The figures behind the verdict, one line each."""
    if not change.judged:
        return ()
    word = unit_word(kpi, 2)
    if change.drift is None:
        reasons = [sentence("Before: mean {mean}, {range}.", mean=value(kpi, change.before_mean),
                            range=_range(kpi, change.before_lower, change.before_upper, " (process limits)"))]
    else:
        reasons = [sentence("Before: mean {mean}; a {one} normally fell within {spread} of its trend line (process "
                            "limits).", mean=value(kpi, change.before_mean), one=unit_word(kpi, 1),
                            spread=_per_period(kpi, 3 * change.sigma)),
                   sentence("It was already {moving} by about {drift} a {one} before the event, so the {word} after "
                            "are compared with that trend carried on, which gives {expected} on average.",
                            moving="rising" if change.drift > 0 else "falling",
                            drift=_per_period(kpi, abs(change.drift)),
                            one=unit_word(kpi, 1), word=word, expected=value(kpi, change.expected))]
    z = change.z
    against = "the trend" if change.drift is not None else "the before mean"
    reasons += [
        sentence("After: mean {mean}, {range}.", mean=value(kpi, change.after_mean),
                 range=_range(kpi, change.after_lower, change.after_upper)),
        sentence("Longest run of {word} on one side of {against}: {run} (7 or more is a shift).", word=word,
                 against=against, run=reference(change.longest_run)),
        sentence("{Word} beyond the before limits: {n}.", Word=word.capitalize(), n=reference(change.beyond_limits)),
        sentence("The change is {z} times what month-to-month noise alone would give ({least} or more is a signal).",
                 z=Figure(abs(z), f"{abs(z):.1f}"), least=reference(SIGNAL_Z, digits=0))
        if math.isfinite(z) and (z or change.sigma) else
        Sentence("The values did not vary at all, so any change is a change.") if z else
        Sentence("The values did not vary at all and did not change."),
    ]
    if change.unstable:
        reasons.insert(0, sentence("{n} of the {of} {word} before showed special-cause variation{allowing}.",
                                   n=reference(change.unstable), of=reference(change.n_before), word=word,
                                   allowing=" even allowing for the trend" if change.drift is not None else ""))
    return tuple(reasons)
