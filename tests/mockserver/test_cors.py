"""CORS and the headers on every response (CONTRACT.md section 7): the default policy, an origin
allow-list (match and mismatch), `--no-cors`, and OPTIONS answered before routing and auth."""

from __future__ import annotations

import pytest

from evokit.mockserver.http.cors import CorsPolicy, allowed_headers
from tests.mockserver.frontend import ORIGIN, SID, TOKEN, USER_PATH, make
from tests.mockserver.support import CONTRACT, OP, SYSADMIN

METHODS = "GET, POST, PUT, DELETE, PATCH, OPTIONS, HEAD"
PREFLIGHT = {"Origin": ORIGIN, "Access-Control-Request-Method": "PATCH",
             "Access-Control-Request-Headers": "authorization,content-type"}
# Paths of every kind: the operation's routes, login, the control plane, OpenAPI, unknown.
PATHS = [USER_PATH.format(SID), "/api/PatchAISession", "/json/reply/PatchAISession", "/auth/credentials",
         "/__mock/sessions", "/openapi.json", "/no/such/path"]


@pytest.mark.parametrize(("requested", "expected"), [
    (None, "Content-Type"),
    ("", "Content-Type"),
    ("content-type", "Content-Type"),
    ("authorization, content-type", "Content-Type, authorization"),
    ("Authorization,X-ss-id,x-mock-token,authorization", "Content-Type, Authorization, X-ss-id, x-mock-token"),
    ("bad header, ok\r\nx: y, fine", "Content-Type, fine"),
])
def test_allowed_headers_echo_the_well_formed_requested_names(requested: str | None, expected: str) -> None:
    assert allowed_headers(requested) == expected


def test_policy_headers() -> None:
    assert CorsPolicy().headers(origin="http://a") == [
        ("Access-Control-Allow-Origin", "*"), ("Access-Control-Allow-Methods", METHODS),
        ("Access-Control-Allow-Headers", "Content-Type"), ("Access-Control-Max-Age", "600"),
    ]
    listed = CorsPolicy(("http://a", "http://b"))
    assert ("Access-Control-Allow-Origin", "http://b") in listed.headers(origin="http://b")
    assert ("Access-Control-Allow-Origin", "HTTP://B") in CorsPolicy(("http://B",)).headers(origin="HTTP://B")
    assert ("Access-Control-Allow-Credentials", "true") in listed.headers(origin="http://b")
    assert all(name != "Access-Control-Allow-Origin" for name, _ in listed.headers(origin="http://c"))
    assert all(name != "Access-Control-Allow-Origin" for name, _ in listed.headers(origin=None))


@pytest.mark.parametrize("path", PATHS)
def test_default_preflight_is_200_empty_before_routing_and_auth(path: str) -> None:
    response = make().client.options(path, headers=PREFLIGHT)
    assert (response.status_code, response.data) == (200, b"")
    assert "Content-Type" not in response.headers and "WWW-Authenticate" not in response.headers
    headers = response.headers
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert headers["Access-Control-Allow-Methods"] == METHODS
    assert headers["Access-Control-Allow-Headers"] == "Content-Type, authorization"
    assert headers["Access-Control-Max-Age"] == "600"
    assert "Access-Control-Allow-Credentials" not in headers
    assert headers["Vary"] == "Accept" and headers["X-Powered-By"] == "ServiceStack/8.0 NET6/Linux/net8/NO"


def test_a_bare_options_is_200_too() -> None:
    response = make().client.options("/anything/at/all")
    assert (response.status_code, response.data, response.headers["Access-Control-Allow-Headers"]) == (200, b"", "Content-Type")


def test_options_on_the_control_plane_needs_no_token() -> None:
    response = make(control_token=TOKEN).client.options("/__mock/faults", headers=PREFLIGHT)
    assert response.status_code == 200 and response.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("path", PATHS)
def test_every_answer_carries_the_headers(path: str) -> None:
    response = make().client.get(path, headers={**SYSADMIN, "Origin": ORIGIN})
    headers = response.headers
    assert (headers["Access-Control-Allow-Origin"], headers["Access-Control-Allow-Methods"]) == ("*", METHODS)
    assert (headers["Access-Control-Allow-Headers"], headers["Access-Control-Max-Age"]) == ("Content-Type", "600")
    assert headers["Vary"] == "Accept" and headers["X-Powered-By"].startswith("ServiceStack/8.0 ")
    assert len(headers.getlist("Vary")) == 1 and len(headers.getlist("Access-Control-Allow-Origin")) == 1


def test_errors_and_the_anonymous_401_carry_them_too() -> None:
    client = make().client
    for response in (client.patch(USER_PATH.format(SID)), client.patch(USER_PATH.format("x"), headers=SYSADMIN),
                     client.get("/__mock/reset")):
        assert response.status_code in (401, 404, 405) and response.headers["Access-Control-Allow-Origin"] == "*"


def test_allow_list_echoes_a_matching_origin_with_credentials() -> None:
    client = make(cors_origins=(ORIGIN, "http://other.example")).client
    preflight = client.options(USER_PATH.format(SID), headers=PREFLIGHT)
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert preflight.headers["Access-Control-Allow-Credentials"] == "true"
    assert preflight.headers["Vary"] == "Accept, Origin"
    patched = client.patch(USER_PATH.format(SID), json={}, headers={**SYSADMIN, "Origin": ORIGIN})
    assert patched.status_code == 200 and patched.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert patched.headers["Vary"] == "Accept, Origin"


def test_allow_list_leaves_a_foreign_origin_without_allow_origin() -> None:
    client = make(cors_origins=(ORIGIN,)).client
    for response in (client.options(USER_PATH.format(SID), headers={**PREFLIGHT, "Origin": "http://evil.example"}),
                     client.patch(USER_PATH.format(SID), json={}, headers={**SYSADMIN, "Origin": "http://evil.example"}),
                     client.patch(USER_PATH.format(SID), json={}, headers=SYSADMIN)):
        assert response.status_code == 200  # the server answers; the browser withholds it
        assert "Access-Control-Allow-Origin" not in response.headers
        assert response.headers["Vary"] == "Accept, Origin"


def test_no_cors_sends_no_cors_headers_and_routes_options() -> None:
    client = make(cors=False).client
    for response in (client.patch(USER_PATH.format(SID), json={}, headers={**SYSADMIN, "Origin": ORIGIN}),
                     client.options(USER_PATH.format(SID), headers=PREFLIGHT)):
        assert not [name for name, _ in response.headers if name.startswith("Access-Control-")]
        assert response.headers["Vary"] == "Accept" and "X-Powered-By" in response.headers
    # OPTIONS now reaches the routes: the operation's paths answer it (with `Allow`), others 404.
    declared = {route.method for route in CONTRACT.routes if route.path == OP.user_route.path}
    assert set(client.options(USER_PATH.format(SID)).headers["Allow"].split(", ")) == {*declared, "OPTIONS"}
    assert client.options("/no/such/path").status_code == 404
