"""Where things live: the project root, the queries folder and the database path."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUERIES_DIR = ROOT / "queries"
DEFAULT_DB = ROOT / "data" / "pulse.duckdb"


def db_path(explicit: str | os.PathLike | None = None) -> Path:
    """The database to use: the explicit path, else $PULSE_DB, else data/pulse.duckdb."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("PULSE_DB")
    if env:
        path = Path(env)
        return path if path.is_absolute() else ROOT / path
    return DEFAULT_DB
