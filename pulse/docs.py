"""docs/metrics.md, written from pulse.registry so the definitions in the docs are the ones the code uses.

`python -m pulse docs` rewrites the file; tests/test_registry.py fails when it is out of date.
"""

from __future__ import annotations

from pathlib import Path

from pulse import registry
from pulse.config import ROOT

METRICS_DOC = ROOT / "docs" / "metrics.md"
UNITS = {"%": "share (0.53 is 53%)", "£": "pounds", "days": "days", "score": "score from −1 to +1",
         "per 1,000": "per 1,000 residents", "count": "count"}


def metrics_markdown() -> str:
    """The measures table as Markdown."""
    lines = [
        "# The measures Council Pulse computes",
        "",
        "Written from `pulse/registry.py` by `python -m pulse docs`; do not edit by hand. Each measure is",
        "defined once there and read by the Overview, the KPI trends page, the ward map, the slides and this page.",
        "",
        "| measure | unit | better when | definition | query | needs |",
        "|---|---|---|---|---|---|",
    ]
    for m in registry.MEASURES.values():
        better = m.polarity or "neither"
        query = f"`{m.query}`" if m.query else "`metrics_by_ward` (ward map)"
        needs = f"`{m.needs.table}`" + (f": {', '.join(f'`{c}`' for c in m.needs.columns)}" if m.needs.columns else "")
        lines.append(f"| {m.name} | {UNITS.get(m.unit, m.unit)} | {better} | {m.formula} | {query} | {needs} |")
    lines += [
        "",
        "**GOV.UK's four service KPIs** on the Overview: " + ", ".join(m.name for m in registry.HEADLINES) + ".",
        "",
        "**Built-in KPIs** (shown on the KPI trends page when a council loads no `kpis` file), by challenge:",
        "",
    ]
    for challenge in dict.fromkeys(m.challenge for m in registry.BUILT_IN_KPIS):
        names = ", ".join(m.name for m in registry.BUILT_IN_KPIS if m.challenge == challenge)
        lines.append(f"- {challenge}: {names}")
    lines += [
        "",
        "**The ward map** shows, in this order: "
        + ", ".join(registry.MEASURES[k].name for k in registry.WARD_ORDER) + ".",
        "",
        "A measure the loaded data cannot support says which export would make it work: "
        + "; ".join(f"{m.name} — {m.needs.export}" for m in registry.MEASURES.values() if m.needs.export) + ".",
        "",
    ]
    return "\n".join(lines)


def write(path: Path = METRICS_DOC) -> Path:
    """Rewrite docs/metrics.md."""
    path.write_text(metrics_markdown())
    return path
