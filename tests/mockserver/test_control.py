"""The control plane under /__mock/: no auth, JSON, apart from the contract's routes."""

from __future__ import annotations

import json

from flask.testing import FlaskClient

from tests.mockserver.support import (
    CONTRACT,
    ID_PARAM,
    OP,
    PURPOSE,
    SESSION_IDS,
    SESSIONS,
    SYSADMIN,
    USERS,
    client,
    mock,
)

__all__ = ["client", "mock"]


def test_sessions_lists_the_fixtures_in_wire_order(client: FlaskClient) -> None:
    response = client.get("/__mock/sessions")
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/json; charset=utf-8"
    listed = json.loads(response.data)
    assert listed == SESSIONS
    assert all(CONTRACT.violations(OP.response, session) == [] for session in listed)


def test_users_lists_credentials_and_roles(client: FlaskClient) -> None:
    assert json.loads(client.get("/__mock/users").data) == USERS


def test_reset_restores_the_fixtures_and_ends_auth_sessions(client: FlaskClient) -> None:
    path = OP.user_route.path.replace("{" + ID_PARAM + "}", SESSION_IDS[0])
    assert client.patch(path, json={PURPOSE: "changed"}, headers=SYSADMIN).status_code == 200
    user = USERS[0]
    sid = client.post("/auth/credentials", json={"userName": user["userName"], "password": user["password"]}).get_json()["sessionId"]
    assert json.loads(client.get("/__mock/sessions").data)[0][PURPOSE] == "changed"
    response = client.post("/__mock/reset")
    assert response.status_code == 200 and json.loads(response.data) == {"sessions": len(SESSIONS), "users": len(USERS)}
    assert json.loads(client.get("/__mock/sessions").data) == SESSIONS
    assert client.patch(path, headers={"Cookie": f"{CONTRACT.session_cookie}={sid}"}).status_code == 401


def test_control_plane_methods_are_checked(client: FlaskClient) -> None:
    response = client.get("/__mock/reset")
    assert response.status_code == 405 and json.loads(response.data)["responseStatus"]["errorCode"] == "MethodNotAllowed"
