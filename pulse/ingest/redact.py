"""Redaction of personal data in residents' comments, run on every comment before it is stored.

`redact(text)` replaces each piece of personal data with a labelled placeholder such as "[phone]";
`redact_series(column)` does the same for a whole column and is what the ingest calls. The rules
are regular expressions and word lists that a maintainer can read; docs/resident-voice.md
("Redaction") says what each catches and what it misses on purpose.

How it works: each pass (email, phone, card, …) finds its matches on the original text, in
priority order; a match that overlaps one an earlier pass already took is dropped, so an email
address is never re-read as a name. The text is then rebuilt with placeholders, and the whole
thing repeats until nothing changes, which makes redact(redact(x)) == redact(x). Over a column,
one RE2 prefilter (the union of every pass's cheap superset) finds the rows that could change and
only those go through Python.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pulse.placeholders import (  # noqa: F401 (TAGS and TAG_REGEX are part of this module's interface)
    TAG_ACCOUNT,
    TAG_ADDRESS,
    TAG_CARD,
    TAG_DOB,
    TAG_EMAIL,
    TAG_NAME,
    TAG_NI,
    TAG_PATTERN,
    TAG_PHONE,
    TAG_POSTCODE,
    TAG_REGEX,
    TAG_SORT_CODE,
    TAG_VEHICLE,
    TAGS,
)
from pulse.text_column import as_arrow, search

# A replacement: (start, end, placeholder) on the text being redacted.
Span = tuple[int, int, str]
_Check = Callable[[re.Match[str], str], list[Span] | None]

# --------------------------------------------------------------------------------------------
# Word lists
# --------------------------------------------------------------------------------------------

# Words that end a run of name words after any cue: "my name is jane and I …" stops at "and".
STOP_WORDS = frozenset(
    """
    a an the and or but nor so yet if then than that this these those there here it its is
    was were are am be been being have has had do does did done will would can could shall
    should may might must not no yes i me my mine we us our you your he him his she her they
    them their who whom whose which what when where why how all any some every each both
    either neither none nothing also too very just still only already again ever never
    at in on of to for from by with without about above below over under into onto off out
    up down near along across past behind beside between through during after before since
    until till via per as like re regarding here please thanks thank hi hello dear ok okay
    spelt spelled wrong missing incorrect listed printed shown written given used on
    """.split()
)

# Capitalised words that follow weaker cues ("I am …", "Thanks, …", "spoke to …") but are not
# names: feelings, conditions, nationalities, days, months and the council's own words.
NOT_NAMES = frozenset(
    """
    absolutely actually afraid again aged agreed all also always amazed amazing angry annoyed
    anyway appalled appalling appreciative ashamed astonished autistic available aware awful
    bad baffled bedbound behind beyond bewildered blind brilliant broke busy but calling
    certain cheerful clear complaining completely concerned confused considering contacting
    content currently deaf dear definitely delighted desperate determined devastated disabled
    disappointed disgusted dismayed distressed disturbed done doubtful dreadful due elderly
    emailing embarrassed enquiring entitled especially even everyone everybody exasperated
    excellent exhausted extremely fab fabulous fair fantastic fed fine finally fine folks
    fortunate frankly frightened frustrated fuming furious genuinely getting glad going good
    grateful great guys happy hard having helpful highly homeless honestly hopeful hopeless
    horrified housebound humbled ill impressed incredibly interested just kind lads late
    literally living looking lovely lucky mad many more most much nearly nervous new not now
    obviously old once only outraged overall owed paying perfect pleased poor pregnant pretty
    quite ready really registered relieved reporting requesting responsible retired right
    sad satisfied scared seriously shocked sick simply single sincerely so sorry still stressed
    stuck sure surprised terrible thankful thanks the these they this though tired told too
    totally trying unable unemployed unhappy unsure upset useless utterly very vulnerable
    waiting well wondering worried writing yes yet young
    everyone team all you both staff lads everybody guys folks
    monday tuesday wednesday thursday friday saturday sunday
    january february march april may june july august september october november december
    british english scottish welsh irish polish romanian indian pakistani bangladeshi
    nigerian ghanaian somali turkish kurdish chinese jamaican caribbean african asian
    european muslim christian jewish hindu sikh buddhist catholic
    customer customers resident residents tenant tenants leaseholder council councillor
    highways housing environment environmental waste recycling refuse parking revenues
    benefits planning licensing library libraries contact centre center services service
    department team officer officers manager managers enforcement repairs bins bin lewisham
    god jesus christ lord
    """.split()
)

# Words that make a run of capitalised words an organisation or a place, not a person:
# "This is Lewisham Council's fault", "Thanks, Catford Library".
ORG_WORDS = frozenset(
    """
    council borough authority government street road avenue lane close drive way court place
    park hospital school college university library centre center station church estate house
    hall tower towers ltd limited plc group team services service department dept housing homes
    trust association police nhs surgery clinic pharmacy market leisure pool academy nursery
    mosque temple cemetery gardens green square office parking highways recycling waste contact
    customer civic town city county crescent terrace grove hill row walk website app online
    """.split()
)

# Verbs that end a name after its first word: "DR PATEL SAYS …", "Mrs Khan Rang Again".
_NAME_VERBS = frozenset(
    """
    says said say told tells asked asks came comes called calls rang rings phoned phones emailed
    emails wrote writes visited visits promised promises lives lived knows knew thinks thought wants
    wanted needs needed went goes gave gives took takes left leaves sent sends agreed explained
    replied answered sorted fixed helped dealt arrived turned looked inspected reported confirmed
    refused cannot can't won't didn't doesn't isn't wasn't hasn't
    """.split()
)

# Words before "name:" that make it the name of something other than a person.
_FIELD_NOT_PEOPLE = frozenset(
    """
    street road user file service company business ward team product estate building school app form
    field brand dog pet scheme site web domain display screen login road's file's
    """.split()
)

# Microsoft products often written after "Ms"; "Ms Teams" is no name.
_TITLE_NOT_NAMES = frozenset({"teams", "word", "excel", "office", "forms", "outlook", "access"})

# Lower-case particles inside names: "Ludwig van Beethoven", "Mr de Souza".
_PARTICLES = frozenset({"van", "von", "de", "der", "den", "da", "di", "du", "la", "le", "al", "el", "bin",
                        "binti", "ibn", "ap", "st"})

# Common three-letter words that a lower-case "registration" would otherwise spell out.
_WORDS3 = frozenset(
    """
    the and for are but not you all any can had her was one our out day get has him his how man
    new now old see two way who boy did its let put say she too use bin bag car van bus new yes
    """.split()
)
# Common two-letter words a lower-case NI number's prefix letters would otherwise spell out.
_WORDS2 = frozenset("am an as at be by go he hm if in is it me my no of ok on or so to up us we".split())

# --------------------------------------------------------------------------------------------
# Patterns
# --------------------------------------------------------------------------------------------

_LETTER = r"[^\W\d_]"
# Top-level domains accepted when a resident spells "dot" out; a real address has one of these.
_TLDS = (r"com|org|net|uk|co|gov|ac|nhs|sch|police|mod|ltd|plc|edu|io|info|me|biz|eu|ie|de|fr|es|it"
         r"|nl|pl|ro|in|pk|ng|au|ca|us|tv|cc|online|email|mail|live|cloud")
_MAIL_HOSTS = frozenset(
    """
    gmail googlemail hotmail outlook yahoo ymail icloud live msn aol btinternet bt sky
    virginmedia talktalk protonmail proton me mac tiscali ntlworld blueyonder mail gmx zoho
    """.split()
)

def _cue(*alternatives: str) -> str:
    """A case-insensitive alternation of cue phrases, each starting with an ASCII letter, that
    also wants no letter, digit or "[" before it. Written to start with one character class,
    which is what lets Python's re skip ahead quickly instead of trying every position."""
    assert all(a[0].isascii() and a[0].isalpha() for a in alternatives), alternatives
    firsts = "".join(sorted({c for a in alternatives for c in (a[0].lower(), a[0].upper())}))
    body = "|".join(f"(?<=[{a[0].lower()}{a[0].upper()}])(?i:{a[1:]})" for a in alternatives)
    return rf"[{firsts}](?<![\w\[].)(?:{body})"


