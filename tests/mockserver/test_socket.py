"""The mock over a real socket: `evokit mock` in a subprocess, spoken to with requests and raw
sockets. Golden JSV/JSON bodies, the malformed inputs, the limits, the banner, start and stop."""

from __future__ import annotations

import base64
import re
import socket
import sys
import threading
from email.utils import parsedate_to_datetime

import pytest
import requests

from evokit.contract.formats import jsv
from evokit.mockserver.core.operation import MODIFIED, parse_ticks
from tests.mockserver.server import EVOKIT, HOST, LiveServer, fresh, live, start, stop
from tests.mockserver.support import (
    CONTRACT,
    ID_PARAM,
    OP,
    PURPOSE,
    SESSIONS,
    USERS,
    error_of,
)

__all__ = ["fresh", "live"]
pytestmark = pytest.mark.socket

SYSADMIN = (str(USERS[0]["userName"]), str(USERS[0]["password"]))
CUSTOMER = next((str(u["userName"]), str(u["password"])) for u in USERS if u["userName"] == "customer")
SID = SESSIONS[0]["id"]
PATH = OP.user_route.path.replace("{" + ID_PARAM + "}", "{}")
STAMP = re.compile(r'dateLastModified:"([^"]+)"')


def raw(server: LiveServer, request: bytes) -> bytes:
    """Send bytes on a fresh connection and read the answer's head (up to the blank line)."""
    with socket.create_connection((HOST, server.port), timeout=5) as sock:
        sock.sendall(request)
        answer = b""
        while b"\r\n\r\n" not in answer and (chunk := sock.recv(65536)):
            answer += chunk
        return answer


def test_banner_names_the_address_and_every_fixture_user(live: LiveServer) -> None:
    assert live.banner[0].startswith(f"evokit mock: listening on {live.url} ")
    rest = live.banner[2:2 + len(USERS)]
    for user, line in zip(USERS, rest, strict=True):
        assert line == f"  {user['userName']} / {user['password']}: {', '.join(user['roles']) or '(no roles)'}"  # type: ignore[arg-type]


def test_jsv_golden_over_the_wire(fresh: LiveServer) -> None:
    fixture = SESSIONS[1]
    body = '{purpose:"Line 1: a, b\n{c} [d] ""quoted"" — ü"}'
    response = requests.patch(f"{fresh.url}{PATH.format(fixture['id'])}.jsv", data=body.encode(),
                              headers={"Content-Type": "text/jsv"}, auth=SYSADMIN, timeout=5)
    assert (response.status_code, response.headers["Content-Type"], response.headers["Vary"]) == (200, "application/jsv", "Accept")
    text = response.content.decode()
    stamp = STAMP.search(text)
    assert stamp is not None
    assert text == (
        "{accountId:64b7e1f0a9c3d2e1f0a1b201,accountName:Acme Corp,"
        'purpose:"Line 1: a, b\n{c} [d] ""quoted"" — ü",'
        'actions:[{date:"2024-05-02T14:01:05.0000000Z",id:6633a0d2b1c2d3e4f5a60201,functionName:setSurveyQuestions,'
        'arguments:"{""count"":3}",description:Ask three questions,canBeApplied:False}],'
        'log:"Applied setSurveyQuestions({""count"":3}): Ask three questions",'
        'id:6630f0a2c1d4e5f601a2b302,dateCreated:"2024-05-02T14:03:10.0000000Z",'
        f'dateLastModified:"{stamp[1]}",'
        f"createdBy:65f1a0c2e4b0a1d2c3e4f502,lastModifiedBy:{USERS[0]['userId']}}}"
    )
    assert jsv.loads(text)[PURPOSE] == 'Line 1: a, b\n{c} [d] "quoted" — ü'  # type: ignore[index]
    date = parsedate_to_datetime(response.headers["Date"]).timestamp()
    modified = parse_ticks(stamp[1]) / 10_000_000  # type: ignore[operator]
    assert abs(modified - date) < 5 and stamp[1] > fixture[MODIFIED]


