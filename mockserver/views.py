"""The operation's view and the OpenAPI document: thin adapters over the pure core.

One view serves every route of the operation (the contract's user route, `/api/...` and the
`/{format}/reply/...` routes, suffixes included). The order of the checks is the contract's:
413 (body over the limit), 400 (body unreadable, before auth, section 2), 401, 403, 405, 404, then
the update (sections 3 and 4). Failures are raised; the app's error handler renders them.
"""

from __future__ import annotations

from flask import Response, request

from mockserver.auth import authorize, identify
from mockserver.errors import Forbidden, MethodNotAllowed, NotFound
from mockserver.operation import patch_session
from mockserver.replies import Reply
from mockserver.web import (
    dto_response,
    read_body,
    request_parts,
    session_id,
    state,
    to_response,
)


def _forbidden() -> Forbidden:
    return Forbidden(method=request.method, path=request.path, query=request.query_string.decode("latin-1"))


def method_not_allowed(method: str, operation: str, allowed: tuple[str, ...]) -> MethodNotAllowed:
    """ServiceStack's answer when the DTO's service has no method for the verb: `ServiceExec`
    throws `NotImplementedException`, which `HttpRequestExtensions.ToStatusCode` maps to 405."""
    verb = method[:1].upper() + method[1:].lower()
    return MethodNotAllowed(
        f"Could not find method named {verb}({operation}) or Any({operation})",
        error_code="NotImplementedException",
        headers={"Allow": ", ".join(allowed)},
    )


def operation_view(path: str) -> Response:
    """Every request to a path of the operation's routes."""
    mock = state()
    match = mock.router.match(request.method, request.path)
    if match is None:  # the URL rule and the router are built from the same routes
        raise NotFound("Handler for Request not found")
    if request.method == "OPTIONS":
        # Section 7: every OPTIONS is 200 with an empty body, before routing and auth. `Allow`
        # names the methods the contract declares for this path (RFC 9110 section 10.2.1).
        return to_response(Reply(200, b"", None, {"Allow": ", ".join((*match.allowed, "OPTIONS"))}))
    body = read_body(mock.config.max_body_bytes)
    dto = mock.binder.bind(request_parts(body, dict(match.path_params)))
    caller = identify(
        authorization=request.headers.get("Authorization"),
        session_id=session_id,
        users=mock.users,
        sessions=mock.sessions,
    )
    user = authorize(
        caller,
        required_roles=mock.operation.required_roles,
        superuser_role=mock.contract.superuser_role,
        forbidden=_forbidden,
    )
    if match.route is None:
        raise method_not_allowed(request.method, mock.operation.request, match.allowed)
    record = patch_session(mock.store, dto, rules=mock.rules, user_id=user.user_id, clock=mock.clock)
    return dto_response(record, mock.response_shape)


def openapi_view() -> Response:
    """The committed OpenAPI document, as the contract package holds it."""
    return Response(state().contract.openapi_text, content_type="application/json; charset=utf-8")
