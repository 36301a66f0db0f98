"""Resident comments: redaction of personal data, keyword themes and lexicon sentiment.

Everything here is pure and transparent: regular expressions and word lists an analyst can read,
no models and no downloads. Redaction runs at load time (DESIGN.md, "Comments"), so unredacted
text never reaches the database or the screen.

Redaction tags, in the order the passes run (an earlier pass wins where two patterns overlap):

==============  ===============================================================================
``[email]``     anything@domain.tld
``[phone]``     UK numbers: 0 then 9–10 digits (01…, 02…, 03…, 07…, 08…) or +44/0044 then 9–10,
                grouped by spaces, dashes or dots, the area code optionally in brackets
``[card]``      13–19 digits, unbroken or in groups of 3+ split by one kind of separator (space
                or dash), passing the Luhn check
``[NI number]`` two prefix letters (HMRC's rules, plus HMRC's example prefix QQ), six digits
                (optionally in pairs), suffix A–D
``[postcode]``  full UK postcodes in Royal Mail format, any case, space optional; GIR 0AA
``[name]``      up to three capitalised words after "my name is", "my name's", "I am called",
                "I'm called", or "this is" at the start of the comment (after an optional "Hi,")
==============  ===============================================================================

Known limits, chosen on purpose:

- A 10–11 digit number starting 0 (but not 00) cannot be told from a phone number and is redacted
  as one; shorter reference numbers ("ref 123456") are left alone.
- Lower-case ordinals after a district ("block b1 2nd floor") are not taken for postcodes;
  upper-case "B1 2ND" is, because it is a valid postcode.
- Names are caught only after the phrases above, and only when capitalised; a fourth name word
  ("My name is Anne Marie Jane Smith") is left, as are capitalised words in ``NOT_NAMES``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Literal

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

# --------------------------------------------------------------------------------------------
# Redaction
# --------------------------------------------------------------------------------------------

TAG_EMAIL = "[email]"
TAG_PHONE = "[phone]"
TAG_POSTCODE = "[postcode]"
TAG_NI = "[NI number]"
TAG_CARD = "[card]"
TAG_NAME = "[name]"
TAGS = (TAG_EMAIL, TAG_PHONE, TAG_POSTCODE, TAG_NI, TAG_CARD, TAG_NAME)
_TAG_PATTERN = r"\[(?:email|phone|postcode|NI number|card|name)\]"
_TAG_REGEX = re.compile(_TAG_PATTERN)

_EMAIL = re.compile(
    # o'neill@ is an address; a quote before the address is not part of it.
    r"[A-Za-z0-9._%+\-]+(?:'[A-Za-z0-9._%+\-]+)*"
    r"@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}"
)

# Any 13–19 digit run; _card() then checks grouping and the Luhn digit, so "rooms 1 2 3 4 …"
# or a long reference number that fails Luhn is not taken for a card.
_CARD = re.compile(r"(?<![\w.,/£$€])\d(?:[ \-]?\d){12,18}(?!\w)", re.ASCII)

# National: 0[1-9] and 8–9 more digits; international: +44 or 0044, an optional "(0)", 9–10
# digits. Between digits: one space, dash or dot, and a closing bracket after a bracketed area
# code. _phone() rejects a mix of dots and dashes, which is how times and date ranges look.
_PHONE = re.compile(
    r"(?<![\w+])"
    r"(?:(?:\+|00)[ ]?44[ ]?(?:\(0\)[ ]?)?|\(?0)"
    r"[1-9](?:[ .\-]?\)?[ .\-]?\d){8,9}"
    r"(?!\d)",
    re.ASCII,
)

# HMRC: first letter never D F I Q U V, second never D F I O Q U V; QQ is HMRC's own example.
_NI = re.compile(
    r"(?<![A-Za-z0-9])"
    r"(?:[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z]|QQ)"
    r"[ ]?\d{2}[ ]?\d{2}[ ]?\d{2}(?P<sep>[ ]?)(?P<suffix>[A-D])"
    r"(?![A-Za-z0-9])",
    re.IGNORECASE | re.ASCII,
)

# Royal Mail: outward code A9, A99, AA9, AA99, A9A or AA9A; inward code 9AA whose letters are
# never C I K M O V (which also keeps "4pm" and "2km" out).
_POSTCODE = re.compile(
    r"(?<![A-Za-z0-9])"
    r"(?:GIR[ \t]{0,2}0AA"
    r"|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?[ \t]{0,2}(?P<inward>\d[ABD-HJLNP-UW-Z]{2}))"
    r"(?![A-Za-z0-9])",
    re.IGNORECASE | re.ASCII,
)
_ORDINAL = re.compile(r"1st|2nd|3rd|[04-9]th")

# Capitalised words that often follow "This is …" or a name but are not part of a name.
NOT_NAMES = frozenset(
    """
    I A An The It Its My Our Your Their This That These Those Not No Very So Really Absolutely
    Totally Completely Just Still Now Again Also Such Quite Too Ok Okay Yes Why What How When
    Where Who Which Because Regarding About Re From For To In On At Of And But Or Please Thanks
    Thank Hi Hello Dear Council Ridiculous Terrible Awful Appalling Shocking Disgusting
    Unacceptable Outrageous Pathetic Useless Great Good Bad Poor Excellent Brilliant Fantastic
    Amazing Wonderful Lovely Fine Perfect Hopeless Frustrating Disappointing Urgent Important
    Another Second Third Fourth Last Final Day Week Month Year Time
    """.split()
)

# A word of letters in any alphabet ("Siân", "Łukasz", "O'Brien", "Smith-Jones") or an initial
# ("J."); _name() keeps only the leading words that start with a capital.
_LETTER = r"[^\W\d_]"
_NAME_WORD = rf"(?:{_LETTER}\.|{_LETTER}(?:{_LETTER}|['’\-]{_LETTER})*)"
_NAME = re.compile(
    r"(?P<lead>(?i:\bmy[ \t]+name[ \t]+is|\bmy[ \t]+name['’]s|\bi[ \t]+am[ \t]+called"
    r"|\bi['’]m[ \t]+called"
    r"|^\s*(?:(?:hi|hello|hey|good[ \t]+(?:morning|afternoon|evening))[ \t]*[,!.]?[ \t]*)?"
    r"this[ \t]+is)[ \t]+)"
    rf"(?P<name>{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,2}})"
)
_WORD = re.compile(r"\S+")


def _luhn_ok(digits: str) -> bool:
    """True when the digit string passes the Luhn checksum that payment card numbers carry."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


