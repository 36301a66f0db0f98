"""`streamlit run`, with one fix to how Streamlit's server sends: what `make run` starts.

    python -m pulse.serve run server.py --server.port 8501 …   (the same arguments as `streamlit`)

Streamlit 1.67 binds its listening socket without saying it is TCP (`socket.socket(family)`), so
asyncio does not switch off Nagle's algorithm on the connections it accepts: every answer written
in two pieces (headers, then body; or a run's messages one after another) waits for the browser's
delayed acknowledgement, about 40 ms each time. A browser fetches some 150 files for a page, six at
a time over keep-alive connections, so a reader waited about a second for nothing, and a session's
messages were held back the same way. Here the listening socket gets TCP_NODELAY, which Linux hands
on to every connection it accepts.

server.py adds the rest (the warm-up and Streamlit's front-end files served from memory); `streamlit
run server.py` works without this module, only with that delay.
"""

from __future__ import annotations

import socket
import sys

from streamlit.web.server.starlette import starlette_server

_bind = starlette_server._bind_socket


def bind_without_delay(address: str, port: int, backlog: int) -> socket.socket:
    """Streamlit's own listening socket, with Nagle's algorithm off for every connection it accepts."""
    sock = _bind(address, port, backlog)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def main(argv: list[str]) -> int:
    """Install the fix, then hand the command line to Streamlit's own."""
    from streamlit.web import cli

    starlette_server._bind_socket = bind_without_delay
    sys.argv = ["streamlit", *argv]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
