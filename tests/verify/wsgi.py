"""WSGI plumbing for the broken servers: a middleware that sees each request whole (and may answer
it itself) and each answer whole (and may change it), and a store seam that breaks every update."""

from __future__ import annotations

import base64
import io
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from werkzeug.datastructures import Headers
from werkzeug.test import run_wsgi_app

from evokit.mockserver import InMemoryStore, MockConfig, create_app

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
OPERATION_PATH = re.compile(r"^/(ai/sessions/[^/]+|api/PatchAISession|(json|jsv)/reply/PatchAISession)$")


@dataclass
class Request:
    """A request as a middleware sees it: its WSGI environ and its whole body."""

    environ: dict[str, Any]
    body: bytes

    @property
    def path(self) -> str:
        return str(self.environ.get("PATH_INFO", ""))

    @property
    def is_operation(self) -> bool:
        return self.environ["REQUEST_METHOD"] == "PATCH" and OPERATION_PATH.match(self.path) is not None

    def header(self, name: str) -> str | None:
        key = "CONTENT_TYPE" if name.lower() == "content-type" else "HTTP_" + name.upper().replace("-", "_")
        return self.environ.get(key)

    def user(self) -> str | None:
        """The Basic user name sent, if any."""
        scheme, _, token = (self.header("Authorization") or "").partition(" ")
        if scheme.lower() != "basic":
            return None
        return base64.b64decode(token).decode().partition(":")[0]

    def json(self) -> dict[str, Any] | None:
        try:
            value = json.loads(self.body)
        except ValueError:
            return None
        return value if isinstance(value, dict) else None


@dataclass
class Reply:
    """An answer: status, headers, body."""

    status: int
    headers: Headers = field(default_factory=Headers)
    data: bytes = b""

    @property
    def media_type(self) -> str:
        return (self.headers.get("Content-Type") or "").split(";")[0].strip()

    def json(self) -> dict[str, Any] | None:
        if self.media_type != "application/json":
            return None
        try:
            value = json.loads(self.data)
        except ValueError:
            return None
        return value if isinstance(value, dict) else None

    def set_json(self, value: object) -> None:
        self.data = json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


RequestHook = Callable[[Request], Reply | None]
ResponseHook = Callable[[Request, Reply], None]


def call(app: WsgiApp, request: Request) -> Reply:
    """Run the wrapped app on a request."""
    environ = dict(request.environ)
    environ["wsgi.input"] = io.BytesIO(request.body)
    environ["CONTENT_LENGTH"] = str(len(request.body))
    app_iter, status, headers = run_wsgi_app(app, environ, buffered=True)
    try:
        data = b"".join(app_iter)
    finally:
        getattr(app_iter, "close", lambda: None)()
    return Reply(int(status.split()[0]), Headers(headers), data)


def middleware(app: WsgiApp, *, before: RequestHook | None = None, after: ResponseHook | None = None) -> WsgiApp:
    """`app` with `before` run on each request (it may answer instead) and `after` on each reply."""

    def wrapped(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        request = Request(dict(environ), environ["wsgi.input"].read(length) if length else b"")
        reply = before(request) if before is not None else None
        if reply is None:
            reply = call(app, request)
            if after is not None:
                after(request, reply)
        reply.headers["Content-Length"] = str(len(reply.data))
        start_response(f"{reply.status} X", list(reply.headers.items()))
        return [reply.data]

    return wrapped


def mock(**seams: Any) -> WsgiApp:
    """A fresh mock with the repository's fixtures (and any seam replaced)."""
    return create_app(MockConfig(), **seams)


class BrokenStore(InMemoryStore[Any]):
    """The mock's store with `change(old, new)` applied to every update's new record."""

    def __init__(self, change: Callable[[dict[str, str], dict[str, str]], None]) -> None:
        super().__init__()
        self.change = change

    def update(self, key: str, change: Callable[[Any], Any]) -> Any:
        def broken_change(record: Any) -> Any:
            updated = dict(change(record))
            self.change(dict(record), updated)
            return MappingProxyType(updated)

        return super().update(key, broken_change)


def on_json_200(change: Callable[[dict[str, Any], Request], None]) -> WsgiApp:
    """The mock, with `change` applied to every 200 JSON body of the operation."""

    def after(request: Request, reply: Reply) -> None:
        body = reply.json()
        if request.is_operation and reply.status == 200 and body is not None:
            change(body, request)
            reply.set_json(body)

    return middleware(mock(), after=after)


def on_json_errors(change: Callable[[dict[str, Any]], None]) -> WsgiApp:
    """The mock, with `change` applied to the responseStatus of every JSON error of the operation."""

    def after(request: Request, reply: Reply) -> None:
        body = reply.json()
        if request.is_operation and reply.status >= 400 and body and isinstance(body.get("responseStatus"), dict):
            change(body["responseStatus"])
            reply.set_json(body)

    return middleware(mock(), after=after)


def rewrite_json_body(change: Callable[[dict[str, Any]], None]) -> WsgiApp:
    """The mock, with `change` applied to every JSON object body sent to the operation."""

    def before(request: Request) -> None:
        body = request.json()
        if request.is_operation and body is not None and "json" in (request.header("Content-Type") or ""):
            change(body)
            request.body = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()

    return middleware(mock(), before=before)


def on_reply(change: Callable[[Request, Reply], None]) -> WsgiApp:
    """The mock, with `change` applied to every reply."""
    return middleware(mock(), after=change)
