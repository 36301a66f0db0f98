"""Redaction, themes and sentiment of resident comments (pulse.metrics.text)."""

from __future__ import annotations

import math
import random

import numpy as np
import pandas as pd
import pytest

from pulse.metrics.text import (
    OTHER,
    THEMES,
    redact,
    redact_series,
    sentiment,
    sentiment_label,
    sentiment_series,
    theme_series,
    themes,
)

# (comment, exactly what redact() must return)
REDACTED = [
    # email addresses
    ("Email me at jane.doe@example.co.uk please", "Email me at [email] please"),
    ("JOHN_SMITH+council@Mail.Example.org.", "[email]."),
    ("write to o'neill@example.com", "write to [email]"),
    # phone numbers
    ("Call 07700 900123 today", "Call [phone] today"),
    ("07700900123", "[phone]"),
    ("07700.900.123", "[phone]"),
    ("mobile +44 7700 900123", "mobile [phone]"),
    ("0044 7700 900123", "[phone]"),
    ("+44 (0)20 7946 0000", "[phone]"),
    ("ring 020 7946 0000 after 5", "ring [phone] after 5"),
    ("0161-496-0000", "[phone]"),
    ("(01632) 960123", "[phone]"),
    ("Tel:01632960123", "Tel:[phone]"),
    ("0800 123 4567", "[phone]"),
    # postcodes
    ("I live at SE6 4RU.", "I live at [postcode]."),
    ("se64ru", "[postcode]"),
    ("EC1A 1BB", "[postcode]"),
    ("W1A 0AX", "[postcode]"),
    ("GIR 0AA", "[postcode]"),
    ("postcode: sw1a1aa", "postcode: [postcode]"),
    # National Insurance numbers
    ("NI QQ 12 34 56 C", "NI [NI number]"),
    ("QQ123456C", "[NI number]"),
    ("ni: ab123456d", "ni: [NI number]"),
    # payment cards (Luhn-valid)
    ("card 4111 1111 1111 1111", "card [card]"),
    ("4111-1111-1111-1111", "[card]"),
    ("paid with 5500005555555559.", "paid with [card]."),
    ("amex 3782 822463 10005", "amex [card]"),
    # names
    ("My name is Jane Smith and I live here", "My name is [name] and I live here"),
    ("my name is Ahmed", "my name is [name]"),
    ("My name's Sam.", "My name's [name]."),
    ("I am called Bob.", "I am called [name]."),
    ("I'm called Priya", "I'm called [name]"),
    ("This is Mrs Patel from flat 3", "This is [name] from flat 3"),
    ("Hi, this is Tom O'Brien-Jones.", "Hi, this is [name]."),
    ("Good morning this is Dr J. Okafor, flat 2", "Good morning this is [name], flat 2"),
    ("My name is Anne Marie Jane Smith", "My name is [name] Smith"),  # three words at most
    # several at once
    (
        "Jane (jane@x.com, 07700 900123) at SE6 4RU",
        "Jane ([email], [phone]) at [postcode]",
    ),
]

# Ordinary text that must come back unchanged.
UNCHANGED = [
    "On 12/03/2024 at 10:30 the bin was missed",
    "2024-03-12 09:30",
    "I paid £1,250.00 in fees, then 12.50 on 1/2/24",
    "ref 123456",
    "order 0123456",
    "I live at 12 High Street, flat 12b",
    "the A21 road and the M25 junction 3",
    "SE6 is my district",  # a district alone is not a postcode
    "4111 1111 1111 1112",  # fails Luhn
    "ticket 1234567890123",  # fails Luhn
    "0000 0000 0000 0000",
    "rooms 1 2 3 4 5 6 7 8 9 10 11 12 13",
    "between 09.30-10.30 01.02.2024",
    "block b1 2nd floor",
    "at 4pm, 2km away",
    "I sent it on 123456 a week ago",
    "Call 999 or 101",
    "1 in 10 people",
    "Mr Smith, ext 2345",
    "This is ridiculous",
    "This is Not good enough",
    "this is a test",
    "my name is jane",  # names are only redacted when capitalised
    "Nobody called back",
    "",
]


