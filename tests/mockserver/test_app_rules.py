"""Sections 2-6 through the app (Flask test client): exact status, headers and body per rule."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from evokit.contract.formats import DEFAULT_REGISTRY, Format, jsv
from evokit.contract.profiles import json_only, live_document
from evokit.mockserver.http.app import create_app
from evokit.mockserver.core.config import MockConfig
from evokit.mockserver.core.operation import ID, IMMUTABLE, MODIFIED, MODIFIED_BY
from tests.mockserver.support import (
    ALLOWED_USERS,
    CONTRACT,
    DENIED_USERS,
    ID_PARAM,
    OP,
    PURPOSE,
    SESSION_IDS,
    SESSIONS,
    SYSADMIN,
    Mock,
    basic,
    client,
    error_of,
    make_mock,
    mock,
)

__all__ = ["client", "mock"]  # fixtures used below

SID = SESSION_IDS[0]
USER_PATH = OP.user_route.path.replace("{" + ID_PARAM + "}", "{}")
API = next(route.path for route in OP.routes if route.kind == "api")
SHAPE = CONTRACT.shape(OP.response)
JSON = "application/json"
DENIED = basic(str(DENIED_USERS[0]["userName"]), str(DENIED_USERS[0]["password"]))


def patch(client: FlaskClient, path: str, body: object = None, *, headers: dict[str, str] | None = None,
          content_type: str = JSON, raw: bytes | None = None) -> object:
    data = raw if raw is not None else (json.dumps(body) if body is not None else b"")
    return client.patch(path, data=data, content_type=content_type, headers=headers if headers is not None else SYSADMIN)


def session_of(response: object) -> dict[str, object]:
    document = json.loads(response.data)  # type: ignore[attr-defined]
    assert CONTRACT.violations(OP.response, document) == []
    return document  # type: ignore[no-any-return]


# --- section 2: the request DTO -------------------------------------------------------------------

def test_path_beats_body_and_query_beats_both(client: FlaskClient) -> None:
    other = SESSION_IDS[1]
    response = patch(client, USER_PATH.format(SID) + "?purpose=from-query", {ID_PARAM: other, PURPOSE: "from-body"})
    assert session_of(response)[ID] == SID and session_of(response)[PURPOSE] == "from-query"


# --- section 1.1: the pre-defined routes are not the user route -------------------------------------

def test_predefined_route_query_fills_only_what_the_body_left_null(client: FlaskClient) -> None:
    # The contract's own examples: the body wins, the query fills the gaps.
    response = patch(client, f"{API}?{PURPOSE}=q", {ID_PARAM: SID, PURPOSE: "b"})
    assert session_of(response)[PURPOSE] == "b"
    response = patch(client, f"{API}?{PURPOSE}=q", {ID_PARAM: SID})
    assert session_of(response)[PURPOSE] == "q"
    other = SESSION_IDS[1]
    assert session_of(patch(client, f"{API}?{ID_PARAM}={other}", {ID_PARAM: SID}))[ID] == SID
    assert session_of(patch(client, f"{API}?{ID_PARAM}={other}", {PURPOSE: "p"}))[ID] == other
    # GenericHandler skips an empty query value: it does not set the empty string.
    assert session_of(patch(client, f"{API}?{PURPOSE}=", {ID_PARAM: SID}))[PURPOSE] == "q"


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/jsv", "application/octet-stream"])
def test_predefined_route_reads_a_non_form_body_in_its_own_format(client: FlaskClient,
                                                                  content_type: str | None) -> None:
    body = json.dumps({ID_PARAM: SID, PURPOSE: f"json as {content_type}"}).encode()
    headers = {**SYSADMIN, **({"Content-Type": content_type} if content_type else {})}
    response = client.patch(API, data=body, headers=headers)
    assert session_of(response)[PURPOSE] == f"json as {content_type}"
    jsv_body = jsv.dumps({ID_PARAM: SID, PURPOSE: "jsv as json"}).encode()
    response = client.patch(f"/jsv/reply/{OP.request}", data=jsv_body, headers={**SYSADMIN, "Content-Type": JSON})
    assert response.status_code == 200
    assert DEFAULT_REGISTRY.for_format(Format.JSV).decode_dto(response.data, SHAPE)[PURPOSE] == "jsv as json"


def test_predefined_route_still_reads_a_form_as_a_form(client: FlaskClient) -> None:
    response = patch(client, API, raw=f"{ID_PARAM}={SID}&{PURPOSE}=formed".encode(),
                     content_type="application/x-www-form-urlencoded")
    assert session_of(response)[PURPOSE] == "formed"


@pytest.mark.parametrize(("sent", "stored"), [
    (123, "123"), (1.50, "1.5"), (True, "true"), ({"a": 1}, '{"a": 1}'), ([1, "b"], '[1, "b"]'), ("", ""),
    ("  spaced  ", "  spaced  "), ("🎉 ünï\n\"q\"", "🎉 ünï\n\"q\""),
])
def test_lenient_values_and_exact_storage(client: FlaskClient, sent: object, stored: str) -> None:
    assert session_of(patch(client, USER_PATH.format(SID), {PURPOSE: sent}))[PURPOSE] == stored


def test_raw_number_text_is_kept(client: FlaskClient) -> None:
    response = patch(client, USER_PATH.format(SID), raw=b'{"Purpose": 1.50}')
    assert session_of(response)[PURPOSE] == "1.50"


def test_null_and_absent_purpose_change_only_the_entity_fields(mock: Mock) -> None:
    before = dict(SESSIONS[0])
    for body in ({PURPOSE: None}, {}, None):
        after = session_of(patch(mock.client, USER_PATH.format(SID), body))
        assert {k: after[k] for k in after if k not in (MODIFIED, MODIFIED_BY)} == \
               {k: before[k] for k in before if k not in (MODIFIED, MODIFIED_BY)}
        assert after[MODIFIED_BY] == ALLOWED_USERS[0]["userId"]


@pytest.mark.parametrize("content_type", [None, "text/plain", "application/octet-stream"])
def test_bodies_of_other_types_are_ignored(client: FlaskClient, content_type: str | None) -> None:
    response = client.patch(USER_PATH.format(SID), data=b"[not read]", headers={**SYSADMIN, **({"Content-Type": content_type} if content_type else {})})
    assert response.status_code == 200


@pytest.mark.parametrize("headers", ["anonymous", "denied", "sysadmin"])
@pytest.mark.parametrize(("raw", "content_type"), [
    (b"[1]", JSON), (b"purpose=x", JSON), (b'{"purpose":', JSON), (b"x", "application/jsv"), (b'{purpose:"x', "text/jsv"),
], ids=["json list", "form text as json", "cut json", "jsv text", "cut jsv"])
def test_unreadable_bodies_are_400_before_auth(client: FlaskClient, headers: object, raw: bytes, content_type: str) -> None:
    sent = {"denied": DENIED, "sysadmin": SYSADMIN}.get(headers, {})  # type: ignore[call-overload]
    response = patch(client, USER_PATH.format(SID), raw=raw, content_type=content_type, headers=sent)
    assert response.status_code == 400  # type: ignore[attr-defined]
    assert error_of(response.data)["errorCode"] == "SerializationException"  # type: ignore[attr-defined]


# --- section 3: auth ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("authorization", "status", "empty"), [
    ("Basic !!!notbase64", 401, False),
    ("Basic " + "//46/Q==", 401, False),  # not UTF-8 (with a colon): names no user
    ("Basic c3lzYWRtaW4=", 401, True),  # "sysadmin", no colon: no credentials
    ("Basic c3lzYWRtaW46", 401, True),  # "sysadmin:", empty password: no credentials
    ("Bearer abc", 401, True),
    ("Basic", 401, True),
    ("", 401, True),
], ids=["bad base64", "non-utf8", "no colon", "empty password", "bearer", "scheme only", "empty"])
def test_malformed_authorization_is_401_never_a_crash(client: FlaskClient, authorization: str, status: int, empty: bool) -> None:
    response = patch(client, USER_PATH.format(SID), headers={"Authorization": authorization})
    assert response.status_code == status  # type: ignore[attr-defined]
    if empty:
        assert response.data == b"" and "WWW-Authenticate" in response.headers  # type: ignore[attr-defined]
    else:
        assert error_of(response.data) == {"errorCode": "Unauthorized", "message": "Invalid Username or Password", "errors": []}  # type: ignore[attr-defined]


def test_check_order_401_403_404(client: FlaskClient) -> None:
    assert patch(client, USER_PATH.format("nope"), headers={}).status_code == 401  # type: ignore[attr-defined]
    assert patch(client, USER_PATH.format("nope"), headers=DENIED).status_code == 403  # type: ignore[attr-defined]
    response = patch(client, USER_PATH.format("nope"))
    assert response.status_code == 404  # type: ignore[attr-defined]
    assert error_of(response.data) == {"errorCode": "NotFound", "message": "AI session 'nope' not found", "errors": []}  # type: ignore[attr-defined]


def test_forbidden_body_mirrors_servicestack(client: FlaskClient) -> None:
    response = patch(client, USER_PATH.format(SID) + ".jsv?a=1&b=2", headers=DENIED)
    assert response.data.decode() == (  # type: ignore[attr-defined]
        f"Forbidden\n\nRequest.HttpMethod: PATCH\nRequest.PathInfo: {USER_PATH.format(SID)}.jsv\nRequest.QueryString: a=1&b=2\n\n"
    )


def test_session_cookie_and_x_ss_id_header(client: FlaskClient) -> None:
    user = ALLOWED_USERS[0]
    login = client.post("/auth/credentials", json={"userName": user["userName"], "password": user["password"]})
    sid = login.get_json()["sessionId"]
    cookies = login.headers.getlist("Set-Cookie")
    assert cookies[0] == f"{CONTRACT.session_cookie}={sid}; HttpOnly; Path=/"
    # The permanent id and the options cookie come too, the permanent id another than `ss-id`.
    assert [c.split("=", 1)[0] for c in cookies] == [CONTRACT.session_cookie, "ss-pid", "ss-opt"]
    assert cookies[1].split(";", 1)[0] != f"ss-pid={sid}" and cookies[2].startswith("ss-opt=temp;")
    cookie = {"Cookie": f"{CONTRACT.session_cookie}={sid}"}
    assert patch(client, USER_PATH.format(SID), headers=cookie).status_code == 200  # type: ignore[attr-defined]
    assert patch(client, USER_PATH.format(SID), headers={f"X-{CONTRACT.session_cookie}": sid}).status_code == 200  # type: ignore[attr-defined]
    assert client.post("/auth/logout", headers=cookie).get_json() == {}
    assert patch(client, USER_PATH.format(SID), headers=cookie).status_code == 401  # type: ignore[attr-defined]


def test_authenticate_routes_and_methods(client: FlaskClient) -> None:
    user = ALLOWED_USERS[0]
    credentials = {"userName": user["userName"], "password": user["password"]}
    login = client.post("/auth", json={**credentials, "provider": "credentials"})
    sid = login.get_json()["sessionId"]
    cookie = {"Cookie": f"{CONTRACT.session_cookie}={sid}"}
    assert client.get("/auth", headers=cookie).get_json()["sessionId"] == sid
    jsv_login = client.post(f"/jsv/reply/Authenticate?provider=credentials&userName={user['userName']}&password={user['password']}")
    assert jsv_login.headers["Content-Type"] == "application/jsv"
    assert jsv.loads(jsv_login.data.decode())["roles"] == list(user["roles"])  # type: ignore[call-overload,index]
    suffixed = client.post("/auth/credentials.jsv", json=credentials)  # the suffix picks the format
    assert suffixed.status_code == 200 and suffixed.headers["Content-Type"] == "application/jsv"
    refused = client.get("/auth/credentials", query_string=credentials)
    assert refused.status_code == 405 and error_of(refused.data)["errorCode"] == "NotSupportedException"
    assert client.get("/auth/logout", headers=cookie).get_json() == {}
    assert client.get("/auth", headers=cookie).status_code == 401
    unknown = client.post("/auth/twitter")
    assert unknown.status_code == 404
    assert error_of(unknown.data)["message"] == "No configuration was added for OAuth provider 'twitter'"
    wrong = client.post("/auth/credentials", json={**credentials, "password": "nope"})
    assert wrong.status_code == 401 and error_of(wrong.data)["message"] == "Invalid Username or Password"
    empty = client.post("/auth/credentials", data="userName=&password=", content_type="application/x-www-form-urlencoded")
    assert empty.status_code == 400 and error_of(empty.data)["errors"] == [
        {"errorCode": "NotEmpty", "fieldName": "UserName", "message": "'User Name' must not be empty."},
        {"errorCode": "NotEmpty", "fieldName": "Password", "message": "'Password' must not be empty."},
    ]


def test_a_denied_session_is_403(client: FlaskClient) -> None:
    user = DENIED_USERS[0]
    sid = client.post("/api/Authenticate", json={"userName": user["userName"], "password": user["password"],
                                                 "provider": "credentials"}).get_json()["sessionId"]
    assert patch(client, USER_PATH.format(SID), headers={"Cookie": f"{CONTRACT.session_cookie}={sid}"}).status_code == 403  # type: ignore[attr-defined]


# --- section 4: the update ---------------------------------------------------------------------------

def test_update_keeps_immutables_and_orders_members(mock: Mock) -> None:
    for fixture in SESSIONS:
        response = patch(mock.client, USER_PATH.format(fixture[ID]), {PURPOSE: "p"})
        session = session_of(response)
        assert [k for k in session] == [k for k in CONTRACT.properties(OP.response) if k in session]
        assert all(session.get(k) == fixture.get(k) for k in (ID, *IMMUTABLE))
        assert session[MODIFIED] > fixture.get(MODIFIED, "")  # ISO strings of one format order as times
        assert b"null" not in response.data  # type: ignore[attr-defined]


def test_timestamps_strictly_increase_with_a_stopped_clock(mock: Mock) -> None:
    from datetime import timedelta

    mock.clock.step = timedelta(0)
    stamps = [session_of(patch(mock.client, USER_PATH.format(SID)))[MODIFIED] for _ in range(3)]
    assert stamps == sorted(set(stamps)) and len(set(stamps)) == 3


# --- section 5: errors --------------------------------------------------------------------------------

def test_unknown_paths_are_404_in_the_error_shape(client: FlaskClient) -> None:
    for path in ("/nope", "/ai/session", "/ai/sessionsx/a", "/json/reply/Unknown", "/__mock/nope", "/"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert error_of(response.data)["errorCode"] == "NotFound"


def test_other_methods_on_operation_paths_are_405_after_auth(client: FlaskClient) -> None:
    for route in OP.routes:
        path = route.path.replace("{" + ID_PARAM + "}", SID)
        # The family shares the user path (GET, PATCH, DELETE): only a verb no operation declares there is a 405.
        declared = [r for r in CONTRACT.routes if r.path == route.path]
        assert client.put(path).status_code == 401
        response = client.put(path, headers=SYSADMIN)
        assert response.status_code == 405
        assert set(response.headers["Allow"].split(", ")) == {r.method for r in declared}
        codec = DEFAULT_REGISTRY.for_format(Format.from_name(route.format or "json"))
        status = codec.decode_error(response.data)["responseStatus"]
        assert (status["errorCode"], status["errors"]) == ("NotImplementedException", [])
        assert status["message"] in {f"Could not find method named Put({r.operation}) or Any({r.operation})" for r in declared}
    response = client.open(USER_PATH.format(SID), method="PROPFIND")
    assert response.status_code == 405 and error_of(response.data)["errorCode"] == "MethodNotAllowed"


def test_body_limit_is_413_in_the_error_shape_before_anything_else() -> None:
    small = make_mock(max_body_bytes=100)
    for headers in ({}, SYSADMIN):
        response = patch(small.client, USER_PATH.format(SID), {PURPOSE: "x" * 200}, headers=headers)
        assert response.status_code == 413  # type: ignore[attr-defined]
        assert error_of(response.data)["errorCode"] == "RequestEntityTooLarge"  # type: ignore[attr-defined]
    assert patch(small.client, USER_PATH.format(SID), {PURPOSE: "x" * 50}).status_code == 200  # type: ignore[attr-defined]


def test_a_bug_is_a_500_response_status_without_a_trace(tmp_path: Path) -> None:
    class Broken:
        def __getattr__(self, name: str) -> Callable[..., object]:
            def fail(*args: object, **kwargs: object) -> object:
                if name == "reset":
                    return None
                raise RuntimeError("store down")
            return fail

    app = create_app(MockConfig(), store=Broken())  # type: ignore[arg-type]
    response = app.test_client().patch(USER_PATH.format(SID), headers={**SYSADMIN, "Accept": "application/jsv"})
    assert response.status_code == 500 and response.headers["Content-Type"] == "application/jsv"
    assert jsv.loads(response.data.decode()) == {"responseStatus": {"errorCode": "RuntimeError", "message": "An unexpected error occurred", "errors": []}}


# --- section 6: negotiation ---------------------------------------------------------------------------

@pytest.mark.parametrize(("path", "headers", "expected"), [
    (USER_PATH.format(SID), {}, Format.JSON),
    (USER_PATH.format(SID) + ".jsv", {}, Format.JSV),
    (USER_PATH.format(SID) + ".json", {"Accept": "application/jsv"}, Format.JSON),
    (USER_PATH.format(SID) + ".jsv?format=json", {}, Format.JSV),
    (USER_PATH.format(SID) + "?format=jsv", {"Accept": "application/json"}, Format.JSV),
    (USER_PATH.format(SID) + "?FORMAT=JSV", {}, Format.JSV),
    (USER_PATH.format(SID), {"Accept": "application/jsv"}, Format.JSV),
    (USER_PATH.format(SID), {"Accept": "text/jsv"}, Format.JSON),
    (USER_PATH.format(SID), {"Accept": "image/png"}, Format.JSON),
    (USER_PATH.format(SID), {"Accept": "*/*"}, Format.JSON),
    (f"/jsv/reply/{OP.request}?{ID_PARAM}={SID}", {"Accept": "application/json"}, Format.JSV),
    (f"/jsv/reply/{OP.request}?{ID_PARAM}={SID}&format=json", {}, Format.JSON),
    # Section 1.1: the pre-defined routes never read Accept; `?format=` beats their own format.
    (f"/api/{OP.request}?{ID_PARAM}={SID}", {"Accept": "application/xml"}, Format.JSON),
    (f"/json/reply/{OP.request}?{ID_PARAM}={SID}", {"Accept": "application/jsv"}, Format.JSON),
    (f"/api/{OP.request}?{ID_PARAM}={SID}&format=csv", {"Accept": "application/xml"}, Format.CSV),
    (f"/api/{OP.request}.jsv?{ID_PARAM}={SID}", {}, Format.JSV),
    (f"/api/{OP.request}.xml?{ID_PARAM}={SID}", {"Accept": "application/json"}, Format.XML),
    (f"/api/{OP.request}.xml?{ID_PARAM}={SID}&format=json", {}, Format.JSON),
], ids=lambda value: value if isinstance(value, str) else None)
def test_negotiation(client: FlaskClient, path: str, headers: dict[str, str], expected: Format) -> None:
    response = client.patch(path, headers={**SYSADMIN, **headers})
    assert response.status_code == 200
    codec = DEFAULT_REGISTRY.for_format(expected)
    assert response.headers["Content-Type"] == codec.content_type
    assert codec.decode_dto(response.data, SHAPE)[ID] == SID


def test_suffix_acts_on_the_id_without_it_and_errors_follow_the_format(client: FlaskClient) -> None:
    response = client.patch(USER_PATH.format("nope") + ".jsv", headers=SYSADMIN)
    assert (response.status_code, response.headers["Content-Type"]) == (404, "application/jsv")
    assert response.data == b"{responseStatus:{errorCode:NotFound,message:AI session 'nope' not found,errors:[]}}"
    assert client.patch(USER_PATH.format(SID) + ".JSV", headers=SYSADMIN).status_code == 404  # not a suffix


def test_jsv_golden_body(mock: Mock) -> None:
    fixture = next(s for s in SESSIONS if "{" in s.get(PURPOSE, ""))
    response = mock.client.patch(USER_PATH.format(fixture[ID]) + ".jsv", headers=SYSADMIN)
    user = ALLOWED_USERS[0]["userId"]
    assert response.data.decode() == (
        "{accountId:64b7e1f0a9c3d2e1f0a1b202,accountName:Müller & Söhne GmbH,"
        'purpose:"Collect {orderId, zip} then route to [billing] or [shipping]",id:6630f0a2c1d4e5f601a2b305,'
        'dateCreated:"2024-04-11T11:11:11.1111111Z",dateLastModified:"2025-01-02T03:04:05.0000000Z",'
        f"createdBy:65f1a0c2e4b0a1d2c3e4f501,lastModifiedBy:{user}}}"
    )


def test_vary_accept_everywhere(client: FlaskClient) -> None:
    for response in (client.get("/openapi.json"), client.get("/nope"), client.get("/__mock/users"),
                     patch(client, USER_PATH.format(SID), headers={}), client.get("/auth")):
        assert response.headers["Vary"] == "Accept"  # type: ignore[attr-defined]


def test_openapi_document_is_the_contract_made_live(client: FlaskClient) -> None:
    """Both profiles, each the committed document with this server and its session ids added."""
    ids = sorted(session[ID] for session in client.get("/__mock/sessions").get_json())
    for path, document in (("/openapi.json", dict(CONTRACT.openapi)),
                           ("/openapi.json-only.json", json_only(dict(CONTRACT.openapi)))):
        response = client.get(path)
        assert response.status_code == 200 and response.headers["Content-Type"] == "application/json; charset=utf-8"
        served = response.get_json()
        assert served == json.loads(json.dumps(live_document(document, server_url="http://localhost/", session_ids=ids)))
        param = served["paths"][USER_PATH.format("{sessionId}")]["patch"]["parameters"][0]
        assert [example["value"] for example in param["examples"].values()] == ids


def test_a_deleted_session_leaves_the_served_examples(client: FlaskClient) -> None:
    assert client.delete(f"/__mock/sessions/{SID}").status_code == 204
    served = client.get("/openapi.json").get_json()
    param = served["paths"][USER_PATH.format("{sessionId}")]["patch"]["parameters"][0]
    assert SID not in [example["value"] for example in param["examples"].values()]
