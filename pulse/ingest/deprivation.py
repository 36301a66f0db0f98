"""Ward deprivation derived from the Index of Multiple Deprivation by LSOA and an LSOA → ward lookup.

IMD is published for small areas (LSOAs, about 1,500 residents each), never for wards, so a ward
figure has to be built from the LSOAs it holds. The ward's decile is the mean of its LSOAs'
deciles, weighted by LSOA population when every LSOA of the ward has one, else each LSOA counting
once (LSOAs are drawn to hold similar numbers of people, so the two rarely differ by more than a
decile). A mean hides a mixed ward, so the share of residents (or of LSOAs) in England's most
deprived 20% (deciles 1–2) comes alongside. Every row says which method made it, and how many of
the ward's LSOAs had no decile to count.

At load time `screen_deprivation` goes first: a row that cannot count (no LSOA code, no decile, a
decile outside 1–10, an LSOA without a ward in the lookup, a repeat) is rejected with its reason,
and every LSOA left out is listed, so nothing drops out of a ward's figure unseen.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

MOST_DEPRIVED = (1, 2)  # deciles counted in share_most_deprived: England's most deprived 20%
OUTPUT_COLUMNS = ["ward_code", "imd_decile", "method", "lsoas", "share_most_deprived"]

_LSOA = (r"lsoa\d\dcd", r"lsoa_?code", r"lsoa_?cd", r"lsoa")
_WARD = (r"wd\d\dcd(_proposed)?", r"ward_?code", r"ward_?cd", r"wd_?code")
_DECILE = (r"imd_?decile", r"imd\d*_?decile", r".*index of multiple deprivation.*decile.*", r"decile")
_POPULATION = (r"population", r"total", r"all_?ages", r"pop", r"usual_?residents")


class DeprivationError(ValueError):
    """Deprivation tables that cannot be used; the message says which column or value is wrong."""

    def __init__(self, message: str, role: str | None = None):
        super().__init__(message)
        self.role = role  # which table: "imd", "lookup" or "population"


def derive_ward_deprivation(
    lsoa: pd.DataFrame, lookup: pd.DataFrame, population: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Ward imd_decile from LSOA deciles: population-weighted mean where every LSOA's population is known."""
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

    link = _link(lookup).dropna().drop_duplicates()
    # A best-fit lookup puts each LSOA in one ward; any other lookup would count an LSOA twice.
    split = link["lsoa"].duplicated(keep=False)
    if split.any():
        raise DeprivationError(
            f"lookup puts LSOA {link.loc[split, 'lsoa'].iloc[0]} in more than one ward; use a best-fit lookup",
            "lookup")

    joined = link.merge(deciles, on="lsoa", how="inner")
    without_imd = link[~link["lsoa"].isin(deciles["lsoa"])].groupby("ward_code")["lsoa"].count()
    if population is not None:
        people = _people(population)
        people = people[people["weight"] > 0].drop_duplicates("lsoa")
        joined = joined.merge(people, on="lsoa", how="left")
    else:
        joined["weight"] = float("nan")

    rows = []
    for ward, group in joined.groupby("ward_code", sort=True):
        n = len(group)
        known = group["weight"].notna()
        # Weights only when every LSOA of the ward has one: a partial weighting would favour the known.
        weighted = bool(known.all())
        weight = group["weight"].to_numpy(float) if weighted else np.ones(n)
        mean = float((group["decile"].to_numpy(float) * weight).sum() / weight.sum())
        share = float(weight[group["decile"].isin(MOST_DEPRIVED).to_numpy()].sum() / weight.sum())
        deciles_of = f"{n} LSOA decile{'s' if n != 1 else ''}"
        if weighted:
            how = f"population-weighted mean of {deciles_of}"
        else:
            why = ("no LSOA population given" if population is None
                   else f"population missing for {int((~known).sum())} of its {n} LSOAs")
            how = f"mean of {deciles_of}, each LSOA counted once ({why})"
        left_out = int(without_imd.get(ward, 0))
        if left_out:
            how += f"; {left_out} LSOA{'s' if left_out > 1 else ''} of the ward without an IMD decile left out"
        rows.append({"ward_code": ward, "imd_decile": _round_to_more_deprived(mean), "method": how,
                     "lsoas": n, "share_most_deprived": share, "weighted": weighted})
    out = pd.DataFrame(rows, columns=[*OUTPUT_COLUMNS, "weighted"])
    out["imd_decile"] = out["imd_decile"].astype("Int64")
    out["lsoas"] = out["lsoas"].astype("Int64")
    out.attrs["weighted"] = bool(len(out)) and bool(out["weighted"].all())
    out = out[OUTPUT_COLUMNS]
    out.attrs["lsoas_without_ward"] = sorted(set(deciles["lsoa"]) - set(link["lsoa"]))
    out.attrs["lsoas_without_imd"] = sorted(set(link["lsoa"]) - set(deciles["lsoa"]))
    return out


