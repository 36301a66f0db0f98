"""Themes of residents' comments from editable keyword rules (pulse.metrics.themes)."""

from __future__ import annotations

import random
import re

import numpy as np
import pandas as pd
import pytest

from pulse.metrics.themes import (
    DEFAULT_RULES,
    Rule,
    Theme,
    ThemeRulesError,
    default_themes,
    load_themes,
    parse_rules,
    phrase_pattern,
    theme_matrix,
    theme_pairs,
    themes_of,
)


@pytest.mark.parametrize(("phrase", "hits", "misses"), [
    ("on hold", ["On hold for ages", "on  hold", "on\nhold"], ["onhold", "upon holding"]),
    ("repair*", ["repairs", "Repaired", "repair"], ["unrepaired"]),
    ("couldn't log in", ["couldn't log in", "COULDNT LOG IN", "couldn’t log-in"], ["could log in"]),
    ("ordered a * bin", ["ordered a blue bin", "ordered a new bin"], ["ordered a bin"]),
    ("£*", ["£40", "only £", "cost£5"], ["40 pounds"]),
    ("fly-tip*", ["fly-tipping", "fly tipping", "fly/tipped", "Fly - tip"], ["flytipping"]),
])
def test_phrase_pattern(phrase, hits, misses):
    pattern = re.compile(phrase_pattern(phrase), re.IGNORECASE | re.ASCII)
    assert all(pattern.search(h) for h in hits), phrase
    assert not any(pattern.search(m) for m in misses), phrase


def test_phrase_pattern_refuses_empty_words():
    with pytest.raises(ThemeRulesError, match="empty phrase"):
        phrase_pattern("  ")
    with pytest.raises(ThemeRulesError, match='a word of only "\\*"'):
        phrase_pattern("bin **")


@pytest.mark.parametrize(("text", "expected"), [
    ("Bins missed again, third time this month.", ["Bins missed"]),
    ("Recycling not collected on Tuesday", ["Bins missed"]),
    ("The website kept crashing when I tried to pay",
     ["Couldn't log in / website problems", "Council tax, bills and payments"]),
    ("I couldn’t log in to my account", ["Couldn't log in / website problems"]),
    ("Online form is confusing, too many questions.", ["Online forms confusing or too long"]),
    ("The online form was easy", ["Easy to do online"]),
    ("The online form was not easy", []),
    ("Waited on hold for 40 minutes", ["Long wait on the phone"]),
    ("It took 2 hours to get through to the contact centre", ["Long wait on the phone"]),
    ("Still waiting, over a month later.", ["Slow to sort out"]),
    ("Nobody rang back as promised.", ["No updates / nobody got back to me"]),
    ("Said it was closed, but it hasn't been fixed.", ["Closed but not fixed"]),
    ("The officer was friendly and really helpful.", ["Staff were helpful"]),
    ("Not helpful at all, rude.", ["Staff were rude or unhelpful"]),
    ("Damp and mould in the bedroom", ["Repairs, damp and mould"]),
    ("Repair appointment cancelled twice, nobody turned up.", ["Repairs, damp and mould", "Missed appointment"]),
    ("Fly tipping behind the shops", ["Fly-tipping"]),
    ("Pothole on Elm Road", ["Potholes and roads"]),
    ("Street light number 14 is out", ["Street lights"]),
    ("My council tax bill is wrong", ["Council tax, bills and payments"]),
    ("Please bring back paper forms, I have no internet", ["Accessibility and digital exclusion"]),
    ("Lovely weather", []),
    ("Call me on [phone]", []),  # placeholders are not the resident's words
    ("[email] email", []),
    ("", []),
    ("   ", []),
    (None, []),
])
def test_default_themes(text, expected):
    assert themes_of(text) == expected


def test_every_default_theme_is_reachable_and_named_plainly():
    themes = default_themes()
    names = [t.name for t in themes]
    assert len(names) == len(set(names)) == 24
    assert all(name[0].isupper() and "/" not in name.replace(" / ", "") for name in names)
    assert sum(len(t.rules) for t in themes) == 27  # three themes have a second rule
    assert DEFAULT_RULES.name == "themes.toml"


