"""Redaction of personal data in residents' comments (pulse.ingest.redact)."""

from __future__ import annotations

import math
import random

import numpy as np
import pandas as pd
import pytest

from pulse.ingest.redact import find_spans, redact, redact_series
from tests import redaction_set

# (comment, exactly what redact() must return)
REDACTED = [
    # email addresses, written out or spelt
    ("Email me at jane.doe@example.co.uk please", "Email me at [email] please"),
    ("JOHN_SMITH+council@Mail.Example.org.", "[email]."),
    ("write to o'neill@example.com", "write to [email]"),
    ("email me oliver @ example.com", "email me [email]"),
    ("contact bob at gmail dot com please", "contact [email] please"),
    ("sue dot jones at hotmail dot co dot uk", "[email]"),
    ("mike(at)example(dot)com", "[email]"),
    ("kwame [at] example [dot] org", "[email]"),
    ("fatima.r at example.com", "[email]"),
    # phone numbers in every common UK format
    ("Call 07700 900123 today", "Call [phone] today"),
    ("07700900123", "[phone]"),
    ("07700.900.123", "[phone]"),
    ("07700-900-123", "[phone]"),
    ("07 700 900 444", "[phone]"),
    ("mobile +44 7700 900123", "mobile [phone]"),
    ("+447700900222", "[phone]"),
    ("0044 7700 900123", "[phone]"),
    ("+44 (0)20 7946 0000", "[phone]"),
    ("+44 (0) 7700 900 111", "[phone]"),
    ("ring 020 7946 0000 after 5", "ring [phone] after 5"),
    ("0161-496-0000", "[phone]"),
    ("(01632) 960123", "[phone]"),
    ("Tel:01632960123", "Tel:[phone]"),
    ("0800 123 4567", "[phone]"),
    ("0300 123 4567", "[phone]"),
    # postcodes
    ("I live at SE6 4RU.", "I live at [postcode]."),
    ("se64ru", "[postcode]"),
    ("EC1A 1BB", "[postcode]"),
    ("W1A 0AX", "[postcode]"),
    ("GIR 0AA", "[postcode]"),
    ("postcode: sw1a1aa", "postcode: [postcode]"),
    ("my postcode is b33 8th", "my postcode is [postcode]"),
    # National Insurance numbers
    ("NI QQ 12 34 56 C", "NI [NI number]"),
    ("QQ123456C", "[NI number]"),
    ("ni: ab123456d", "ni: [NI number]"),
    ("national insurance ab 123456 a", "national insurance [NI number]"),
    ("AB-12-34-56-C", "[NI number]"),
    ("qq 123 456 c", "[NI number]"),
    # payment cards (Luhn-valid)
    ("card 4111 1111 1111 1111", "card [card]"),
    ("4111-1111-1111-1111", "[card]"),
    ("paid with 5500005555555559.", "paid with [card]."),
    ("amex 3782 822463 10005", "amex [card]"),
    # names after cues
    ("My name is Jane Smith and I live here", "My name is [name] and I live here"),
    ("my name is Ahmed", "my name is [name]"),
    ("my name is jane", "my name is [name]"),
    ("my name is ahmed khan and my bin was missed", "my name is [name] and my bin was missed"),
    ("My name's Sam.", "My name's [name]."),
    ("I am called Bob.", "I am called [name]."),
    ("I'm called Priya", "I'm called [name]"),
    ("My name is Anne Marie Jane Smith", "My name is [name]"),
    ("MY NAME IS JOHN SMITH AND NOBODY CALLED", "MY NAME IS [name] AND NOBODY CALLED"),
    ("Name: Oliver Ashworth", "Name: [name]"),
    ("Surname: Okafor", "Surname: [name]"),
    ("name: tom jones", "name: [name]"),
    ("refund please, name Dev Patel.", "refund please, name [name]."),
    # titles
    ("This is Mrs Patel from flat 3", "This is [name] from flat 3"),
    ("I spoke to Mr John Smith yesterday", "I spoke to [name] yesterday"),
    ("Dr Okafor wrote to you", "[name] wrote to you"),
    ("Please ask Dr. A. Shah to call", "Please ask [name] to call"),
    ("Mr and Mrs Brennan would like an update", "[name] would like an update"),
    ("Mrs Patel's bin was missed", "[name]'s bin was missed"),
    ("Mr Smith, ext 2345", "[name], ext 2345"),
    ("spoke to mr smith", "spoke to [name]"),
    ("DR PATEL SAYS IT IS DAMP", "[name] SAYS IT IS DAMP"),
    # sign-offs
    ("Regards, Tom Baker", "Regards, [name]"),
    ("Thanks, Jo", "Thanks, [name]"),
    ("Kind regards,\nSiobhan Brennan", "Kind regards,\n[name]"),
    ("Yours sincerely, A. Hollings", "Yours sincerely, [name]"),
    ("best regards jo bloggs", "best regards [name]"),
    ("Signed Gareth Pemberton", "Signed [name]"),
    ("Signed,\nD. Nowak", "Signed,\n[name]"),
    ("Many thanks, Cllr Brennan", "Many thanks, [name]"),
    # "I am …", "this is …" and people named by residents
    ("I am Peter Clarke from number 7.", "I am [name] from number 7."),
    ("I'm Hannah, the carer for my dad.", "I'm [name], the carer for my dad."),
    ("Hi, this is Tom O'Brien-Jones.", "Hi, this is [name]."),
    ("Good morning this is Dr J. Okafor, flat 2", "Good morning this is [name], flat 2"),
    ("My husband John called three times.", "My husband [name] called three times."),
    ("A man called Gary said it would be fixed.", "A man called [name] said it would be fixed."),
    ("thanks to Sarah in the contact centre", "thanks to [name] in the contact centre"),
    ("My name is Łukasz Kowalski.", "My name is [name]."),
    # addresses
    ("I live at 12 High Street, flat 12b", "I live at [address], flat 12b"),
    ("Please send the bin to Flat 3, 14 Elm Road.", "Please send the bin to [address]."),
    ("Fly-tipping behind 1-3 Station Rd every weekend.", "Fly-tipping behind [address] every weekend."),
    ("I've moved to 18 St Mary's Road", "I've moved to [address]"),
    ("Send it to No. 14 Beckenham Road.", "Send it to [address]."),
    ("Flat 12, 9 Victoria Close has no heating", "[address] has no heating"),
    ("Please collect from 33 the green", "Please collect from [address]"),
    # dates of birth
    ("My DOB is 01/02/1980.", "My DOB is [date of birth]."),
    ("born on 3 March 1975", "born on [date of birth]"),
    ("D.O.B 5/6/62", "D.O.B [date of birth]"),
    ("My date of birth is September 21, 1988", "My date of birth is [date of birth]"),
    ("My mother (born 1938) cannot carry the bins.", "My mother (born [date of birth]) cannot carry the bins."),
    # bank details
    ("My sort code is 12-34-56", "My sort code is [sort code]"),
    ("sort code 20 45 77, account 41234567", "sort code [sort code], account [account number]"),
    ("Refund to 60-16-13 31926819 please.", "Refund to [sort code] [account number] please."),
    ("Account number 12345678, please refund", "Account number [account number], please refund"),
    ("acc no 5566 7788", "acc no [account number]"),
    ("Please use a/c 10293847", "Please use a/c [account number]"),
    # vehicle registrations
    ("My car AB12 CDE got a ticket", "My car [vehicle registration] got a ticket"),
    ("permit for ab12cde", "permit for [vehicle registration]"),
    ("Old car P123 ABC on the verge", "Old car [vehicle registration] on the verge"),
    ("My registration is ABC 123D", "My registration is [vehicle registration]"),
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
    "ref 12345, still no update.",
    "order 0123456",
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
    "This is ridiculous",
    "This is Not good enough",
    "This is Lewisham Council's fault",
    "This is Lewisham, we deserve better.",
    "this is a test",
    "I am disappointed with the service",
    "I am Disappointed and Angry.",
    "I'm Polish and the form is only in English.",
    "I'm Very Unhappy With The Service I Have Received From The Council",
    "Flat 3 has had damp for months.",
    "I ordered a 240 litre bin six weeks ago",
    "The bin was missed 3 weeks in a row",
    "Council Tax band D seems too high",
    "2 bins on the road since Monday",
    "There are 3 abandoned cars in the car park.",
    "Cars park on the pavement on Station Road every day.",
    "Thanks, Great job by the crew.",
    "Thanks Again for the quick response.",
    "Cheers, Council, for nothing.",
    "Spoke to Customer Services twice",
    "Mrs and Mr are not the only titles, please add Mx to the form.",
    "I was on Ms Teams for an hour",
    "Dear Sir/Madam, the bins were not collected.",
    "I signed up for garden waste",
    "Born and raised in this borough",
    "My name is on the tenancy",
    "Street name: Elm Road",
    "Sort code field on the direct debit form is broken.",
    "I looked at gov.uk for the form",
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


def test_find_spans_are_on_the_original_text() -> None:
    text = "My name is Jane Smith, call 07700 900123"
    assert find_spans(text) == [(11, 21, "[name]"), (28, 40, "[phone]")]


@pytest.mark.parametrize("text", [t for t, _ in REDACTED] + UNCHANGED)
def test_redact_is_idempotent(text: str) -> None:
    once = redact(text)
    assert redact(once) == once


def _mixtures(n: int, seed: int = 7) -> list[str]:
    """Random comments stitched from the examples and the labelled set, to hunt for order and overlap effects."""
    rng = random.Random(seed)
    labelled = [c.text for c in redaction_set.load()]
    pieces = [t for t, _ in REDACTED] + UNCHANGED + labelled + [
        "£40 charge", "it’s “urgent”", "\n", "  ", "[name]", "No.14 High St", "x07700 900123", "I am Ⅻ"]
    return [" ".join(rng.choices(pieces, k=rng.randint(1, 5))) for _ in range(n)]


def test_redact_is_idempotent_on_mixtures() -> None:
    for text in _mixtures(3000):
        once = redact(text)
        assert redact(once) == once, text


def test_redact_series_agrees_with_redact() -> None:
    texts = _mixtures(4000, seed=11) + [t for t, _ in REDACTED] + UNCHANGED
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


@pytest.mark.parametrize("dtype", ["string[pyarrow]", "str"])
def test_redact_series_on_text_stored_in_arrow_chunks(dtype: str) -> None:
    # What read_csv gives for a large file: the strings in several Arrow chunks.
    import pyarrow as pa

    chunks = pa.chunked_array([["Call 07700 900123", None, "fine"], ["SE6 4RU", "Call 07700 900123"]])
    series = pd.Series(pd.arrays.ArrowStringArray(chunks), index=[5, 4, 3, 2, 1]).astype(dtype)
    out = redact_series(series)
    assert out.tolist()[:1] + out.tolist()[2:] == ["Call [phone]", "fine", "[postcode]", "Call [phone]"]
    assert out.isna().tolist() == [False, True, False, False, False]
    assert out.index.tolist() == [5, 4, 3, 2, 1]


def test_redact_series_str_dtype_keeps_missing() -> None:
    out = redact_series(pd.Series(["My name is Jo Bloggs", None, "SE6 4RU"], dtype="str"))
    assert out.isna().tolist() == [False, True, False]
    assert out.dropna().tolist() == ["My name is [name]", "[postcode]"]


# ------------------------------------------------------------------------------------------
# The labelled set: precision and recall per type (run with -s to see the table)
# ------------------------------------------------------------------------------------------

# Required recall per type; the other types are measured and reported, not held to a floor.
RECALL_FLOOR = {"email": 0.98, "phone": 0.98, "postcode": 0.98, "ni": 0.98, "card": 0.98, "name": 0.95}


@pytest.fixture(scope="module")
def evaluation() -> redaction_set.Evaluation:
    return redaction_set.evaluate(redaction_set.load())


def test_labelled_set_is_big_enough() -> None:
    comments = redaction_set.load()
    assert len(comments) >= 200
    assert sum(1 for c in comments if c.section.endswith("pii-free")) >= 100
    assert all(not c.labels for c in comments if c.section.endswith("pii-free"))


def test_redaction_recall_precision_and_loss(evaluation: redaction_set.Evaluation) -> None:
    print("\n" + evaluation.table())
    for kind, floor in RECALL_FLOOR.items():
        assert evaluation.scores[kind].recall >= floor, (kind, evaluation.scores[kind])
    for kind, score in evaluation.scores.items():
        if kind != "bare_name" and score.predicted:
            assert score.precision >= 0.95, (kind, score)
    # Under 2% of the words of comments without personal data are redacted.
    assert evaluation.free_loss < 0.02


def test_names_without_a_cue_are_a_known_limit(evaluation: redaction_set.Evaluation) -> None:
    # "Sarah on the phone sorted it": no cue, no [name]. Documented; this pins the behaviour.
    assert evaluation.scores["bare_name"].caught == 0