@dataclass
class Screened:
    """The deprivation tables with every unusable row taken out and said why, and each LSOA's standing."""

    imd: pd.DataFrame
    lookup: pd.DataFrame
    population: pd.DataFrame | None
    rejected: pd.DataFrame  # role (imd, lookup, population), row (position in its table), reason
    lsoas: pd.DataFrame  # lsoa_code, ward_code, imd_decile, population, problem (None when used)


def screen_deprivation(
    lsoa: pd.DataFrame, lookup: pd.DataFrame, population: pd.DataFrame | None = None,
    lines: dict[str, pd.Series] | None = None,
) -> Screened:
    """Every row of the three tables kept or rejected with a reason, so derive_ward_deprivation sees clean ones.

    An LSOA without an IMD decile, or without a ward in the lookup, cannot count towards any ward:
    its rows are rejected, and the LSOA is listed with the problem.
    """
    rejects: list[tuple[str, int, str]] = []
    # Where a repeated LSOA was first listed: the file's line when known, else the row number.
    where = {role: (np.asarray(lines[role]) if lines and role in lines else np.arange(1, len(table) + 1))
             for role, table in (("imd", lsoa), ("lookup", lookup), ("population", population)) if table is not None}

    def reject(role: str, mask: pd.Series, reasons) -> None:
        reasons = pd.Series(reasons, index=mask.index) if not isinstance(reasons, pd.Series) else reasons
        hits = np.flatnonzero(mask.fillna(False).to_numpy(dtype=bool))
        rejects.extend((role, int(i), str(reasons.iloc[i])) for i in hits)

    imd = pd.DataFrame({"lsoa": _codes(lsoa[_column(lsoa, _LSOA, "IMD", "LSOA code")]),
                        "raw": lsoa[_column(lsoa, _DECILE, "IMD", "IMD decile")]})
    imd["decile"] = pd.to_numeric(imd["raw"], errors="coerce").astype(float)
    imd_ok = _keyed(imd, "imd", reject, where["imd"])
    blank = imd["raw"].isna() | (imd["raw"].astype("string").str.strip() == "")
    reject("imd", imd_ok & blank, "no IMD decile for LSOA " + imd["lsoa"].astype(str))
    bad = ~blank & (imd["decile"].isna() | ~imd["decile"].between(1, 10) | (imd["decile"] % 1 != 0))
    reject("imd", imd_ok & bad, "IMD decile '" + imd["raw"].astype(str).str.slice(0, 20) + "' is not a whole number 1–10")
    imd_ok &= ~blank & ~bad

    link = _link(lookup)
    link_ok = _keyed(link, "lookup", reject, where["lookup"])
    reject("lookup", link_ok & link["ward_code"].isna(), "missing ward code")
    link_ok &= link["ward_code"].notna()
    split = link_ok & link["lsoa"].map(link[link_ok].groupby("lsoa")["ward_code"].nunique()).gt(1)
    if split.any():
        raise DeprivationError(
            f"lookup puts LSOA {link.loc[split, 'lsoa'].iloc[0]} in more than one ward; use a best-fit lookup",
            "lookup")
    with_decile = set(imd.loc[imd_ok, "lsoa"])
    with_ward = set(link.loc[link_ok, "lsoa"])
    no_imd = link_ok & ~link["lsoa"].isin(with_decile)
    reject("lookup", no_imd, "no IMD decile for LSOA " + link["lsoa"].astype(str))
    no_ward = imd_ok & ~imd["lsoa"].isin(with_ward)
    reject("imd", no_ward, "LSOA " + imd["lsoa"].astype(str) + " has no ward in the lookup")
    link_ok &= ~no_imd
    imd_ok &= ~no_ward
    used = set(imd.loc[imd_ok, "lsoa"])

    people_ok = None
    people = None
    if population is not None:
        people = _people(population)
        people_ok = _keyed(people, "population", reject, where["population"])
        not_positive = people_ok & ~(people["weight"] > 0)
        reject("population", not_positive, "population '" + people["raw"].astype(str).str.slice(0, 20)
               + "' is not a positive number")
        people_ok &= ~not_positive
        unused = people_ok & ~people["lsoa"].isin(used)
        reject("population", unused, "LSOA " + people["lsoa"].astype(str) + " is not among the LSOAs with an IMD "
                                     "decile and a ward")
        people_ok &= ~unused

    lsoas = pd.DataFrame({"lsoa_code": sorted((set(imd["lsoa"].dropna()) | set(link["lsoa"].dropna())))})
    wards = link[link_ok | no_imd].drop_duplicates("lsoa").set_index("lsoa")["ward_code"]
    valid = imd[imd["lsoa"].notna() & ~blank & ~bad].drop_duplicates("lsoa").set_index("lsoa")["decile"]
    lsoas["ward_code"] = lsoas["lsoa_code"].map(wards)
    lsoas["imd_decile"] = lsoas["lsoa_code"].map(valid).astype("Int64")
    lsoas["population"] = (lsoas["lsoa_code"].map(people[people_ok].set_index("lsoa")["weight"])
                           if people is not None else np.nan)
    lsoas["problem"] = None
    lsoas.loc[lsoas["imd_decile"].isna(), "problem"] = "no IMD decile"
    lsoas.loc[lsoas["imd_decile"].notna() & lsoas["ward_code"].isna(), "problem"] = "no ward in the lookup"
    rejected = pd.DataFrame(rejects, columns=["role", "row", "reason"]).sort_values(["role", "row"], kind="stable")
    return Screened(
        imd=lsoa[imd_ok.to_numpy()],
        lookup=lookup[link_ok.to_numpy()],
        population=None if population is None else population[people_ok.to_numpy()],
        rejected=rejected.reset_index(drop=True),
        lsoas=lsoas,
    )


