"""Map colours: ColorBrewer palettes, colour classes over published values, and deck.gl's colour arrays.

Every palette is sequential and safe for the common colour-vision deficiencies (Brewer & Harrower),
and no two maps share a hue: wards in YlGnBu, deprivation in RdPu, request density in Oranges.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd

# ColorBrewer YlGnBu for a ward metric: light = low, dark = high.
YLGNBU = {
    2: ("#a1dab4", "#225ea8"),
    3: ("#edf8b1", "#7fcdbb", "#2c7fb8"),
    4: ("#ffffcc", "#a1dab4", "#41b6c4", "#225ea8"),
    5: ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"),
}
# ColorBrewer RdPu by IMD decile pair: darkest = most deprived.
DEPRIVATION_BANDS = (
    ((1, 2), "1–2: most deprived 20% in England", "#7a0177"),
    ((3, 4), "3–4", "#c51b8a"),
    ((5, 6), "5–6", "#f768a1"),
    ((7, 8), "7–8", "#fbb4b9"),
    ((9, 10), "9–10: least deprived 20%", "#feebe2"),
)
# ColorBrewer Oranges for request density.
ORANGES = {
    2: ("#fdbe85", "#d94701"),
    3: ("#fdbe85", "#fd8d3c", "#d94701"),
    4: ("#fdbe85", "#fd8d3c", "#e6550d", "#a63603"),
    5: ("#feedde", "#fdbe85", "#fd8d3c", "#e6550d", "#a63603"),
}
SINGLE = "#7fcdbb"  # one class only: a middle colour, neither "low" nor "high"
SINGLE_DENSITY = "#fd8d3c"
SUPPRESSED_COLOUR = "#9e9e9e"  # hidden by the small-number rules: drawn hatched
NO_DATA_COLOUR = "#f2f2f2"  # no figure for another reason (no population)
MAX_CLASSES = 5
CLASS_METHODS = {"quantiles": "Quantiles", "natural_breaks": "Natural breaks"}


@dataclass(frozen=True)
class Classes:
    """Colour classes over values: each value's class (-1 when it has none) and each class's colour."""

    of: pd.Series  # class index per value, -1 where the value is missing
    colours: tuple[str, ...]
    method: str

    def members(self, values: pd.Series, index: int) -> pd.Series:
        """The values in one class."""
        return values[self.of == index]


def classify(values: pd.Series, method: str = "quantiles", k: int = MAX_CLASSES,
             palette: dict[int, tuple[str, ...]] = YLGNBU, single: str = SINGLE) -> Classes:
    """Classes with mapclassify over the values shown: quantiles, or Fisher–Jenks natural breaks.

    Values equal to each other always share a class, so that a colour never tells two equal published
    figures apart.
    """
    import mapclassify

    present = values.dropna().astype(float)
    of = pd.Series(-1, index=values.index, dtype="int64")
    distinct = present.nunique()
    k = max(1, min(k, distinct, max(palette)))
    if present.empty:
        return Classes(of, (), method)
    if k == 1:
        of[present.index] = 0
        return Classes(of, (single,), method)
    with warnings.catch_warnings():
        # Numba only speeds up large arrays; a borough has a few dozen wards.
        warnings.simplefilter("ignore")
        scheme = (mapclassify.FisherJenks if method == "natural_breaks" else mapclassify.Quantiles)(
            present.to_numpy(), k=k)
    found = np.asarray(scheme.yb, dtype="int64")
    # mapclassify may leave a class empty when values repeat: number the classes that hold values.
    used = sorted(set(found.tolist()))
    of[present.index] = [used.index(c) for c in found]
    colours = palette[len(used)] if len(used) > 1 else (single,)
    return Classes(of, tuple(colours), method)


def hex_to_rgba(colour: str, alpha: int = 255) -> list[int]:
    """'#41b6c4' → [65, 182, 196, alpha], as deck.gl wants colours."""
    colour = colour.lstrip("#")
    return [int(colour[i:i + 2], 16) for i in (0, 2, 4)] + [alpha]


def deprivation_colour(decile: float | None) -> tuple[str, str | None]:
    """The colour of an IMD decile and its band's label; no-data grey when there is no decile."""
    if decile is None or decile != decile:
        return NO_DATA_COLOUR, None
    for band, label, colour in DEPRIVATION_BANDS:
        if int(decile) in band:
            return colour, label
    return NO_DATA_COLOUR, None
