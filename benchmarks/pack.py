"""A ten-slide board pack: seconds to build the PowerPoint and the PDF, cold and with the page figures cached.

bench(db_path) is called by benchmarks/run.py; `python -m benchmarks.pack DB` prints the same JSON.
Goal (issue 11): a ten-slide pack builds in ≤ 10 s. "Cold" clears every cached query and figure
(the chart renderer has started once, as in a server that has made one pack); "warm" is the second
format with the page figures cached, as when a reader downloads both.
"""

from __future__ import annotations

import json
import os
import sys
import time

import streamlit as st

from benchmarks.apptest import using_db

SLIDES = 10  # a cover, the Overview's two slides and seven KPI slides


def bench(db_path: str | os.PathLike) -> dict[str, float]:
    """Seconds (wall and CPU) for a ten-slide .pptx cold, the same .pdf warm, and .pdf cold; the slide count."""
    from pulse.filters import Filters, read_options
    from pulse.present import images, pack, registry

    with using_db(db_path):
        values, _ = read_options()
        results = registry.kpis.kpi_page.default_results(Filters(values.min_date, values.max_date), values.min_date,
                                                         values.max_date)
        kpis = tuple(r.kpi.id for r in results if r.ok)[:SLIDES - 3]
        parts = [registry.Part(Filters(values.min_date, values.max_date), kpis=kpis)]
        slides = len(registry.build(parts, values)) + 1
        images.chart_png(registry.build(parts, values)[1].chart, 200, 100, scale=1)  # the renderer's one-off start
        timings = {}
        for name, suffix in (("pptx_cold_s", ".pptx"), ("pdf_warm_s", ".pdf"), ("pdf_cold_s", ".pdf")):
            if name.endswith("cold_s"):
                st.cache_data.clear()
            started, cpu = time.perf_counter(), time.process_time()
            pack.make(parts, values, suffix)
            timings[name] = round(time.perf_counter() - started, 2)
            # CPU seconds of every thread (the chart renderer has its own): on a shared machine the wall
            # clock also counts waiting for the cores, CPU time only the work.
            timings[name.replace("_s", "_cpu_s")] = round(time.process_time() - cpu, 2)
    return {"slides": float(slides), **timings}


if __name__ == "__main__":
    print(json.dumps(bench(sys.argv[1])))
