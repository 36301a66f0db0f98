"""Sentiment of residents' comments: a small lexicon scorer in the manner of VADER, tuned to council feedback.

Why not VADER itself: on a labelled set of 120 council comments (tests/fixtures/sentiment) this
scorer labels 85% correctly, VADER 3.3.2 65% (72% with council words added to its lexicon): VADER
reads "please", "garden waste" or "missed bin reported" as feeling, and knows no "fobbed off" or
"nobody rang back". docs/resident-voice.md has the figures; tests/test_sentiment.py keeps them.

The score is VADER's: valences summed, scaled to (-1, 1) by total / sqrt(total² + 15), labelled
positive from 0.05 and negative from -0.05.
"""

from __future__ import annotations

import math
import re
from typing import Literal

import pandas as pd

from pulse.placeholders import TAG_REGEX

# A comment is blank when it has nothing but ASCII whitespace; a comment that is only a tag
# ("[phone]") is not blank, but carries no sentiment.
_CONTENT_REGEX = re.compile(r"[^ \t\r\n\f\v]")

# Valence on a 0.5–3 scale, in the spirit of VADER (Hutto & Gilbert 2014) but small and tuned to
# council feedback. Left out on purpose: "rubbish" and "waste" (bins), "hard" ("hard working"),
# "issue" and "leak" (neutral ways to report a fault), "fine" (a penalty, or "it was fine").
POSITIVE: dict[str, float] = {
    "good": 1.5, "great": 2.0, "excellent": 2.5, "brilliant": 2.5, "fantastic": 2.5,
    "amazing": 2.5, "wonderful": 2.5, "outstanding": 2.5, "superb": 2.5, "perfect": 2.0,
    "best": 2.0, "better": 1.0, "improved": 1.0, "helpful": 1.5, "helped": 1.0, "friendly": 1.5,
    "polite": 1.5, "kind": 1.5, "courteous": 1.5, "professional": 1.5, "respectful": 1.5,
    "patient": 1.0, "caring": 1.5, "efficient": 1.5, "quick": 1.0, "quickly": 1.0, "fast": 1.0,
    "prompt": 1.0, "promptly": 1.0, "easy": 1.5, "easily": 1.0, "simple": 1.0, "clear": 1.0,
    "straightforward": 1.5, "smooth": 1.0, "convenient": 1.0, "useful": 1.0, "reliable": 1.0,
    "responsive": 1.0, "informative": 1.0, "reassuring": 1.0, "thanks": 1.0, "thank": 1.0,
    "grateful": 1.5, "appreciate": 1.5, "appreciated": 1.5, "pleased": 1.5, "happy": 1.5,
    "satisfied": 1.5, "impressed": 2.0, "recommend": 1.5, "love": 2.0, "lovely": 2.0,
    "nice": 1.0, "resolved": 1.0, "sorted": 1.0, "fixed": 1.0, "properly": 1.0, "care": 1.0,
    "cared": 1.0, "help": 0.5, "helps": 0.5,
}
NEGATIVE: dict[str, float] = {
    "bad": -1.5, "poor": -1.5, "terrible": -2.5, "awful": -2.5, "appalling": -3.0,
    "disgusting": -3.0, "disgraceful": -2.5, "disgrace": -2.5, "dreadful": -2.5,
    "horrible": -2.5, "shocking": -2.5, "useless": -2.0, "pathetic": -2.5, "hopeless": -2.0,
    "worst": -2.5, "worse": -1.5, "rude": -2.0, "unhelpful": -2.0, "dismissive": -2.0,
    "arrogant": -2.0, "abrupt": -1.5, "unprofessional": -2.0, "uncaring": -2.0, "lazy": -2.0,
    "incompetent": -2.5, "ignored": -2.0, "ignore": -1.5, "slow": -1.0, "late": -1.0,
    "delay": -1.0, "delayed": -1.0, "difficult": -1.5, "confusing": -1.5, "confused": -1.0,
    "complicated": -1.5, "unclear": -1.5, "misleading": -1.5, "wrong": -1.5, "frustrating": -2.0,
    "frustrated": -2.0, "annoyed": -1.5, "angry": -2.0, "upset": -1.5, "stressful": -2.0,
    "disappointed": -2.0, "disappointing": -2.0, "unacceptable": -2.5, "ridiculous": -2.0,
    "nightmare": -2.5, "chaos": -2.0, "mess": -1.5, "impossible": -2.0, "broken": -1.0,
    "failed": -1.5, "fail": -1.5, "failure": -1.5, "error": -1.0, "crashed": -1.0,
    "unreliable": -1.5, "lost": -1.0, "missed": -1.0, "unanswered": -1.5, "complaint": -1.0,
    "complain": -1.0, "problem": -1.0, "problems": -1.0, "crashing": -1.5, "crashes": -1.5,
    "crash": -1.5, "cancelled": -1.0, "chase": -1.0, "chased": -1.0, "chasing": -1.0,
    "rats": -1.0, "vermin": -1.5, "again": -0.5,
}
# Multi-word expressions, matched before single words and never negated; a 0.0 entry takes a
# lexicon word out of an idiom ("kind of slow" is not kind).
PHRASES: dict[tuple[str, ...], float] = {
    ("kind", "of"): 0.0, ("pretty", "much"): 0.0, ("never", "again"): -2.0, ("not", "again"): -1.5,
    ("thank", "you"): 1.5, ("no", "problem"): 1.0, ("no", "problems"): 1.0,
    ("well", "done"): 1.5, ("above", "and", "beyond"): 2.5,
    ("waste", "of", "time"): -2.0, ("waste", "of", "money"): -2.0, ("could", "be", "better"): -1.0,
    ("fobbed", "off"): -2.0, ("let", "down"): -1.5, ("let", "me", "down"): -1.5,
    ("let", "us", "down"): -1.5, ("no", "one"): -1.0, ("no", "response"): -1.5,
    ("no", "reply"): -1.5, ("no", "help"): -1.5, ("still", "waiting"): -1.5,
    ("heard", "nothing"): -1.5, ("took", "ages"): -1.5, ("took", "forever"): -1.5,
    ("not", "working"): -1.0, ("not", "good", "enough"): -2.0, ("too", "long"): -1.5,
    ("gave", "up"): -1.5, ("on", "hold"): -1.0, ("no", "idea"): -1.0, ("no", "update"): -1.5,
    ("no", "updates"): -1.5, ("nothing", "happened"): -1.5,
    ("nothing", "had", "been", "done"): -2.0,
    ("nothing", "was", "done"): -2.0, ("couldn't", "find"): -1.5, ("could", "not", "find"): -1.5,
    ("can't", "find"): -1.5, ("cannot", "find"): -1.5, ("hard", "to", "find"): -1.5,
    ("didn't", "collect"): -1.5, ("not", "collected"): -1.5, ("never", "collected"): -1.5,
    ("without", "fixing"): -1.5, ("nobody", "turned", "up"): -1.5,
    ("no", "one", "turned", "up"): -1.5,
    ("nobody", "rang", "back"): -1.5, ("nobody", "called", "back"): -1.5,
    ("nobody", "got", "back"): -1.5, ("still", "there"): -1.0,
    ("kept", "me", "updated"): 1.5, ("kept", "me", "informed"): 1.5, ("on", "time"): 1.0,
    ("straight", "away"): 1.0, ("same", "day"): 1.0, ("same", "week"): 1.0, ("cut", "off"): -1.5,
}
NEGATORS = frozenset(
    """
    not no never nobody nothing none neither nor cannot without hardly barely
    isnt wasnt arent werent dont doesnt didnt cant couldnt wont wouldnt shouldnt havent hasnt
    hadnt aint
    """.split()
)
# Multipliers for the word straight after: British "quite good" is faint praise.
INTENSIFIERS: dict[str, float] = {
    "very": 1.5, "really": 1.5, "so": 1.3, "extremely": 1.75, "incredibly": 1.75,
    "absolutely": 1.75, "totally": 1.5, "completely": 1.5, "utterly": 1.75, "super": 1.5,
    "quite": 0.75, "fairly": 0.75, "slightly": 0.5, "somewhat": 0.5, "bit": 0.5, "little": 0.5,
}
NEGATION_SCALE = -0.74  # VADER's: "not good" is less bad than "bad"
NEGATION_WINDOW = 3  # a negator reaches this many words ahead, stopping at punctuation
BUT_BEFORE, BUT_AFTER = 0.5, 1.5  # "helpful but slow": the clause after "but" carries the verdict
NORMALISE_ALPHA = 15.0  # VADER's: score = total / sqrt(total² + alpha), always inside (-1, 1)
POSITIVE_CUTOFF, NEGATIVE_CUTOFF = 0.05, -0.05  # VADER's label thresholds

