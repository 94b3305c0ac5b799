"""Serving WSGI apps on 127.0.0.1 in a thread, and running `evokit verify` in-process against them."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from werkzeug.serving import WSGIRequestHandler, make_server

from evokit.contract.cli import main

HOST = "127.0.0.1"


class QuietHandler(WSGIRequestHandler):
    """Werkzeug's handler without its access log (thousands of lines per run otherwise)."""

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


@contextmanager
def serving(app: Callable[..., Any]) -> Iterator[str]:
    """Serve `app` on a free loopback port for the duration; yields the base URL."""
    server = make_server(HOST, 0, app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, name="evokit-test-server", daemon=True)
    thread.start()
    try:
        yield f"http://{HOST}:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def run_cli(*argv: str) -> tuple[int, str, str]:
    """`evokit <argv>` with captured streams: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()
