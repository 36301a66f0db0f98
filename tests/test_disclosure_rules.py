"""The small-number rules (pulse.disclosure.rules) and single published figures (pulse.disclosure.gate)."""

from __future__ import annotations

import math

import pytest

from pulse.disclosure import (
    COUNT_THRESHOLD, STAFF_GROUP_MIN, SUPPRESSED, THRESHOLD_ENV, Policy, count, default_threshold, forced_public,
    money_total, rate, reference, sentence, withheld,
)
from pulse.disclosure.rules import FORCE_PUBLIC_ENV, round5

INTERNAL, PUBLIC = Policy(threshold=10), Policy(public_safe=True, threshold=10)


@pytest.fixture(autouse=True)
def _no_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(THRESHOLD_ENV, raising=False)
    monkeypatch.delenv(FORCE_PUBLIC_ENV, raising=False)


def test_constants() -> None:
    assert (COUNT_THRESHOLD, STAFF_GROUP_MIN, SUPPRESSED) == (10, 5, "[c]")


@pytest.mark.parametrize(("n", "internal", "public"), [
    (0, "[c]", "[c]"), (1, "[c]", "[c]"), (9, "[c]", "[c]"), (10, "10", "10"), (11, "11", "10"), (12, "12", "10"),
    (13, "13", "15"), (17, "17", "15"), (18, "18", "20"), (1002, "1,002", "1,000"), (1003, "1,003", "1,005"),
])
def test_a_count_under_the_threshold_is_c_and_public_safe_rounds_to_five(n, internal, public) -> None:
    assert (count(n, INTERNAL).text, count(n, PUBLIC).text) == (internal, public)


def test_rounding_is_halves_up_and_never_lands_under_the_threshold() -> None:
    assert [round5(v) for v in (12, 12.5, 13, 2.5)] == [10, 15, 15, 5]
    odd = Policy(public_safe=True, threshold=6)
    assert odd.count_hidden(7) and not odd.count_hidden(8)  # 7 → 5 would be under 6; 8 → 10 is shown


def test_counts_must_be_counts() -> None:
    with pytest.raises(ValueError):
        INTERNAL.shown_count(-1)
    with pytest.raises(TypeError):
        INTERNAL.shown_count(True)
    assert count(None, INTERNAL).text == "–"


@pytest.mark.parametrize(("denominator", "shown"), [(None, "–"), (9, "[c]"), (10, "53.2%"), (1000, "53.2%")])
def test_a_rate_needs_a_known_denominator_that_reaches_the_threshold(denominator, shown) -> None:
    figure = rate(0.53214, denominator, "%", INTERNAL)
    assert figure.text == shown and (figure.value == 0.532) is (shown == "53.2%")


def test_public_safe_rates_are_published_at_display_precision() -> None:
    assert rate(0.53214, 1000, "%", PUBLIC).value == 0.53 and rate(0.53214, 1000, "%", PUBLIC).text == "53%"
    assert rate(2.8351, 1000, "£", PUBLIC).text == "£2.84"
    assert rate(0.125, 1000, "£", INTERNAL).value == 0.13  # half away from zero on the written decimal
    assert rate(-0.0004, 1000, "%", INTERNAL).value == 0.0 and not math.copysign(1, INTERNAL.round_rate(-0.0004, "%")) < 0


def test_money_from_counts_is_rounded_and_hidden_with_its_count() -> None:
    basis = count(1234, PUBLIC)
    assert money_total(567.2, basis, PUBLIC).text == "£570"
    assert money_total(567.2, count(1234, INTERNAL), INTERNAL).text == "£567"
    assert money_total(567.2, count(4, PUBLIC), PUBLIC).text == "[c]"


def test_sentences_refuse_raw_numbers() -> None:
    shown = count(25, INTERNAL)
    assert sentence("{n} requests in {ward}", n=shown, ward="North") == "25 requests in North"
    with pytest.raises(TypeError):
        sentence("{n} requests", n=25)
    with pytest.raises(TypeError):
        sentence("{n} requests", n=0.5)
    assert str(withheld("fewer than 10")) == "[c]" and str(reference(12000, "")) == "12,000"


def test_the_threshold_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    assert default_threshold() == 10
    monkeypatch.setenv(THRESHOLD_ENV, "20")
    assert default_threshold() == 20 and Policy().threshold == 20
    for bad in ("0", "-3", "ten", "2.5"):
        monkeypatch.setenv(THRESHOLD_ENV, bad)
        with pytest.raises(ValueError, match=THRESHOLD_ENV):
            default_threshold()


def test_a_deployment_can_force_public_safe(monkeypatch: pytest.MonkeyPatch) -> None:
    assert not forced_public()
    monkeypatch.setenv(FORCE_PUBLIC_ENV, "1")
    assert forced_public()
    monkeypatch.setenv(FORCE_PUBLIC_ENV, "maybe")
    with pytest.raises(ValueError):
        forced_public()
