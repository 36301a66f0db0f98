"""Themes of residents' comments: keyword rules a council can read and edit.

The default rules ship in themes.toml beside this module; a themes.toml in the council's exports
folder changes them (docs/resident-voice.md, "Themes"). A comment belongs to every theme one of
whose rules it matches; a comment that matches none has no theme (the page calls it "Other").
Matching runs over the whole column at once with Arrow's RE2, so a million comments take
seconds, and one comment is matched the same way, so both always agree.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from pulse.placeholders import TAG_PATTERN
from pulse.text_column import as_arrow, search

DEFAULT_RULES = Path(__file__).with_name("themes.toml")
RULES_FILE = "themes.toml"  # in the council's exports folder
RULE_KEYS = ("words", "with", "without")


class ThemeRulesError(ValueError):
    """A themes.toml that cannot be used, with a message that says why in plain words."""


@dataclass(frozen=True)
class Rule:
    """One rule: any of words, and any of with (when given), and none of without."""

    words: tuple[str, ...]
    with_: tuple[str, ...] = ()
    without: tuple[str, ...] = ()

    def patterns(self) -> tuple[str, str | None, str | None]:
        """The rule as three RE2 patterns (with and without None when the rule has none)."""
        return (_union(self.words), _union(self.with_) if self.with_ else None,
                _union(self.without) if self.without else None)

    def describe(self) -> str:
        """The rule in words, as the page may show it."""
        text = " or ".join(f'"{w}"' for w in self.words)
        if self.with_:
            text += ", with " + " or ".join(f'"{w}"' for w in self.with_)
        if self.without:
            text += ", but not " + " or ".join(f'"{w}"' for w in self.without)
        return text


@dataclass(frozen=True)
class Theme:
    """A theme: its plain-language name and the rules that find it."""

    name: str
    rules: tuple[Rule, ...]


_ASCII_WORD = re.compile(r"[A-Za-z0-9_]")


def phrase_pattern(phrase: str) -> str:
    """An RE2 (and Python re) pattern for one phrase of a rule: whole words, any spacing or
    hyphens between them, "*" at a word's end for any ending, "*" alone for any one word,
    apostrophes optional."""
    # Hyphens separate words like spaces do: "fly-tip*" also finds "fly tipping".
    words = phrase.lower().replace("-", " ").split()
    if not words:
        raise ThemeRulesError("an empty phrase")
    parts = []
    for word in words:
        if word == "*":
            parts.append(r"[^ \t\r\n]+")
            continue
        core = word.rstrip("*")
        if not core:
            raise ThemeRulesError(f'"{phrase}": a word of only "*"')
        piece = "".join("['’]?" if c in "'’" else re.escape(c) for c in core)
        parts.append(piece + (r"[A-Za-z0-9'’\-]*" if word.endswith("*") else ""))
    # Whole words: a boundary where the phrase starts or ends with a letter or digit.
    start = r"\b" if _ASCII_WORD.match(words[0][0]) else ""
    last = words[-1]
    end = r"\b" if not last.endswith("*") and _ASCII_WORD.match(last[-1]) else ""
    return start + r"[ \t\r\n\-/]+".join(parts) + end


def _union(phrases: Sequence[str]) -> str:
    return "|".join(f"(?:{phrase_pattern(p)})" for p in phrases)


def parse_rules(text: str, source: str) -> tuple[list[Theme], bool, set[str]]:
    """The themes in a rules file, whether it keeps the defaults, and the names it disables."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ThemeRulesError(f"{source}: not valid TOML ({exc})") from None
    unknown = set(raw) - {"theme", "keep_defaults"}
    if unknown:
        raise ThemeRulesError(f"{source}: unknown setting {', '.join(sorted(unknown))} "
                              "(expected [[theme]] sections and keep_defaults)")
    keep = raw.get("keep_defaults", True)
    if not isinstance(keep, bool):
        raise ThemeRulesError(f"{source}: keep_defaults must be true or false")
    entries = raw.get("theme", [])
    if not isinstance(entries, list):
        raise ThemeRulesError(f"{source}: write each theme as a [[theme]] section")
    rules: dict[str, list[Rule]] = {}
    disabled: set[str] = set()
    for i, entry in enumerate(entries, start=1):
        name = entry.get("name")
        where = f"{source}: theme {i}" + (f' ("{name}")' if isinstance(name, str) else "")
        if not isinstance(name, str) or not name.strip():
            raise ThemeRulesError(f"{where} has no name")
        name = name.strip()
        extra = set(entry) - {"name", "disabled", *RULE_KEYS}
        if extra:
            raise ThemeRulesError(f"{where}: unknown key {', '.join(sorted(extra))} "
                                  "(a theme takes name, words, with, without, disabled)")
        if entry.get("disabled", False) is True:
            disabled.add(name)
            continue
        lists = {}
        for key in RULE_KEYS:
            value = entry.get(key, [])
            if isinstance(value, str):
                value = [value]
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                raise ThemeRulesError(f"{where}: {key} must be a list of phrases")
            lists[key] = tuple(v.strip() for v in value)
        if not lists["words"]:
            raise ThemeRulesError(f"{where} has no words")
        rule = Rule(lists["words"], lists["with"], lists["without"])
        try:
            rule.patterns()
        except ThemeRulesError as exc:
            raise ThemeRulesError(f"{where}: {exc}") from None
        rules.setdefault(name, []).append(rule)
    return [Theme(n, tuple(r)) for n, r in rules.items()], keep, disabled