@pytest.mark.parametrize(("path", "expected"), [
    (PATH.format("nope") + ".jsv", b"{responseStatus:{errorCode:NotFound,message:AI session 'nope' not found,errors:[]}}"),
    (f"/jsv/reply/{OP.request}?{ID_PARAM}=nope", b"{responseStatus:{errorCode:NotFound,message:AI session 'nope' not found,errors:[]}}"),
    (PATH.format("nope"), b'{"responseStatus":{"errorCode":"NotFound","message":"AI session \'nope\' not found","errors":[]}}'),
])
def test_error_goldens(live: LiveServer, path: str, expected: bytes) -> None:
    response = requests.patch(live.url + path, auth=SYSADMIN, timeout=5)
    assert (response.status_code, response.content) == (404, expected)


def test_json_round_trip_and_lenient_number(fresh: LiveServer) -> None:
    response = requests.patch(f"{fresh.url}{PATH.format(SID)}", data=b'{"PURPOSE": 1.50}',
                              headers={"Content-Type": "application/json"}, auth=SYSADMIN, timeout=5)
    session = response.json()
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    assert CONTRACT.violations(OP.response, session) == [] and session[PURPOSE] == "1.50"
    listed = requests.get(f"{fresh.url}/__mock/sessions", timeout=5).json()
    assert listed[0] == session


def test_auth_answers_over_the_wire(live: LiveServer) -> None:
    url = f"{live.url}{PATH.format(SID)}"
    anonymous = requests.patch(url, timeout=5)
    assert (anonymous.status_code, anonymous.content, anonymous.headers["WWW-Authenticate"]) == (401, b"", 'basic realm="/auth/basic"')
    forbidden = requests.patch(url, auth=CUSTOMER, timeout=5)
    assert (forbidden.status_code, forbidden.headers["Content-Type"]) == (403, "text/plain")
    assert forbidden.text.startswith("Forbidden\n\nRequest.HttpMethod: PATCH\n")
    wrong = requests.patch(url, auth=(SYSADMIN[0], "nope"), timeout=5)
    assert wrong.status_code == 401 and error_of(wrong.content)["message"] == "Invalid Username or Password"


def test_login_cookie_logout(live: LiveServer) -> None:
    with requests.Session() as session:
        login = session.post(f"{live.url}/auth/credentials", timeout=5,
                             json={"userName": SYSADMIN[0], "password": SYSADMIN[1], "rememberMe": True})
        assert login.status_code == 200 and CONTRACT.violations("AuthenticateResponse", login.json()) == []
        assert {c.name for c in session.cookies} == {CONTRACT.session_cookie, "ss-pid", "ss-opt"}
        assert all(c.has_nonstandard_attr("HttpOnly") and c.path == "/" for c in session.cookies)
        assert session.patch(f"{live.url}{PATH.format(SID)}", timeout=5).status_code == 200
        assert session.get(f"{live.url}/auth", timeout=5).json()["userName"] == SYSADMIN[0]
        assert session.post(f"{live.url}/auth/logout", timeout=5).json() == {}
        assert session.patch(f"{live.url}{PATH.format(SID)}", timeout=5).status_code == 401


@pytest.mark.parametrize(("body", "content_type"), [
    (b"[1,2]", "application/json"), (b"purpose=x", "application/json"), (b'{"purpose": "x"', "application/json"),
    (b'{purpose:"x', "application/jsv"), (b"x:y", "text/jsv"),
])
def test_unreadable_bodies_are_400_before_auth(live: LiveServer, body: bytes, content_type: str) -> None:
    response = requests.patch(f"{live.url}{PATH.format(SID)}", data=body, headers={"Content-Type": content_type}, timeout=5)
    assert response.status_code == 400 and error_of(response.content)["errorCode"] == "SerializationException"


def test_huge_bodies_are_413(live: LiveServer) -> None:
    big = b'{"purpose":"' + b"x" * 70_000 + b'"}'
    response = requests.patch(f"{live.url}{PATH.format(SID)}", data=big, headers={"Content-Type": "application/json"}, timeout=5)
    assert response.status_code == 413 and error_of(response.content)["errorCode"] == "RequestEntityTooLarge"
    chunked = requests.patch(f"{live.url}{PATH.format(SID)}", data=iter([b"x" * 10_000] * 10),
                             headers={"Content-Type": "application/json"}, auth=SYSADMIN, timeout=5)
    assert chunked.status_code == 413
    declared = raw(live, f"PATCH {PATH.format(SID)} HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n{{".encode())
    assert declared.startswith(b"HTTP/1.1 413 ")


