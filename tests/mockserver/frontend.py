"""Plugin module for the frontend-facing features: apps built from any `MockConfig`, and real
`evokit mock` servers started with any options (reusing `server.py`'s helpers).

`server.start` waits for `GET /__mock/users` to succeed, which a server started with
`--no-control` or `--control-token` never does; `launch` waits for any HTTP answer instead.
"""

from __future__ import annotations

import subprocess
import tempfile
import time
from collections.abc import Sequence
from typing import Any

import requests

from mockserver.app import create_app
from mockserver.config import MockConfig
from tests.mockserver.server import EVOKIT, HOST, LiveServer, free_port, stop
from tests.mockserver.support import (
    CONTRACT,
    ID_PARAM,
    OP,
    SESSION_IDS,
    FakeClock,
    Mock,
    sequential_ids,
)

USER_PATH = OP.user_route.path.replace("{" + ID_PARAM + "}", "{}")
SID = SESSION_IDS[0]
ORIGIN = "http://app.example:5173"
TOKEN = "s3cret-token"


def make(**config: Any) -> Mock:
    """A fresh app on the repository's fixtures with a fake clock, configured by `config`."""
    clock = FakeClock()
    ids = sequential_ids()
    app = create_app(MockConfig(**config), clock=clock, session_ids=lambda: next(ids))
    return Mock(app, app.test_client(use_cookies=False), clock)


def launch(args: Sequence[str] = (), *, timeout: float = 20.0) -> LiveServer:
    """`evokit mock --host 127.0.0.1 --port <free> [args]`, once it answers any HTTP request."""
    port = free_port()
    url = f"http://{HOST}:{port}"
    started = time.perf_counter()
    with tempfile.TemporaryFile("w+") as errors:
        process = subprocess.Popen(
            [*EVOKIT, "mock", "--host", HOST, "--port", str(port), *args],
            stdout=subprocess.PIPE, stderr=errors, text=True,
        )
        while True:
            if process.poll() is not None:
                stop(process)
                errors.seek(0)
                raise RuntimeError(f"evokit mock exited with {process.returncode}: {errors.read()}")
            try:
                requests.get(f"{url}/openapi.json", timeout=1)
                break
            except requests.ConnectionError:
                if time.perf_counter() - started > timeout:
                    stop(process)
                    raise RuntimeError(f"evokit mock did not answer within {timeout} s") from None
                time.sleep(0.01)
    banner = [process.stdout.readline().rstrip("\n") for _ in range(2)]  # type: ignore[union-attr]
    return LiveServer(url, port, process, time.perf_counter() - started, banner)


def session_cookie(session_id: str) -> dict[str, str]:
    """A Cookie header presenting a login's session id (section 3)."""
    return {"Cookie": f"{CONTRACT.session_cookie}={session_id}"}