def _after_break(text: str, i: int, also: str = "") -> bool:
    """True when position i starts a token: no ASCII letter, digit or "_" (or a char in also) before it."""
    if i == 0:
        return True
    c = text[i - 1]
    return not (c.isascii() and (c.isalnum() or c == "_")) and c not in also


_EMAIL = re.compile(
    # o'neill@ is an address; a quote before the address is not part of it. "jane @ x.com" too.
    r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9._%+\-]+(?:'[A-Za-z0-9._%+\-]+)*"
    r"[ ]?@[ ]?[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}",
)
_AT = r"(?:[ ]?[\[({<][ ]?at[ ]?[\])}>][ ]?|[ ]at[ ])"
_DOT = r"(?:[ ]?[\[({<][ ]?dot[ ]?[\])}>][ ]?|[ ]dot[ ]|\.)"
# "bob at gmail dot com", "sue dot jones at hotmail dot co dot uk", "mike(at)example(dot)com".
_EMAIL_SPELT = re.compile(
    rf"(?<![\w.@])(?P<local>[A-Za-z0-9_%+\-]+(?:{_DOT}[A-Za-z0-9_%+\-]+)*)"
    rf"(?P<at>{_AT})(?P<domain>[A-Za-z0-9\-]+(?:{_DOT}[A-Za-z0-9\-]+)*{_DOT}(?:{_TLDS}))(?![\w])",
    re.IGNORECASE | re.ASCII,
)

# Any 13–19 digit run; _card() then checks grouping and the Luhn digit, so "rooms 1 2 3 4 …"
# or a long reference number that fails Luhn is not taken for a card.
_CARD = re.compile(r"\d(?:[ \-]?\d){12,18}(?!\w)", re.ASCII)

# National: 0[1-9] and 8–9 more digits; international: +44 or 0044, an optional "(0)", 9–10
# digits. Between digits: one space, dash or dot, and a closing bracket after a bracketed area
# code. _phone() rejects a mix of dots and dashes, which is how times and date ranges look.
_PHONE = re.compile(
    r"(?:\+[ ]?44[ .\-]?(?:\([ ]?0[ ]?\)[ ]?)?|00[ ]?44[ .\-]?(?:\([ ]?0[ ]?\)[ ]?)?|\(0|0)"
    r"[1-9](?:[ .\-]?\)?[ .\-]?\d){8,9}"
    r"(?!\d)",
    re.ASCII,
)

# HMRC: first letter never D F I Q U V, second never D F I O Q U V; QQ is HMRC's own example.
# Six digits in any grouping ("12 34 56", "123 456"), spaces, dashes or dots between.
_NI = re.compile(
    r"(?P<prefix>[A-CEGHJ-PR-TW-Za-ceghj-pr-tw-z][A-CEGHJ-NPR-TW-Za-ceghj-npr-tw-z]|[Qq][Qq])"
    r"[ .\-]?\d(?:[ .\-]?\d){5}(?P<sep>[ .\-]?)(?P<suffix>[A-Da-d])"
    r"(?![A-Za-z0-9])",
    re.ASCII,
)
_NI_CUE = re.compile(r"(?i:\bni\b|\bnino\b|national\s+insurance)")
_NI_NEVER = frozenset({"BG", "GB", "NK", "KN", "TN", "NT", "ZZ"})