# Each check takes a candidate match and returns (end, replacement) for the text from the
# match's start to end, or None to refuse it. A refused candidate consumes nothing, so a real
# match starting inside it is still found (re.sub would skip past it and a second run of
# redact() would then find it, breaking idempotence).
_Hit = tuple[int, str] | None
_SEPARATOR = re.compile(r"[ \-]")


def _card(m: re.Match[str]) -> _Hit:
    text = m.group()
    # The whole run first, then shorter runs ending at a group break: "4111 1111 1111 1111 20".
    ends = [len(text)] + [s.start() for s in reversed(list(_SEPARATOR.finditer(text)))]
    for end in ends:
        run = text[:end]
        separators = set(_SEPARATOR.findall(run))
        groups = _SEPARATOR.split(run)
        digits = "".join(groups)
        if len(digits) < 13:
            break
        # Printed cards use one separator and groups such as 4-4-4-4, 4-6-5 or 4-4-4-4-3.
        if len(separators) > 1 or any(len(g) < 3 for g in groups[:-1]):
            continue
        # One repeated digit passes Luhn trivially ("0000 0000 0000 0000") but is no card.
        if len(set(digits)) > 1 and _luhn_ok(digits):
            return m.start() + end, TAG_CARD
    return None


def _phone(m: re.Match[str]) -> _Hit:
    text = m.group()
    return None if "." in text and "-" in text else (m.end(), TAG_PHONE)


def _ni(m: re.Match[str]) -> _Hit:
    # "sent it on 123456 a week ago": a lone lower-case "a" is the article, not an NI suffix.
    if m.group("sep") and m.group("suffix") == "a":
        return None
    return m.end(), TAG_NI


def _postcode(m: re.Match[str]) -> _Hit:
    inward = m.group("inward")
    # "block b1 2nd floor": written in lower case, an ordinal is far likelier than a postcode.
    if inward is not None and inward[1:].islower() and _ORDINAL.fullmatch(inward):
        return None
    return m.end(), TAG_POSTCODE


