"""Resident voice at load: the sentiment and themes of every comment, stored beside it.

Runs once the feedback is loaded, so it only ever sees redacted comments. Themes come from the
default rules or the council's themes.toml (pulse.metrics.themes); a themes.toml that cannot be
read stops the ingest, like a bad pulse.toml, naming the problem.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from pulse.config import QUERIES_DIR
from pulse.ingest.mapping import IngestError
from pulse.metrics.sentiment import NEGATIVE_CUTOFF, POSITIVE_CUTOFF, sentiment_series
from pulse.metrics.themes import ThemeRulesError, load_themes, theme_pairs


def _sql(name: str) -> str:
    return (QUERIES_DIR / "ingest" / f"{name}.sql").read_text()


def sentiment_labels(scores: pd.Series) -> np.ndarray:
    """positive, neutral or negative for each score (VADER's ±0.05 cut-offs); None where no score."""
    values = scores.to_numpy(dtype=float)
    labels = np.where(values >= POSITIVE_CUTOFF, "positive",
                      np.where(values <= NEGATIVE_CUTOFF, "negative", "neutral")).astype(object)
    labels[np.isnan(values)] = None
    return labels


def build(con: duckdb.DuckDBPyConnection, folder: Path) -> None:
    """Score and theme the loaded comments: feedback.sentiment, feedback_themes and themes."""
    try:
        themes, source = load_themes(folder)
    except ThemeRulesError as exc:
        raise IngestError(str(exc)) from None
    con.execute(_sql("voice_blank_comments"))
    comments = con.execute(_sql("voice_comments")).df()
    scores = sentiment_series(comments["comment"])
    con.register("voice_scores", pd.DataFrame({
        "feedback_id": comments["feedback_id"].to_numpy(dtype=object),
        "sentiment": scores.to_numpy(dtype=float),
        "sentiment_label": sentiment_labels(scores),
    }))
    con.execute(_sql("voice_sentiment"))
    con.unregister("voice_scores")
    pairs = theme_pairs(comments["feedback_id"], comments["comment"], themes)
    if len(pairs):
        con.append("feedback_themes", pairs, by_name=True)
    con.append("themes", pd.DataFrame({
        "theme": [t.name for t in themes],
        "position": np.arange(1, len(themes) + 1, dtype=np.int32),
        "rule": ["; or ".join(r.describe() for r in t.rules) for t in themes],
        "source": source,
    }), by_name=True)