# Royal Mail: outward code A9, A99, AA9, AA99, A9A or AA9A; inward code 9AA whose letters are
# never C I K M O V (which also keeps "4pm" and "2km" out).
_POSTCODE = re.compile(
    r"[A-PR-UWYZa-pr-uwyz](?:(?<=[Gg])[Ii][Rr][ \t]{0,2}0[Aa][Aa]"
    r"|[A-HK-Ya-hk-y]?\d[A-Za-z\d]?[ \t]{0,2}(?P<inward>\d[ABD-HJLNP-UW-Zabd-hjlnp-uw-z]{2}))"
    r"(?![A-Za-z0-9])",
    re.ASCII,
)
_ORDINAL = re.compile(r"1st|2nd|3rd|[04-9]th")
_POSTCODE_CUE = re.compile(r"(?i)post[ ]?code")

_MONTHS = (r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
           r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?")
_DATE = (
    r"\d{1,2}[/.\-]\d{1,2}[/.\-](?:\d{4}|\d{2})(?!\d)"
    r"|\d{4}-\d{1,2}-\d{1,2}(?!\d)"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?[ ]+(?:of[ ]+)?(?:{_MONTHS})\.?(?:,?[ ]+\d{{4}})?(?![\w])"
    rf"|(?:{_MONTHS})\.?[ ]+\d{{1,2}}(?:st|nd|rd|th)?(?:,?[ ]+\d{{4}})?(?![\w])"
    r"|(?:19|20)\d{2}(?![\w])"
)
# The date after a birth cue: "DOB 01/02/1980", "born on 3 March 1975", "my date of birth is …".
_DOB = re.compile(
    _cue(r"d\.?o\.?b\b\.?", "date[ ]of[ ]birth", "birth[ ]?date", "born(?:[ ]+(?:on|in))?", "birthday(?:[ ]+is)?")
    + r"(?i:[ ]+(?:is|was))?[ \t]*[:\-–]?[ \t]*"
    + rf"(?P<date>(?i:{_DATE}))",
    re.ASCII,
)

# Any six digits after "sort code"; 12-34-56 on its own too, unless a date could read so.
_SORT_CODE_CUE = re.compile(
    _cue(r"sort[ \-]?code") + r"(?i:[ ]+(?:is|was|as|number|no\.?|of|:))*[ :\-]*"
    r"(?<![\d\-/.])(?P<code>\d{2}(?P<sep>[ \-]?)\d{2}(?P=sep)\d{2})(?![\d/.]|-\d)"
    r"(?P<account>[ ,;]+(?P<number>\d{8})(?!\d))?",
    re.ASCII,
)
_SORT_CODE_BARE = re.compile(
    r"(?P<code>\d(?<![\d\-/.]\d)\d(?P<sep>-)\d{2}-\d{2})(?![\d/.]|-\d)"
    r"(?P<account>[ ,;]+(?P<number>\d{8})(?!\d))?",
    re.ASCII,
)

# Eight digits (or 4 + 4) soon after "account", "acc", "a/c": bank and council account numbers.
_ACCOUNT = re.compile(
    _cue("account", "acct", "acc", "a/c") + r"(?![\w])[^\d\n\[\]]{0,25}?"
    r"(?<!\d)(?P<number>\d{4}[ \-]?\d{4})(?![\d])",
    re.ASCII,
)

# Current (AB12 CDE), prefix (P123 ABC) and suffix (ABC 123D) formats. The current format is
# distinctive in any case; the older two only count in capitals. The memory tag and age follow
# the DVLA's rules; the three random letters may be any, as a resident may mistype them.
_VEHICLE_CURRENT = re.compile(
    r"[A-HJ-PR-Ya-hj-pr-y][A-HJ-PR-Za-hj-pr-z](?:0[2-9]|[1-2]\d|5[1-9]|[6-7]\d)"
    r"[ ]?(?P<letters>[A-Za-z]{3})(?![A-Za-z0-9])",
    re.ASCII,
)
_VEHICLE_PREFIX = re.compile(r"[A-HJ-NPR-Y][1-9]\d{0,2}[ ]?(?P<letters>[A-Z]{3})(?![A-Za-z0-9])", re.ASCII)
_VEHICLE_SUFFIX = re.compile(r"(?P<letters>[A-Z]{3})[ ]?[1-9]\d{0,2}[A-HJ-NPR-Y](?![A-Za-z0-9])", re.ASCII)

_STREET_ANY_CASE = frozenset(
    "street st road rd avenue ave lane ln crescent cres terrace terr gardens gdns grove mews boulevard "
    "parade square sq".split()
)
# Ordinary words too ("close", "park", "way"): a street only when written as a name, "9 Victoria
# Close", or straight after "the", "33 the green".
_STREET_TITLE = frozenset(
    "close drive way court place hill row walk park rise vale view green gate end chase mount side yard "
    "path fields meadow meadows heights quay wharf estate house mansions croft orchard ridge common circus "
    "approach hollow reach broadway embankment passage cottages villas buildings lodge hall wood grange "
    "manor crest glade parkway".split()
)
# Words that never sit between a house number and a street type: "2 bins on the road".
_ADDRESS_STOP = frozenset(
    """
    on in at to for by of from into onto off out up down near along across past outside behind opposite
    beside and or but a an my our your their his her its this that these those every each per is was are
    were be been have has had will would can could not no with without than then so week weeks day days
    month months year years hour hours minute minutes time times bin bins bag bags car cars item items
    litre litres pound pounds
    """.split()
)
# The house number and up to five words after it, the last a street type; _address() decides.
_ADDRESS = re.compile(
    r"\d{1,4}[A-Za-z]?(?:[ ]?[-–/][ ]?\d{1,4}[A-Za-z]?)?,?[ ]+"
    r"(?P<words>(?:[A-Za-z][A-Za-z'’\-]*[ ]+){0,4}"
    rf"(?i:{'|'.join(sorted(_STREET_ANY_CASE | _STREET_TITLE))})(?![A-Za-z'’\-]))",
    re.ASCII,
)
_ADDRESS_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’\-]*")
# What may stand before the house number and belongs to the address: "Flat 3, ", "No. ".
_ADDRESS_BEFORE = re.compile(
    r"(?i:(?:(?:flat|apartment|apt|unit|room|maisonette)[ ]?\d{1,4}[a-z]?[ ]?,?[ ]+)?(?:no\.?[ ]?)?)\Z"
)

