"""The mock's gates as WSGI layers, and how a layer answers a failure itself: `ControlGate` (the
control token), `FaultLayer` (delays and injected statuses, from the control plane or a request's
own `X-Mock-Fault`) and `OutageLayer` (a shared store gone away). `middleware.install` stacks them."""

from __future__ import annotations

import hmac
import random
import time
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any

from evokit.contract.formats import CodecRegistry, Format, FormatError
from evokit.mockserver.control.faults import Decision, FaultBook
from evokit.mockserver.control.plane import TOKEN_HEADER, is_control_path
from evokit.mockserver.control.request_fault import ENVIRON_KEY as REQUEST_FAULT_KEY
from evokit.mockserver.control.request_fault import request_decision
from evokit.mockserver.core.errors import (
    FAULT_HEADER,
    ControlTokenRequired,
    HttpFailure,
    InjectedFault,
    StoreUnavailable,
)
from evokit.mockserver.http.exchange import negotiated

Environ = dict[str, Any]
StartResponse = Callable[..., Any]
WsgiApp = Callable[[Environ, StartResponse], Iterable[bytes]]
Headers = list[tuple[str, str]]


def wsgi_text(wsgi_string: str) -> str:
    """A WSGI "bytes as latin-1" string (PEP 3333) as the UTF-8 text it carries."""
    if wsgi_string.isascii():
        return wsgi_string
    try:
        return wsgi_string.encode("latin-1").decode("utf-8", "replace")
    except UnicodeEncodeError:
        return wsgi_string


def negotiated_format(environ: Environ) -> Format:
    """The response format of a request (section 6), read from the WSGI environ."""
    query = str(environ.get("QUERY_STRING") or "").encode("latin-1", "replace")
    return negotiated(wsgi_text(environ.get("PATH_INFO") or "/"), query, environ.get("HTTP_ACCEPT"))


def render_failure(environ: Environ, start_response: StartResponse, failure: HttpFailure,
                   registry: CodecRegistry) -> list[bytes]:
    """Answer `failure` in the request's negotiated format (JSON if that cannot write it)."""
    try:
        reply = failure.reply(registry.for_format(negotiated_format(environ)))
    except FormatError:
        reply = failure.reply(registry.for_format(Format.JSON))
    headers: Headers = [("Content-Type", reply.content_type)] if reply.content_type else []
    headers += [*reply.headers.items(), ("Content-Length", str(len(reply.body)))]
    start_response(f"{reply.status} {HTTPStatus(reply.status).phrase}", headers)
    return [] if environ.get("REQUEST_METHOD") == "HEAD" else [reply.body]


class ControlGate:
    """401 for a control call whose `X-Mock-Token` is not the configured token."""

    def __init__(self, app: WsgiApp, token: str, registry: CodecRegistry) -> None:
        self.app = app
        self.token = token.encode("ascii")
        self.registry = registry
        self.environ_key = "HTTP_" + TOKEN_HEADER.upper().replace("-", "_")

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        if is_control_path(environ.get("PATH_INFO") or "/"):
            presented = (environ.get(self.environ_key) or "").encode("latin-1", "replace")
            if not hmac.compare_digest(presented, self.token):
                return render_failure(environ, start_response, ControlTokenRequired(TOKEN_HEADER), self.registry)
        return self.app(environ, start_response)


class FaultLayer:
    """Delays and injected errors for every request but OPTIONS and control calls.

    The delay is `--latency` (drawn per request from its range) plus the latency of the fault that
    fires, if any; a fault with a status then answers instead of the app.
    """

    def __init__(self, app: WsgiApp, *, faults: FaultBook | None, latency_ms: tuple[int, int] | None,
                 registry: CodecRegistry, sleep: Callable[[float], None] = time.sleep,
                 request_faults: bool = False) -> None:
        self.app = app
        self.faults = faults
        # `X-Mock-Fault` on the request itself (`evokit.mockserver.control.request_fault`).
        self.request_faults = request_faults
        self.latency_ms = latency_ms
        self.registry = registry
        self.sleep = sleep
        self.rng = random.Random()

    def _base_delay(self) -> int:
        if self.latency_ms is None:
            return 0
        low, high = self.latency_ms
        return low if low == high else self.rng.randint(low, high)

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO") or "/"
        if method == "OPTIONS" or is_control_path(path):
            return self.app(environ, start_response)
        asked = environ.get(REQUEST_FAULT_KEY) if self.request_faults else None
        if asked is not None:
            try:
                decision: Decision | None = request_decision(asked, self.rng)
            except HttpFailure as failure:
                return render_failure(environ, start_response, failure, self.registry)
        else:
            decision = self.faults.decide(method, wsgi_text(path)) if self.faults is not None else None
        delay = self._base_delay() + (decision.latency_ms if decision is not None else 0)
        if delay:
            self.sleep(delay / 1000)
        if decision is None:
            return self.app(environ, start_response)
        if decision.status is not None:
            return render_failure(environ, start_response, InjectedFault(decision.status, decision.fault_id), self.registry)

        def marking(status: str, headers: Headers, exc_info: Any = None) -> Any:
            headers = [*headers, (FAULT_HEADER, decision.fault_id)]
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        return self.app(environ, marking)


class OutageLayer:
    """The 503 of a shared store that went away, for what the layers outside the app ask of it
    (the faults); inside, the app renders the same failure itself. Sits inside `HeaderLayer`, so
    the 503 carries the CORS headers a browser needs to read it."""

    def __init__(self, app: WsgiApp, registry: CodecRegistry) -> None:
        self.app = app
        self.registry = registry

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        try:
            return self.app(environ, start_response)
        except StoreUnavailable as failure:
            return render_failure(environ, start_response, failure, self.registry)
