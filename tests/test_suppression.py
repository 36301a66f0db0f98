"""Small-number suppression (pulse.metrics.suppression)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from pulse.metrics.suppression import (
    COUNT_THRESHOLD,
    STAFF_GROUP_MIN,
    SUPPRESSED,
    THRESHOLD_ENV,
    default_threshold,
    is_suppressed,
    rate_visible,
    suppress_count,
    suppress_frame,
    suppress_staff_groups,
)


@pytest.fixture(autouse=True)
def _no_threshold_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(THRESHOLD_ENV, raising=False)


def test_constants() -> None:
    assert (COUNT_THRESHOLD, STAFF_GROUP_MIN, SUPPRESSED) == (10, 5, "[c]")


@pytest.mark.parametrize(
    ("n", "expected"),
    [(0, "[c]"), (1, "[c]"), (9, "[c]"), (10, 10), (11, 11), (12, 12), (13, 13), (1234, 1234)],
)
def test_suppress_count_boundary(n: int, expected: int | str) -> None:
    assert suppress_count(n) == expected


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (9, "[c]"),
        (10, 10),
        (12, 10),  # 2 past a multiple of 5: down
        (12.5, 15),  # a half (only from non-integer input): up, as ONS rounds
        (13, 15),  # 3 past: up
        (17, 15),
        (18, 20),
        (1002, 1000),
        (1003, 1005),
    ],
)
def test_suppress_count_public_safe_rounds_to_5(n: float, expected: int | str) -> None:
    assert suppress_count(n, public_safe=True) == expected


def test_suppress_count_types_and_missing() -> None:
    assert suppress_count(np.int64(25)) == 25
    assert type(suppress_count(np.int64(25))) is int
    assert type(suppress_count(25.0)) is int
    assert suppress_count(None) is None
    assert suppress_count(np.nan) is None
    assert suppress_count("[c]") == "[c]"
    with pytest.raises(ValueError):
        suppress_count(-1)
    with pytest.raises(TypeError):
        suppress_count("12")  # type: ignore[arg-type]


def test_suppress_count_rounding_never_lands_below_threshold() -> None:
    # With a threshold of 6, 6 would round to 5: it is suppressed instead.
    assert suppress_count(6, threshold=6, public_safe=True) == "[c]"
    assert suppress_count(8, threshold=6, public_safe=True) == 10
    assert suppress_count(2, threshold=1, public_safe=True) == "[c]"  # 2 → 0 < 1
    assert suppress_count(3, threshold=1, public_safe=True) == 5


def test_rate_visible() -> None:
    assert not rate_visible(9)
    assert rate_visible(10)
    assert not rate_visible(0)
    assert not rate_visible(None)
    assert not rate_visible(np.nan)
    assert not rate_visible("[c]")  # type: ignore[arg-type]
    assert rate_visible(3, threshold=3)


def test_is_suppressed() -> None:
    assert is_suppressed("[c]")
    assert not is_suppressed("[C]")
    assert not is_suppressed(5)
    assert not is_suppressed(None)
    assert not is_suppressed(np.nan)


def _wards() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "ward": ["A", "B", "C", "D", "E", "F"],
            "requests": [0, 9, 10, 12, 13, 200],
            "online": [0, 3, 8, 11, None, 150],
            "takeup": [np.nan, 3 / 9, 0.8, 11 / 12, np.nan, 0.75],
            "population": [5, 100, 200, 9, 3000, 4000],
        }
    )


def test_suppress_frame_exact() -> None:
    df = _wards()
    frame, mask = suppress_frame(df, counts=["online"], rates={"takeup": "requests"})
    assert frame["requests"].tolist() == ["[c]", "[c]", 10, 12, 13, 200]
    assert frame["online"].tolist() == ["[c]", "[c]", "[c]", 11, None, 150]
    assert frame["takeup"].tolist()[2:4] == [0.8, 11 / 12]
    assert frame["takeup"].isna().tolist() == [True, True, False, False, True, False]
    assert frame["requests"].dtype == object
    assert frame["online"].dtype == object
    assert frame["takeup"].dtype == float
    # Columns not named are untouched, whatever their values.
    assert frame["population"].tolist() == [5, 100, 200, 9, 3000, 4000]
    assert frame["ward"].tolist() == df["ward"].tolist()
    # The mask: withheld under the small-number rule.
    assert list(mask.columns) == ["online", "requests", "takeup"]
    assert mask["online"].tolist() == [True, True, True, False, False, False]
    assert mask["requests"].tolist() == [True, True, False, False, False, False]
    assert mask["takeup"].tolist() == [True, True, False, False, False, False]
    assert mask.index.equals(df.index)
    # The input is left alone.
    pd.testing.assert_frame_equal(df, _wards())


def test_suppress_frame_public_safe() -> None:
    frame, mask = suppress_frame(
        _wards(), counts=["online"], rates={"takeup": "requests"}, public_safe=True
    )
    assert frame["requests"].tolist() == ["[c]", "[c]", 10, 10, 15, 200]
    assert frame["online"].tolist() == ["[c]", "[c]", "[c]", 10, None, 150]
    # Rates are judged on the true denominator (12, 13), not the rounded one.
    assert frame["takeup"].notna().tolist() == [False, False, True, True, False, True]
    assert not mask.loc[3].any()


def test_suppress_frame_leaves_nothing_below_threshold() -> None:
    rng = np.random.default_rng(0)
    df = pd.DataFrame(
        {
            "numerator": rng.integers(0, 30, 500),
            "denominator": rng.integers(0, 40, 500),
            "other": rng.integers(0, 25, 500).astype(float),
        }
    )
    df["rate"] = df["numerator"] / df["denominator"].replace(0, np.nan)
    for threshold in (3, 6, 10, 11):
        for public_safe in (False, True):
            frame, mask = suppress_frame(
                df,
                counts=["numerator", "other"],
                rates={"rate": "denominator"},
                threshold=threshold,
                public_safe=public_safe,
            )
            for column in ("numerator", "denominator", "other"):
                shown = [v for v in frame[column] if v is not None and not is_suppressed(v)]
                assert all(v >= threshold for v in shown), (column, threshold, public_safe)
                assert mask[column].sum() == sum(is_suppressed(v) for v in frame[column])
            visible = df["denominator"] >= threshold
            assert frame["rate"].notna().equals(visible & df["rate"].notna())


def test_suppress_frame_is_idempotent() -> None:
    once, first_mask = suppress_frame(
        _wards(), counts=["online"], rates={"takeup": "requests"}, public_safe=True
    )
    twice, second_mask = suppress_frame(
        once, counts=["online"], rates={"takeup": "requests"}, public_safe=True
    )
    pd.testing.assert_frame_equal(once, twice)
    pd.testing.assert_frame_equal(first_mask, second_mask)


def test_suppress_frame_missing_denominator_hides_rate_without_flag() -> None:
    df = pd.DataFrame({"n": [None, 50], "rate": [0.5, 0.5]})
    frame, mask = suppress_frame(df, counts=[], rates={"rate": "n"})
    assert frame["rate"].isna().tolist() == [True, False]
    assert mask["rate"].tolist() == [False, False]
    assert frame["n"].tolist() == [None, 50]


def test_suppress_frame_rejects_bad_input() -> None:
    df = _wards()
    with pytest.raises(KeyError):
        suppress_frame(df, counts=["nope"], rates={})
    with pytest.raises(ValueError):
        suppress_frame(df.assign(online=["x", 1, 2, 3, 4, 5]), counts=["online"], rates={})
    with pytest.raises(ValueError):
        suppress_frame(df, counts=["takeup"], rates={"takeup": "requests"})


def test_suppress_frame_empty() -> None:
    frame, mask = suppress_frame(_wards().iloc[:0], counts=["online"], rates={"takeup": "requests"})
    assert frame.empty and mask.empty
    assert list(mask.columns) == ["online", "requests", "takeup"]


def test_suppress_staff_groups_4_vs_5() -> None:
    df = pd.DataFrame(
        {
            "directorate": ["Adults", "Children", "Place", "Resources", "Legal"],
            "people": [4, 5, 40, None, "[c]"],
            "adoption": [1.0, 0.6, 0.7, 0.5, 0.9],
        }
    )
    shown, hidden = suppress_staff_groups(df, "people")
    assert shown["directorate"].tolist() == ["Children", "Place"]
    assert shown["adoption"].tolist() == [0.6, 0.7]
    assert hidden == 3
    assert suppress_staff_groups(df, "people", minimum=4).hidden == 2
    with pytest.raises(KeyError):
        suppress_staff_groups(df, "headcount")


def test_default_threshold_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert default_threshold() == 10
    monkeypatch.setenv(THRESHOLD_ENV, "20")
    assert default_threshold() == 20
    assert suppress_count(19) == "[c]"
    assert suppress_count(20) == 20
    assert not rate_visible(19)
    frame, _ = suppress_frame(pd.DataFrame({"n": [15, 25]}), counts=["n"], rates={})
    assert frame["n"].tolist() == ["[c]", 25]
    assert suppress_count(15, threshold=10) == 15  # an explicit threshold wins
    monkeypatch.setenv(THRESHOLD_ENV, " ")
    assert default_threshold() == 10


@pytest.mark.parametrize("raw", ["0", "-3", "ten", "2.5"])
def test_default_threshold_rejects_bad_settings(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv(THRESHOLD_ENV, raw)
    with pytest.raises(ValueError, match=THRESHOLD_ENV):
        default_threshold()