# A word of a name in any alphabet ("Siân", "Łukasz", "O'Brien", "Smith-Jones") or an initial.
_NAME_WORD = re.compile(rf"{_LETTER}\.|{_LETTER}(?:{_LETTER}|['’\-]{_LETTER})*")
_GAP = re.compile(r"[ \t]+")

# Name cues, each ending where the name starts. Modes: "lower" takes lower-case names too;
# "strong" wants a capital; "weak" also skips NOT_NAMES and Title Case comments; "closing" is a
# sign-off, lower case allowed when the name ends the comment; "field" is "Name: …" (lower case
# too); "this_is" opens the comment; "title" keeps the title in the span.
_TITLES = r"Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Sir|Dame|Rev|Revd|Cllr|Councillor|MR|MRS|MS|MISS|DR|mr|mrs"
_RELATIONS = (r"husband|wife|partner|son|daughter|mum|mother|mom|dad|father|brother|sister|neighbour"
              r"|neighbor|carer|friend|nan|gran|grandma|grandmother|grandad|granddad|grandfather|grandson"
              r"|granddaughter|uncle|aunt|auntie|nephew|niece|cousin|landlord|landlady|lodger|colleague"
              r"|flatmate|fiancée?|social[ \t]+worker|support[ \t]+worker")
_PEOPLE = (r"lady|man|woman|gentleman|guy|chap|girl|lad|person|someone|somebody|officer|advisor|adviser"
           r"|agent|engineer|inspector|worker|manager|operative|driver")
_CLOSING_SEP = r"[ \t]*[,!\-–]?[ \t]*(?:\r?\n[ \t]*)?"
_NAME_CUES: tuple[tuple[str, str, re.Pattern[str], tuple[str, ...]], ...] = (
    # (mode, prefilter key, pattern, words one of which the lower-cased text must hold)
    ("title", "name_title", re.compile(
        rf"(?P<title>(?:{_TITLES})\.?(?:[ ]+(?:and|&)[ ]+(?:{_TITLES})\.?)?)[ \t]+(?=\S)"),
     ("mr", "ms", "miss", "mx", "dr", "prof", "sir", "dame", "rev", "cllr", "councillor")),
    ("lower", "name_lower", re.compile(
        _cue(r"my[ \t]+name[ \t]+is", r"my[ \t]+name['’]s", r"my[ \t]+names[ \t]+is", r"my[ \t]+names",
             r"i[ \t]+am[ \t]+called", r"i['’]m[ \t]+called") + r"[ \t:\-–]*"),
     ("name", "called")),
    ("field", "name_field", re.compile(
        r"[Nn](?i:ame)s?(?:[ \t]*(?P<colon>[:\-–—])[ \t]*|[ \t]+)"),
     ("name",)),
    ("strong", "name_strong", re.compile(
        _cue(r"signed(?:[ ]+by)?[ \t]*[:,\-–]?[ \t]*(?:\r?\n[ \t]*)?", r"sent[ ]+by[ \t]*[:,\-–]?[ \t]*",
             r"named[ \t]+", r"by[ ]+the[ ]+name[ ]+of[ \t]+")),
     ("signed", "sent", "named", "name")),
    ("closing", "name_closing", re.compile(
        _cue(r"kind[ \t]+regards", r"best[ \t]+regards", r"warm(?:est)?[ \t]+regards", r"many[ \t]+regards",
             "regards", r"best[ \t]+wishes",
             r"many[ \t]+thanks", "thanks", r"thank[ \t]?you", "thankyou", "cheers",
             r"yours[ \t]+(?:sincerely|faithfully|truly)", "sincerely", r"best(?=[ \t]*,)") + _CLOSING_SEP),
     ("regards", "thank", "cheers", "sincerely", "faithfully", "truly", "wishes", "best")),
    ("this_is", "name_this_is", re.compile(
        r"^[ \t\r\n]*(?:(?i:hi|hello|hey|good[ \t]+(?:morning|afternoon|evening))[ \t]*[,!.]?[ \t]*)?"
        r"(?i:this[ \t]+is)[ \t]+"),
     ("this",)),
    ("weak", "name_weak", re.compile(r"I(?<![\w\[]I)(?:[ \t]+am|['’]m)[ \t]+"), ("i am", "i'm", "i’m")),
    ("weak", "name_weak", re.compile(_cue(rf"my[ \t]+(?:{_RELATIONS})", rf"our[ \t]+(?:{_RELATIONS})") + r"[ \t]*,?[ \t]*"),
     ("my", "our")),
    ("weak", "name_weak", re.compile(
        _cue(r"spoke[ \t]+(?:to|with)", r"speaking[ \t]+(?:to|with)", r"talked[ \t]+(?:to|with)",
             r"dealt[ \t]+with", r"thanks?[ \t]+to", r"thank[ \t]+you[ \t]+to") + r"[ \t]+"),
     ("spoke", "speaking", "talked", "dealt", "thank")),
    ("weak", "name_weak", re.compile(_cue(*(rf"{p}[ \t]+called" for p in _PEOPLE.split("|"))) + r"[ \t]+"),
     ("called",)),
)
_GREETING = re.compile(r"(?i)^[ \t\r\n]*(?:hi|hello|hey|good[ \t]+(?:morning|afternoon|evening))\b")
_THIS_IS_FOLLOW = re.compile(r"(?i)[ \t]*(?:,[ \t]*i\b|from\b|here\b|speaking\b|at\b|again\b|calling\b)")

