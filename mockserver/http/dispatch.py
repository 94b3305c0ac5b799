"""The operation's WSGI adapter, in front of Flask.

Requests on the operation's paths (the hot path a team's end-to-end tests and a fuzzer hammer) are
answered straight from the WSGI environ by `handle_operation`; everything else (login, the control
plane, `/openapi.json`, unknown paths) goes on to the Flask app. Flask's request context, routing
and response objects cost more than the whole operation (measured in tests/benchmarks), and the
mock must not be slower than a bare Flask app, so this one adapter skips them.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from functools import lru_cache
from http import HTTPStatus
from typing import Any

from werkzeug.datastructures import EnvironHeaders
from werkzeug.http import dump_cookie, parse_cookie
from werkzeug.wsgi import get_input_stream

from evokit.mockserver.auth.caller import PERMANENT_COOKIE, AuthSession, session_id_from
from evokit.mockserver.core.errors import InternalError, PayloadTooLarge
from evokit.mockserver.http.exchange import (
    IncomingRequest,
    failure_reply,
    handle_operation,
    negotiated,
)
from evokit.mockserver.core.replies import Reply
from evokit.mockserver.core.state import MockState

log = logging.getLogger(__name__)

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
_STATUS_LINES = {status.value: f"{status.value} {status.phrase}" for status in HTTPStatus}


SESSION_ID_KEY = "evokit.session_id"
# Session ids by the raw headers that present them: a client sends the same Cookie header again
# and again, and parsing it is the dear part. Starts again empty when full.
_SESSION_IDS: dict[tuple[str, str, str, str], str | None] = {}
_SESSION_IDS_MAX = 1024


@lru_cache(maxsize=8)
def _header_key(cookie_name: str) -> str:
    """The environ key of the `X-<cookie name>` header that may carry a session id instead."""
    return "HTTP_X_" + cookie_name.upper().replace("-", "_")


def session_id_of(environ: dict[str, Any], cookie_name: str) -> str | None:
    """The auth session id the request presents (section 3), found once per request and kept in the
    environ: the journal and the operation both need it."""
    if SESSION_ID_KEY not in environ:
        presented = (environ.get("HTTP_COOKIE", ""), environ.get(_header_key(cookie_name), ""),
                     environ.get(_header_key(PERMANENT_COOKIE), ""), cookie_name)
        try:
            found = _SESSION_IDS[presented]
        except KeyError:
            found = session_id_from(EnvironHeaders(environ), parse_cookie(environ), cookie_name)  # type: ignore[arg-type]
            if len(_SESSION_IDS) >= _SESSION_IDS_MAX:
                _SESSION_IDS.clear()
            _SESSION_IDS[presented] = found
        environ[SESSION_ID_KEY] = found
    return environ[SESSION_ID_KEY]  # type: ignore[no-any-return]


LOGIN_KEY = "evokit.login"


def login_of(environ: dict[str, Any], mock: MockState) -> AuthSession | None:
    """The login session the request presents, or None; looked up once per request and kept in the
    environ: the journal and the operation both ask, and on a shared store a lookup is a round trip."""
    if LOGIN_KEY not in environ:
        session_id = session_id_of(environ, mock.contract.session_cookie)
        environ[LOGIN_KEY] = mock.sessions.get(session_id) if session_id else None
    return environ[LOGIN_KEY]  # type: ignore[no-any-return]


def body_reader(environ: Mapping[str, Any]) -> Callable[[int], bytes]:
    """Read the body, at most `limit` bytes; a declared or actual larger body is a 413."""

    def read(limit: int) -> bytes:
        length = environ.get("CONTENT_LENGTH")
        if length and length.isdigit() and int(length) > limit:
            raise PayloadTooLarge(limit)
        body: bytes = get_input_stream(environ, max_content_length=None).read(limit + 1)  # type: ignore[arg-type]
        if len(body) > limit:
            raise PayloadTooLarge(limit)
        return body

    return read


def decoded_path(environ: Mapping[str, Any]) -> str:
    """PATH_INFO as text: WSGI carries it as latin-1 of the raw bytes (PEP 3333), URLs are UTF-8."""
    return str(environ.get("PATH_INFO") or "/").encode("latin-1").decode("utf-8", "replace")


def wsgi_headers(reply: Reply) -> list[tuple[str, str]]:
    """The reply's headers, `Vary: Accept` on every response (section 7), cookies HttpOnly on `/`."""
    headers = [("Content-Length", str(len(reply.body))), ("Vary", "Accept")]
    if reply.content_type is not None:
        headers.append(("Content-Type", reply.content_type))
    headers.extend(reply.headers.items())
    for cookie in reply.cookies:
        headers.append(("Set-Cookie", dump_cookie(cookie.name, cookie.value, max_age=cookie.max_age, path="/", httponly=True)))
    return headers


class OperationDispatcher:
    """WSGI middleware: the operation's paths answered here, the rest by `fallback` (Flask)."""

    def __init__(self, mock: MockState, fallback: WSGIApp) -> None:
        self.mock = mock
        self.fallback = fallback

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = decoded_path(environ)
        method = str(environ.get("REQUEST_METHOD", "GET")).upper()
        match = self.mock.router.match(method, path, raw_path=environ.get("RAW_URI") or environ.get("REQUEST_URI"))
        if match is None:
            return self.fallback(environ, start_response)
        headers = EnvironHeaders(environ)
        request = IncomingRequest(
            method=method,
            path=path,
            query=str(environ.get("QUERY_STRING", "")).encode("latin-1"),
            headers=headers,
            login=lambda: login_of(environ, self.mock),
            read_body=body_reader(environ),
        )
        try:
            reply = handle_operation(self.mock, request, match)
        except Exception as error:  # the last resort: a 500 in the error shape, never a trace (section 5)
            log.exception("unhandled error on %s %s", method, path)
            fmt = negotiated(path, request.query, headers.get("Accept"))
            reply = failure_reply(self.mock, InternalError("An unexpected error occurred", error_code=type(error).__name__), fmt)
        start_response(_STATUS_LINES.get(reply.status, str(reply.status)), wsgi_headers(reply))
        return [] if method == "HEAD" else [reply.body]