def default_themes() -> tuple[Theme, ...]:
    """The themes that ship with Council Pulse."""
    themes, _, _ = parse_rules(DEFAULT_RULES.read_text(encoding="utf-8"), "the default themes")
    return tuple(themes)


def load_themes(folder: Path | None = None) -> tuple[tuple[Theme, ...], str]:
    """The themes for a council's exports folder, and where they came from.

    A themes.toml in the folder replaces same-named default themes, adds new ones and drops those
    it marks disabled; with keep_defaults = false only its own themes count.
    """
    path = Path(folder) / RULES_FILE if folder is not None else None
    if path is None or not path.is_file():
        return default_themes(), "default"
    own, keep, disabled = parse_rules(path.read_text(encoding="utf-8-sig"), RULES_FILE)
    mine = {t.name: t for t in own}
    merged = [mine.pop(t.name, t) for t in default_themes()] if keep else []
    merged = [t for t in merged + list(mine.values()) if t.name not in disabled]
    return tuple(merged), RULES_FILE if not keep else f"default and {RULES_FILE}"


def _stripped(series: pd.Series) -> pa.Array:
    """The comments as Arrow text with placeholders blanked: "[phone]" is not the word phone."""
    return pc.replace_substring_regex(as_arrow(series), TAG_PATTERN, " ")


def theme_matrix(series: pd.Series, themes: Sequence[Theme]) -> np.ndarray:
    """One row per comment, one column per theme: True where the comment belongs to the theme."""
    n = len(series)
    out = np.zeros((n, len(themes)), dtype=bool)
    if n == 0 or not themes:
        return out
    text = _stripped(series)
    for j, theme in enumerate(themes):
        for rule in theme.rules:
            words, with_, without = rule.patterns()
            rows = np.flatnonzero(search(text, words, ignore_case=True) & ~out[:, j])
            # The second and third patterns only look at the rows the first one found.
            for pattern, wanted in ((with_, True), (without, False)):
                if pattern is not None and len(rows):
                    hit = search(text.take(pa.array(rows)), pattern, ignore_case=True)
                    rows = rows[hit == wanted]
            out[rows, j] = True
    return out


def themes_of(text: str | None, themes: Sequence[Theme] | None = None) -> list[str]:
    """The themes of one comment, in theme order; [] when it has none or is blank."""
    themes = default_themes() if themes is None else themes
    row = theme_matrix(pd.Series([text], dtype=object), themes)[0]
    return [t.name for t, hit in zip(themes, row) if hit]


def theme_pairs(ids: pd.Series, comments: pd.Series, themes: Sequence[Theme]) -> pd.DataFrame:
    """One row per comment and theme it belongs to: (feedback_id, theme), in comment then theme order."""
    matrix = theme_matrix(comments, themes)
    rows, cols = np.nonzero(matrix)
    names = np.array([t.name for t in themes], dtype=object)
    return pd.DataFrame({"feedback_id": ids.to_numpy(dtype=object)[rows], "theme": names[cols]})
