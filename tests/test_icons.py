"""Making Data Count icons: plain-word labels, colours, shapes, and valid SVG for every case."""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET

import pytest

from pulse.icons import (
    BLACK,
    BLUE,
    GREY,
    LIGHT_GREY,
    ORANGE,
    PURPLE,
    WHITE,
    assurance_icon,
    assurance_label,
    variation_icon,
    variation_label,
    variation_letter,
)
from pulse.metrics.spc import xmr

SVG = "{http://www.w3.org/2000/svg}"
VARIATIONS = (None, "common_cause", "improvement", "concern", "neutral")
POLARITIES = (True, False, None)
SIDES = (None, "high", "low", "both")
ASSURANCES = (None, "pass", "fail", "hit_or_miss")
EVERY_VARIATION = list(itertools.product(VARIATIONS, POLARITIES, SIDES))


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def text_of(root: ET.Element) -> str:
    return "".join(t.text or "" for t in root.iter(f"{SVG}text"))


def colours(svg: str) -> set[str]:
    return set(re.findall(r"#[0-9a-f]{6}", svg))


@pytest.mark.parametrize(("variation", "higher_is_better", "side"), EVERY_VARIATION)
def test_every_variation_icon_is_valid_accessible_svg(variation, higher_is_better, side):
    svg = variation_icon(variation, higher_is_better, side=side)
    root = parse(svg)
    label = variation_label(variation, higher_is_better, side)
    assert root.get("role") == "img"
    assert root.get("aria-label") == label
    assert root.find(f"{SVG}title").text == label
    assert (root.get("width"), root.get("height")) == ("28", "28")
    assert root.get("viewBox") == "0 0 100 100"


@pytest.mark.parametrize("assurance", ASSURANCES)
def test_every_assurance_icon_is_valid_accessible_svg(assurance):
    root = parse(assurance_icon(assurance, size=40))
    label = assurance_label(assurance)
    assert root.get("role") == "img"
    assert root.get("aria-label") == label
    assert root.find(f"{SVG}title").text == label
    assert root.get("width") == "40"


@pytest.mark.parametrize(
    ("variation", "higher_is_better", "label", "letter", "colour"),
    [
        ("improvement", True, "Improving: special-cause improvement, higher is better", "H", BLUE),
        ("improvement", False, "Improving: special-cause improvement, lower is better", "L", BLUE),
        ("concern", True, "Getting worse: special-cause concern, lower values where higher is better", "L",
         ORANGE),
        ("concern", False, "Getting worse: special-cause concern, higher values where lower is better", "H",
         ORANGE),
        ("common_cause", True, "No significant change: common-cause variation only", "", GREY),
        ("common_cause", None, "No significant change: common-cause variation only", "", GREY),
        (None, True, "Not judged yet: too few points for statistical process control", "", LIGHT_GREY),
    ],
)
def test_variation_labels_letters_and_colours(variation, higher_is_better, label, letter, colour):
    svg = variation_icon(variation, higher_is_better)
    assert variation_label(variation, higher_is_better) == label
    assert text_of(parse(svg)) == letter
    assert colour in colours(svg)


@pytest.mark.parametrize(
    ("side", "label", "letter"),
    [
        ("high", "Unusual change: special-cause variation, neither better nor worse (higher values)", "H"),
        ("low", "Unusual change: special-cause variation, neither better nor worse (lower values)", "L"),
        ("both", "Unusual change: special-cause variation, neither better nor worse", ""),
        (None, "Unusual change: special-cause variation, neither better nor worse", ""),
    ],
)
def test_neutral_is_purple_with_the_side_as_its_letter(side, label, letter):
    svg = variation_icon("neutral", None, side=side)
    assert variation_label("neutral", None, side) == label
    assert text_of(parse(svg)) == letter
    assert PURPLE in colours(svg)
    assert not colours(svg) & {BLUE, ORANGE}


