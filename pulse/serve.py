"""`streamlit run`, with the warm-up started before the first reader arrives.

    python -m pulse.serve run app.py --server.port 8501 …   (the same arguments as `streamlit`)

app.py starts the warm-up (pulse.warmup) itself on its first run, but that run is the first
reader's; started here, the heavy imports and the default views are ready before anyone asks.
"""

from __future__ import annotations

import sys

from pulse import warmup


def main(argv: list[str]) -> int:
    """Start the warm-up, then hand the command line to Streamlit's own."""
    from streamlit.web import cli

    warmup.start(before_server=True)
    sys.argv = ["streamlit", *argv]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
