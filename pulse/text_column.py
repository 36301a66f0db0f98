"""A column of free text as an Arrow array, searched with RE2 in one vectorised pass."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc


def is_text(series: pd.Series) -> np.ndarray:
    """Boolean mask of the values that are Python strings."""
    if isinstance(series.dtype, pd.StringDtype):
        return series.notna().to_numpy(dtype=bool)
    return np.fromiter((isinstance(v, str) for v in series.tolist()), bool, len(series))


def as_arrow(series: pd.Series) -> pa.Array:
    """The column as one Arrow array of strings; values that are not text become null."""
    mask = is_text(series)
    text = series.where(mask, None) if not mask.all() else series
    array = pa.array(text.astype("str"), type=pa.large_string(), from_pandas=True)
    # Arrow-backed text read from a large file comes in chunks; one array is what callers expect.
    return array.combine_chunks() if isinstance(array, pa.ChunkedArray) else array


def search(text: pa.Array | pa.ChunkedArray, pattern: str, ignore_case: bool = False) -> np.ndarray:
    """Where an RE2 pattern occurs in an Arrow string column; nulls never match."""
    # pyarrow directly rather than Series.str.contains: pandas falls back to Python's re for
    # any \b in a column holding a "£" or a curly quote, which is every real comment column.
    hits = pc.fill_null(pc.match_substring_regex(text, pattern, ignore_case=ignore_case), False)
    return np.asarray(hits.to_numpy(zero_copy_only=False), dtype=bool)