# Cheap supersets of each pass for RE2 (Arrow): a row none of them matches is left as it is.
# A letter Python's str.isupper() can call upper case: upper-case letters and Roman numerals.
_L_UPPER = r"[\p{Lu}\p{Lt}\p{Nl}]"
_PREFILTERS = {
    "email": r"@",
    "email_spelt": r"(?i:(?:\bat\b|[\[({<] ?at ?[\])}>])[^\n]*(?:\bdot\b|[\])}>]|\.(?:" + _TLDS + r")\b))",
    "dob": r"(?i:(?:d\.?o\.?b|birth|born)[^\n0-9]*?(?:[0-9]|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec))",
    "phone": r"(?:\+|00) ?44|0[ .\-]?\)?[ .\-]?[1-9](?:[ .\-]?\)?[ .\-]?[0-9]){8}",
    "card": r"[0-9](?:[ \-]?[0-9]){12}",
    "ni": r"(?i:[a-z]{2}[ .\-]?[0-9](?:[ .\-]?[0-9]){5}[ .\-]?[a-d])",
    "sort_code": r"(?i:sort[ \-]?code)[^\n0-9]*[0-9]{2}",
    "sort_code_bare": r"[0-9]{2}-[0-9]{2}-[0-9]{2}",
    "account": r"(?i:acc|a/c)[^0-9\n]{0,25}[0-9]{4}[ \-]?[0-9]{4}",
    "postcode": r"(?i:[a-z][0-9][a-z0-9]?[ \t]{0,2}[0-9][a-z]{2}|gir[ \t]{0,2}0aa)",
    "vehicle": r"(?i:[a-z]{2}[0-9]{2} ?[a-z]{3})|[A-Z][0-9]{1,3} ?[A-Z]{3}|[A-Z]{3} ?[0-9]{1,3}[A-Z]",
    "address": r"[0-9][A-Za-z]?,? +(?:[A-Za-z'’\-]+ +){0,4}(?i:"
               + "|".join(sorted(_STREET_ANY_CASE | _STREET_TITLE)) + r")(?:[^A-Za-z'’\-]|$)",
    "name_title": rf"\b(?:{_TITLES})\.?(?:[ ]+(?:and|&)[ ]+(?:{_TITLES})\.?)?[ \t]+\S",
    "name_lower": r"(?i:my[ \t]+names?|i[ \t]+am[ \t]+called|i['’]m[ \t]+called)",
    "name_field": r"(?i:name)s?[ \t]*[:\-–—]|(?:^|[,;(\n])[ \t]*(?i:name)s?[ \t]",
    "name_strong": (
        rf"(?i:signed(?:[ \t]+by)?|sent[ \t]+by)[ \t]*[:,\-–]?[ \t]*(?:\r?\n[ \t]*)?{_L_UPPER}"
        rf"|(?i:named|by[ \t]+the[ \t]+name[ \t]+of)[ \t]+{_L_UPPER}"
    ),
    "name_closing": (
        r"(?i:regards|wishes|thanks|thank[ \t]?you|cheers|sincerely|faithfully|truly|best)"
        rf"[ \t]*[,!\-–]?[ \t]*\r?\n?[ \t]*(?:{_L_UPPER}"
        r"|[\pL\pN]+(?:['’\-.][\pL\pN]*)*(?:[ \t]+[\pL\pN]+(?:['’\-.][\pL\pN]*)*){0,3}[ \t\r\n.!]*$)"
    ),
    "name_this_is": (
        r"^[ \t\r\n]*(?:(?i:hi|hello|hey|good[ \t]+(?:morning|afternoon|evening))[ \t]*[,!.]?[ \t]*)?"
        rf"(?i:this[ \t]+is)[ \t]+{_L_UPPER}"
    ),
    "name_weak": (
        rf"I(?:[ \t]+am|['’]m)[ \t]+{_L_UPPER}"
        rf"|(?i:my|our)[ \t]+(?i:{_RELATIONS})[ \t]*,?[ \t]*{_L_UPPER}"
        rf"|(?i:spoke|speaking|talked|dealt)[ \t]+(?i:to|with)[ \t]+{_L_UPPER}"
        rf"|(?i:thanks?|thank[ \t]+you)[ \t]+(?i:to)[ \t]+{_L_UPPER}"
        rf"|(?i:called)[ \t]+{_L_UPPER}"
    ),
}

# --------------------------------------------------------------------------------------------
# Checks: a candidate match in, the spans to replace out (None: not personal data)
# --------------------------------------------------------------------------------------------