def _mixtures(n: int, seed: int = 3) -> list[str | None]:
    rng = random.Random(seed)
    pieces = ["bins missed", "on hold", "website crashed", "[phone]", "not easy online form", "£40", "rude",
              "\n", "  ", "café", "Kelvin \u212a", "password", "nobody turned up", "cancelled visit", "helpful"]
    return [" ".join(rng.choices(pieces, k=rng.randint(1, 5))) for _ in range(n)] + [None, "", " \t"]


def test_one_comment_and_the_column_agree():
    texts = _mixtures(500)
    themes = default_themes()
    matrix = theme_matrix(pd.Series(texts, dtype=object), themes)
    assert [[t.name for t, hit in zip(themes, row) if hit] for row in matrix] == [themes_of(t) for t in texts]


def test_theme_pairs_list_each_comment_and_theme_once_in_order():
    ids = pd.Series(["A", "B", "C", "D"])
    comments = pd.Series(["on hold, then cut off", None, "Lovely", "Bins missed and nobody rang back"])
    pairs = theme_pairs(ids, comments, default_themes())
    assert pairs.to_records(index=False).tolist() == [
        ("A", "Long wait on the phone"),
        ("D", "Bins missed"), ("D", "No updates / nobody got back to me")]
    assert theme_pairs(ids.iloc[:0], comments.iloc[:0], default_themes()).empty


def test_theme_matrix_on_nothing():
    assert theme_matrix(pd.Series([], dtype=object), default_themes()).shape == (0, 24)
    assert theme_matrix(pd.Series(["x"]), []).shape == (1, 0)


def test_rules_with_and_without():
    theme = Theme("Bins", (Rule(("missed",), with_=("bin*",), without=("not missed",)),))
    assert theme_matrix(pd.Series(["missed bin", "missed the bus", "bins not missed", "bin"]), [theme]).ravel().tolist() == [
        True, False, False, False]
    assert theme.rules[0].describe() == '"missed", with "bin*", but not "not missed"'


def test_parse_rules_merges_same_names_and_reads_disabled():
    themes, keep, disabled = parse_rules(
        '[[theme]]\nname = "A"\nwords = "x"\n[[theme]]\nname = "A"\nwords = ["y"]\nwith = ["z"]\n'
        '[[theme]]\nname = "B"\ndisabled = true\n', "test")
    assert themes == [Theme("A", (Rule(("x",)), Rule(("y",), ("z",))))]
    assert keep is True and disabled == {"B"}


@pytest.mark.parametrize(("content", "message"), [
    ("keep_defaults = 'no'\n", "keep_defaults must be true or false"),
    ("theme = 3\n", "write each theme as a \\[\\[theme\\]\\] section"),
    ("[[theme]]\nname = 'A'\nwords = [3]\n", "words must be a list of phrases"),
    ("[[theme]]\nname = 'A'\nwords = ['x']\nwithout = ['']\n", "without must be a list of phrases"),
])
def test_parse_rules_explains_what_is_wrong(content, message):
    with pytest.raises(ThemeRulesError, match=message):
        parse_rules(content, "themes.toml")


def test_load_themes_without_a_council_file(tmp_path):
    themes, source = load_themes(tmp_path)
    assert source == "default" and themes == default_themes()
    assert load_themes(None) == (default_themes(), "default")


def test_a_council_file_replaces_adds_and_drops(tmp_path):
    (tmp_path / "themes.toml").write_text(
        '\ufeff[[theme]]\nname = "Fly-tipping"\nwords = ["dumped"]\n'
        '[[theme]]\nname = "Dog fouling"\nwords = ["dog mess", "dog poo"]\n'
        '[[theme]]\nname = "Street lights"\ndisabled = true\n', encoding="utf-8")
    themes, source = load_themes(tmp_path)
    names = [t.name for t in themes]
    assert source == "default and themes.toml"
    assert names[2] == "Fly-tipping" and themes[2].rules == (Rule(("dumped",)),)
    assert names[-1] == "Dog fouling" and "Street lights" not in names and len(names) == 24


def test_matching_is_case_insensitive_and_ignores_placeholders():
    matrix = theme_matrix(pd.Series(["ON HOLD", "[name] on hold", "[phone]"]), default_themes())
    names = np.array([t.name for t in default_themes()])
    assert [names[row].tolist() for row in matrix] == [["Long wait on the phone"], ["Long wait on the phone"], []]
