"""The shared filters: one frozen dataclass, read from and written to the URL's query parameters."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd

# URL key → Filters field; lists repeat the key (?ward=E05900001&ward=E05900002).
LIST_KEYS = {"directorate": "directorates", "service": "services", "channel": "channels", "ward": "wards"}
MAX_SHOWN = 40
# Every URL key the shared filters own; other keys belong to the pages.
URL_KEYS = ("from", "to", *LIST_KEYS, "public")


@dataclass(frozen=True)
class Options:
    """The values a filter can take in the loaded data."""

    min_date: date | None = None
    max_date: date | None = None
    directorates: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    wards: dict[str, str] = field(default_factory=dict)  # code → name
    # Where the default date range starts: the start of the data's dense recent span (dense_start).
    default_from: date | None = None
    # Where it ends: the last complete month's last day, when the data stops part-way through a month
    # (complete_end); None when the last month is complete or there is too little data to spare it.
    default_to: date | None = None

    @property
    def start(self) -> date | None:
        """The default first day: the dense span's start, else the data's first day."""
        return self.default_from or self.min_date

    @property
    def end(self) -> date | None:
        """The default last day: the last complete month's end, else the data's last day."""
        return self.default_to or self.max_date

    def allowed(self, name: str) -> Sequence[str]:
        """The valid values of one list filter."""
        return tuple(self.wards) if name == "wards" else getattr(self, name)


@dataclass(frozen=True)
class Filters:
    """What the reader has chosen to look at; empty tuples mean everything."""

    date_from: date | None = None
    date_to: date | None = None
    directorates: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    channels: tuple[str, ...] = ()
    wards: tuple[str, ...] = ()
    public_safe: bool = False  # round counts to the nearest 5 for publication (ONS practice)

    def params(self) -> dict:
        """The bound parameters every filtered query takes."""
        return {
            "date_from": self.date_from,
            "date_to": self.date_to,
            "directorates": list(self.directorates) or None,
            "services": list(self.services) or None,
            "channels": list(self.channels) or None,
            "wards": list(self.wards) or None,
        }

    def to_query_params(self, options: Options) -> dict[str, str | list[str]]:
        """URL query parameters for this view; defaults are left out to keep links short."""
        out: dict[str, str | list[str]] = {}
        if self.date_from and self.date_from != options.start:
            out["from"] = self.date_from.isoformat()
        if self.date_to and self.date_to != options.end:
            out["to"] = self.date_to.isoformat()
        for key, name in LIST_KEYS.items():
            if getattr(self, name):
                out[key] = list(getattr(self, name))
        if self.public_safe:
            out["public"] = "1"
        return out


def from_query_params(query: Mapping[str, Sequence[str]], options: Options) -> tuple[Filters, list[str]]:
    """Filters from URL parameters; values that do not exist are dropped with a note saying so."""
    notes: list[str] = []
    chosen: dict[str, object] = {}
    for key, name in (("from", "date_from"), ("to", "date_to")):
        values = list(query.get(key, ()))
        if not values:
            continue
        parsed = _date(values[-1])
        if parsed is None:
            notes.append(f"Ignored the {key} date in the link: {_shown(values[-1])} is not a date (YYYY-MM-DD).")
        else:
            chosen[name] = parsed
    date_from = chosen.get("date_from") or options.start
    date_to = chosen.get("date_to") or options.end
    if date_from and date_to and date_from > date_to:
        notes.append("Ignored the dates in the link: the start is after the end.")
        date_from, date_to = options.start, options.end
    date_from, date_to = _within_data(date_from, date_to, options, notes)
    lists = {}
    for key, name in LIST_KEYS.items():
        allowed = set(options.allowed(name))
        values = list(dict.fromkeys(query.get(key, ())))
        unknown = [v for v in values if v not in allowed]
        if unknown:
            listed = ", ".join(_shown(v) for v in unknown[:5]) + (" …" if len(unknown) > 5 else "")
            notes.append(f"Ignored {key} value(s) in the link that are not in the data: {listed}.")
        lists[name] = tuple(v for v in values if v in allowed)
    public = list(query.get("public", ()))
    if public and public[-1] not in ("0", "1"):
        notes.append(f"Ignored public={_shown(public[-1])} in the link: use public=1 for public-safe figures.")
    return Filters(date_from, date_to, **lists, public_safe=bool(public) and public[-1] == "1"), notes


SPARSE_SHARE = 0.1  # a month with fewer records than this share of the typical month is sparse
SPARSE_RUN = 3  # this many sparse months in a row end a leading tail
TAIL_SHARE = 0.05  # ... when the records before them are fewer than this share of all (else it is an outage)


def dense_start(monthly: Mapping[date, int]) -> date | None:
    """Where the data's dense recent span starts: after the last run of SPARSE_RUN or more sparse months.

    A month is sparse when it holds fewer than SPARSE_SHARE of the median non-empty month's records
    (months with none count as sparse). A run counts as the end of a leading tail only when the records
    before it are fewer than TAIL_SHARE of all, so a gap in the middle of real data never moves the
    start. Exports often carry a handful of stray old records years before the real data starts; a
    default range starting there would show a flat line for years. None when there is no such tail.
    """
    if not monthly:
        return None
    counts = pd.Series(monthly, dtype=float).sort_index()
    counts.index = pd.to_datetime(counts.index)
    full = counts.reindex(pd.date_range(counts.index.min(), counts.index.max(), freq="MS"), fill_value=0.0)
    typical = float(counts[counts > 0].median())
    sparse = (full < SPARSE_SHARE * typical).to_numpy()
    before = full.cumsum().to_numpy()
    start, run = None, 0
    for i, thin in enumerate(sparse):
        run = run + 1 if thin else 0
        if run >= SPARSE_RUN and i + 1 < len(full) and before[i] < TAIL_SHARE * before[-1]:
            start = i + 1
    if start is None:
        return None
    while start < len(full) and sparse[start]:
        start += 1  # begin at the first month that is not sparse itself
    return full.index[start].date() if start < len(full) else None


MIN_COMPLETE_MONTHS = 12  # a partial last month is left out of the default view only with a year to show
PARTIAL_SHARE = 0.5  # ... and only when it holds fewer than this share of a usual month's records


def complete_end(last: date | None, start: date | None, monthly: Mapping[date, int] | None = None) -> date | None:
    """The last day of the month before the data's last, when that last month is cut short; else None.

    The last month is cut short when the data (`start` to `last`) stops before its last day and it holds
    fewer than PARTIAL_SHARE of the median month of records over the MIN_COMPLETE_MONTHS before it
    (`monthly`: records by month, as records_by_month_overall.sql counts them), and at least that many
    complete months come before it. A month of a few days drawn as a whole month reads as a collapse in
    demand and can be flagged as a special cause; with less than a year of data, every month is worth
    keeping. A month whose records simply stop on the 27th, as usual, is not cut short.
    """
    if last is None or start is None:
        return None
    if (last + timedelta(days=1)).month != last.month:  # the data runs to a month's last day
        return None
    previous_end = last.replace(day=1) - timedelta(days=1)
    # Complete months from the first that starts on or after `start` to the one before `last`'s.
    months = (previous_end.year - start.year) * 12 + previous_end.month - start.month + (start.day == 1)
    if months < MIN_COMPLETE_MONTHS:
        return None
    counts = pd.Series({pd.Timestamp(k): v for k, v in (monthly or {}).items()}, dtype=float)
    this_month = pd.Timestamp(last.replace(day=1))
    before = counts[(counts.index < this_month) & (counts.index >= pd.Timestamp(start))].tail(MIN_COMPLETE_MONTHS)
    if before.empty or counts.get(this_month, 0.0) >= PARTIAL_SHARE * float(before.median()):
        return None
    return previous_end


def period_note(options: Options) -> str:
    """What the default period leaves out, in words for the sidebar (when it leaves anything out)."""
    said = []
    if options.default_from:
        said.append(f"Starting {options.default_from:%b %Y}, where the data becomes regular; some older records "
                    f"go back to {options.min_date:%b %Y}.")
    if options.default_to:
        said.append(f"Ending {options.default_to:%b %Y}, the last complete month; the records run on to "
                    f"{options.max_date:%-d %b %Y}.")
    return " ".join(said)


def _within_data(date_from: date | None, date_to: date | None, options: Options,
                 notes: list[str]) -> tuple[date | None, date | None]:
    """Link dates moved inside the data's range, with a note: a date picker cannot show a day beyond it."""
    first, last = options.min_date, options.max_date
    if first is None or last is None or date_from is None or date_to is None:
        return date_from, date_to
    if date_to < first or date_from > last:
        notes.append(f"The link's dates ({_day(date_from)} to {_day(date_to)}) lie outside the data, which runs "
                     f"from {_day(first)} to {_day(last)}: showing all of it.")
        return first, last
    if date_from < first or date_to > last:
        clamped = max(date_from, first), min(date_to, last)
        notes.append(f"The link's dates ({_day(date_from)} to {_day(date_to)}) reach beyond the data, which runs "
                     f"from {_day(first)} to {_day(last)}: showing {_day(clamped[0])} to {_day(clamped[1])}.")
        return clamped
    return date_from, date_to