def _name(m: re.Match[str]) -> _Hit:
    end = 0
    for word in _WORD.finditer(m.group("name")):
        if not word.group()[0].isupper() or word.group().rstrip(".") in NOT_NAMES:
            break
        end = word.end()
    if end == 0:
        return None
    return m.start("name") + end, m.group("lead") + TAG_NAME


def _email(m: re.Match[str]) -> _Hit:
    return m.end(), TAG_EMAIL


def _substitute(
    text: str, pattern: re.Pattern[str], check: Callable[[re.Match[str]], _Hit]
) -> str:
    """Replace every match of pattern that check accepts, left to right."""
    parts: list[str] = []
    done = pos = 0
    while (m := pattern.search(text, pos)) is not None:
        hit = check(m)
        if hit is None:
            pos = m.start() + 1
            continue
        end, replacement = hit
        parts += (text[done : m.start()], replacement)
        done = pos = end
    if not parts:
        return text
    parts.append(text[done:])
    return "".join(parts)


# The passes in order: (prefilter, pattern, check). Each prefilter is a cheap superset of its
# pattern without lookarounds or \b, so Arrow's RE2 engine can run it over a whole column at once
# and Python only sees rows that could change. Earlier passes win overlaps: an email address is
# never re-read as a phone number, and a phone number before a card number ("+44 7700 900123
# 4111 1111 1111 1111") is taken first, so the card's digits are not swallowed into its end.
_PASSES: tuple[tuple[str, re.Pattern[str], Callable[[re.Match[str]], _Hit]], ...] = (
    ("@", _EMAIL, _email),
    (r"(?:\+|00) ?44|0[ .\-]?\)?[ .\-]?[1-9](?:[ .\-]?\)?[ .\-]?[0-9]){8}", _PHONE, _phone),
    (r"[0-9](?:[ \-]?[0-9]){12}", _CARD, _card),
    (r"[a-z]{2} ?[0-9]{2} ?[0-9]{2} ?[0-9]{2} ?[a-d]", _NI, _ni),
    (r"[a-z][0-9][a-z0-9]?[ \t]{0,2}[0-9][a-z]{2}|gir[ \t]{0,2}0aa", _POSTCODE, _postcode),
    (
        r"(?:my[ \t]+name(?:[ \t]+is|['’]s)|i(?:[ \t]+am|['’]m)[ \t]+called|this[ \t]+is)"
        r"[ \t]+[^ \t\r\n\[\x00]",  # not "[" or NUL: "My name is [name]" is done
        _NAME,
        _name,
    ),
)
_PREFILTERS = tuple(re.compile(f, re.IGNORECASE) for f, _, _ in _PASSES)
# Each round removes digits, "@" or capitalised words outside tags, so rounds stop changing
# anything quickly (one round in practice, two when redacting uncovers a match); the cap is a
# backstop, not a limit reached on real text.
_MAX_ROUNDS = 5


def _redact_round(text: str) -> str:
    for prefilter, (_, pattern, check) in zip(_PREFILTERS, _PASSES):
        if prefilter.search(text):
            text = _substitute(text, pattern, check)
    return text


def redact(text: str | None) -> str | None:
    """Replace personal data in one free-text comment with tags such as "[email]" or "[phone]"."""
    if not isinstance(text, str):
        return text
    # Repeat until nothing changes, which is what makes redact(redact(x)) == redact(x) hold.
    for _ in range(_MAX_ROUNDS):
        redacted = _redact_round(text)
        if redacted == text:
            break
        text = redacted
    return text


def _arrow_text(series: pd.Series) -> pa.Array | pa.ChunkedArray:
    """The column as Arrow strings; values that are not text become null."""
    is_text = _is_text(series)
    text = series.where(is_text, None) if not is_text.all() else series
    return pa.array(text.astype("str"), type=pa.large_string(), from_pandas=True)


def _is_text(series: pd.Series) -> np.ndarray:
    """Boolean mask of the values that are Python strings."""
    if isinstance(series.dtype, pd.StringDtype):
        return series.notna().to_numpy(dtype=bool)
    return np.fromiter((isinstance(v, str) for v in series.tolist()), bool, len(series))


