"""The disclosure auditor can fail: its comparison rules, and the pages with the gate switched off."""

from __future__ import annotations

import numpy as np
import pytest

from pulse.disclosure import counts, secondary
from tests.audit import borough
from tests.audit.collect import differences, run


@pytest.mark.parametrize(("a", "b", "allowed"), [
    ("1,205 requests", "1,205 requests", True),
    ("1,205 requests", "1,210 requests", True),  # rounded counts
    ("1,203 requests", "1,204 requests", False),  # exact counts
    ("53%", "54%", True),  # whole per cent, one step
    ("53%", "55%", False),
    ("53.2%", "53.3%", True),
    ("0.5321,0.61", "0.5322,0.61", True),
    ("0.532142", "0.531908", False),  # a rate at full precision
    ("£2.83", "£2.84", True),
    ("Improving", "No significant change", False),
    ("3 requests", "4 requests", False),
    ("[c]", "[c]", True),
])
def test_public_safe_comparison_rules(a, b, allowed):
    assert (differences([a], [b], rounding=True) == []) is allowed


def test_internal_comparison_allows_nothing():
    assert differences(["1,205"], ["1,210"], rounding=False)


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    root = tmp_path_factory.mktemp("teeth")
    return borough.build(root / "base", "base"), borough.build(root / "requests", "requests")


def test_without_secondary_suppression_the_subtraction_check_fails(pair, monkeypatch):
    made = []
    counts.LISTENERS.append(made.append)
    monkeypatch.setattr(secondary, "protect", lambda members, primary, order: np.asarray(primary, dtype=bool))
    try:
        at, _ = run(pair[0], "views/overview.py", {"ward": borough.WARDS[0][0]}, monkeypatch)
    finally:
        counts.LISTENERS.remove(made.append)
    assert not at.exception
    assert any(not p.disclosed().empty for p in made)


def test_without_suppression_the_differential_check_fails(pair, monkeypatch):
    from pulse.disclosure.rules import Policy

    # Nothing hidden and nothing rounded: the post cell (3 or 4) is published as it is.
    monkeypatch.setattr(secondary, "protect", lambda members, primary, order: np.zeros(len(primary), dtype=bool))
    monkeypatch.setattr(Policy, "shown_count", lambda self, n: int(n))
    query = {"ward": borough.WARDS[0][0], "public": "1"}
    _, base = run(pair[0], "views/overview.py", query, monkeypatch)
    _, changed = run(pair[1], "views/overview.py", query, monkeypatch)
    assert differences(base, changed, rounding=True)
