"""The AI-session family of CONTRACT.md section 8 on the mock: auth and roles for every operation
and route, create -> get -> list -> patch -> apply -> delete through one store, actions, usage and
the auth status."""

from __future__ import annotations

import re

import pytest
from flask.testing import FlaskClient

from evokit.contract.formats import DEFAULT_REGISTRY, Format
from tests.mockserver.family import (
    ANY_ACCOUNT,
    FAMILY,
    WITH_APPLIED,
    WITH_PENDING,
    WITHOUT_ACTIONS,
    call,
    denied_headers,
    listed,
    ok,
    user_path,
)
from tests.mockserver.support import CONTRACT, SESSIONS, SYSADMIN, USERS, client, error_of, mock

__all__ = ["client", "mock"]

SID = WITH_PENDING["id"]
PARAMS = {"sessionId": SID, "actionId": WITH_PENDING["actions"][0]["id"]}


def _params_for(operation: str) -> dict[str, str]:
    return {name: PARAMS[name] for name in CONTRACT.operation(operation).user_route.path_params}


@pytest.mark.parametrize("operation", [op for op in FAMILY if op != "GetAuthStatus"])
def test_every_operation_refuses_the_anonymous_with_401_and_the_roleless_with_403(client: FlaskClient, operation: str) -> None:
    for route in CONTRACT.operation(operation).routes:
        path = route.path
        for name, value in _params_for(operation).items():
            path = path.replace("{" + name + "}", value)
        anonymous = client.open(path, method=route.method)
        assert anonymous.status_code == 401 and anonymous.data == b"", (route.method, path)
        forbidden = client.open(path, method=route.method, headers=denied_headers())
        assert forbidden.status_code == 403, (route.method, path)


def test_a_session_created_is_listed_read_patched_applied_and_deleted_by_the_others(client: FlaskClient) -> None:
    created = ok(call(client, "NewAISession", body={"accountId": ANY_ACCOUNT["id"], "purpose": "new line"}), "AISessionInfo")
    assert re.fullmatch(r"[0-9a-f]{24}", created["id"])
    sysadmin = next(u for u in USERS if "SystemAdministrator" in u["roles"])
    assert created["accountName"] == ANY_ACCOUNT["name"] and created["purpose"] == "new line"
    assert created["createdBy"] == created["lastModifiedBy"] == sysadmin["userId"]
    assert created["dateCreated"] == created["dateLastModified"]
    params = {"sessionId": created["id"]}
    assert ok(call(client, "GetAISession", params=params), "AISessionInfo") == created
    assert created in listed(client, {"specificIds": created["id"]})["items"]
    patched = ok(call(client, "PatchAISession", params=params, body={"purpose": "renamed"}), "AISessionInfo")
    assert patched["purpose"] == "renamed" and patched["dateLastModified"] > created["dateLastModified"]
    applied = ok(call(client, "ApplyAISession", params=params), "AISessionInfo")
    assert applied["purpose"] == "renamed" and "log" not in applied
    deleted = call(client, "DeleteAISession", params=params)
    assert (deleted.status_code, deleted.data, deleted.content_type) == (204, b"", None)
    for operation in ("GetAISession", "PatchAISession", "DeleteAISession", "ApplyAISession", "ClearAISessionActions"):
        assert call(client, operation, params=params).status_code == 404, operation
    assert client.get(f"/api/GetAISession?sessionId={created['id']}", headers=SYSADMIN).status_code == 404
    assert listed(client, {"specificIds": created["id"]})["items"] == []


@pytest.mark.parametrize("body", [{}, {"accountId": "no-such-account"}], ids=["missing", "unknown"])
def test_new_session_needs_a_known_account(client: FlaskClient, body: dict[str, str]) -> None:
    response = call(client, "NewAISession", body=body)
    assert response.status_code == 400
    status = error_of(response.data)
    assert status["errorCode"] == "ArgumentException"
    assert [error["fieldName"] for error in status["errors"]] == ["AccountId"]  # type: ignore[union-attr]


