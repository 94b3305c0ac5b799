"""The mock's cross-cutting behaviour as WSGI middleware, so it holds for every request whichever
layer behind it answers (Flask, or a dispatcher put in front of Flask for the operation's routes).

From the outside in, as `install` stacks them:

1. `JournalLayer` records every answered request (method, path, query, status, user, time,
   duration, the fault that fired) in the control plane's journal (control calls left out) and
   in the access log, when there is one;
2. `HeaderLayer` adds what every response carries (CONTRACT.md section 7): `Vary: Accept`,
   `X-Powered-By`, and the CORS headers; with CORS on it answers every OPTIONS itself, 200 and
   empty, before routing and auth;
3. `OutageLayer` (with a shared store) answers 503 when the store went away under a request;
4. `ControlGate` refuses control calls without the `--control-token` (401);
5. `FaultLayer` delays requests (`--latency`, faults' `latencyMs`, a request's own `X-Mock-Fault`)
   and answers injected error statuses, never for OPTIONS or control calls.

Around them all, `ServingSlots` lets `--threads` requests work at once, and a delayed request
sleeps without holding a slot (`evokit.mockserver.http.slots`).

Layers a config turns off are left out of the stack, not skipped per request.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from evokit.mockserver.auth.caller import UserDirectory, parse_basic
from evokit.mockserver.control.faults import FaultBook
from evokit.mockserver.control.journal import Journal, JournalEntry
from evokit.mockserver.control.plane import EXTENSION, ControlPlane, is_control_path
from evokit.mockserver.core.errors import FAULT_HEADER, MockError, StoreUnavailable
from evokit.mockserver.http.cors import CORS_HEADER_NAMES, CorsPolicy
from evokit.mockserver.http.dispatch import login_of
from evokit.mockserver.http.gates import (
    ControlGate,
    Environ,
    FaultLayer,
    Headers,
    OutageLayer,
    StartResponse,
    WsgiApp,
    wsgi_text,
)
from evokit.mockserver.http.slots import ServingSlots

if TYPE_CHECKING:
    from flask import Flask

    from evokit.mockserver.core.state import MockState

# `Env.ServerUserAgent` of ServiceStack 8.0 on .NET 8 under Linux, which
# `HostConfig.GlobalResponseHeaders` sends as X-Powered-By. `Env.UpdateServerUserAgent` writes
# "ServiceStack/" + version + " " + PclExport.PlatformName ("NET6": `Net6PclExport` serves .NET 6
# and later) + "/Linux" + "/net8" + "/" + `LicenseUtils.Info`, which is "NO" without a license key.
POWERED_BY = "ServiceStack/8.0 NET6/Linux/net8/NO"
# Every response varies by the Accept header (section 7).
VARY_ACCEPT = "Accept"


class JournalLayer:
    """Records each answered request, when its status line is sent: in the journal (control calls
    left out, so reading the journal does not change it) and in the access log (every request)."""

    def __init__(self, app: WsgiApp, journal: Journal | None, *, user_of: Callable[[Environ], str | None],
                 access_log: Callable[[JournalEntry], None] | None = None) -> None:
        self.app = app
        self.journal = journal if journal is not None and journal.enabled else None
        self.user_of = user_of
        self.access_log = access_log
        self.clock = journal.clock if journal is not None else time.time

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO") or "/"
        control = is_control_path(path)
        if control and self.access_log is None:
            return self.app(environ, start_response)
        started, when = time.perf_counter(), self.clock()
        # Who is calling is read before the app runs: a logout ends the session it names.
        user = None if control else self.user_of(environ)
        recorded = False

        def record(status: int, fault: str | None) -> None:
            nonlocal recorded
            if not recorded:
                recorded = True
                entry = JournalEntry(
                    environ.get("REQUEST_METHOD", "GET"), wsgi_text(path), wsgi_text(environ.get("QUERY_STRING") or ""),
                    status, user, when, (time.perf_counter() - started) * 1000, fault,
                )
                if self.journal is not None and not control:
                    self.journal.record(entry)
                if self.access_log is not None:
                    self.access_log(entry)

        def recording(status: str, headers: Headers, exc_info: Any = None) -> Any:
            record(int(status[:3]), next((value for name, value in headers if name == FAULT_HEADER), None))
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        try:
            return self.app(environ, recording)
        except Exception:
            record(500, None)
            raise


class HeaderLayer:
    """`Vary`, `X-Powered-By` and (with a `CorsPolicy`) the CORS headers on every response;
    with CORS on, every OPTIONS is answered here: 200, empty (section 7)."""

    def __init__(self, app: WsgiApp, cors: CorsPolicy | None) -> None:
        self.app = app
        self.cors = cors
        self.vary = (VARY_ACCEPT, "Origin") if cors is not None and cors.varies_by_origin else (VARY_ACCEPT,)
        # Names this layer sets itself: an inner layer's value for them is replaced.
        self.owned = frozenset(name.lower() for name in CORS_HEADER_NAMES) if cors is not None else frozenset()
        # Without an allow-list the headers do not depend on the request: computed once.
        self.fixed = cors.headers(origin=None) if cors is not None and not cors.varies_by_origin else None
        self._merged: dict[str | None, str] = {}

    def _cors_headers(self, environ: Environ, *, preflight: bool) -> Headers:
        if self.cors is None:
            return []
        if self.fixed is not None and not preflight:
            return self.fixed
        requested = environ.get("HTTP_ACCESS_CONTROL_REQUEST_HEADERS") if preflight else None
        return self.cors.headers(origin=environ.get("HTTP_ORIGIN"), requested_headers=requested)

    def _vary(self, inner: str | None) -> str:
        """The inner layers' `Vary` tokens, then this layer's that are missing (cached: the inner
        values repeat from response to response)."""
        merged = self._merged.get(inner)
        if merged is None:
            tokens = [token.strip() for token in (inner or "").split(",") if token.strip()]
            folded = {token.lower() for token in tokens}
            merged = ", ".join([*tokens, *(token for token in self.vary if token.lower() not in folded)])
            if len(self._merged) < 64:
                self._merged[inner] = merged
        return merged

    def finish(self, headers: Headers, extra: Headers) -> Headers:
        """`headers` with `extra` in place of any of the same name, `Vary` merged, X-Powered-By."""
        result: Headers = []
        inner_vary: str | None = None
        powered = False
        for name, value in headers:
            lower = name.lower()
            if lower == "vary":
                inner_vary = value if inner_vary is None else f"{inner_vary}, {value}"
            elif lower not in self.owned:
                powered = powered or lower == "x-powered-by"
                result.append((name, value))
        result += extra
        result.append(("Vary", self._vary(inner_vary)))
        if not powered:
            result.append(("X-Powered-By", POWERED_BY))
        return result

    def __call__(self, environ: Environ, start_response: StartResponse) -> Iterable[bytes]:
        if self.cors is not None and environ.get("REQUEST_METHOD") == "OPTIONS":
            start_response("200 OK", self.finish([("Content-Length", "0")], self._cors_headers(environ, preflight=True)))
            return []
        extra = self._cors_headers(environ, preflight=False)

        def adding(status: str, headers: Headers, exc_info: Any = None) -> Any:
            headers = self.finish(headers, extra)
            return start_response(status, headers, exc_info) if exc_info else start_response(status, headers)

        return self.app(environ, adding)


def journal_user(mock: MockState) -> Callable[[Environ], str | None]:
    """Who a request authenticates as, by its Basic credentials or its session (section 3)."""

    # Keyed by the user directory too: a directory never changes, so a header always names the
    # same user in it, and `--reload` replaces the directory rather than changing it.
    @lru_cache(maxsize=256)
    def basic_user(users: UserDirectory, authorization: str) -> tuple[bool, str | None]:
        """Whether Basic credentials decide, and whose they are (None: wrong or unreadable)."""
        try:
            credentials = parse_basic(authorization)
        except MockError:
            return True, None
        if credentials is None:
            return False, None
        user = users.verify(*credentials)
        return True, user.user_name if user is not None else None

    def user_of(environ: Environ) -> str | None:
        authorization = environ.get("HTTP_AUTHORIZATION")
        if authorization:
            decided, name = basic_user(mock.users, authorization)
            if decided:
                return name
        try:
            session = login_of(environ, mock)
        except StoreUnavailable:  # the request itself answers 503; the journal just cannot say who
            return None
        user = mock.users.by_id(session.user_id) if session is not None else None
        return user.user_name if user is not None else None

    return user_of


def install(app: Flask, mock: MockState, *, access_log: Callable[[JournalEntry], None] | None = None) -> ControlPlane:
    """Wrap `app.wsgi_app` in the layers `mock.config` asks for and keep the `ControlPlane` in
    `app.extensions`. Call it last in `create_app`, so these layers are the outermost.
    `access_log`, when given, is called with every answered request (control calls included)."""
    config = mock.config
    journal = mock.journal if mock.journal is not None else Journal(config.journal_size if config.control else 0)
    plane = ControlPlane(journal, mock.faults if mock.faults is not None else FaultBook())
    app.extensions[EXTENSION] = plane
    slots = ServingSlots(config.threads)
    wsgi: WsgiApp = app.wsgi_app
    if config.control or config.latency_ms is not None:
        faults = plane.faults if config.control else None
        wsgi = FaultLayer(wsgi, faults=faults, latency_ms=config.latency_ms, registry=mock.registry,
                          request_faults=config.control, sleep=slots.sleep)
    if config.control_token is not None:
        wsgi = ControlGate(wsgi, config.control_token, mock.registry)
    if mock.backend.shared:
        wsgi = OutageLayer(wsgi, mock.registry)
    wsgi = HeaderLayer(wsgi, CorsPolicy(config.cors_origins) if config.cors else None)
    if plane.journal.enabled or access_log is not None:
        wsgi = JournalLayer(wsgi, plane.journal, user_of=journal_user(mock), access_log=access_log)
    # Outermost: `--threads` requests work at once; a delayed one sleeps outside its slot.
    app.wsgi_app = slots.wrap(wsgi)  # type: ignore[method-assign]
    return plane
