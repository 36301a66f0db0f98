"""Streamlit's own front-end files (its JavaScript, CSS and fonts), served from memory.

Every reader's browser fetches about 150 of these files (7.4 MB) before it can open the session.
Streamlit serves each one by opening the file and streaming it in 64 KB pieces through a worker thread,
which cost its server about 0.35 CPU-seconds per reader: more than running the page itself, and
on the same Python process, so twenty readers arriving together mostly waited for each other's
JavaScript. This middleware answers those requests before Streamlit's stack sees them, from bytes
read (and gzip-compressed, in a worker thread) on the first request for each file and kept for the
life of the process, with the cache headers Streamlit gives them.

Only the content-hashed bundles under /static/ are taken (their names change with every Streamlit
release, so they are cached by browsers for a year); index.html, the health check, the websocket and
everything else go to Streamlit as before. A path that is not a file there also goes to Streamlit.
"""

from __future__ import annotations

import gzip
import mimetypes
from dataclasses import dataclass
from pathlib import Path

import anyio
import streamlit

FOLDER = Path(streamlit.__file__).parent / "static"
PREFIX = "/static/"
CACHE_CONTROL = b"public, immutable, max-age=31536000"  # Streamlit's own for its hashed bundles
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml")
MIN_GZIP_BYTES = 1024


@dataclass(frozen=True)
class Asset:
    """One file's answer: its bytes as they are, and gzip-compressed when that is worth sending."""

    body: bytes
    gzipped: bytes | None
    content_type: bytes


def load(path: Path) -> Asset:
    """Read one file and prepare both of its answers."""
    body = path.read_bytes()
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    gzipped = None
    if kind.startswith(COMPRESSIBLE) and len(body) >= MIN_GZIP_BYTES:
        packed = gzip.compress(body, compresslevel=6, mtime=0)
        gzipped = packed if len(packed) < len(body) else None
    charset = "; charset=utf-8" if kind.startswith("text/") or kind == "application/javascript" else ""
    return Asset(body, gzipped, (kind + charset).encode())


class StaticFromMemory:
    """ASGI middleware: GET and HEAD of /static/<file> answered from memory; everything else passed on."""

    def __init__(self, app, folder: Path = FOLDER, base_url: str = "") -> None:
        self.app = app
        self.bundles = folder.resolve() / "static"
        self.prefix = ("/" + base_url.strip("/") if base_url.strip("/") else "") + PREFIX
        self.assets: dict[str, Asset] = {}  # only files found: a miss is not kept, so it cannot grow the dict

    async def __call__(self, scope, receive, send) -> None:
        asset = None
        if scope["type"] == "http" and scope["method"] in ("GET", "HEAD") and scope["path"].startswith(self.prefix):
            asset = await self.find(scope["path"][len(self.prefix):])
        if asset is None:
            await self.app(scope, receive, send)
            return
        gzipped = asset.gzipped is not None and b"gzip" in _header(scope, b"accept-encoding")
        body = asset.gzipped if gzipped else asset.body
        headers = [(b"content-type", asset.content_type), (b"content-length", str(len(body)).encode()),
                   (b"cache-control", CACHE_CONTROL), (b"vary", b"Accept-Encoding")]
        if gzipped:
            headers.append((b"content-encoding", b"gzip"))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else body})

    async def find(self, relative: str) -> Asset | None:
        """The asset at a path under /static/ (read on first use), or None if it is not a file there."""
        if relative in self.assets:
            return self.assets[relative]
        path = (self.bundles / relative).resolve()
        if not (path.is_relative_to(self.bundles) and path.is_file()):
            return None
        asset = await anyio.to_thread.run_sync(load, path)
        self.assets[relative] = asset
        return asset


def _header(scope, name: bytes) -> bytes:
    """One request header's value, lower-cased ('' if absent)."""
    for key, value in scope.get("headers", ()):
        if key == name:
            return value.lower()
    return b""