_LEXICON = {**POSITIVE, **NEGATIVE}
_TOKEN = re.compile(r"[a-z]+(?:'[a-z]+)?|[.!?;,]")
_BREAKS = frozenset(".!?;,")
# Phrase lengths by first word, longest first, so most words cost one dictionary lookup.
_PHRASE_LENGTHS: dict[str, list[int]] = {
    first: sorted({len(p) for p in PHRASES if p[0] == first}, reverse=True)
    for first in {p[0] for p in PHRASES}
}


def _is_negator(token: str) -> bool:
    return token in NEGATORS or token.endswith("n't")


def sentiment(text: str | None) -> float:
    """Lexicon sentiment of one comment in [-1, 1]; NaN when there is no text to judge."""
    if not isinstance(text, str) or not _CONTENT_REGEX.search(text):
        return math.nan
    # Placeholders are not the resident's words: "[phone]" says nothing about how they feel.
    tokens = _TOKEN.findall(TAG_REGEX.sub(" ", text).lower().replace("’", "'"))
    valences: list[float] = []
    but_at: int | None = None
    negate_left = 0
    i = 0
    while i < len(tokens):
        token = tokens[i]
        for n in _PHRASE_LENGTHS.get(token, ()):
            phrase = tuple(tokens[i : i + n])
            if phrase in PHRASES:
                valences.append(PHRASES[phrase])
                i += n
                negate_left = 0
                break
        else:
            if token in _BREAKS:
                negate_left = 0
            elif token == "but":
                but_at = len(valences)
                negate_left = 0
            elif _is_negator(token):
                negate_left = NEGATION_WINDOW
            else:
                value = _LEXICON.get(token)
                if value is not None:
                    if i and tokens[i - 1] in INTENSIFIERS:
                        value *= INTENSIFIERS[tokens[i - 1]]
                    if negate_left:
                        value *= NEGATION_SCALE
                    valences.append(value)
                negate_left = max(negate_left - 1, 0)
            i += 1
    if but_at is not None:
        valences = [v * BUT_BEFORE for v in valences[:but_at]] + [
            v * BUT_AFTER for v in valences[but_at:]
        ]
    total = sum(valences)
    return total / math.sqrt(total * total + NORMALISE_ALPHA)


def sentiment_label(score: float) -> Literal["positive", "neutral", "negative"]:
    """Label a sentiment score with VADER's ±0.05 cut-offs; NaN (no text) counts as neutral."""
    if score is None or math.isnan(score):
        return "neutral"
    if score >= POSITIVE_CUTOFF:
        return "positive"
    if score <= NEGATIVE_CUTOFF:
        return "negative"
    return "neutral"


def sentiment_series(series: pd.Series) -> pd.Series:
    """Sentiment of every comment as a float Series with the same index (NaN where no text)."""
    # Comments repeat ("Thank you", "Bin missed again"): score each distinct text once.
    done: dict[str, float] = {}
    scores = [
        (done[v] if v in done else done.setdefault(v, sentiment(v))) if isinstance(v, str) else math.nan
        for v in series.tolist()
    ]
    return pd.Series(scores, index=series.index, dtype=float, name=series.name)
