"""What `make run` serves: the dashboard (app.py) as a Streamlit ASGI app with two additions.

    .venv/bin/python -m streamlit run server.py --server.port 8501 …

- The warm-up (pulse.warmup) starts with the server, before the first reader: heavy imports and
  every page's default view are computed in the background, and again after each ingest.
- Streamlit's front-end files are served from memory (pulse.static_assets) instead of being streamed
  from disk for every reader.

`streamlit run app.py` still works and shows the same dashboard, only without these two.
"""

from contextlib import asynccontextmanager
from pathlib import Path

import streamlit as st
from starlette.middleware import Middleware
from streamlit import config

from pulse import warmup
from pulse.static_assets import StaticFromMemory


@asynccontextmanager
async def lifespan(_app):
    """Start the warm-up as the server starts; it runs in its own daemon thread."""
    warmup.start(before_server=True)
    yield


app = st.App(Path(__file__).with_name("app.py"), lifespan=lifespan,
              middleware=[Middleware(StaticFromMemory, base_url=config.get_option("server.baseUrlPath"))])
