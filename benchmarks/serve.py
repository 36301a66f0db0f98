"""`python -m pulse.serve` (what `make run` starts) with a log of every script run, for the
many-readers benchmark.

    PULSE_RUN_LOG=runs.jsonl python -m benchmarks.serve run server.py --server.port 8600 …

Exactly `python -m pulse.serve run …`, except that each finished script run appends one JSON line to
$PULSE_RUN_LOG: its session, when it started and finished (epoch seconds, the same clock as the
benchmark's) and the CPU-seconds of its script thread. The app itself is not changed.
"""

from __future__ import annotations

import json
import os
import sys
import threading
import time

from streamlit.runtime.scriptrunner import script_runner

from pulse import serve

_LOCK = threading.Lock()
_STARTED: dict[int, tuple[float, float]] = {}  # script thread → (epoch, thread CPU) at the run's start


def _patch(log_path: str) -> None:
    """Wrap ScriptRunner so each run's start and finish are written to the log."""
    run_script = script_runner.ScriptRunner._run_script
    finished = script_runner.ScriptRunner._on_script_finished

    def timed_run(self, rerun_data):
        _STARTED[threading.get_ident()] = (time.time(), time.thread_time())
        return run_script(self, rerun_data)

    def timed_finish(self, ctx, event, premature_stop, run_descriptor):
        start, cpu = _STARTED.pop(threading.get_ident(), (None, None))
        line = {"session": self._session_id, "page": getattr(ctx, "page_script_hash", ""), "event": str(event.name),
                "start": start, "end": time.time(),
                "thread_cpu_s": None if cpu is None else time.thread_time() - cpu}
        with _LOCK, open(log_path, "a") as out:
            out.write(json.dumps(line) + "\n")
        # A rerun loop inside _run_script starts its next run here.
        _STARTED[threading.get_ident()] = (time.time(), time.thread_time())
        return finished(self, ctx, event, premature_stop, run_descriptor)

    script_runner.ScriptRunner._run_script = timed_run
    script_runner.ScriptRunner._on_script_finished = timed_finish


if __name__ == "__main__":
    if os.environ.get("PULSE_RUN_LOG"):
        _patch(os.environ["PULSE_RUN_LOG"])
    sys.exit(serve.main(sys.argv[1:]))
