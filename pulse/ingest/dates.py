"""Dates that are not ISO 8601: tell day-first from month-first, and say which date_format would read them.

UK exports write 05/12/2023 for 5 December. Read without a format such a value is rejected, and
it stays rejected until the mapping says how to read it: guessing would swap day and month in
every date up to the 12th without anyone noticing. What the ingest can do is look at the values
that failed and say, once per file and column, what they are:

- day first when some value's first number is above 12 (25/12/2023) and every value reads day first;
- month first when some value's second number is above 12 (12/25/2023) and every value reads so;
- ambiguous when no number is above 12 (05/12/2023): the mapping must say which;
- nothing when the values are not dates of that shape, or mix both orders.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from pulse.ingest.mapping import MAPPING_FILE

# 05/12/2023, 5-12-23, 05.12.2023 14:30, 05/12/2023T14:30:00, 5/12/2023 2:30 PM
DATE_SHAPE = (r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{4}|\d{2})"
              r"(?:([ T])(\d{1,2}:\d{2}(?::\d{2})?)(?:(\s*)([AaPp][Mm]))?)?")
_SHAPE = re.compile(DATE_SHAPE)


@dataclass(frozen=True)
class DateOrder:
    """What failed date values are: 'day_first', 'month_first' or 'ambiguous', the formats that read them, examples."""

    order: str
    formats: tuple[str, ...]
    examples: tuple[str, ...]


def date_order(values: Iterable[str]) -> DateOrder | None:
    """The order of day and month in values that are not ISO dates, or None when they are not such dates."""
    firsts, seconds, shapes, matched = [], [], Counter(), []
    for value in values:
        m = _SHAPE.fullmatch(str(value).strip())
        if m is None:
            continue
        first, second = int(m[1]), int(m[3])
        if not (1 <= first <= 31 and 1 <= second <= 31):
            continue
        firsts.append(first)
        seconds.append(second)
        matched.append(m[0])
        shapes[(m[2], "%Y" if len(m[4]) == 4 else "%y", _time_format(m))] += 1
    if not matched:
        return None
    day_first = all(s <= 12 for s in seconds)
    month_first = all(f <= 12 for f in firsts)
    sep, year, time = shapes.most_common(1)[0][0]
    dmy, mdy = f"%d{sep}%m{sep}{year}{time}", f"%m{sep}%d{sep}{year}{time}"
    if day_first and month_first:
        return DateOrder("ambiguous", (dmy, mdy), _examples(matched, dmy, lambda v: True))
    if day_first:
        return DateOrder("day_first", (dmy,), _examples(matched, dmy, lambda v: int(_SHAPE.fullmatch(v)[1]) > 12))
    if month_first:
        return DateOrder("month_first", (mdy,), _examples(matched, mdy, lambda v: int(_SHAPE.fullmatch(v)[3]) > 12))
    return None  # both orders occur: no single format reads them


def date_note(table: str, column: str, rows: int, order: DateOrder) -> str:
    """One sentence for the report: what the dates are and the exact date_format line that reads them."""
    example = " and ".join(f"'{e}'" for e in order.examples)
    where = f"under [{table}] in {MAPPING_FILE}"
    rejected = f"{rows:,} rows were rejected" if rows != 1 else "1 row was rejected"
    if order.order == "ambiguous":
        return (f"{column}: {rejected} for dates such as {example} whose day and month cannot be "
                f"told apart (none is above 12); add date_format = \"{order.formats[0]}\" {where} if the day "
                f"comes first (UK), or date_format = \"{order.formats[1]}\" if the month does (US)")
    kind = "day first (UK order)" if order.order == "day_first" else "month first (US order)"
    return (f"{column}: {rejected} for dates written {kind}, such as {example}; "
            f"to load them add date_format = \"{order.formats[0]}\" {where}")


def _time_format(m: re.Match) -> str:
    if not m[6]:
        return ""
    hour = "%I" if m[8] else "%H"
    seconds = ":%S" if m[6].count(":") == 2 else ""
    return f"{m[5]}{hour}:%M{seconds}" + (f"{m[7]}%p" if m[8] else "")


def _examples(values: list[str], fmt: str, telling) -> tuple[str, ...]:
    """Up to two values the format reads, those that show the order first."""
    readable = [v for v in dict.fromkeys(values) if not pd.isna(pd.to_datetime(v, format=fmt, errors="coerce"))]
    ordered = sorted(readable, key=lambda v: not telling(v))
    return tuple(ordered[:2]) or tuple(dict.fromkeys(values))[:1]