@pytest.mark.parametrize(("text", "expected"), REDACTED)
def test_redact_replaces_personal_data(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize("text", UNCHANGED)
def test_redact_leaves_ordinary_text_alone(text: str) -> None:
    assert redact(text) == text


def test_redact_passes_missing_and_non_text_through() -> None:
    assert redact(None) is None
    assert redact(5) == 5  # type: ignore[arg-type]


@pytest.mark.parametrize("text", [t for t, _ in REDACTED] + UNCHANGED)
def test_redact_is_idempotent(text: str) -> None:
    once = redact(text)
    assert redact(once) == once


def _mixtures(n: int, seed: int = 7) -> list[str]:
    """Random comments stitched from the examples, to hunt for order and overlap effects."""
    rng = random.Random(seed)
    pieces = [t for t, _ in REDACTED] + UNCHANGED + ["£40 charge", "it’s “urgent”", "\n", "  "]
    return [" ".join(rng.choices(pieces, k=rng.randint(1, 5))) for _ in range(n)]


def test_redact_is_idempotent_on_mixtures() -> None:
    for text in _mixtures(2000):
        once = redact(text)
        assert redact(once) == once, text


def test_redact_series_agrees_with_redact() -> None:
    texts = _mixtures(3000) + [t for t, _ in REDACTED] + UNCHANGED
    series = pd.Series(texts, index=np.arange(len(texts)) * 2, name="comment")
    out = redact_series(series)
    assert out.tolist() == [redact(t) for t in texts]
    assert out.index.equals(series.index)
    assert out.name == "comment"
    assert out.dtype == series.dtype


def test_redact_series_keeps_missing_values_duplicate_index_and_object_dtype() -> None:
    series = pd.Series(
        ["Call 07700 900123", None, 7, "fine", np.nan], index=[3, 3, 1, 1, 0], dtype=object
    )
    out = redact_series(series)
    assert out.dtype == object
    assert out.index.tolist() == [3, 3, 1, 1, 0]
    assert out.iloc[0] == "Call [phone]"
    assert out.iloc[1] is None
    assert out.iloc[2] == 7
    assert out.iloc[3] == "fine"
    assert math.isnan(out.iloc[4])
    assert redact_series(pd.Series([], dtype="str")).empty


def test_redact_series_categorical() -> None:
    out = redact_series(pd.Series(["SE6 4RU", "fine", "SE6 4RU"], dtype="category"))
    assert out.tolist() == ["[postcode]", "fine", "[postcode]"]
    assert isinstance(out.dtype, pd.CategoricalDtype)


def test_redact_series_str_dtype_keeps_missing() -> None:
    out = redact_series(pd.Series(["My name is Jo Bloggs", None, "SE6 4RU"], dtype="str"))
    assert out.isna().tolist() == [False, True, False]
    assert out.dropna().tolist() == ["My name is [name]", "[postcode]"]


# -------------------------------------------------------------------------------------------
# Themes
# -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Waited on hold for 40 minutes", ["waiting time", "phone/contact centre"]),
        ("The online form kept crashing", ["website/online form"]),
        ("The contact centre never answered", ["phone/contact centre"]),
        ("The staff were rude", ["staff attitude"]),
        ("Recycling bin not collected", ["bins/waste"]),
        ("Damp and mould in the bathroom, boiler broken", ["repairs"]),
        ("The £40 charge for garden waste is too much", ["bins/waste", "cost/charges"]),
        ("Nobody kept me informed, no update for weeks", ["waiting time", "communication/updates"]),
        ("Not accessible for wheelchair users", ["accessibility"]),
        ("Lovely", [OTHER]),
        ("Please contact me at [email]", [OTHER]),  # our tags are not the resident's words
        ("[phone]", [OTHER]),  # the resident wrote something, just nothing with a theme
        ("", []),
        ("   ", []),
        (None, []),
    ],
)
def test_themes(text: str | None, expected: list[str]) -> None:
    assert themes(text) == expected


def test_themes_come_in_dictionary_order() -> None:
    found = themes("Staff on the phone were rude and I waited ages for a repair")
    assert found == [t for t in THEMES if t in found]
    assert found == ["waiting time", "phone/contact centre", "staff attitude", "repairs"]


