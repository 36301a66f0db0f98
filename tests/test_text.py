"""The older import path pulse.metrics.text still gives the one redaction (and sentiment) function."""

from __future__ import annotations

import pytest


def test_moved_names_are_the_same_functions_from_the_old_path() -> None:
    from pulse.ingest import redact as redact_module
    from pulse.metrics import sentiment as sentiment_module
    from pulse.metrics.text import redact, redact_series, sentiment, sentiment_label, sentiment_series

    assert redact is redact_module.redact and redact_series is redact_module.redact_series
    assert (sentiment, sentiment_label, sentiment_series) == (
        sentiment_module.sentiment, sentiment_module.sentiment_label, sentiment_module.sentiment_series)
    assert redact("Call 07700 900123") == "Call [phone]"
    with pytest.raises(ImportError):
        from pulse.metrics.text import no_such_name  # noqa: F401
