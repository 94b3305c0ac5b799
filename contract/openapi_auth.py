"""ServiceStack's Authenticate service as OpenAPI operations (CONTRACT.md section 3).

Every ServiceStack server with `AuthFeature` answers these, so the document describes them beside
the service's own operations: the credentials login a frontend calls first, who is logged in, the
logout, and the pre-defined routes the official clients post an `Authenticate` DTO to. They are
ServiceStack's, not the service's: their `x-servicestack.route` is `auth`, so `Contract.operations`
and the metadata read back from the contract leave them out.
"""

from __future__ import annotations

from typing import Any

from evokit.contract.openapi_parts import content, error_response, request_body, response_formats, unauthorized
from evokit.contract.servicestack import AUTHENTICATE_REQUEST, AUTHENTICATE_RESPONSE, SESSION_COOKIE

AUTH_TAG = "Authentication"
AUTH_ROUTE_KIND = "auth"

_LOGIN = (
    "Log in with a user name and password (`provider` `credentials`). The answer carries the auth "
    f"session id, also set as the HttpOnly `{SESSION_COOKIE}` cookie (with `rememberMe`, `ss-pid` "
    "and `ss-opt=perm` too); later requests send the cookie, or the id in an `X-ss-id` header."
)
_WHO = "The current auth session's AuthenticateResponse; 401 `Not Authenticated` when there is none."
_LOGOUT = "End the current auth session; answers an empty AuthenticateResponse."

# (path, method, operationId, summary, description, reads a body, the route's own format)
_ENTRIES: tuple[tuple[str, str, str, str, str, bool, str | None], ...] = (
    ("/auth/credentials", "POST", "Authenticate_credentials", "Log in with credentials", _LOGIN, True, None),
    ("/auth", "POST", "Authenticate_post", "Log in with the provider the body names",
     _LOGIN + " Without a provider, the same as GET /auth.", True, None),
    ("/auth", "GET", "Authenticate_get", "Who is logged in", _WHO, False, None),
    ("/auth/logout", "POST", "Authenticate_logout_post", "Log out", _LOGOUT, False, None),
    ("/auth/logout", "GET", "Authenticate_logout_get", "Log out", _LOGOUT, False, None),
    (f"/api/{AUTHENTICATE_REQUEST}", "POST", "Authenticate_api", "Log in on the pre-defined route",
     _LOGIN + " The route the official clients use for `client.post(new Authenticate(...))`: the body "
     "is read as JSON, the answer is JSON unless `?format=` names another format.", True, None),
    (f"/json/reply/{AUTHENTICATE_REQUEST}", "POST", "Authenticate_json_reply", "Log in, answered in JSON",
     _LOGIN + " The body is read as JSON, the answer is JSON.", True, "json"),
    (f"/jsv/reply/{AUTHENTICATE_REQUEST}", "POST", "Authenticate_jsv_reply", "Log in, answered in JSV",
     _LOGIN + " The body is read as JSV, the answer is JSV.", True, "jsv"),
)


def _operation(op_id: str, summary: str, description: str, reads_body: bool, fmt: str | None) -> dict[str, Any]:
    formats = response_formats(fmt)
    ok: dict[str, Any] = {"description": f"The {AUTHENTICATE_RESPONSE}", "content": content(formats, AUTHENTICATE_RESPONSE)}
    if reads_body:
        ok["headers"] = {"Set-Cookie": {
            "description": f"The `{SESSION_COOKIE}` session cookie (HttpOnly, path /)", "schema": {"type": "string"},
        }}
    operation: dict[str, Any] = {
        "operationId": op_id,
        "summary": summary,
        "description": description,
        "tags": [AUTH_TAG],
        # Anyone may call it; a caller already logged in (cookie or Basic) is recognised.
        "security": [{}, {"basicAuth": []}, {"sessionCookie": []}],
        "responses": {
            "200": ok,
            "400": error_response("The request could not be read (SerializationException)", formats),
            "401": unauthorized(formats, anonymous=False),
        },
        "x-servicestack": {
            "operation": AUTHENTICATE_REQUEST, "route": AUTH_ROUTE_KIND, "format": fmt,
            "response": AUTHENTICATE_RESPONSE,
        },
    }
    if reads_body:
        operation["requestBody"] = request_body(AUTHENTICATE_REQUEST)
    return operation


def auth_paths() -> dict[str, dict[str, Any]]:
    """The Authenticate service's paths, by path and lower-case method."""
    paths: dict[str, dict[str, Any]] = {}
    for path, method, op_id, summary, description, reads_body, fmt in _ENTRIES:
        paths.setdefault(path, {})[method.lower()] = _operation(op_id, summary, description, reads_body, fmt)
    return paths

