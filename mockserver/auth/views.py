"""ServiceStack's Authenticate service over HTTP (CONTRACT.md section 3): a thin blueprint.

The paths are ServiceStack's own, not the service's, so the contract's operations do not list them:
`AuthenticateService`'s `/auth` and `/auth/{provider}`, and the pre-defined routes the official
clients use for `client.post(new Authenticate(...))`.
"""

from __future__ import annotations

from flask import Blueprint, Response, request

from evokit.contract.formats import split_suffix
from evokit.contract.servicestack import AUTHENTICATE_REQUEST
from evokit.mockserver.auth.service import PROVIDER
from evokit.mockserver.http.web import (
    dto_response,
    read_body,
    request_parts,
    session_id,
    state,
)

AUTH_PATHS = ("/auth", "/auth/<provider>")
PREDEFINED_PATHS = tuple(f"/{prefix}/{AUTHENTICATE_REQUEST}" for prefix in ("api", "json/reply", "jsv/reply"))
# GET is for `/auth` (who am I) and `/auth/logout`; the service refuses GET logins itself.
METHODS = ("GET", "POST")

blueprint = Blueprint("auth", __name__)


def authenticate(provider: str | None = None) -> Response:
    """Log in, log out, or tell who is logged in."""
    mock = state()
    if provider:  # ServiceStack cuts a format suffix off every route: `/auth/credentials.xml`
        provider = split_suffix(provider)[0]
    body = read_body(mock.config.max_body_bytes)
    dto = mock.auth_binder.bind(request_parts(body, {PROVIDER: provider} if provider else {}))
    outcome = mock.authenticator.handle(
        method=request.method,
        request=dto,
        authorization=request.headers.get("Authorization"),
        session_id=session_id(),
    )
    return dto_response(outcome.response, mock.auth_shape, cookies=outcome.cookies)


for _path in (*AUTH_PATHS, *PREDEFINED_PATHS):
    blueprint.add_url_rule(_path, view_func=authenticate, methods=METHODS, endpoint=f"authenticate:{_path}")
