"""The resident-voice steps of the ingest on a synthetic column of comments: redaction, then
sentiment and themes stored (pulse.ingest.voice).

    python -m benchmarks.resident_voice [--comments 1000000] [--distinct 1.0]

Comments are drawn from the labelled redaction set (a third of them with personal data) and the
demo's comments, each made distinct with a letters-only tag, so nothing is saved by repeats
unless --distinct is below 1. Prints seconds per step; the goal is theme building for
1,000,000 comments within 5 minutes at ingest on two cores.
"""

from __future__ import annotations

import argparse
import time

import duckdb
import numpy as np
import pandas as pd

from pulse import demo
from pulse.config import QUERIES_DIR
from pulse.ingest import voice
from pulse.ingest.redact import redact_series
from tests import redaction_set


def comments(n: int, distinct: float, seed: int = 5) -> pd.Series:
    """n comments, a share `distinct` of them made unique."""
    pool = [c.text for c in redaction_set.load()]
    pool += [t for theme in demo.COMMENTS.values() for tone in theme for t in tone]
    rng = np.random.default_rng(seed)
    picked = np.array(pool, dtype=object)[rng.integers(0, len(pool), n)]
    unique = rng.random(n) < distinct
    tags = ["".join(chr(97 + (i // 26**k) % 26) for k in range(5)) for i in range(n)]
    return pd.Series([f"{text} {tag}" if u else text for text, tag, u in zip(picked, tags, unique)], dtype=object)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--distinct", type=float, default=1.0)
    args = parser.parse_args()
    text = comments(args.comments, args.distinct)
    started = time.perf_counter()
    redacted = redact_series(text)
    redaction = time.perf_counter() - started
    con = duckdb.connect(":memory:")
    con.execute((QUERIES_DIR / "ingest" / "schema.sql").read_text())
    frame = pd.DataFrame({"feedback_id": [f"F{i:08d}" for i in range(len(text))],
                          "submitted_at": pd.Timestamp("2026-01-01"), "rating": 3, "comment": redacted})
    con.append("feedback", frame, by_name=True)
    started = time.perf_counter()
    voice.build(con, None)
    building = time.perf_counter() - started
    pairs = con.execute("select count(*) from feedback_themes").fetchone()[0]
    print(f"{len(text):,} comments: redaction {redaction:.1f} s; sentiment and themes stored {building:.1f} s "
          f"({pairs:,} comment-theme pairs)")


if __name__ == "__main__":
    main()
