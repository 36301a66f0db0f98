"""Read a council's exports, apply the mapping, validate, reject with reasons, write DuckDB."""

from pulse.ingest.build import Report, ingest
from pulse.ingest.mapping import IngestError

__all__ = ["IngestError", "Report", "ingest"]
