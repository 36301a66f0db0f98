"""The disclosure gate: every figure that leaves the database for a person passes through here.

- rules: the threshold, public-safe rounding, display precision (Policy);
- counts: tables of counts published together, with primary and secondary suppression (CountModel);
- gate: single figures and tables of rates (count, rate, reference, money_total, rate_table);
- staff: staff groups under the minimum taken out before anything is added up;
- published: the types pages draw with (Figure, Sentence, Table, Chart, Deck).

The rules, the method and what public-safe mode guarantees are written up in docs/disclosure.md.
"""

from pulse.disclosure.counts import CountModel, Protection
from pulse.disclosure.gate import (
    change, count, counts_as_numbers, label_table, money_total, rate, rate_table, reference, reported,
)
from pulse.disclosure.published import (
    COUNT, LABEL, MISSING, RATE, REFERENCE, TEXT, Chart, Deck, Figure, Published, Sentence, Table, join, sentence,
    static, withheld,
)
from pulse.disclosure.rules import (
    COUNT_THRESHOLD, STAFF_GROUP_MIN, SUPPRESSED, THRESHOLD_ENV, Policy, default_threshold, forced_public,
)

__all__ = [
    "COUNT", "COUNT_THRESHOLD", "LABEL", "MISSING", "RATE", "REFERENCE", "STAFF_GROUP_MIN", "SUPPRESSED", "TEXT",
    "THRESHOLD_ENV", "Chart", "CountModel", "Deck", "Figure", "Policy", "Protection", "Published", "Sentence",
    "Table", "change", "count", "counts_as_numbers", "default_threshold", "forced_public", "join", "label_table",
    "money_total", "rate", "rate_table", "reference", "reported", "sentence", "static", "withheld",
]
