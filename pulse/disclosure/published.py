"""What a page may show: figures, sentences, tables, charts and maps that have passed the gate.

Streamlit calls live in pulse.ui, and every one of them takes only these types, so a raw number
cannot reach the screen by accident: it has to be published through pulse.disclosure first.

- Figure: one number as published (its value at display precision, or hidden) and how it reads.
- Sentence: text built by sentence(), whose numbers can only be Figures.
- Table: a frame whose every column is classified (label, reference, rate, count) and gated.
- Chart and Deck: an Altair chart or pydeck map built from Tables by pulse.charts.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from numbers import Number

import numpy as np
import pandas as pd

from pulse.disclosure.rules import SUPPRESSED


class Published:
    """Marker for anything that has passed the disclosure gate."""

    __slots__ = ()


@dataclass(frozen=True)
class Figure(Published):
    """One published number: its value as published (None when hidden or missing) and how it reads."""

    value: float | None
    text: str
    hidden: bool = False  # withheld by the small-number rules (reads "[c]" or "–")
    why: str | None = None  # a plain-words reason it is withheld, for a tooltip or caption

    def __str__(self) -> str:
        return self.text

    def __format__(self, spec: str) -> str:
        return format(self.text, spec)

    @property
    def shown(self) -> bool:
        """Whether there is a value to show."""
        return self.value is not None and not self.hidden


MISSING = Figure(None, "–")


def withheld(why: str | None = None, text: str = SUPPRESSED) -> Figure:
    """A figure the rules hide."""
    return Figure(None, text, hidden=True, why=why)


class Sentence(str, Published):
    """Text for the screen whose every number was published through the gate."""

    __slots__ = ()


_ALLOWED = (Figure, str, date, datetime, pd.Timestamp)


def sentence(template: str, /, **values: object) -> Sentence:
    """Fill a template with published figures and plain words: sentence("{n} requests", n=figure).

    A raw int or float is refused: publish it through the gate first (count(), rate(), …).
    """
    names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    missing = names - set(values)
    if missing:
        raise KeyError(f"sentence needs {', '.join(sorted(missing))}")
    for name, value in values.items():
        if isinstance(value, (bool, Number, np.number)) or not isinstance(value, _ALLOWED):
            raise TypeError(f"{name}={value!r} is not published: pass a Figure from pulse.disclosure, "
                            "or words")
    return Sentence(template.format(**values))


def static(text: str) -> Sentence:
    """Words written in the code (a definition, a help text), never figures from the data."""
    return Sentence(text)


def join(parts: list[Sentence | str], sep: str = " ") -> Sentence:
    """Sentences joined into one (plain strings must hold no digits, so no number slips in)."""
    for part in parts:
        if not isinstance(part, Sentence) and any(c.isdigit() for c in part):
            raise TypeError(f"{part!r} holds digits but is not a published Sentence")
    return Sentence(sep.join(parts))


LABEL = "label"  # words, codes, dates, categories: never a number about people
REFERENCE = "reference"  # a public or set figure: population, IMD decile, target, unit cost, rank
COUNT = "count"  # a gated count: a whole number or "[c]"
RATE = "rate"  # a gated rate: at display precision, NaN when hidden
TEXT = "text"  # a published figure's text ("53%", "[c]") or a Sentence


@dataclass(frozen=True)
class Table(Published):
    """A frame whose every column is classified and has passed the gate; `frame` is a copy to draw."""

    _frame: pd.DataFrame
    kinds: Mapping[str, str]

    def __post_init__(self) -> None:
        unknown = [c for c in self._frame.columns if c not in self.kinds]
        if unknown:
            raise ValueError(f"columns not classified for publication: {unknown}")
        for column, kind in self.kinds.items():
            if kind == LABEL and column in self._frame and _numeric(self._frame[column]):
                raise TypeError(f"column {column!r} holds numbers but is classified as a label")

    @property
    def frame(self) -> pd.DataFrame:
        """A copy of the published frame."""
        return self._frame.copy()

    @property
    def empty(self) -> bool:
        """Whether there are no rows."""
        return self._frame.empty

    def __len__(self) -> int:
        return len(self._frame)

    def select(self, rows: pd.Series | np.ndarray | None = None, columns: list[str] | None = None,
               rename: Mapping[str, str] | None = None) -> Table:
        """Some rows and columns of this table, optionally renamed: still published."""
        frame = self._frame if rows is None else self._frame[np.asarray(rows, dtype=bool)]
        if columns is not None:
            frame = frame[columns]
        kinds = {c: self.kinds[c] for c in frame.columns}
        if rename:
            frame = frame.rename(columns=rename)
            kinds = {rename.get(c, c): k for c, k in kinds.items()}
        return Table(frame.reset_index(drop=True), kinds)

    def with_columns(self, kinds: Mapping[str, str], **columns: object) -> Table:
        """This table with columns added that are labels, references or text made from published figures."""
        if any(k in (COUNT, RATE) for k in kinds.values()):
            raise ValueError("counts and rates enter a table only through the gate")
        frame = self._frame.assign(**columns)
        return Table(frame, {**self.kinds, **kinds})


def _numeric(column: pd.Series) -> bool:
    if pd.api.types.is_bool_dtype(column) or pd.api.types.is_datetime64_any_dtype(column):
        return False
    if pd.api.types.is_numeric_dtype(column):
        return True
    return bool(column.map(lambda v: isinstance(v, (Number, np.number)) and not isinstance(v, bool)).any())


@dataclass(frozen=True)
class Chart(Published):
    """An Altair chart (or Vega-Lite spec) drawn only from published Tables."""

    spec: object
    alt_text: str = ""
    data: Table | None = None  # the figures behind it, for a text alternative


@dataclass(frozen=True)
class Deck(Published):
    """A pydeck map drawn only from published Tables."""

    deck: object
    alt_text: str = ""
    data: Table | None = None