def test_theme_series_agrees_with_themes() -> None:
    texts = _mixtures(2000) + [
        "Waited on hold",
        "café wait",
        "it’s the bins",
        "£5 fee",
        "[email] email",
        None,
        "",
        " \t\n",
        "\xa0",
        "[postcode]",
        "WEBSITE DOWN",
    ]
    series = pd.Series(texts, index=range(100, 100 + len(texts)), name="comment")
    out = theme_series(series)
    assert out.tolist() == [themes(t) for t in texts]
    assert out.index.equals(series.index)
    assert out.name == "comment"


def test_theme_series_handles_object_columns_and_fresh_lists() -> None:
    out = theme_series(pd.Series(["bins", 3, None, "bins"], dtype=object))
    assert out.tolist() == [["bins/waste"], [], [], ["bins/waste"]]
    out.iloc[0].append("x")
    assert out.iloc[3] == ["bins/waste"]  # each row owns its list


# -------------------------------------------------------------------------------------------
# Sentiment
# -------------------------------------------------------------------------------------------


def test_sentiment_exact_values() -> None:
    assert sentiment("helpful") == pytest.approx(1.5 / math.sqrt(1.5**2 + 15))
    assert sentiment("very helpful") == pytest.approx(2.25 / math.sqrt(2.25**2 + 15))
    assert sentiment("not helpful") == pytest.approx(-1.11 / math.sqrt(1.11**2 + 15))
    assert sentiment("The bin was collected on Tuesday") == 0.0


@pytest.mark.parametrize(
    ("text", "label"),
    [
        ("Staff were really helpful and friendly, thank you", "positive"),
        ("Quick and easy to use the website", "positive"),
        ("No problem at all", "positive"),
        ("not bad", "positive"),
        ("The staff were rude and unhelpful", "negative"),
        ("not helpful at all", "negative"),
        ("It was not very easy", "negative"),
        ("A complete waste of time", "negative"),
        ("Never again.", "negative"),
        ("It was kind of slow", "negative"),
        ("Still waiting, nobody got back to me", "negative"),
        ("Helpful staff but the website is confusing", "negative"),
        ("Kept me updated all the way through.", "positive"),
        ("Nobody rang back as promised.", "negative"),
        ("Repair appointment cancelled twice, nobody turned up.", "negative"),
        ("The garden waste bin was collected", "neutral"),
        ("I reported a leak", "neutral"),
    ],
)
def test_sentiment_labels(text: str, label: str) -> None:
    assert sentiment_label(sentiment(text)) == label


def test_sentiment_modifiers_and_scope() -> None:
    assert sentiment("very good") > sentiment("good") > sentiment("quite good") > 0
    assert sentiment("not good") < 0 < sentiment("not bad")
    # A negation stops at punctuation: "rude" after the comma is not negated.
    assert sentiment("not helpful, rude") < sentiment("not helpful") < 0
    # After "but" the verdict counts more.
    assert sentiment("slow but helpful") > 0 > sentiment("helpful but slow")


def test_sentiment_range_and_blanks() -> None:
    assert -1 < sentiment("terrible awful appalling " * 50) < -0.99
    assert 0.99 < sentiment("excellent brilliant " * 50) < 1
    assert math.isnan(sentiment(None))
    assert math.isnan(sentiment("  "))


def test_sentiment_label_boundaries() -> None:
    assert sentiment_label(0.05) == "positive"
    assert sentiment_label(0.0499) == "neutral"
    assert sentiment_label(0.0) == "neutral"
    assert sentiment_label(-0.0499) == "neutral"
    assert sentiment_label(-0.05) == "negative"
    assert sentiment_label(math.nan) == "neutral"


def test_sentiment_series() -> None:
    series = pd.Series(["good", None, "bad"], index=[9, 8, 7])
    out = sentiment_series(series)
    assert out.index.tolist() == [9, 8, 7]
    assert out.dtype == float
    assert out[9] > 0 > out[7]
    assert math.isnan(out[8])


def test_word_lists_do_not_overlap() -> None:
    from pulse.metrics.text import NEGATIVE, POSITIVE

    assert not set(POSITIVE) & set(NEGATIVE)
    assert all(v > 0 for v in POSITIVE.values())
    assert all(v < 0 for v in NEGATIVE.values())
    assert all(" " not in w for w in [*POSITIVE, *NEGATIVE])  # phrases live in PHRASES