def deprivation_note(lsoas: pd.DataFrame, derived: pd.DataFrame, population_given: bool) -> str:
    """One sentence for the report: how many LSOAs count, which are left out and why, how wards were averaged."""
    used = int(lsoas["problem"].isna().sum())
    parts = [f"{used} of {len(lsoas)} LSOAs count towards their ward's decile"]
    for problem in ("no IMD decile", "no ward in the lookup"):
        codes = lsoas.loc[lsoas["problem"] == problem, "lsoa_code"].tolist()
        if codes:
            listed = ", ".join(codes[:5]) + (f" and {len(codes) - 5} more" if len(codes) > 5 else "")
            parts.append(f"{len(codes)} left out for {problem} ({listed})")
    weighted = derived["method"].str.startswith("population-weighted")
    if weighted.all():
        parts.append(f"all {len(derived)} ward deciles are population-weighted means")
    elif not weighted.any():
        why = "LSOA population missing" if population_given else "no LSOA population given"
        parts.append(f"all {len(derived)} ward deciles are unweighted means ({why})")
    else:
        parts.append(f"{int(weighted.sum())} ward deciles are population-weighted means and {int((~weighted).sum())} "
                     "unweighted (LSOA population missing for some of their LSOAs)")
    return "; ".join(parts)


def _keyed(table: pd.DataFrame, role: str, reject, lines: np.ndarray) -> pd.Series:
    """Rows with an LSOA code seen for the first time; the others rejected (missing, or a repeat)."""
    missing = table["lsoa"].isna()
    reject(role, missing, "missing LSOA code")
    repeat = ~missing & table["lsoa"].duplicated(keep="first")
    if repeat.any():
        first = pd.Series(np.arange(len(table)), index=table.index).groupby(table["lsoa"]).transform("first")
        where = pd.Series(lines[first.fillna(0).astype(int).to_numpy()], index=table.index).astype(str)
        reject(role, repeat, "LSOA " + table["lsoa"].astype(str) + " listed twice (first at line " + where + ")")
    return ~missing & ~repeat


def _link(lookup: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({
        "lsoa": _codes(lookup[_column(lookup, _LSOA, "lookup", "LSOA code")]),
        "ward_code": _codes(lookup[_column(lookup, _WARD, "lookup", "ward code")]),
    })


def _people(population: pd.DataFrame) -> pd.DataFrame:
    raw = population[_column(population, _POPULATION, "population", "population")]
    return pd.DataFrame({
        "lsoa": _codes(population[_column(population, _LSOA, "population", "LSOA code")]),
        "raw": raw,
        "weight": pd.to_numeric(raw.astype("string").str.replace(",", "", regex=False), errors="coerce").astype(float),
    })


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
        f"{table} table has no {meaning} column; columns are {', '.join(map(str, frame.columns)) or 'none'}",
        table.lower())
