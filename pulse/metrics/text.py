"""Resident comments: the older import path for redaction and sentiment, and the ward page's themes.

Redaction moved to pulse.ingest.redact (it runs at load time) and sentiment to
pulse.metrics.sentiment; their names are re-exported here, lazily, so every older caller keeps
working (pulse.ingest imports this module while it is itself being imported, so an eager import
of pulse.ingest.redact here would be circular).

The keyword themes below (THEMES, themes, theme_series) are the ones the ward page counts over raw
comments. Themes are now found at load time from editable rules (pulse.metrics.themes) and
stored in feedback_themes; once the ward page reads queries/voice_themes_by_ward_theme.sql this
section can go.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pyarrow.compute as pc

from pulse.placeholders import TAG_PATTERN, TAG_REGEX, TAGS  # noqa: F401 (TAGS: an older name)
from pulse.text_column import as_arrow, search

# Name → module it now lives in, for the names older callers import from here.
_MOVED = {
    "redact": "pulse.ingest.redact",
    "redact_series": "pulse.ingest.redact",
    "sentiment": "pulse.metrics.sentiment",
    "sentiment_label": "pulse.metrics.sentiment",
    "sentiment_series": "pulse.metrics.sentiment",
    "POSITIVE": "pulse.metrics.sentiment",
    "NEGATIVE": "pulse.metrics.sentiment",
    "PHRASES": "pulse.metrics.sentiment",
}


def __getattr__(name: str):
    """The moved names, imported on first use."""
    if name in _MOVED:
        import importlib

        return getattr(importlib.import_module(_MOVED[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# --------------------------------------------------------------------------------------------
# The ward page's keyword themes
# --------------------------------------------------------------------------------------------

OTHER = "other"

# Theme → regexes, matched case-insensitively anywhere in the comment; \b is written out where a
# keyword must start or end a word. Kept to what both Python's re and Arrow's RE2 understand (no
# lookarounds), so themes() and theme_series() agree. "rubbish" and "waste" mean bins here.
THEMES: dict[str, tuple[str, ...]] = {
    "waiting time": (
        r"\bwait(?:s|ed|ing)?\b", r"\bqueu", r"\bdelay", r"\bslow", r"\bages\b", r"\bforever\b",
        r"\btook\b", r"\blater\b", r"\bresponse times?\b", r"\blong(?:er)?\b", r"\bquick",
        r"\bfast(?:er)?\b", r"\bprompt", r"\bstraight away\b", r"\bsame (?:day|week)\b",
        r"\beventually\b", r"\bin the end\b", r"\b(?:hours|days|weeks|months)\b",
    ),
    "website/online form": (
        r"\bwebsite", r"\bweb ?site", r"\bwebpage", r"\bonline\b", r"\bforms?\b", r"\be-?forms?\b",
        r"\bportal\b", r"\bapp\b", r"\blog ?in\b", r"\blogin\b", r"\bsign ?in\b", r"\bpassword",
        r"\bmy account\b", r"\bupload", r"\bweb\b", r"\bclick", r"\blink\b", r"\bdigital\b",
        r"\bcrash", r"\berror message",
    ),
    "phone/contact centre": (
        r"\bphon", r"\btelephon", r"\bcall(?:s|ed|ing)?\b", r"\brang\b", r"\bring(?:ing)?\b",
        r"\bcontact cent(?:re|er)", r"\bcall cent(?:re|er)", r"\bhelpline", r"\bswitchboard",
        r"\bon hold\b", r"\bvoicemail", r"\bhung up\b", r"\banswer(?:s|ed|ing)? the phone",
        r"\bno answer\b", r"\bcut off\b", r"\bgot through\b", r"\bput through\b",
        r"\btransferred\b", r"\bpassed (?:from|between|around)\b",
    ),
    "staff attitude": (
        r"\bstaff\b", r"\brude", r"\bpolite", r"\bimpolite", r"\bfriendly\b", r"\bunfriendly\b",
        r"\battitude", r"\bcourteous", r"\bhelpful\b", r"\bunhelpful\b", r"\bcustomer service",
        r"\badvis[eo]r", r"\bofficer", r"\bdismissive", r"\bpatient\b", r"\bprofessional",
        r"\bunprofessional", r"\brespectful", r"\barrogant", r"\babrupt", r"\bspoke to\b",
        r"\bthe (?:lady|man|gentleman|woman|person|girl|guy|chap)\b", r"\bcaring\b",
        r"\bfobbed off\b", r"\bcounter\b",
    ),
    "bins/waste": (
        r"\bbins?\b", r"\brecycl", r"\brubbish\b", r"\brefuse\b", r"\bwaste\b", r"\bcollections?\b",
        r"\bfly[ -]?tip", r"\blitter", r"\bbulky\b", r"\bcaddy", r"\bdustbin", r"\bwheelie",
        r"\bcrew\b",
    ),
    "repairs": (
        r"\brepair", r"\bfix(?:ed|ing)?\b", r"\bbroken\b", r"\bleak", r"\bdamp\b", r"\bmou?ld\b",
        r"\bmouldy\b", r"\bboiler", r"\bheating\b", r"\bpot ?holes?\b", r"\bmaintenance\b",
        r"\bcontractor", r"\bengineer", r"\bstreet ?lights?\b", r"\broof\b", r"\bplumb",
    ),
    "cost/charges": (
        r"\bcosts?\b", r"\bcostly\b", r"\bcharg(?:e|es|ed|ing)\b", r"\bfees?\b", r"\bprices?\b",
        r"\bexpensive", r"\bafford", r"\bcouncil tax\b", r"\bbills?\b", r"\bpa(?:y|id|ying)\b",
        r"\bpayments?\b", r"\brefund", r"\bmoney\b", r"£", r"\bpenalty", r"\boverpa",
    ),
    "communication/updates": (
        r"\bupdat", r"\bkept (?:me )?informed\b", r"\bkeep (?:me|us) informed\b", r"\binformed\b",
        r"\bgot back\b", r"\bget back to\b", r"\bheard (?:nothing|back)\b", r"\bno response\b",
        r"\bno reply\b", r"\brespon(?:d|se|ded)\b", r"\brepl(?:y|ied)\b", r"\bemail",
        r"\bletters?\b", r"\bnotif", r"\bexplain", r"\bchas(?:e|ed|ing)\b", r"\bfollow(?:ed)? up\b",
        r"\backnowledg", r"\bcommunicat", r"\btold\b", r"\btexts?\b", r"\bmessage",
        r"\bconfirmation", r"\bpromised\b", r"\b(?:rang|called|phoned|came) back\b",
        r"\bno idea\b",
    ),
    "accessibility": (
        r"\baccessib", r"\binaccessib", r"\bdisab", r"\bwheelchair", r"\bblind\b", r"\bdeaf\b",
        r"\bhearing\b", r"\bvisually impaired\b", r"\bscreen ?reader", r"\blarge print\b",
        r"\bmobility\b", r"\bramp\b", r"\bstep[ -]free\b", r"\bdyslex", r"\binterpret",
        r"\btranslat", r"\bfirst language\b", r"\belderly\b", r"\bno internet\b", r"\bcarer",
        r"\beasy read\b", r"\bbsl\b", r"\bsign language\b", r"\bcomputer\b",
    ),
}

_THEME_PATTERNS = {theme: "|".join(words) for theme, words in THEMES.items()}
# ASCII semantics for \\b, as in RE2, so themes() and theme_series() agree on every input.
_THEME_REGEX = {t: re.compile(p, re.IGNORECASE | re.ASCII) for t, p in _THEME_PATTERNS.items()}


# A comment is blank when it has nothing but ASCII whitespace; a comment that is only a tag
# ("[phone]") is not blank: the resident wrote something, just nothing with a theme.
_CONTENT = r"[^ \t\r\n\f\v]"
_CONTENT_REGEX = re.compile(_CONTENT)


def themes(text: str | None) -> list[str]:
    """Themes of one comment in THEMES order; ["other"] when it has none, [] when it is blank."""
    if not isinstance(text, str) or not _CONTENT_REGEX.search(text):
        return []
    text = TAG_REGEX.sub(" ", text)
    found = [theme for theme, regex in _THEME_REGEX.items() if regex.search(text)]
    return found or [OTHER]


def theme_series(series: pd.Series) -> pd.Series:
    """Themes of every comment, as a Series of lists with the same index (see themes())."""
    original = as_arrow(series)
    blank = ~search(original, _CONTENT, ignore_case=True)
    text = pc.replace_substring_regex(original, TAG_PATTERN, " ")
    names = list(THEMES)
    bits = np.zeros(len(series), dtype=np.int64)
    for j, theme in enumerate(names):
        bits |= search(text, _THEME_PATTERNS[theme], ignore_case=True).astype(np.int64) << j
    bits[blank] = -1
    # Only a few hundred theme combinations occur: build each list once and copy it per row
    # rather than walking a million boolean rows in Python.
    combos: dict[int, list[str]] = {-1: [], 0: [OTHER]}
    for code in np.unique(bits).tolist():
        combos.setdefault(code, [n for j, n in enumerate(names) if code >> j & 1])
    result = [combos[c].copy() for c in bits.tolist()]
    return pd.Series(result, index=series.index, dtype=object, name=series.name)