@pytest.mark.parametrize("authorization", [
    b"Basic !!!", b"Basic " + base64.b64encode(b"\xff\xfe:\xfd"), b"Basic \xff\xfe", b"Basic", b"Digest x", b"Basic " + b"A" * 5000,
])
def test_garbage_authorization_is_401(live: LiveServer, authorization: bytes) -> None:
    answer = raw(live, b"PATCH " + PATH.format(SID).encode() + b" HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                 b"Authorization: " + authorization + b"\r\nContent-Length: 0\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 401 ")


def test_other_paths_and_methods(live: LiveServer) -> None:
    assert requests.get(f"{live.url}/nope", timeout=5).status_code == 404
    response = requests.put(f"{live.url}{PATH.format(SID)}", auth=SYSADMIN, timeout=5)
    assert response.status_code == 405 and error_of(response.content)["errorCode"] == "NotImplementedException"
    openapi = requests.get(f"{live.url}/openapi.json", timeout=5)
    # The contract, made live: this server and its session ids (tests/mockserver/test_app_rules.py).
    served = openapi.json()
    assert served["paths"].keys() == CONTRACT.openapi["paths"].keys() and openapi.headers["Vary"] == "Accept"
    assert served["servers"] == [{"url": live.url, "description": "This server"}]


def test_concurrent_patches_keep_timestamps_strictly_increasing(fresh: LiveServer) -> None:
    stamps: list[str] = []
    errors: list[object] = []

    def work() -> None:
        with requests.Session() as session:
            for _ in range(15):
                response = session.patch(f"{fresh.url}{PATH.format(SID)}", auth=SYSADMIN, timeout=10)
                if response.status_code != 200:
                    errors.append(response.status_code)
                else:
                    stamps.append(response.json()[MODIFIED])

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(set(stamps)) == len(stamps) == 120
    final = requests.get(f"{fresh.url}/__mock/sessions", timeout=5).json()[0][MODIFIED]
    assert final == max(stamps)


def test_a_taken_port_fails_with_exit_1(live: LiveServer) -> None:
    import subprocess

    result = subprocess.run([*EVOKIT, "mock", "--port", str(live.port)], capture_output=True, text=True, timeout=30, check=False)
    assert result.returncode == 1 and "Address already in use" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("command", [[*EVOKIT, "mock"], [sys.executable, "-m", "evokit.mockserver"]], ids=["evokit mock", "python -m evokit.mockserver"])
def test_start_up_is_quick_and_sigterm_stops_cleanly(command: list[str]) -> None:
    server = start(command=command)
    try:
        assert server.startup_seconds < 5  # generous for CI; the benchmark holds the real target
        assert requests.patch(f"{server.url}{PATH.format(SID)}", auth=SYSADMIN, timeout=5).status_code == 200
    finally:
        assert stop(server.process) == 0


def test_the_family_over_the_wire_with_an_encoded_slash_and_an_empty_apply(fresh: LiveServer) -> None:
    created = requests.post(f"{fresh.url}/ai/sessions", json={"accountId": SESSIONS[0]["accountId"]}, auth=SYSADMIN, timeout=5)
    assert created.status_code == 200
    session_id = created.json()["id"]
    # As a real client sends it: no body, Content-Length 0, no Content-Type.
    applied = requests.post(f"{fresh.url}/ai/sessions/{session_id}/apply", data=b"", auth=SYSADMIN, timeout=5)
    assert applied.status_code == 200 and applied.json()["id"] == session_id
    slashed = requests.get(f"{fresh.url}/ai/sessions/a%2Fb", auth=SYSADMIN, timeout=5)
    assert slashed.status_code == 404 and "'a/b'" in slashed.json()["responseStatus"]["message"]
    gone = requests.delete(f"{fresh.url}/ai/sessions/{session_id}", auth=SYSADMIN, timeout=5)
    assert (gone.status_code, gone.content) == (204, b"")
    assert requests.get(f"{fresh.url}/ai/sessions/{session_id}", auth=SYSADMIN, timeout=5).status_code == 404
