"""Ward deprivation derived from the Index of Multiple Deprivation by LSOA and an LSOA → ward lookup.

IMD is published for small areas (LSOAs, about 1,500 residents each), never for wards, so a ward
figure has to be built from the LSOAs it holds. The ward's decile is the mean of its LSOAs'
deciles, weighted by LSOA population when that is given, else each LSOA counting once (LSOAs are
drawn to hold similar numbers of people, so the two rarely differ by more than a decile).
A mean hides a mixed ward, so the share of residents (or of LSOAs) in England's most deprived
20% (deciles 1–2) comes alongside. Every row says which method made it.
"""

from __future__ import annotations

import math
import re

import pandas as pd

MOST_DEPRIVED = (1, 2)  # deciles counted in share_most_deprived: England's most deprived 20%
OUTPUT_COLUMNS = ["ward_code", "imd_decile", "method", "lsoas", "share_most_deprived"]

_LSOA = (r"lsoa\d\dcd", r"lsoa_?code", r"lsoa_?cd", r"lsoa")
_WARD = (r"wd\d\dcd(_proposed)?", r"ward_?code", r"ward_?cd", r"wd_?code")
_DECILE = (r"imd_?decile", r"imd\d*_?decile", r".*index of multiple deprivation.*decile.*", r"decile")
_POPULATION = (r"population", r"total", r"all_?ages", r"pop", r"usual_?residents")


class DeprivationError(ValueError):
    """Deprivation tables that cannot be used; the message says which column or value is wrong."""


def derive_ward_deprivation(
    lsoa: pd.DataFrame, lookup: pd.DataFrame, population: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Ward imd_decile from LSOA deciles: population-weighted mean when LSOA population is known."""
    lsoa_col = _column(lsoa, _LSOA, "IMD", "LSOA code")
    decile_col = _column(lsoa, _DECILE, "IMD", "IMD decile")
    deciles = pd.DataFrame({
        "lsoa": _codes(lsoa[lsoa_col]),
        "decile": pd.to_numeric(lsoa[decile_col], errors="coerce"),
    })
    bad = deciles["decile"].isna() | ~deciles["decile"].between(1, 10) | (deciles["decile"] % 1 != 0)
    if bad.any():
        shown = ", ".join(deciles.loc[bad, "lsoa"].astype(str).head(5))
        raise DeprivationError(f"IMD decile must be a whole number 1–10; not so for LSOA {shown}")
    if deciles["lsoa"].duplicated().any():
        raise DeprivationError(f"IMD table lists LSOA {deciles.loc[deciles['lsoa'].duplicated(), 'lsoa'].iloc[0]} twice")

    link = pd.DataFrame({
        "lsoa": _codes(lookup[_column(lookup, _LSOA, "lookup", "LSOA code")]),
        "ward_code": _codes(lookup[_column(lookup, _WARD, "lookup", "ward code")]),
    }).dropna().drop_duplicates()
    # A best-fit lookup puts each LSOA in one ward; any other lookup would count an LSOA twice.
    split = link["lsoa"].duplicated(keep=False)
    if split.any():
        raise DeprivationError(
            f"lookup puts LSOA {link.loc[split, 'lsoa'].iloc[0]} in more than one ward; use a best-fit lookup"
        )

    joined = link.merge(deciles, on="lsoa", how="inner")
    weighted = population is not None
    if weighted:
        people = pd.DataFrame({
            "lsoa": _codes(population[_column(population, _LSOA, "population", "LSOA code")]),
            "weight": pd.to_numeric(population[_column(population, _POPULATION, "population", "population")],
                                    errors="coerce"),
        }).dropna().drop_duplicates("lsoa")
        joined = joined.merge(people, on="lsoa", how="left")
        weighted = bool(joined["weight"].notna().all() and (joined["weight"] > 0).all())
    if not weighted:
        joined["weight"] = 1.0

    rows = []
    for ward, group in joined.groupby("ward_code", sort=True):
        weight = group["weight"].to_numpy(float)
        mean = float((group["decile"].to_numpy(float) * weight).sum() / weight.sum())
        share = float(weight[group["decile"].isin(MOST_DEPRIVED).to_numpy()].sum() / weight.sum())
        n = len(group)
        how = (f"population-weighted mean of {n} LSOA deciles" if weighted
               else f"mean of {n} LSOA deciles, each LSOA counted once (no LSOA population given)")
        rows.append({"ward_code": ward, "imd_decile": _round_to_more_deprived(mean), "method": how,
                     "lsoas": n, "share_most_deprived": share})
    out = pd.DataFrame(rows, columns=OUTPUT_COLUMNS)
    out["imd_decile"] = out["imd_decile"].astype("Int64")
    out["lsoas"] = out["lsoas"].astype("Int64")
    out.attrs["weighted"] = weighted
    out.attrs["lsoas_without_ward"] = sorted(set(deciles["lsoa"]) - set(link["lsoa"]))
    out.attrs["lsoas_without_imd"] = sorted(set(link["lsoa"]) - set(deciles["lsoa"]))
    return out


def _round_to_more_deprived(mean: float) -> int:
    """Nearest decile; an exact half goes to the more deprived side so a borderline ward is not missed."""
    return int(math.ceil(mean - 0.5))


def _codes(values: pd.Series) -> pd.Series:
    text = values.astype("string").str.strip()
    return text.mask(text == "")


def _column(frame: pd.DataFrame, patterns: tuple[str, ...], table: str, meaning: str) -> str:
    for pattern in patterns:
        hits = [c for c in frame.columns if re.fullmatch(pattern, str(c).strip(), flags=re.IGNORECASE)]
        if hits:
            return hits[0]
    raise DeprivationError(
        f"{table} table has no {meaning} column; columns are {', '.join(map(str, frame.columns)) or 'none'}"
    )