def _matches(text: pa.Array | pa.ChunkedArray, pattern: str) -> np.ndarray:
    """Case-insensitive RE2 search over an Arrow string column; nulls never match."""
    # pyarrow directly rather than Series.str.contains: pandas falls back to Python's re for
    # any \b in a column holding a "£" or a curly quote, which is every real comment column.
    hits = pc.fill_null(pc.match_substring_regex(text, pattern, ignore_case=True), False)
    return np.asarray(hits.to_numpy(zero_copy_only=False), dtype=bool)


def _candidates(text: pa.Array | pa.ChunkedArray) -> list[np.ndarray]:
    """For each pass, the positions of the rows its prefilter says it could change."""
    return [np.flatnonzero(_matches(text, prefilter)) for prefilter, _, _ in _PASSES]


def redact_series(series: pd.Series) -> pd.Series:
    """Redact every comment in a Series; missing and non-text values, index and dtype are kept."""
    if isinstance(series.dtype, pd.CategoricalDtype):  # redacted text is not among the categories
        return redact_series(series.astype(object)).astype("category")
    if series.empty:
        return series.copy()
    values = series.to_numpy(dtype=object, copy=True)
    # Round one, pass by pass: no pattern can match across a tag's brackets, so a replacement
    # never creates a match the original did not have, and each prefilter, run once over the
    # original column, finds every row its pass could change.
    touched: list[np.ndarray] = []
    for positions, (_, pattern, check) in zip(_candidates(_arrow_text(series)), _PASSES):
        if len(positions):
            values[positions] = [
                _substitute(v, pattern, check) if isinstance(v, str) else v
                for v in values[positions].tolist()
            ]
            touched.append(positions)
    if not touched:
        return series.copy()
    # Later rounds, as in redact(), for the changed rows that could change again. Tags become NUL
    # for the prefilters, which no pattern matches, as no pattern matches a tag's brackets.
    touched_at = np.unique(np.concatenate(touched))
    before = series.iloc[touched_at].tolist()
    changed = touched_at[np.array([a != b for a, b in zip(values[touched_at], before)], dtype=bool)]
    again = pc.replace_substring_regex(
        _arrow_text(pd.Series(values[changed], dtype=object)), _TAG_PATTERN, "\x00"
    )
    redo = changed[np.unique(np.concatenate(_candidates(again))).astype(np.intp)]
    values[redo] = [redact(v) for v in values[redo].tolist()]
    # A new column rather than item assignment, which would leave Arrow-backed strings in
    # thousands of small chunks and make every later scan of the column slow.
    return pd.Series(values, index=series.index, dtype=series.dtype, name=series.name)


# --------------------------------------------------------------------------------------------
# Themes
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
    text = _TAG_REGEX.sub(" ", text)
    found = [theme for theme, regex in _THEME_REGEX.items() if regex.search(text)]
    return found or [OTHER]


def theme_series(series: pd.Series) -> pd.Series:
    """Themes of every comment, as a Series of lists with the same index (see themes())."""
    original = _arrow_text(series)
    blank = ~_matches(original, _CONTENT)
    text = pc.replace_substring_regex(original, _TAG_PATTERN, " ")
    names = list(THEMES)
    bits = np.zeros(len(series), dtype=np.int64)
    for j, theme in enumerate(names):
        bits |= _matches(text, _THEME_PATTERNS[theme]).astype(np.int64) << j
    bits[blank] = -1
    # Only a few hundred theme combinations occur: build each list once and copy it per row
    # rather than walking a million boolean rows in Python.
    combos: dict[int, list[str]] = {-1: [], 0: [OTHER]}
    for code in np.unique(bits).tolist():
        combos.setdefault(code, [n for j, n in enumerate(names) if code >> j & 1])
    result = [combos[c].copy() for c in bits.tolist()]
    return pd.Series(result, index=series.index, dtype=object, name=series.name)


# --------------------------------------------------------------------------------------------
# Sentiment
# --------------------------------------------------------------------------------------------

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
    tokens = _TOKEN.findall(_TAG_REGEX.sub(" ", text).lower().replace("’", "'"))
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
    return pd.Series(
        [sentiment(v) for v in series.tolist()], index=series.index, dtype=float, name=series.name
    )
