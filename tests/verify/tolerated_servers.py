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
    # The verifier's options for it (default: a whole run).
    scope: tuple[str, ...] = ()


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


# Section 1.1 leaves open how a pre-defined route parses a body written in its other format.
_OWN_FORMAT = {"/api/": "json", "/json/reply/": "json", "/jsv/reply/": "jsv"}
_FORMAT_OF_TYPE = {"application/json": "json", "text/json": "json", "application/jsv": "jsv", "text/jsv": "jsv"}


def _predefined_other_format_refused() -> WsgiApp:
    """Pre-defined routes as GenericHandler serves them (section 1.1), refusing a body written in
    the route's other format (a JSV text on /api/) as unparseable: what a strict ServiceStack
    deserializer may do, and the contract leaves open."""
    app = mock()

    def before(request: Request) -> Reply | None:
        own = next((fmt for prefix, fmt in _OWN_FORMAT.items() if request.path.startswith(prefix)), None)
        media = (request.header("Content-Type") or "").split(";", 1)[0].strip().lower()
        written = _FORMAT_OF_TYPE.get(media)
        if request.is_operation and own is not None and written is not None and written != own:
            # A non-object body: the mock answers it with the 400 SerializationException of section 2.
            return call(app, Request(request.environ, b"[1]"))
        return None

    return middleware(app, before=before)


TOLERATED = [
    # A run of the PATCH alone does not judge the family's answers on its path (section 8).
    Tolerated("other_methods", "answers GET and DELETE on /ai/sessions/{sessionId}", _other_methods,
              ("--operation", "PatchAISession")),
    Tolerated("predefined_other_format_refused", "refuses a body in the other format on a pre-defined route",
              _predefined_other_format_refused),
]
