"""The command line: python -m pulse ingest|check|status|demo|docs|pack …"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from pulse.config import db_path


def main(argv: list[str] | None = None) -> int:
    """Run one command; 0 on success, 2 on a problem with the input."""
    parser = argparse.ArgumentParser(prog="python -m pulse", description="Council Pulse data tools")
    commands = parser.add_subparsers(dest="command", required=True)
    ingest = commands.add_parser("ingest", help="load a folder of exports into the database")
    ingest.add_argument("source", type=Path)
    ingest.add_argument("--db", help="database path (default $PULSE_DB, else data/pulse.duckdb)")
    check = commands.add_parser("check", help="validate a folder of exports without writing anything")
    check.add_argument("source", type=Path)
    status = commands.add_parser("status", help="exit 1 when the demo database must be (re)built")
    status.add_argument("--db", help="database path (default $PULSE_DB, else data/pulse.duckdb)")
    demo = commands.add_parser("demo", help="generate the synthetic demo borough")
    demo.add_argument("--requests", type=int, default=300_000)
    demo.add_argument("--seed", type=int, default=7)
    demo.add_argument("--out", type=Path, default=Path("data/demo"))
    commands.add_parser("docs", help="rewrite docs/metrics.md from the registry of measures")
    pack = commands.add_parser("pack", help="make a board pack (.pptx or .pdf) of the standard slides or a saved view")
    pack.add_argument("--out", type=Path, required=True, help="the file to write; .pptx or .pdf says which")
    pack.add_argument("--view", help="a saved view's name (default: the standard slides for the whole data)")
    pack.add_argument("--db", help="database path (default $PULSE_DB, else data/pulse.duckdb)")
    pack.add_argument("--public-safe", action="store_true", help="public-safe figures, whatever the view says")
    args = parser.parse_args(argv)
    if args.command == "pack":
        from streamlit.logger import set_log_level

        # The page builders' caches warn, as they are defined, that no app is running: no news to a job.
        set_log_level("error")
        from pulse.present.command import pack_command

        return pack_command(args.out, args.view, db_path(args.db), args.public_safe)
    if args.command == "demo":
        return _demo(args)
    if args.command == "docs":
        from pulse import docs

        print(f"wrote {docs.write()}")
        return 0
    if args.command == "status":
        return _status(db_path(args.db))
    return _ingest(args.source, None if args.command == "check" else db_path(args.db))


def _ingest(source: Path, db: Path | None) -> int:
    from pulse.ingest import IngestError, ingest

    started = time.perf_counter()
    try:
        report = ingest(source, db)
    except IngestError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    summary = report.by_table()
    print(f"{'Checked' if db is None else 'Loaded'} {source} in {time.perf_counter() - started:.1f} s"
          + (f" into {db}" if db else " (nothing written)"))
    if report.wards:
        print(f"wards: {report.wards} boundaries" + (f", {report.wards_repaired} repaired" if report.wards_repaired else ""))
    if summary.empty:
        print("no source files found")
    else:
        print(summary.to_string(index=False))
    for f in report.files:
        if f.snapped:
            print(f"snapped: {f.source_file}: {f.snapped:,} points just outside every ward given the nearest ward "
                  f"(within {f.snap_metres:g} m)")
    for note in report.notes():
        print(f"note: {note}")
    return 0


def _status(db: Path) -> int:
    """0 when the database is usable; 1 when it is missing, or is a demo built by an older version."""
    import duckdb

    from pulse.schema import SCHEMA_VERSION

    if not db.exists():
        print(f"{db}: no database yet")
        return 1
    with duckdb.connect(str(db), read_only=True) as con:
        meta = dict(con.execute("select key, value from meta").fetchall())
    if meta.get("schema_version") == SCHEMA_VERSION:
        return 0
    if meta.get("synthetic") == "true":
        print(f"{db}: a demo borough built by an older version; rebuilding it")
        return 1
    # A council's own data is never replaced by the demo: it must be loaded again from its folder.
    print(f"{db}: built by an older version; load it again with `make run DATA={meta.get('source_dir', 'FOLDER')}`")
    return 0


def _demo(args) -> int:
    from pulse import demo

    started = time.perf_counter()
    summary = demo.generate(args.out, requests=args.requests, seed=args.seed)
    print(f"Demo borough written to {args.out} in {time.perf_counter() - started:.1f} s: "
          + ", ".join(f"{k} {v:,}" for k, v in summary.items() if isinstance(v, int)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
