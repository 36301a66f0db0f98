"""N readers opening one link at the same moment, as the server sees them, without N browsers on its cores.

    python -m benchmarks.readers path/to/pulse.duckdb [--readers 20] [--path /]

At a roundtable each reader's browser runs on the reader's own machine; the server only answers. On
this two-core machine twenty Chromiums would take the cores from the server (see benchmarks.browser),
so here each reader does exactly what a browser asks of the server and nothing else:

1. one real Chromium opens the link first (the presenter), which records every file the page
   fetches: index.html, Streamlit's JavaScript, CSS and fonts (about 150 files);
2. then N readers start at the same moment; each fetches those same files over one keep-alive
   connection, asking for gzip as a browser does, opens the session's websocket and asks for the
   script run a browser asks for, and reads the server's messages until the run has finished.

Reported: seconds from the moment the readers start to the last reader's script finished (the goal:
twenty within 3 s), the median and slowest reader, and the server's CPU-seconds per reader (the
whole process, every thread, from /proc). A reader whose run shows an exception is counted.
"""

from __future__ import annotations

import argparse
import asyncio
import concurrent.futures
import http.client
import json
import statistics
import time
from pathlib import Path
from urllib.parse import urlsplit

from benchmarks.browser import _screenshot_helpers, process_cpu, process_rss_mb, wait_idle

READERS = 20
TIMEOUT_S = 120.0


async def presenter_files(server, path: str) -> list[str]:
    """Open the link once in Chromium and return every same-server file it fetched (path and query)."""
    from playwright.async_api import async_playwright

    from benchmarks.browser import _until_rendered

    fetched: list[str] = []
    async with async_playwright() as playwright:
        browser = await _screenshot_helpers().launch_chromium(playwright)
        try:
            page = await (await browser.new_context()).new_page()
            page.on("request", lambda request: fetched.append(request.url))
            await page.goto(server.url + path, wait_until="commit")
            await _until_rendered(page)
        finally:
            await browser.close()
    own = [urlsplit(url) for url in fetched if url.startswith(server.url)]
    return list(dict.fromkeys(part.path + (f"?{part.query}" if part.query else "") for part in own
                              if not part.path.startswith("/_stcore/")))


def fetch_files(host: str, port: int, files: list[str]) -> int:
    """GET every file over one keep-alive connection, as a browser does; bytes received."""
    connection = http.client.HTTPConnection(host, port, timeout=TIMEOUT_S)
    received = 0
    try:
        for file in files:
            connection.request("GET", file, headers={"Accept-Encoding": "gzip"})
            answer = connection.getresponse()
            received += len(answer.read())
            if answer.status != 200:
                raise RuntimeError(f"{file}: HTTP {answer.status}")
    finally:
        connection.close()
    return received


async def run_script(ws_url: str, query: str) -> bool:
    """Open a session, ask for its script run as the browser does, and wait for it to finish; whether the run
    showed an exception."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    ask = BackMsg()
    ask.rerun_script.query_string = query
    failed = False
    async with websockets.connect(ws_url, subprotocols=["streamlit"], max_size=None,
                                  open_timeout=TIMEOUT_S) as socket:
        await socket.send(ask.SerializeToString())
        while True:
            message = ForwardMsg()
            message.ParseFromString(await socket.recv())
            if message.WhichOneof("type") == "delta" and message.delta.new_element.WhichOneof("type") == "exception":
                failed = True
            if message.WhichOneof("type") == "script_finished":
                return failed


async def one_reader(server, files: list[str], path: str, pool: concurrent.futures.Executor) -> dict:
    """One reader: the page's files, then its session's script run; when each finished (epoch seconds)."""
    url = urlsplit(server.url)
    received = await asyncio.get_running_loop().run_in_executor(pool, fetch_files, url.hostname, url.port, files)
    files_done = time.time()
    query = urlsplit(path).query
    failed = await run_script(f"ws://{url.hostname}:{url.port}/_stcore/stream", query)
    return {"files_done": files_done, "finished": time.time(), "bytes": received, "exception": failed}


async def crowd(server, pid: int, path: str, readers: int) -> dict:
    """The presenter first, then `readers` readers at once."""
    files = await presenter_files(server, path)
    wait_idle(pid)
    cpu = process_cpu(pid)
    with concurrent.futures.ThreadPoolExecutor(max_workers=readers) as pool:  # every reader fetches at once
        started = time.time()
        done = await asyncio.wait_for(asyncio.gather(*(one_reader(server, files, path, pool) for _ in range(readers))),
                                      TIMEOUT_S)
    cpu = process_cpu(pid) - cpu
    finished = [reader["finished"] - started for reader in done]
    return {
        "readers": readers,
        "path": path,
        "files_per_reader": len(files),
        "bytes_per_reader": round(statistics.mean(reader["bytes"] for reader in done)),
        "all_served_s": round(max(finished), 3),
        "reader_served_s_median": round(statistics.median(finished), 3),
        "files_served_s_max": round(max(reader["files_done"] - started for reader in done), 3),
        "server_cpu_per_reader_s": round(cpu / readers, 3),
        "exceptions": sum(reader["exception"] for reader in done),
    }


def bench(db: str | Path, readers: int = READERS, path: str = "/") -> dict:
    """A fresh server (warm-up waited for), the presenter, then N readers at once."""
    helpers = _screenshot_helpers()
    server = helpers.start_server(Path(db).resolve(), timeout=120, module="pulse.serve")
    try:
        pid = server.process.pid
        wait_idle(pid)
        result = asyncio.run(crowd(server, pid, path, readers))
        result["server_peak_mb"] = process_rss_mb(pid)
        return result
    finally:
        server.stop()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("db")
    parser.add_argument("--readers", type=int, default=READERS)
    parser.add_argument("--path", default="/")
    args = parser.parse_args()
    print(json.dumps(bench(args.db, args.readers, args.path)))
