"""`python -m pulse pack`: a board pack from the command line, for monthly reporting jobs."""

from __future__ import annotations

import os
import sys
import time
from dataclasses import replace
from pathlib import Path

from pulse import saved_views
from pulse.filters import Filters, read_options
from pulse.present import pack, registry


def pack_command(out: Path, view_name: str | None, database: Path, public_safe: bool = False) -> int:
    """Write the board pack; 0 on success, 2 when the file type, database or view is not right."""
    suffix = out.suffix.lower()
    if suffix not in pack.FORMATS:
        print(f"error: {out} must end in .pptx or .pdf", file=sys.stderr)
        return 2
    if not database.exists():
        print(f"error: no database at {database}: load your exports first (python -m pulse ingest FOLDER)",
              file=sys.stderr)
        return 2
    os.environ["PULSE_DB"] = str(database)  # pulse.db reads the database the setting names
    started = time.perf_counter()
    values, _ = read_options()
    if view_name:
        saved = saved_views.load(view_name, database)
        if saved is None:
            known = ", ".join(v.name for v in saved_views.listed(database)) or "none saved yet"
            print(f"error: no saved view named {view_name!r} (saved views: {known})", file=sys.stderr)
            return 2
        view, notes = saved.opened(values)
        for note in notes:
            print(f"note: {note}", file=sys.stderr)
        parts = [registry.Part(view, registry.pages_for(saved.page), saved.kpis, saved.name)]
    else:
        parts = [registry.Part(Filters(values.start, values.end))]  # the view a link without dates opens
    if public_safe:
        parts = [replace(p, view=replace(p.view, public_safe=True)) for p in parts]
    data = pack.make(parts, values, suffix)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(data)
    print(f"Board pack written to {out} in {time.perf_counter() - started:.1f} s ({len(data) / 1024:,.0f} KB)")
    return 0
