"""Turn raw source values into canonical types and values, flagging the ones that fail."""

from __future__ import annotations

import re
import unicodedata

import numpy as np
import pandas as pd

LOCAL_TZ = "Europe/London"
_OFFSET = re.compile(r"(?:Z|[+-]\d{2}(?::?\d{2})?)$", re.IGNORECASE)
_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")

CHANNEL_SYNONYMS = {
    "online": (
        "online", "web", "website", "web form", "webform", "online form", "e form", "eform",
        "desktop", "mobile", "mobile web", "mobile browser", "web interface", "internet",
        "portal", "self service", "webchat", "web chat", "live chat", "chat", "digital",
    ),
    "app": ("app", "ios", "android", "mobile app", "iphone", "ipad", "smartphone app"),
    "phone": (
        "phone", "telephone", "tel", "call", "contact centre", "contact center", "call centre",
        "call center", "ivr", "phone call", "telephony",
    ),
    "face_to_face": (
        "face to face", "f2f", "counter", "in person", "walk in", "reception", "visit",
        "one stop shop", "customer service centre", "home visit",
    ),
    "email": ("email", "e mail", "mail in"),
    "post": ("post", "letter", "postal", "paper form"),
    "social": ("social", "social media", "twitter", "x", "facebook", "instagram"),
    "other": ("other",),
}
# Only outcomes: "closed", "resolved" or "done" say a request ended, not that it succeeded, so
# they are statuses and stay 'other' unless the mapping says what they mean.
OUTCOME_SYNONYMS = {
    "completed": ("completed", "complete", "success", "successful"),
    "not_eligible": ("not eligible", "ineligible", "not_eligible", "no further action", "nfa"),
    "error": ("error", "failed", "failure", "system error"),
    "dropped_out": ("dropped out", "dropped_out", "abandoned", "drop out", "withdrawn"),
    "other": ("other",),
}
ROLE_SYNONYMS = {
    "executive": (
        "executive", "exec", "chief executive", "ceo", "corporate director",
        "executive director", "strategic director", "elt", "cmt",
    ),
    "senior_leader": (
        "senior leader", "senior_leader", "senior leadership", "slt", "head of service",
        "assistant director", "director", "service director", "head of",
    ),
    "manager": ("manager", "team leader", "team manager", "supervisor", "line manager"),
    "staff": ("staff", "officer", "employee", "other staff", "colleague", "practitioner"),
}
BAND_SYNONYMS = {
    "good": ("good", "satisfied", "very satisfied", "positive", "happy", "yes"),
    "average": ("average", "neutral", "ok", "okay", "neither"),
    "poor": ("poor", "dissatisfied", "very dissatisfied", "negative", "unhappy", "bad", "no"),
}
TRUE_WORDS = {"true", "t", "yes", "y", "1", "1.0"}
FALSE_WORDS = {"false", "f", "no", "n", "0", "0.0"}


def value_key(value: object) -> str:
    """A forgiving comparison key: case, accents, punctuation and spacing ignored."""
    text = unicodedata.normalize("NFKD", str(value)).encode("ascii", "ignore").decode()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text.casefold()).split())


def text_of(series: pd.Series) -> pd.Series:
    """The values as pandas' default text dtype, without a copy when they already are text."""
    if isinstance(series.dtype, pd.StringDtype) and series.dtype.na_value is not pd.NA:
        return series
    return series.astype("str")


def blank(series: pd.Series) -> pd.Series:
    """True where a value is missing or only whitespace."""
    if series.dtype == object or pd.api.types.is_string_dtype(series):
        empty = text_of(series).str.strip() == ""
        return (series.isna() | empty.fillna(True)).astype(bool)
    return series.isna().astype(bool)


def as_text(series: pd.Series) -> pd.Series:
    """Stripped text, with blanks as missing."""
    text = text_of(series).str.strip()
    return text.mask(text == "")


