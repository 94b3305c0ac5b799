"""Role x route x format: every route of the operation, every fixture user (and the anonymous and
the wrong-password caller), JSON and JSV, generated from the contract and the fixtures."""

from __future__ import annotations

import json
from typing import Any

import pytest

from evokit.contract.formats import DEFAULT_REGISTRY, Format, jsv
from evokit.contract.model import Route
from evokit.mockserver.core.operation import ID, MODIFIED_BY
from tests.mockserver.support import (
    CONTRACT,
    ID_PARAM,
    OP,
    PURPOSE,
    SESSION_IDS,
    USERS,
    Mock,
    allowed,
    basic,
    make_mock,
)

TARGET = SESSION_IDS[0]
SHAPE = CONTRACT.shape(OP.response)
WRONG = {**USERS[0], "password": f"{USERS[0]['password']}-wrong"}
CALLERS: list[tuple[str, dict[str, Any] | None]] = [
    ("anonymous", None), ("wrong-password", WRONG), *[(str(user["userName"]), user) for user in USERS]
]
ACCEPTS = {Format.JSON: "application/json", Format.JSV: "application/jsv"}


def url_of(route: Route) -> str:
    return route.path.replace("{" + ID_PARAM + "}", TARGET)


CASES = [
    pytest.param(route, name, user, fmt, id=f"{route.kind}:{route.path}-{name}-accept:{fmt.value}")
    for route in OP.routes
    for name, user in CALLERS
    for fmt in ACCEPTS
]


@pytest.fixture(scope="module")
def shared() -> Mock:
    return make_mock()


@pytest.mark.parametrize(("route", "name", "user", "accept"), CASES)
def test_matrix(shared: Mock, route: Route, name: str, user: dict[str, Any] | None, accept: Format) -> None:
    headers = {"Accept": ACCEPTS[accept]}
    if user is not None:
        headers |= basic(str(user["userName"]), str(user["password"]))
    purpose = f"set by {name}: {{x}}, \"y\""
    response = shared.client.open(
        url_of(route), method=route.method, headers=headers,
        # A pre-defined route reads the body in its own format (section 1.1): JSV for /jsv/reply/.
        data=(jsv.dumps if route.format == "jsv" else json.dumps)({ID_PARAM: TARGET, PURPOSE: purpose}),
        content_type="application/jsv" if route.format == "jsv" else "application/json",
    )
    # Section 1.1: a pre-defined route answers its own format and never reads Accept.
    expected_format = Format.from_name(route.format) if route.format else (
        Format.JSON if route.kind == "api" else accept)
    codec = DEFAULT_REGISTRY.for_format(expected_format)
    assert response.headers["Vary"] == "Accept"
    if user is None:
        assert (response.status_code, response.data) == (401, b"")
        assert response.headers["WWW-Authenticate"] == 'basic realm="/auth/basic"'
    elif user is WRONG:
        assert response.status_code == 401
        assert response.headers["Content-Type"] == codec.content_type
        status = codec.decode_error(response.data)["responseStatus"]
        assert (status["errorCode"], status["message"]) == ("Unauthorized", "Invalid Username or Password")
    elif not allowed(user):
        assert response.status_code == 403
        assert response.headers["Content-Type"] == "text/plain"
        assert response.data.decode().startswith(f"Forbidden\n\nRequest.HttpMethod: {route.method}\n")
    else:
        assert response.status_code == 200
        assert response.headers["Content-Type"] == codec.content_type
        session = codec.decode_dto(response.data, SHAPE)
        assert CONTRACT.violations(OP.response, session) == []
        assert (session[ID], session[PURPOSE], session[MODIFIED_BY]) == (TARGET, purpose, user["userId"])
