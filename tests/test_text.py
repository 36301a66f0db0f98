"""The older import path pulse.metrics.text: re-exported names, and the ward page's keyword themes."""

from __future__ import annotations

import random

import pandas as pd
import pytest

from pulse.metrics.text import OTHER, THEMES, theme_series, themes


def test_moved_names_are_still_importable_from_here() -> None:
    from pulse.ingest import redact as redact_module
    from pulse.metrics import sentiment as sentiment_module
    from pulse.metrics.text import redact, redact_series, sentiment, sentiment_label, sentiment_series

    assert redact is redact_module.redact and redact_series is redact_module.redact_series
    assert sentiment is sentiment_module.sentiment
    assert sentiment_label is sentiment_module.sentiment_label
    assert sentiment_series is sentiment_module.sentiment_series
    assert redact("Call 07700 900123") == "Call [phone]"
    with pytest.raises(ImportError):
        from pulse.metrics.text import no_such_name  # noqa: F401


def _mixtures(n: int, seed: int = 7) -> list[str]:
    """Random comments stitched from pieces, to hunt for disagreements between the two paths."""
    rng = random.Random(seed)
    pieces = ["Waited on hold", "the website crashed", "rude staff", "bins missed", "£40 charge",
              "it’s “urgent”", "\n", "  ", "[phone]", "[email] email", "kept me informed", "wheelchair"]
    return [" ".join(rng.choices(pieces, k=rng.randint(1, 5))) for _ in range(n)]


# -------------------------------------------------------------------------------------------
# The ward page's keyword themes
# -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Waited on hold for 40 minutes", ["waiting time", "phone/contact centre"]),
        ("The online form kept crashing", ["website/online form"]),
        ("The contact centre never answered", ["phone/contact centre"]),
        ("The staff were rude", ["staff attitude"]),
        ("Recycling bin not collected", ["bins/waste"]),
        ("Damp and mould in the bathroom, boiler broken", ["repairs"]),
        ("The £40 charge for garden waste is too much", ["bins/waste", "cost/charges"]),
        ("Nobody kept me informed, no update for weeks", ["waiting time", "communication/updates"]),
        ("Not accessible for wheelchair users", ["accessibility"]),
        ("Lovely", [OTHER]),
        ("Please contact me at [email]", [OTHER]),  # our tags are not the resident's words
        ("[phone]", [OTHER]),  # the resident wrote something, just nothing with a theme
        ("", []),
        ("   ", []),
        (None, []),
    ],
)
def test_themes(text: str | None, expected: list[str]) -> None:
    assert themes(text) == expected


def test_themes_come_in_dictionary_order() -> None:
    found = themes("Staff on the phone were rude and I waited ages for a repair")
    assert found == [t for t in THEMES if t in found]
    assert found == ["waiting time", "phone/contact centre", "staff attitude", "repairs"]


def test_theme_series_agrees_with_themes() -> None:
    texts = _mixtures(2000) + [
        "Waited on hold",
        "café wait",
        "it’s the bins",
        "£5 fee",
        "[email] email",
        None,
        "",
        " \t\n",
        "\xa0",
        "[postcode]",
        "WEBSITE DOWN",
    ]
    series = pd.Series(texts, index=range(100, 100 + len(texts)), name="comment")
    out = theme_series(series)
    assert out.tolist() == [themes(t) for t in texts]
    assert out.index.equals(series.index)
    assert out.name == "comment"


def test_theme_series_handles_object_columns_and_fresh_lists() -> None:
    out = theme_series(pd.Series(["bins", 3, None, "bins"], dtype=object))
    assert out.tolist() == [["bins/waste"], [], [], ["bins/waste"]]
    out.iloc[0].append("x")
    assert out.iloc[3] == ["bins/waste"]  # each row owns its list