def parse_timestamps(series: pd.Series, date_format: str | None = None) -> tuple[pd.Series, pd.Series]:
    """Local (Europe/London) naive timestamps, and a mask of values that are not dates."""
    if isinstance(series.dtype, pd.DatetimeTZDtype):
        return series.dt.tz_convert(LOCAL_TZ).dt.tz_localize(None).astype("datetime64[us]"), _none(series)
    if pd.api.types.is_datetime64_any_dtype(series):
        return series.astype("datetime64[us]"), _none(series)
    missing = blank(series)
    text = text_of(series).str.strip()
    result = pd.Series(pd.NaT, index=series.index, dtype="datetime64[us]")
    todo = ~missing
    if date_format:
        parsed = pd.to_datetime(text.where(todo), format=date_format, errors="coerce")
        result = result.where(parsed.isna(), parsed.astype("datetime64[us]"))
        todo &= parsed.isna()
    with_offset = todo & text.str.contains(_OFFSET, na=False)
    if with_offset.any():
        aware = pd.to_datetime(text.where(with_offset), format="ISO8601", errors="coerce", utc=True)
        local = aware.dt.tz_convert(LOCAL_TZ).dt.tz_localize(None).astype("datetime64[us]")
        result = result.where(~with_offset, local)
    naive = todo & ~with_offset
    if naive.any():
        parsed = pd.to_datetime(text.where(naive), format="ISO8601", errors="coerce")
        result = result.where(~naive, parsed.astype("datetime64[us]"))
    return result, (~missing & result.isna()).astype(bool)


def parse_numbers(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Floats (thousands separators and £ allowed), and a mask of values that are not numbers."""
    if pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series):
        return series.astype("float64"), _none(series)
    missing = blank(series)
    text = text_of(series).str.strip().str.replace("£", "", regex=False)
    commas = text.str.fullmatch(_THOUSANDS, na=False)
    text = text.where(~commas, text.str.replace(",", "", regex=False))
    numbers = pd.to_numeric(text, errors="coerce").astype("float64")
    return numbers, (~missing & numbers.isna()).astype(bool)


def parse_booleans(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """True/False from yes/no, true/false, 1/0, Y/N; and a mask of values that are neither."""
    if pd.api.types.is_bool_dtype(series):
        return series.astype("boolean"), _none(series)
    missing = blank(series)
    key = text_of(series).str.strip().str.casefold()
    result = pd.Series(pd.NA, index=series.index, dtype="boolean")
    result[key.isin(TRUE_WORDS).fillna(False)] = True
    result[key.isin(FALSE_WORDS).fillna(False)] = False
    return result, (~missing & result.isna()).astype(bool)


def normalise_values(
    series: pd.Series,
    synonyms: dict[str, tuple[str, ...]],
    mapped: dict[str, tuple[str, ...]] | None = None,
) -> tuple[pd.Series, pd.Series]:
    """Canonical values via the mapping file first, then built-in synonyms; mask of unknowns."""
    lookup: dict[str, str] = {}
    for canon, words in synonyms.items():
        for word in (canon, *words):
            lookup[value_key(word)] = canon
    for canon, words in (mapped or {}).items():
        for word in words:
            lookup[value_key(word)] = canon
    missing = blank(series)
    # Map the distinct values only: exports repeat a handful of values millions of times.
    text = text_of(series)
    uniques = pd.Series(text.dropna().unique())
    table = dict(zip(uniques, uniques.map(lambda v: lookup.get(value_key(v)))))
    result = text.map(table).astype("str")
    return result, (~missing & result.isna()).astype(bool)


def month_start(series: pd.Series) -> tuple[pd.Series, pd.Series]:
    """First day of the month of each value ('2026-03', '2026-03-15', 'Mar 2026'…)."""
    stamps, bad = parse_timestamps(series)
    retry = bad & text_of(series).str.strip().str.len().gt(0).fillna(False).astype(bool)
    if retry.any():
        alt = pd.to_datetime(text_of(series.where(retry)), format="%b %Y", errors="coerce")
        alt = alt.fillna(pd.to_datetime(text_of(series.where(retry)), format="%B %Y", errors="coerce"))
        stamps = stamps.where(~retry, alt.astype("datetime64[us]"))
        bad = (bad & alt.isna()).astype(bool)
    return (stamps - pd.to_timedelta(stamps.dt.day - 1, unit="D")).dt.normalize(), bad


def _none(series: pd.Series) -> pd.Series:
    return pd.Series(np.zeros(len(series), dtype=bool), index=series.index)
