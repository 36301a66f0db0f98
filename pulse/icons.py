"""NHS "Making Data Count" variation and assurance icons, drawn as small inline SVG strings.

Colour never carries the meaning alone, so the icons read in greyscale and for colour-blind
users: improvement is a filled disc, concern a filled disc with an inner ring, neutral and
common cause are outlines (neutral with a letter, common cause without), and "not assessed" is
dashed. H or L says whether the signal is high or low; the dots rise, fall or stay flat; and
every icon carries its meaning in words as a <title> and aria-label.
"""

from __future__ import annotations

from urllib.parse import quote
from xml.sax.saxutils import escape, quoteattr

from pulse.wording import assurance_description, variation_description

# GOV.UK palette; blue for improvement and orange for concern, as Making Data Count uses them.
BLUE = "#1d70b8"
ORANGE = "#ed8b00"
PURPLE = "#4c2c92"
GREY = "#505a5f"
LIGHT_GREY = "#b1b4b6"
WHITE = "#ffffff"
BLACK = "#0b0c0c"

VARIATIONS = ("common_cause", "improvement", "concern", "neutral")
ASSURANCES = ("pass", "fail", "hit_or_miss")
SIDES = ("high", "low", "both")

_FONT = "Arial, Helvetica, sans-serif"
_DOT_X = (30, 40, 50, 60, 70)
# Dot heights (SVG y grows downwards) for a little run chart under the letter, kept inside the
# concern icon's inner ring.
_DOTS = {
    "flat": (46, 54, 46, 54, 46),
    "high": (72, 76, 72, 64, 57),
    "low": (58, 62, 58, 68, 76),
    "both": (66, 70, 66, 57, 76),
}


def data_uri(svg: str) -> str:
    """An SVG as a data URI, for a table's image column."""
    return "data:image/svg+xml;utf8," + quote(svg)


def variation_letter(
    variation: str | None, higher_is_better: bool | None, side: str | None = None
) -> str | None:
    """Return "H" or "L" for the side the signal is on, or None when there is no single side."""
    _check(variation, VARIATIONS, "variation")
    _check_side(side)
    if variation in ("improvement", "concern") and higher_is_better is not None:
        # An improvement is on the good side, a concern on the bad one.
        high = (variation == "improvement") == bool(higher_is_better)
        return "H" if high else "L"
    if variation == "neutral" and side in ("high", "low"):
        return "H" if side == "high" else "L"
    return None


def variation_label(
    variation: str | None, higher_is_better: bool | None, side: str | None = None
) -> str:
    """Say in plain words what a variation icon shows (pulse.wording holds the words)."""
    _check(variation, VARIATIONS, "variation")
    return variation_description(variation, higher_is_better, variation_letter(variation, higher_is_better, side))


def assurance_label(assurance: str | None) -> str:
    """Say in plain words what an assurance icon shows."""
    _check(assurance, ASSURANCES, "assurance")
    return assurance_description(assurance)


def variation_icon(
    variation: str | None,
    higher_is_better: bool | None,
    size: int = 28,
    *,
    side: str | None = None,
) -> str:
    """Draw the Making Data Count variation icon as an inline SVG string."""
    label = variation_label(variation, higher_is_better, side)
    if variation is None:
        return _svg(label, size, _not_assessed())
    if variation == "common_cause":
        return _svg(label, size, _outline(GREY) + _dots("flat", GREY))
    letter = variation_letter(variation, higher_is_better, side)
    if letter is not None:
        pattern = "high" if letter == "H" else "low"
    else:
        pattern = "both"
    if variation == "improvement":
        body = _filled(BLUE) + _letter(letter, WHITE, 34, 50) + _dots(pattern, WHITE)
    elif variation == "concern":
        body = _filled(ORANGE, ring=BLACK) + _letter(letter, BLACK, 34, 50) + _dots(pattern, BLACK)
    else:
        body = _outline(PURPLE) + _letter(letter, PURPLE, 34, 50) + _dots(pattern, PURPLE)
    return _svg(label, size, body)


def assurance_icon(assurance: str | None, size: int = 28) -> str:
    """Draw the Making Data Count assurance icon (P, F or ?) as an inline SVG string."""
    label = assurance_label(assurance)
    if assurance is None:
        return _svg(label, size, _not_assessed())
    if assurance == "pass":
        body = _filled(BLUE) + _letter("P", WHITE, 52, 68)
    elif assurance == "fail":
        body = _filled(ORANGE, ring=BLACK) + _letter("F", BLACK, 52, 68)
    else:
        body = _outline(GREY) + _letter("?", GREY, 52, 68)
    return _svg(label, size, body)


def _check(value: str | None, allowed: tuple[str, ...], name: str) -> None:
    if value is not None and value not in allowed:
        raise ValueError(f"{name} must be one of {allowed} or None, not {value!r}")


def _check_side(side: str | None) -> None:
    if side is not None and side not in SIDES:
        raise ValueError(f"side must be one of {SIDES} or None, not {side!r}")


def _svg(label: str, size: int, body: str) -> str:
    if isinstance(size, bool) or not isinstance(size, int) or size <= 0:
        raise ValueError(f"size must be a positive whole number of pixels, not {size!r}")
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" '
        f'viewBox="0 0 100 100" role="img" aria-label={quoteattr(label)}>'
        f"<title>{escape(label)}</title>{body}</svg>"
    )


def _filled(colour: str, ring: str | None = None) -> str:
    disc = f'<circle cx="50" cy="50" r="45" fill="{colour}" stroke="{colour}" stroke-width="6"/>'
    if ring is None:
        return disc
    # The inner ring is what tells a concern from an improvement without colour.
    return disc + f'<circle cx="50" cy="50" r="40" fill="none" stroke="{ring}" stroke-width="3"/>'


def _outline(colour: str) -> str:
    return f'<circle cx="50" cy="50" r="44" fill="{WHITE}" stroke="{colour}" stroke-width="7"/>'


def _not_assessed() -> str:
    return (
        f'<circle cx="50" cy="50" r="44" fill="{WHITE}" stroke="{LIGHT_GREY}" '
        'stroke-width="6" stroke-dasharray="12 9"/>'
    )


def _letter(letter: str | None, colour: str, font_size: int, baseline: int) -> str:
    if letter is None:
        return ""
    return (
        f'<text x="50" y="{baseline}" text-anchor="middle" font-family="{_FONT}" '
        f'font-size="{font_size}" font-weight="700" fill="{colour}">{escape(letter)}</text>'
    )


def _dots(pattern: str, colour: str) -> str:
    points = list(zip(_DOT_X, _DOTS[pattern]))
    line = " ".join(f"{x},{y}" for x, y in points)
    dots = "".join(f'<circle cx="{x}" cy="{y}" r="5" fill="{colour}"/>' for x, y in points)
    return f'<polyline points="{line}" fill="none" stroke="{colour}" stroke-width="3"/>{dots}'
