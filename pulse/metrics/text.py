"""The older import path of redaction: `from pulse.metrics.text import redact` keeps working.

Redaction is an ingest step and lives in pulse.ingest.redact; sentiment is pulse.metrics.sentiment,
and comment themes pulse.metrics.themes. These names are re-exported lazily, because pulse.ingest
imports pulse.metrics while it is itself being imported.
"""

from __future__ import annotations

import importlib

_MOVED = {"redact": "pulse.ingest.redact", "redact_series": "pulse.ingest.redact",
          "sentiment": "pulse.metrics.sentiment", "sentiment_label": "pulse.metrics.sentiment",
          "sentiment_series": "pulse.metrics.sentiment"}


def __getattr__(name: str):
    """A moved name, imported from its home on first use."""
    if name in _MOVED:
        return getattr(importlib.import_module(_MOVED[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
