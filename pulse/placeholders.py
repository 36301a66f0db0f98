"""The labelled placeholders redaction puts in residents' comments in place of personal data.

Kept apart from pulse.ingest.redact so that the code reading comments (sentiment, themes) can
recognise them without importing the ingest.
"""

from __future__ import annotations

import re

TAG_EMAIL = "[email]"
TAG_PHONE = "[phone]"
TAG_POSTCODE = "[postcode]"
TAG_NI = "[NI number]"
TAG_CARD = "[card]"
TAG_NAME = "[name]"
TAG_ADDRESS = "[address]"
TAG_DOB = "[date of birth]"
TAG_SORT_CODE = "[sort code]"
TAG_ACCOUNT = "[account number]"
TAG_VEHICLE = "[vehicle registration]"
TAGS = (TAG_EMAIL, TAG_PHONE, TAG_POSTCODE, TAG_NI, TAG_CARD, TAG_NAME, TAG_ADDRESS, TAG_DOB,
        TAG_SORT_CODE, TAG_ACCOUNT, TAG_VEHICLE)
# Any placeholder, in Python's re and RE2 alike.
TAG_PATTERN = r"\[(?:" + "|".join(re.escape(t[1:-1]) for t in TAGS) + r")\]"
TAG_REGEX = re.compile(TAG_PATTERN)
