"""What the loaded exports cannot give the Resident voice page, said once and plainly, with the export
that would add it (a council often starts with feedback alone, or ratings without comments)."""

from __future__ import annotations

import pandas as pd

from pulse.disclosure import Policy, Sentence, join, static

NO_FEEDBACK = static("No feedback is loaded. A feedback export (one row per survey response: feedback_id, "
                     "submitted_at and a rating from 1 to 5 or good/average/poor) would fill this page; a comment "
                     "column would add what residents write about.")
NO_COMMENTS = static("The feedback export has no comments, so there are no themes: a comment column (the "
                     "resident's own words, redacted when loaded) would add what residents write about, by theme "
                     "and ward.")
NO_CHANNEL = static("The feedback names no channel: a channel column (online, app, phone…) would compare digital "
                    "and assisted channels.")
NO_SERVICE = static("The feedback names no service: a service column would show satisfaction service by service.")
NO_WARDS = static("Nothing places the feedback in a ward: ward boundaries (a wards file) and a ward_code, or "
                  "coordinates, on the feedback would show satisfaction and themes ward by ward.")
NO_REQUESTS = static("Comments are not linked to requests: a request_id on the feedback that matches the service "
                     "requests export would show each example's service, channel and ward as the request recorded "
                     "them.")
NO_ACTIONS = static("No \"you said, we did\" file: an actions file (date, description, and optionally theme and "
                    "service) would mark what the council changed on the trends and list it.")
PUBLIC = static("Public-safe figures: every count is rounded to the nearest 5 and small ones are hidden; residents' "
                "comments are left out, even redacted, so only counts and rates of themes are shown.")


def gaps(loaded: pd.Series, policy: Policy) -> tuple[Sentence, ...]:
    """One sentence for each thing the exports lack, from feedback_columns_overall."""
    if not loaded["responses"]:
        return (NO_FEEDBACK,)
    found = []
    if not loaded["comments"]:
        found.append(NO_COMMENTS)
    if not loaded["channels"]:
        found.append(NO_CHANNEL)
    if not loaded["services"]:
        found.append(NO_SERVICE)
    if not loaded["wards"] or not loaded["boundaries"]:
        found.append(NO_WARDS)
    if loaded["comments"] and not loaded["linked"] and not policy.public_safe:
        found.append(NO_REQUESTS)
    if not loaded["actions"]:
        found.append(NO_ACTIONS)
    return tuple(found)


def public_note(policy: Policy) -> Sentence | None:
    """What public-safe mode changes on this page, or None inside the council."""
    return PUBLIC if policy.public_safe else None


def gaps_note(found: tuple[Sentence, ...]) -> Sentence:
    """What the exports cannot show yet, as one note with a line for each."""
    return join([Sentence("**What these exports cannot show yet**"), *(join(["-", g]) for g in found)], sep="\n")