@pytest.mark.parametrize(
    ("assurance", "label", "letter", "colour"),
    [
        ("pass", "Always meets target: the target lies beyond the process limits on the good side", "P", BLUE),
        ("fail", "Can't meet target: the target lies beyond the process limits on the bad side, so it will not be met unless the process changes", "F", ORANGE),
        (
            "hit_or_miss",
            "Hit and miss: the target lies between the process limits, so it will be met only some of the time",
            "?",
            GREY,
        ),
        (None, "Not judged yet: no target, no better direction, or too few points", "", LIGHT_GREY),
    ],
)
def test_assurance_labels_letters_and_colours(assurance, label, letter, colour):
    svg = assurance_icon(assurance)
    assert assurance_label(assurance) == label
    assert text_of(parse(svg)) == letter
    assert colour in colours(svg)


def test_improvement_and_concern_never_share_a_colour():
    for polarity in (True, False):
        assert ORANGE not in colours(variation_icon("improvement", polarity))
        assert BLUE not in colours(variation_icon("concern", polarity))
    assert ORANGE not in colours(assurance_icon("pass"))
    assert BLUE not in colours(assurance_icon("fail"))


def test_letters_on_coloured_discs_have_strong_contrast():
    # White on blue and near-black on orange both exceed the WCAG 4.5:1 for text.
    improvement = parse(variation_icon("improvement", True)).find(f"{SVG}text")
    concern = parse(variation_icon("concern", True)).find(f"{SVG}text")
    assert improvement.get("fill") == WHITE
    assert concern.get("fill") == BLACK
    assert contrast(WHITE, BLUE) > 4.5
    assert contrast(BLACK, ORANGE) > 4.5


def contrast(a: str, b: str) -> float:
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_meaning_survives_without_colour():
    # With every colour replaced by one, icons that mean different things must still differ.
    def shape(svg: str) -> str:
        svg = re.sub(r"#[0-9a-f]{6}", "#000000", svg)
        return re.sub(r'aria-label="[^"]*"|<title>[^<]*</title>', "", svg)

    by_label: dict[str, str] = {}
    for variation, polarity, side in EVERY_VARIATION:
        by_label[variation_label(variation, polarity, side)] = shape(
            variation_icon(variation, polarity, side=side)
        )
    for assurance in ASSURANCES:
        by_label[assurance_label(assurance)] = shape(assurance_icon(assurance))
    # Variation and assurance "not assessed" share the dashed circle, which is fine: they are
    # always shown side by side with their own labels. Everything else is unique.
    shapes = [s for label, s in by_label.items() if not label.startswith("Not judged yet")]
    assert len(shapes) == len(set(shapes))


def test_not_assessed_is_a_dashed_light_grey_circle():
    for svg in (variation_icon(None, True), assurance_icon(None)):
        circle = parse(svg).find(f"{SVG}circle")
        assert circle.get("stroke") == LIGHT_GREY
        assert circle.get("stroke-dasharray")


@pytest.mark.parametrize(("variation", "polarity"), [("improvement", True), ("concern", False)])
def test_high_signals_draw_rising_dots(variation, polarity):
    dots = parse(variation_icon(variation, polarity)).findall(f"{SVG}circle")[-5:]
    heights = [float(d.get("cy")) for d in dots]
    # SVG y grows downwards, so the last dot is the highest.
    assert heights[-1] == min(heights)


def test_icons_follow_an_spc_result():
    # Wired to a real result: a rising trend when higher is better, target out of reach.
    rising = xmr([10, 12, 8, 12, 8, 8, 10, 8.5, 9, 9.5, 10.5, 11, 11.5, 12], target=30)
    assert rising.variation == "improvement" and rising.assurance == "fail"
    icon = variation_icon(rising.variation, rising.higher_is_better, side=rising.side)
    assert text_of(parse(icon)) == "H"
    assert text_of(parse(assurance_icon(rising.assurance))) == "F"


def test_size_is_applied():
    root = parse(variation_icon("common_cause", True, size=64))
    assert (root.get("width"), root.get("height")) == ("64", "64")


@pytest.mark.parametrize("size", [0, -3, 2.5, True])
def test_bad_sizes_are_refused(size):
    with pytest.raises(ValueError, match="size"):
        variation_icon("common_cause", True, size=size)


def test_unknown_states_are_refused():
    with pytest.raises(ValueError, match="variation"):
        variation_icon("great", True)
    with pytest.raises(ValueError, match="assurance"):
        assurance_icon("maybe")
    with pytest.raises(ValueError, match="side"):
        variation_letter("neutral", None, "up")