def _luhn_ok(digits: str) -> bool:
    """True when the digit string passes the Luhn checksum that payment card numbers carry."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


_SEPARATOR = re.compile(r"[ \-]")


def _card(m: re.Match[str], text: str) -> list[Span] | None:
    if not _after_break(text, m.start(), ".,/£$€"):
        return None
    run_text = m.group()
    # The whole run first, then shorter runs ending at a group break: "4111 1111 1111 1111 20".
    ends = [len(run_text)] + [s.start() for s in reversed(list(_SEPARATOR.finditer(run_text)))]
    for end in ends:
        run = run_text[:end]
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
            return [(m.start(), m.start() + end, TAG_CARD)]
    return None


def _phone(m: re.Match[str], text: str) -> list[Span] | None:
    found = m.group()
    if not _after_break(text, m.start(), "+") or ("." in found and "-" in found):
        return None
    return [(m.start(), m.end(), TAG_PHONE)]


def _email(m: re.Match[str], text: str) -> list[Span] | None:
    return [(m.start(), m.end(), TAG_EMAIL)]


def _email_spelt(m: re.Match[str], text: str) -> list[Span] | None:
    local, domain = m.group("local"), m.group("domain").lower()
    spelt = bool(re.search(r"[\[({<]|\bdot\b", m.group("at") + domain, re.IGNORECASE))
    # "looked at lewisham.gov.uk" is a web address: take " at " only with a spelt-out dot, a local
    # part that looks like a mailbox, a known mail provider, or the word email just before.
    host = re.split(r"[ .\[({<]", domain, maxsplit=1)[0]
    mailbox = bool(re.search(r"[._%+\-0-9]", local))
    cue = re.search(r"(?i)e-?mail", text[max(0, m.start() - 40): m.start()]) is not None
    if not (spelt or mailbox or host in _MAIL_HOSTS or cue):
        return None
    return [(m.start(), m.end(), TAG_EMAIL)]


def _ni(m: re.Match[str], text: str) -> list[Span] | None:
    prefix = m.group("prefix")
    if not _after_break(text, m.start()) or prefix.upper() in _NI_NEVER:
        return None
    # "sent it on 123456 a week ago": an English word, six digits and a lone "a" is no NI number
    # unless the comment says it is one.
    if (m.group("sep") and m.group("suffix").islower() and prefix.lower() in _WORDS2
            and not _NI_CUE.search(text, 0, m.start())):
        return None
    return [(m.start(), m.end(), TAG_NI)]


def _postcode(m: re.Match[str], text: str) -> list[Span] | None:
    if not _after_break(text, m.start()):
        return None
    inward = m.group("inward")
    # "block b1 2nd floor": written in lower case, an ordinal is far likelier than a postcode,
    # unless the comment has just said "postcode".
    if (inward is not None and inward[1:].islower() and _ORDINAL.fullmatch(inward)
            and not _POSTCODE_CUE.search(text, max(0, m.start() - 30), m.start())):
        return None
    return [(m.start(), m.end(), TAG_POSTCODE)]


def _dob(m: re.Match[str], text: str) -> list[Span] | None:
    return [(m.start("date"), m.end("date"), TAG_DOB)]


def _is_date(day: str, month: str) -> bool:
    return 1 <= int(day) <= 31 and 1 <= int(month) <= 12


def _sort_code_bare(m: re.Match[str], text: str) -> list[Span] | None:
    # Without the words "sort code" only 12-34-56 counts, and only when no date reads so.
    code = m.group("code")
    if not _after_break(text, m.start()) or _is_date(code[:2], code[3:5]):
        return None
    return _sort_code(m, text)


def _sort_code(m: re.Match[str], text: str) -> list[Span] | None:
    spans = [(m.start("code"), m.end("code"), TAG_SORT_CODE)]
    if m.group("number"):  # a sort code then eight digits: the account number
        spans.append((m.start("number"), m.end("number"), TAG_ACCOUNT))
    return spans


def _account(m: re.Match[str], text: str) -> list[Span] | None:
    return [(m.start("number"), m.end("number"), TAG_ACCOUNT)]


def _vehicle(m: re.Match[str], text: str) -> list[Span] | None:
    # "ab12 cde" in lower case, but not "on24 the"; "M25 AND" in a comment written in capitals is
    # a road: the three letters must spell no common word, unless a current-format plate is in
    # capitals ("PF79 YES").
    if not _after_break(text, m.start()):
        return None
    current = m.re is _VEHICLE_CURRENT and m.group().isupper()
    if not current and m.group("letters").lower() in _WORDS3:
        return None
    return [(m.start(), m.end(), TAG_VEHICLE)]


def _address(m: re.Match[str], text: str) -> list[Span] | None:
    # The longest run of up to three street-name words (after an optional "the") that ends in a
    # street type: "18 St Mary's Road", "56 Manor Park Crescent", "101 Hither Green Lane".
    before = _ADDRESS_BEFORE.search(text, max(0, m.start() - 30), m.start())
    begin = before.start() if before and before.group() else m.start()
    if not _after_break(text, begin, "£$€.,/-"):
        return None
    tokens = list(_ADDRESS_TOKEN.finditer(m.group("words")))
    offset = m.start("words")
    the = tokens[0].group().lower() == "the"
    for k in range(min(len(tokens), 3 + the), 0, -1):
        kind = tokens[k - 1].group()
        words = [t.group() for t in tokens[the:k - 1]]
        if any(w.lower() in _ADDRESS_STOP for w in words):
            continue
        if kind.lower() in _STREET_ANY_CASE and (words or the or kind[0].isupper()):
            pass
        elif kind.lower() in _STREET_TITLE and (
                (kind[0].isupper() and all(w[0].isupper() for w in words) and (words or the))
                or (the and not words)):
            pass
        else:
            continue
        return [(begin, offset + tokens[k - 1].end(), TAG_ADDRESS)]
    return None


_WORDS = re.compile(rf"{_LETTER}+")


def _title_case(text: str, start: int, end: int) -> bool:
    """True when most words around a candidate name start with a capital ("I Am Very Unhappy
    With The Service"), where a capital says nothing about a name."""
    words = _WORDS.findall(text, 0, start) + _WORDS.findall(text, end)
    if len(words) < 6:
        return False
    return sum(w[0].isupper() for w in words) >= 0.6 * len(words)


def _name_run(text: str, start: int, mode: str) -> tuple[int, list[str]] | None:
    """End of the name words from start, and the words, or None when there is no name."""
    pos = start
    words: list[str] = []
    end = start
    lower_ok = mode == "lower"
    while len(words) < 4:
        m = _NAME_WORD.match(text, pos)
        if m is None:
            break
        word = m.group()
        initial = len(word) == 2 and word[1] == "." and word[0].isupper()
        bare = word.rstrip(".").lower()
        possessive = re.search(r"['’]s$", word)
        key = bare[:-2] if possessive else bare
        if initial:  # "A. Hollings": an initial, not the article
            pass
        elif key in _PARTICLES and words:
            nxt = _GAP.match(text, m.end())
            after = _NAME_WORD.match(text, nxt.end()) if nxt else None
            if after is None or not after.group()[0].isupper():
                break
        elif key in STOP_WORDS or (words and key in _NAME_VERBS):
            break
        elif not word[0].isupper() and not lower_ok:
            break
        elif mode in ("weak", "closing") and (key in NOT_NAMES or (word.isupper() and len(word) > 2)):
            break
        elif mode == "title" and not words and key in _TITLE_NOT_NAMES:
            return None
        if possessive:  # "Mrs Patel's bin": the name without its "'s"
            words.append(word)
            end = m.end() - 2
            break
        words.append(word)
        end = m.end()
        gap = _GAP.match(text, end)
        if gap is None:
            break
        pos = gap.end()
    if not words:
        return None
    return end, words


_NEXT_WORD = re.compile(rf"[ \t]*({_LETTER}+)")


def _next_word(text: str, pos: int) -> str:
    m = _NEXT_WORD.match(text, pos)
    return m.group(1).lower() if m else ""


def _word_break(text: str, i: int) -> bool:
    """True when no letter, digit, "_" or "[" stands just before position i."""
    return i == 0 or not (text[i - 1].isalnum() or text[i - 1] in "_[")


_FIELD_GLUED = re.compile(r"(?i:sur|fore|first|last|full|given|family|maiden)\Z")


def _name(m: re.Match[str], text: str, mode: str) -> list[Span] | None:
    start = m.end()
    if mode == "title" and not _word_break(text, m.start()):
        return None
    if mode == "title" and m.group("title")[0].islower():
        run = _name_run(text, start, "lower")  # "spoke to mr smith"
    elif mode == "closing":
        run = _name_run(text, start, "weak")
        lower = _name_run(text, start, "lower")
        # A lower-case sign-off counts when the name ends the comment: "best regards jo bloggs".
        if lower and text[lower[0]:].strip(" \t\r\n.!") == "" and not any(
                w.lower() in NOT_NAMES for w in lower[1]):
            run = lower
        elif run and _title_case(text, start, run[0]):
            return None
    elif mode == "field":
        glued = _FIELD_GLUED.search(text, max(0, m.start() - 8), m.start())  # "Surname:"
        begin = glued.start() if glued else m.start()
        if not _word_break(text, begin):
            return None
        if m.group("colon") is None:
            # No colon: ", name Dev Patel" or a line that starts "Name Jo Bloggs".
            before = text[:begin].rstrip(" \t")
            if glued or (before and before[-1] not in ",;(\n"):
                return None
        before = _WORDS.findall(text, max(0, begin - 20), begin)
        if before and before[-1].lower() in _FIELD_NOT_PEOPLE:
            return None  # "Street name: Elm Road"
        run = _name_run(text, start, "lower")
    else:
        run = _name_run(text, start, "weak" if mode == "this_is" else mode)
    if run is None:
        return None
    end, words = run
    if mode in ("weak", "this_is") and _title_case(text, start, end):
        return None
    if mode != "title":
        keys = [w.lower().rstrip(".").removesuffix("'s").removesuffix("’s") for w in words]
        if any(k in ORG_WORDS for k in keys) or _next_word(text, end) in ORG_WORDS:
            return None  # "This is Lewisham Council's fault"
    # "This is Lewisham, we deserve better": one word after "This is" is a name only with a
    # greeting before it or "from", "here", ", I …" after it.
    if mode == "this_is" and len(words) == 1 and not _GREETING.match(text) and not _THIS_IS_FOLLOW.match(text, end):
        return None
    begin = m.start("title") if mode == "title" else start
    return [(begin, end, TAG_NAME)]


@dataclass(frozen=True)
class _Pass:
    """One kind of personal data: its pattern, the check that accepts or refuses a match, and a
    cheap gate (fewest digits, and words one of which must appear in the lower-cased text) that
    every match passes, so most passes are skipped without running their pattern. key names its
    prefilter in _PREFILTERS."""

    key: str
    pattern: re.Pattern[str]
    check: _Check
    digits: int = 0
    words: tuple[str, ...] = ()
    gate: re.Pattern[str] | None = None


def _name_pass(mode: str, key: str, pattern: re.Pattern[str], words: tuple[str, ...]) -> _Pass:
    return _Pass(key, pattern, lambda m, text: _name(m, text, mode), words=words)


# Earlier passes win overlaps: an email address is never re-read as a phone number or a name,
# and a phone number before a card number ("+44 7700 900123 4111 1111 1111 1111") is taken
# first, so the card's digits are not swallowed into its end.
_PASSES: tuple[_Pass, ...] = (
    _Pass("email", _EMAIL, _email, words=("@",)),
    _Pass("email_spelt", _EMAIL_SPELT, _email_spelt, words=(" at ", "at]", "at)", "at}", "at>", "at ]", "at )"),
          gate=re.compile(_PREFILTERS["email_spelt"], re.ASCII)),
    _Pass("dob", _DOB, _dob, 1, ("dob", "d.o.b", "birth", "born")),
    _Pass("phone", _PHONE, _phone, 10),
    _Pass("card", _CARD, _card, 13),
    _Pass("ni", _NI, _ni, 6),
    _Pass("sort_code", _SORT_CODE_CUE, _sort_code, 6, ("sort",)),
    _Pass("sort_code_bare", _SORT_CODE_BARE, _sort_code_bare, 6, ("-",)),
    _Pass("account", _ACCOUNT, _account, 8, ("acc", "a/c")),
    _Pass("postcode", _POSTCODE, _postcode, 1),
    _Pass("vehicle", _VEHICLE_CURRENT, _vehicle, 2),
    _Pass("vehicle", _VEHICLE_PREFIX, _vehicle, 1),
    _Pass("vehicle", _VEHICLE_SUFFIX, _vehicle, 1),
    _Pass("address", _ADDRESS, _address, 1, tuple(sorted(_STREET_ANY_CASE | _STREET_TITLE))),
    *(_name_pass(mode, key, pattern, words) for mode, key, pattern, words in _NAME_CUES),
)
# The prefilters in two unions, names and the rest: one union of all of them is too big for
# RE2's DFA and falls back to a search a hundred times slower.
PREFILTERS = tuple(
    "|".join(f"(?:{pattern})" for key, pattern in _PREFILTERS.items() if key.startswith("name") == names)
    for names in (False, True)
)
# Each round removes digits, "@" or cue words outside tags, so rounds stop changing anything
# quickly (one round in practice, two when redacting uncovers a match); the cap is a backstop.
_MAX_ROUNDS = 5


_DIGIT = re.compile(r"\d")


def _overlaps(span: Span, taken: list[Span]) -> bool:
    return any(span[0] < end and start < span[1] for start, end, _ in taken)


@functools.cache
def _passes_for(kinds: frozenset[str]) -> tuple[_Pass, ...]:
    return tuple(p for p in _PASSES if p.key in kinds)


def find_spans(text: str, kinds: frozenset[str] | None = None) -> list[Span]:
    """The personal data in one comment as (start, end, placeholder), in text order (one round).

    kinds, when given, are the keys of the only passes worth running (their prefilters matched).
    """
    taken: list[Span] = []
    lower = text.lower()
    digits = len(_DIGIT.findall(text))
    for p in _PASSES if kinds is None else _passes_for(kinds):
        if digits < p.digits or (p.words and not any(w in lower for w in p.words)):
            continue
        if p.gate is not None and not p.gate.search(text):
            continue
        pos = 0
        while (m := p.pattern.search(text, pos)) is not None:
            spans = p.check(m, text)
            if not spans or any(_overlaps(s, taken) for s in spans):
                pos = m.start() + 1
                continue
            taken.extend(spans)
            pos = max(spans[-1][1], m.start() + 1)
    return sorted(taken)


def _apply(text: str, spans: list[Span]) -> str:
    parts: list[str] = []
    done = 0
    for start, end, tag in spans:
        parts += (text[done:start], tag)
        done = end
    parts.append(text[done:])
    return "".join(parts)


def redact(text: str | None) -> str | None:
    """Replace personal data in one comment with labelled placeholders such as "[email]"."""
    if not isinstance(text, str):
        return text
    for _ in range(_MAX_ROUNDS):
        spans = find_spans(text)
        if not spans:
            break
        text = _apply(text, spans)
    return text


def _any_prefilter(text: pa.Array) -> np.ndarray:
    """Rows of an Arrow text column that some pass could change."""
    hit = search(text, PREFILTERS[0])
    return hit | search(text, PREFILTERS[1])


def redact_series(series: pd.Series) -> pd.Series:
    """Redact every comment in a Series; missing and non-text values, index and dtype are kept."""
    if isinstance(series.dtype, pd.CategoricalDtype):  # redacted text is not among the categories
        return redact_series(series.astype(object)).astype("category")
    if series.empty:
        return series.copy()
    text = as_arrow(series)
    candidates = np.flatnonzero(_any_prefilter(text))
    if not len(candidates):
        return series.copy()
    # Comments repeat ("Thank you", whole templates): work on each distinct text once.
    encoded = pc.dictionary_encode(text.take(pa.array(candidates)))
    distinct = encoded.dictionary
    # Each kind's own prefilter over the few distinct candidates says which passes can match.
    hits = {kind: search(distinct, pattern) for kind, pattern in _PREFILTERS.items()}
    names = list(hits)
    found = np.column_stack([hits[k] for k in names])
    codes = (found.astype(np.int64) << np.arange(len(names))).sum(axis=1)
    kinds_of = {code: frozenset(k for j, k in enumerate(names) if code >> j & 1) for code in np.unique(codes).tolist()}
    originals = distinct.to_pylist()
    redacted = []
    for original, code in zip(originals, codes.tolist()):
        spans = find_spans(original, kinds_of[code])
        redacted.append(_apply(original, spans) if spans else original)
    # Later rounds, as in redact(), only for the changed texts that could change again: with the
    # placeholders masked (no pattern reads across one), the union prefilter finds them all.
    changed = [i for i, (a, b) in enumerate(zip(originals, redacted)) if a != b]
    if changed:
        masked = pc.replace_substring_regex(pa.array([redacted[i] for i in changed], pa.large_string()),
                                            TAG_PATTERN, "\x00")
        for i in np.asarray(changed)[_any_prefilter(masked)].tolist():
            redacted[i] = redact(redacted[i])
    values = series.to_numpy(dtype=object, copy=True)
    values[candidates] = np.asarray(redacted, dtype=object)[encoded.indices.to_numpy(zero_copy_only=False)]
    # A new column rather than item assignment, which would leave Arrow-backed strings in
    # thousands of small chunks and make every later scan of the column slow.
    return pd.Series(values, index=series.index, dtype=series.dtype, name=series.name)
