"""Give each row its ward: by code, by name, or by point-in-polygon."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from pulse import geo
from pulse.ingest.clean import as_text

# How a row got its ward; the Data page counts the last three.
MATCHED = ("code", "name", "point", "snapped")
SNAPPED = "snapped"  # a point just outside every ward, given the nearest ward within the tolerance
UNMATCHED = "unmatched"  # a ward code or name that matches no boundary
OUTSIDE = "outside"  # a point that falls outside every ward, beyond the tolerance
UNVERIFIED = "unverified"  # no boundaries loaded to check the code against
NO_WARD = "none"
# How far outside every ward a point may lie and still be given the nearest one. ONS's generalised
# ward boundaries (BGC) are drawn to within 20 m of the full-resolution line, and a phone's GPS
# adds a few metres more, so a point up to ~25 m outside a published boundary may well be inside
# the real one; Lewisham's FixMyStreet reports outside every ward are all within 17 m of it.
DEFAULT_SNAP_METRES = 25.0


class WardIndex:
    """The loaded ward boundaries, for matching rows to wards."""

    def __init__(self, wards: gpd.GeoDataFrame | None):
        self.wards = wards
        self.codes = set(wards["ward_code"]) if wards is not None else set()

    def locate(
        self,
        code: pd.Series | None,
        name: pd.Series | None,
        longitude: pd.Series | None,
        latitude: pd.Series | None,
        n: int,
        snap_metres: float = DEFAULT_SNAP_METRES,
    ) -> pd.DataFrame:
        """Columns ward_code, ward_match, ward_given for n rows."""
        index = pd.RangeIndex(n)
        given = as_text(code) if code is not None else pd.Series(None, index=index, dtype="str")
        names = as_text(name) if name is not None else pd.Series(None, index=index, dtype="str")
        given = given.fillna(names)
        result = pd.DataFrame(
            {
                "ward_code": pd.Series(None, index=index, dtype="str"),
                "ward_match": pd.Series(NO_WARD, index=index, dtype="str"),
                "ward_given": given,
            }
        )
        if self.wards is None:
            has = given.notna()
            result.loc[has, "ward_code"] = given[has]
            result.loc[has, "ward_match"] = UNVERIFIED
            return result
        by_code = given.isin(self.codes).fillna(False).astype(bool)
        result.loc[by_code, "ward_code"] = given[by_code]
        result.loc[by_code, "ward_match"] = "code"
        rest = given.notna() & ~by_code
        if rest.any():
            matched = pd.Series(geo.match_ward_names(given[rest].to_numpy(), self.wards), index=given[rest].index)
            ok = matched.notna()
            result.loc[ok[ok].index, "ward_code"] = matched[ok]
            result.loc[ok[ok].index, "ward_match"] = "name"
            result.loc[ok[~ok].index, "ward_match"] = UNMATCHED
        if longitude is not None and latitude is not None:
            todo = (result["ward_match"] == NO_WARD) & longitude.notna() & latitude.notna()
            if todo.any():
                found = pd.Series(
                    geo.assign_wards(longitude[todo].to_numpy(float), latitude[todo].to_numpy(float), self.wards),
                    index=todo[todo].index,
                )
                hit = found.notna()
                result.loc[hit[hit].index, "ward_code"] = found[hit]
                result.loc[hit[hit].index, "ward_match"] = "point"
                result.loc[hit[~hit].index, "ward_match"] = OUTSIDE
                stray = hit[~hit].index
                if len(stray) and snap_metres > 0:
                    near = pd.Series(geo.nearest_wards(longitude[stray].to_numpy(float), latitude[stray].to_numpy(float),
                                                       self.wards, snap_metres), index=stray)
                    close = near.notna()
                    result.loc[close[close].index, "ward_code"] = near[close]
                    result.loc[close[close].index, "ward_match"] = SNAPPED
        return result


