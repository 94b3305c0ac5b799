"""One request to the operation, from plain request data to a `Reply`: no Flask, no WSGI.

The order of the checks is the contract's: 413 (body over the limit), 400 (body unreadable, before
auth, section 2), 401, 403, 405, 404, then the update (sections 3 and 4). Every failure becomes a
`Reply` in the contract's error shape and the negotiated format (section 5).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache

from evokit.contract.formats import (
    Format,
    FormatError,
    decode_form,
    negotiate,
    path_prefix,
    predefined_format,
    split_suffix,
)
from evokit.mockserver.auth.caller import AuthSession, authorize, identify
from evokit.mockserver.http.binding import RequestParts
from evokit.mockserver.core.errors import Forbidden, HttpFailure, MethodNotAllowed, from_status
from evokit.mockserver.operations import Call
from evokit.mockserver.core.replies import Reply, dto_reply
from evokit.mockserver.http.routing import RouteMatch
from evokit.mockserver.core.state import MockState

log = logging.getLogger(__name__)

# ServiceStack's NotFoundHttpHandler text (debug mode off writes only "404").
NOT_FOUND_MESSAGE = "Handler for Request not found"
# Verbs that reach ServiceStack's request pipeline (and so its auth filters); any other verb is
# refused by the host before it, as an HTTP 405.
PIPELINE_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


@dataclass(frozen=True)
class IncomingRequest:
    """The parts of an HTTP request the operation reads.

    `headers` needs only `get` with the canonical header names used here; `login` (the login
    session the `X-ss-id` header or the cookies name, or None) is called only when no Basic
    credentials decide, because reading cookies costs time on every request otherwise.
    `read_body(limit)` returns at most `limit` bytes or raises `PayloadTooLarge`.
    """

    method: str
    path: str
    query: bytes
    headers: Mapping[str, str]
    login: Callable[[], AuthSession | None]
    read_body: Callable[[int], bytes]


def query_value(query: bytes, name: str) -> str | None:
    """One parameter of a raw query, name matched case-insensitively (ASP.NET's query collection)."""
    if not query:
        return None
    folded = name.casefold()
    return next((value for key, value in decode_form(query).items() if key.casefold() == folded), None)


@lru_cache(maxsize=1024)  # a pure function of three strings that repeat from request to request
def negotiated(path: str, query: bytes, accept: str | None) -> Format:
    """The response format for a path, raw query and Accept header (CONTRACT.md section 6)."""
    return negotiate(
        suffix=split_suffix(path)[1],
        query_format=query_value(query, "format"),
        reply_prefix=path_prefix(path),
        accept=accept,
        predefined=predefined_format(path),
    )


def method_not_allowed(method: str, operation: str, allowed: tuple[str, ...]) -> MethodNotAllowed:
    """ServiceStack's answer when the DTO's service has no method for the verb: `ServiceExec`
    throws `NotImplementedException`, which `HttpRequestExtensions.ToStatusCode` maps to 405."""
    verb = method[:1].upper() + method[1:].lower()
    return MethodNotAllowed(
        f"Could not find method named {verb}({operation}) or Any({operation})",
        error_code="NotImplementedException",
        headers={"Allow": ", ".join(allowed)},
    )


def failure_reply(mock: MockState, failure: HttpFailure, fmt: Format) -> Reply:
    """`failure` in `fmt`; in JSON when that format cannot write it, since a 4xx in the wrong
    format beats a 500 (section 5)."""
    try:
        return failure.reply(mock.registry.for_format(fmt))
    except FormatError:
        log.exception("cannot encode %s as %s; answering JSON", failure.error_code, fmt.value)
        return failure.reply(mock.registry.for_format(Format.JSON))


def handle_operation(mock: MockState, request: IncomingRequest, match: RouteMatch) -> Reply:
    """The answer to a request on one of the operations' paths (`match` from the mock's router)."""
    fmt = negotiated(request.path, request.query, request.headers.get("Accept"))
    try:
        return _answer(mock, request, match, fmt)
    except HttpFailure as failure:
        return failure_reply(mock, failure, fmt)


def _answer(mock: MockState, request: IncomingRequest, match: RouteMatch, fmt: Format) -> Reply:
    if request.method == "OPTIONS":
        # Section 7: every OPTIONS is 200 with an empty body, before routing and auth. `Allow`
        # names the methods the contract declares for this path (RFC 9110 section 10.2.1).
        return Reply(200, b"", None, {"Allow": ", ".join((*match.allowed, "OPTIONS"))})
    if request.method not in PIPELINE_METHODS:
        failure = from_status(405, "The method is not allowed for the requested URL.")
        failure.headers["Allow"] = ", ".join((*match.allowed, "OPTIONS"))
        raise failure
    # A path declared only for other verbs is still its operations' path: bound and authorized as
    # the first of them, then a 405 (ServiceStack resolves the service method after its filters).
    entry = mock.entries[(match.route or match.routes[0]).operation]
    operation = entry.operation
    body = request.read_body(mock.config.max_body_bytes)
    parts = RequestParts(body, request.headers.get("Content-Type"), match.path_params, request.query,
                         predefined=predefined_format(request.path))
    dto = entry.typed.read(entry.binder.bind(parts))
    caller = identify(authorization=request.headers.get("Authorization"), users=mock.users, login=request.login)
    if operation.requires_authentication:
        caller = authorize(
            caller,
            required_roles=operation.required_roles,
            superuser_role=mock.contract.superuser_role,
            forbidden=lambda: Forbidden(method=request.method, path=request.path, query=request.query.decode("latin-1")),
        )
    if match.route is None:
        raise method_not_allowed(request.method, operation.request, match.allowed)
    answer = entry.handler(Call(mock, caller), dto)
    if answer is None or entry.response_shape is None:
        return Reply(204, b"", None)  # a void service, or a null answer (section 8)
    try:
        return dto_reply(mock.registry.for_format(fmt), answer, entry.response_shape)
    except FormatError:
        log.exception("cannot encode %s as %s; answering JSON", entry.response_shape.name, fmt.value)
        return dto_reply(mock.registry.for_format(Format.JSON), answer, entry.response_shape)
