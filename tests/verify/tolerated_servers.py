"""Variants of the mock that break no rule: what a live ServiceStack server may do. The verifier
must pass them."""

from __future__ import annotations

import base64
from collections.abc import Callable
from dataclasses import dataclass

from werkzeug.datastructures import Headers

from tests.verify.wsgi import Reply, Request, WsgiApp, call, middleware, mock


@dataclass(frozen=True)
class Tolerated:
    """A variant of the mock that breaks no rule; the verifier must pass it."""

    name: str
    description: str
    build: Callable[[], WsgiApp]


def _other_methods() -> WsgiApp:
    """GET and DELETE answered on the operation's path, as the live service does (section 8)."""
    app = mock()
    admin = "Basic " + base64.b64encode(b"sysadmin:sysadmin").decode()

    def before(request: Request) -> Reply | None:
        method = request.environ["REQUEST_METHOD"]
        if method in ("GET", "DELETE") and request.path.startswith("/ai/sessions/"):
            if method == "DELETE":
                return Reply(204, Headers({"Vary": "Accept"}))
            read = {**request.environ, "REQUEST_METHOD": "PATCH", "HTTP_AUTHORIZATION": admin}
            return call(app, Request(read, b""))
        return None

    return middleware(app, before=before)


TOLERATED = [
    Tolerated("other_methods", "answers GET and DELETE on /ai/sessions/{sessionId}", _other_methods),
]