def test_apply_applies_the_pending_actions_and_logs_one_line_each(client: FlaskClient) -> None:
    # As a real client sends it: no body, Content-Length 0, no Content-Type.
    response = client.post(user_path("ApplyAISession", sessionId=SID), headers={**SYSADMIN, "Content-Length": "0"})
    applied = ok(response, "AISessionInfo")
    assert [action["canBeApplied"] for action in applied["actions"]] == [False] * len(WITH_PENDING["actions"])
    lines = applied["log"].split("\n")
    assert len(lines) == len(WITH_PENDING["actions"])
    assert all(action["functionName"] in line for action, line in zip(WITH_PENDING["actions"], lines, strict=True))
    assert applied["dateLastModified"] > WITH_PENDING["dateLastModified"]
    again = ok(call(client, "ApplyAISession", params={"sessionId": SID}), "AISessionInfo")
    assert again["log"] == applied["log"] and again["actions"] == applied["actions"], "nothing pending: log kept"
    assert again["dateLastModified"] > applied["dateLastModified"]


def test_apply_with_nothing_pending_changes_only_the_two_stamps(client: FlaskClient) -> None:
    before = WITH_APPLIED
    after = ok(call(client, "ApplyAISession", params={"sessionId": before["id"]}), "AISessionInfo")
    changed = {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}
    assert changed == {"dateLastModified", "lastModifiedBy"} or changed == {"dateLastModified"}


def test_clearing_and_deleting_actions(client: FlaskClient) -> None:
    action = WITH_PENDING["actions"][1]
    left = ok(call(client, "DeleteAISessionAction", params={"sessionId": SID, "actionId": action["id"]}), "AISessionInfo")
    assert [a["id"] for a in left["actions"]] == [a["id"] for a in WITH_PENDING["actions"] if a is not action]
    again = call(client, "DeleteAISessionAction", params={"sessionId": SID, "actionId": action["id"]})
    assert again.status_code == 404 and error_of(again.data)["errorCode"] == "NotFound"
    cleared = ok(call(client, "ClearAISessionActions", params={"sessionId": SID}), "AISessionInfo")
    assert cleared["actions"] == [] and cleared["dateLastModified"] > left["dateLastModified"]
    empty = ok(call(client, "ClearAISessionActions", params={"sessionId": WITHOUT_ACTIONS["id"]}), "AISessionInfo")
    assert empty["actions"] == []


def test_auth_status_of_a_user_an_anonymous_caller_and_wrong_credentials(client: FlaskClient) -> None:
    sysadmin = next(u for u in USERS if "SystemAdministrator" in u["roles"])
    info = ok(call(client, "GetAuthStatus"), "UserInfo")
    assert (info["id"], info["isAuthenticated"], info["emailAddress"]) == (sysadmin["userId"], True, sysadmin["emailAddress"])
    assert info["accountIds"] == sysadmin["accountIds"] and len(info["accountNames"]) == len(info["accountIds"])
    anonymous = client.get(user_path("GetAuthStatus"))
    assert (anonymous.status_code, anonymous.data) == (204, b"")
    wrong = client.get(user_path("GetAuthStatus"), headers={"Authorization": "Basic bm9ib2R5Om5vcGU="})
    assert wrong.status_code == 401 and error_of(wrong.data)["errorCode"]
    roleless = ok(client.get(user_path("GetAuthStatus"), headers=denied_headers()), "UserInfo")
    assert roleless["roles"] == []


def test_a_cookie_login_alone_works_for_every_operation(client: FlaskClient) -> None:
    user = next(u for u in USERS if "SystemAdministrator" in u["roles"])
    login = client.post("/auth/credentials", json={"userName": user["userName"], "password": user["password"]})
    cookies = [value.split(";", 1)[0] for value in login.headers.getlist("Set-Cookie")]
    ids = dict(part.split("=", 1) for part in cookies)
    assert ids["ss-id"] != ids["ss-pid"], "ServiceStack's two session ids differ"
    # What a real client sends: the three cookies, Accept JSON, never Basic.
    cookie = {"Cookie": "; ".join([*cookies, "ss-opt=temp"]), "Accept": "application/json"}
    # Deleting and clearing act on other sessions than the rest (which act on SID), so that every
    # call finds what it needs.
    params = {**{op: _params_for(op) for op in FAMILY}, "DeleteAISession": {"sessionId": WITHOUT_ACTIONS["id"]},
              "ClearAISessionActions": {"sessionId": WITH_APPLIED["id"]}}
    for operation in FAMILY:
        body = {"accountId": ANY_ACCOUNT["id"]} if operation == "NewAISession" else None
        response = call(client, operation, params=params[operation], headers=cookie, body=body)
        assert response.status_code in (200, 204), (operation, response.status_code, response.data)