def _day(day: date) -> str:
    return f"{day.day} {day:%b %Y}"


def _date(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except (ValueError, AttributeError):
        return None


def _shown(value: str) -> str:
    """A URL value made safe to show: short, and with Markdown and HTML characters neutralised."""
    text = "".join(c if c.isalnum() or c in " -_.:/" else "·" for c in str(value)[:MAX_SHOWN])
    return "“" + text + ("…" if len(str(value)) > MAX_SHOWN else "") + "”"


def read_options() -> tuple[Options, bool]:
    """The values the shared filters can take in the loaded database, with the default period, and
    whether it is the synthetic demo: what the app's frame and the `pack` command both start from."""
    from pulse import db

    values = db.run("filter_options_by_value")
    span = db.run("date_range_overall").iloc[0]
    monthly = db.run("records_by_month_overall")
    wards = values[values["dimension"] == "ward"]

    def listed(dimension: str) -> tuple[str, ...]:
        return tuple(values.loc[values["dimension"] == dimension, "value"])

    first = None if pd.isna(span["min_date"]) else pd.Timestamp(span["min_date"]).date()
    last = None if pd.isna(span["max_date"]) else pd.Timestamp(span["max_date"]).date()
    default_from = dense_start(dict(zip(monthly["month"], monthly["records"])))
    options = Options(min_date=first, max_date=last, directorates=listed("directorate"),
                      services=listed("service"), channels=listed("channel"),
                      wards=dict(zip(wards["value"], wards["label"])),
                      default_from=default_from,
                      default_to=complete_end(last, default_from or first, dict(zip(monthly["month"], monthly["records"]))))
    return options, bool(span["synthetic"])
