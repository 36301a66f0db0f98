"""What `make run` serves: Streamlit's front-end files from memory, and connections without Nagle's delay.

The effect on speed is measured by `make bench` (benchmarks.readers), never asserted here; these tests
check that the answers are the same files with the same headers, and that nothing else is taken.
"""

from __future__ import annotations

import asyncio
import gzip
import inspect
import mimetypes
import socket
from concurrent.futures import ThreadPoolExecutor

import pytest

from pulse import serve
from pulse.static_assets import CACHE_CONTROL, FOLDER, StaticFromMemory
from tests.conftest import ROOT

BUNDLE = next(path for path in sorted((FOLDER / "static" / "js").glob("*.js")) if path.stat().st_size > 4096)


class Downstream:
    """Stands in for Streamlit's own ASGI app: records what reached it."""

    def __init__(self):
        self.paths: list[str] = []

    async def __call__(self, scope, receive, send):
        self.paths.append(scope["path"])
        await send({"type": "http.response.start", "status": 404, "headers": []})
        await send({"type": "http.response.body", "body": b"from streamlit"})


def ask(app, path: str, method: str = "GET", headers: dict[str, str] | None = None) -> tuple[int, dict, bytes]:
    """One request through an ASGI app: status, headers (lower-case names) and body."""
    scope = {"type": "http", "method": method, "path": path,
             "headers": [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]}
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    # In a thread of its own: a browser test in the same worker may have left an event loop running in this one.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, app(scope, receive, send)).result()
    start = sent[0]
    body = b"".join(message.get("body", b"") for message in sent[1:])
    return start["status"], {k.decode(): v.decode() for k, v in start["headers"]}, body


def test_a_bundle_is_the_file_on_disk_with_streamlits_cache_header():
    app = StaticFromMemory(Downstream())
    status, headers, body = ask(app, f"/static/js/{BUNDLE.name}")
    assert status == 200
    assert body == BUNDLE.read_bytes()
    assert headers["content-length"] == str(len(body))
    assert headers["content-type"] == f"{mimetypes.guess_type(BUNDLE.name)[0]}; charset=utf-8"
    assert headers["content-type"].split(";")[0] in ("text/javascript", "application/javascript")
    assert headers["cache-control"] == CACHE_CONTROL.decode()
    assert "content-encoding" not in headers
    assert app.app.paths == []


def test_a_browser_that_accepts_gzip_gets_the_same_bytes_compressed():
    app = StaticFromMemory(Downstream())
    status, headers, body = ask(app, f"/static/js/{BUNDLE.name}", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert (status, headers["content-encoding"], headers["vary"]) == (200, "gzip", "Accept-Encoding")
    assert gzip.decompress(body) == BUNDLE.read_bytes()
    assert len(body) < BUNDLE.stat().st_size


def test_head_sends_the_headers_without_the_body():
    status, headers, body = ask(StaticFromMemory(Downstream()), f"/static/js/{BUNDLE.name}", method="HEAD")
    assert (status, body, headers["content-length"]) == (200, b"", str(BUNDLE.stat().st_size))


@pytest.mark.parametrize("path, method", [
    ("/", "GET"),  # index.html is Streamlit's (no-cache)
    ("/_stcore/health", "GET"),
    ("/static/js/no-such-file.js", "GET"),
    ("/static/../index.html", "GET"),  # outside the bundles' folder
    ("/static/../../__init__.py", "GET"),
    ("/static/js", "GET"),  # a folder
    (f"/static/js/{BUNDLE.name}", "POST"),
    (f"/other/static/js/{BUNDLE.name}", "GET"),
])
def test_everything_else_goes_to_streamlit(path, method):
    downstream = Downstream()
    status, _, body = ask(StaticFromMemory(downstream), path, method=method)
    assert (status, body, downstream.paths) == (404, b"from streamlit", [path])


def test_a_miss_is_not_remembered():
    app = StaticFromMemory(Downstream())
    for n in range(3):
        ask(app, f"/static/js/missing-{n}.js")
    ask(app, f"/static/js/{BUNDLE.name}")
    assert list(app.assets) == [f"js/{BUNDLE.name}"]


def test_under_a_base_url_path_only_that_prefix_is_taken():
    downstream = Downstream()
    app = StaticFromMemory(downstream, base_url="/council/")
    assert ask(app, f"/council/static/js/{BUNDLE.name}")[2] == BUNDLE.read_bytes()
    assert ask(app, f"/static/js/{BUNDLE.name}")[0] == 404
    assert downstream.paths == [f"/static/js/{BUNDLE.name}"]


def test_the_listening_socket_hands_nodelay_to_every_connection():
    listener = serve.bind_without_delay("127.0.0.1", 0, 8)
    try:
        client = socket.create_connection(listener.getsockname())
        listener.setblocking(True)
        accepted, _ = listener.accept()
        assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) == 1
        accepted.close()
        client.close()
    finally:
        listener.close()


def test_streamlit_still_binds_through_the_function_the_fix_wraps():
    """A Streamlit upgrade that stopped calling _bind_socket would silently drop the fix: fail here instead."""
    from streamlit.web.server.starlette import starlette_server

    assert serve._bind.__module__ == starlette_server.__name__
    assert "_bind_socket(" in inspect.getsource(starlette_server._bind_server_socket)
    assert "_bind_server_socket(" in inspect.getsource(starlette_server.UvicornRunner.run)


def test_server_py_is_app_py_with_the_warm_up_and_the_files_from_memory():
    """`streamlit run server.py` finds the ASGI app by reading the file, as Streamlit's discovery does."""
    from streamlit.web.server.app_discovery import discover_asgi_app

    found = discover_asgi_app(ROOT / "server.py")
    assert found.is_asgi_app and found.import_string == "server:app"
    import server

    assert server.app.script_path == ROOT / "app.py"
    assert [middleware.cls for middleware in server.app._user_middleware] == [StaticFromMemory]
    assert server.app._user_lifespan is server.lifespan