@pytest.mark.parametrize("fmt", [Format.JSV, Format.XML, Format.CSV], ids=lambda f: f.value)
@pytest.mark.parametrize("operation", ["ListAISessions", "GetAISession", "GetAIUsage", "GetAuthStatus"])
def test_every_format_carries_the_same_values_as_json(client: FlaskClient, operation: str, fmt: Format) -> None:
    params = _params_for(operation)
    dto = CONTRACT.operation(operation).response
    assert dto is not None
    as_json = ok(call(client, operation, params=params), dto)
    response = call(client, operation, params=params, query={"format": fmt.value})
    assert response.status_code == 200
    codec = DEFAULT_REGISTRY.for_format(fmt)
    assert codec.decode_dto(response.data, CONTRACT.shape(dto)) == as_json


def test_the_fixture_sessions_are_all_listed_in_the_default_order(client: FlaskClient) -> None:
    page = listed(client, {"all": "true"})
    assert sorted(s["id"] for s in page["items"]) == sorted(s["id"] for s in SESSIONS)


@pytest.mark.parametrize("operation", ["GetAISession", "PatchAISession", "DeleteAISession", "ApplyAISession"])
def test_an_encoded_slash_in_an_id_reaches_the_operation_as_that_id(client: FlaskClient, operation: str) -> None:
    response = call(client, operation, params={"sessionId": "a%2Fb"})
    assert response.status_code == 404
    assert error_of(response.data)["message"] == "AI session 'a/b' not found"


def test_without_the_raw_path_a_slashed_id_still_reaches_the_operation() -> None:
    from evokit.mockserver.http.routing import OperationRouter

    router = OperationRouter(CONTRACT.routes)
    decoded = router.match("GET", "/ai/sessions/a/b")  # what a server that decodes %2F hands over
    assert decoded is not None and decoded.route is not None
    assert (decoded.route.operation, dict(decoded.path_params)) == ("GetAISession", {"sessionId": "a/b"})
    raw = router.match("DELETE", "/ai/sessions/a/actions", raw_path="/ai/sessions/a%2Factions")
    assert raw is not None and raw.route is not None
    assert (raw.route.operation, dict(raw.path_params)) == ("DeleteAISession", {"sessionId": "a/actions"})
    plain = router.match("DELETE", "/ai/sessions/a/actions")
    assert plain is not None and plain.route is not None and plain.route.operation == "ClearAISessionActions"


def test_the_control_plane_seeds_sessions_with_actions_and_a_log(client: FlaskClient) -> None:
    action = {"canBeApplied": True, "functionName": "setVoice", "id": "act-9", "arguments": "{}"}  # any member order
    seeded = client.post("/__mock/sessions", json={"id": "seeded-1", "accountId": ANY_ACCOUNT["id"],
                                                   "actions": [action], "log": "seeded"})
    assert seeded.status_code == 201, seeded.data
    stored = ok(call(client, "GetAISession", params={"sessionId": "seeded-1"}), "AISessionInfo")
    assert list(stored["actions"][0]) == ["id", "functionName", "arguments", "canBeApplied"], "wire order"
    applied = ok(call(client, "ApplyAISession", params={"sessionId": "seeded-1"}), "AISessionInfo")
    assert applied["actions"][0]["canBeApplied"] is False and "setVoice" in applied["log"]
    refused = client.post("/__mock/sessions", json={"id": "seeded-2", "actions": [{"canBeApplied": "yes"}]})
    assert refused.status_code == 400
    assert any("actions" in error["fieldName"] for error in error_of(refused.data)["errors"])  # type: ignore[union-attr]
