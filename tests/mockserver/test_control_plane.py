"""The control plane's seeding, journal, reset, `--no-control` and `--control-token`."""

from __future__ import annotations

import json
import re
import threading
from datetime import UTC, datetime

import pytest
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evokit.contract.formats import jsv
from evokit.mockserver.control.journal import Journal, JournalEntry
from evokit.mockserver.core.operation import CREATED, ID, MODIFIED, MODIFIED_BY
from tests.mockserver.frontend import SID, TOKEN, USER_PATH, make, session_cookie
from tests.mockserver.support import (
    CONTRACT,
    OP,
    PURPOSE,
    SESSIONS,
    SYSADMIN,
    USERS,
    basic,
    error_of,
)

CONTROL_CALLS = [("GET", "/__mock/users"), ("GET", "/__mock/sessions"), ("POST", "/__mock/sessions"),
                 ("GET", f"/__mock/sessions/{SID}"), ("DELETE", f"/__mock/sessions/{SID}"), ("POST", "/__mock/reset"),
                 ("GET", "/__mock/requests"), ("DELETE", "/__mock/requests"), ("POST", "/__mock/faults"),
                 ("GET", "/__mock/faults"), ("DELETE", "/__mock/faults"), ("DELETE", "/__mock/faults/f1")]
OBJECT_ID = re.compile(r"[0-9a-f]{24}")


def listed(client: FlaskClient) -> list[dict[str, str]]:
    return json.loads(client.get("/__mock/sessions").data)  # type: ignore[no-any-return]


# --- seeding ---------------------------------------------------------------------------------------


def test_seed_fills_id_and_dates_and_the_operation_serves_it() -> None:
    mock = make()
    response = mock.client.post("/__mock/sessions", json={"accountId": "acc-9", PURPOSE: "seeded", "lastModifiedBy": None})
    assert response.status_code == 201
    seeded = json.loads(response.data)
    assert CONTRACT.violations(OP.response, seeded) == []
    assert OBJECT_ID.fullmatch(seeded[ID]) and seeded[CREATED] == seeded[MODIFIED] == "2025-01-02T03:04:05.0000000Z"
    assert list(seeded) == [name for name in CONTRACT.properties(OP.response) if name in seeded]
    assert set(seeded) == {"accountId", PURPOSE, ID, CREATED, MODIFIED}  # nothing else is made up
    assert response.headers["Location"] == f"/__mock/sessions/{seeded[ID]}"
    assert json.loads(mock.client.get(response.headers["Location"]).data) == seeded
    assert listed(mock.client)[-1] == seeded
    patched = mock.client.patch(USER_PATH.format(seeded[ID]), json={PURPOSE: "changed"}, headers=SYSADMIN)
    assert patched.status_code == 200 and json.loads(patched.data)[PURPOSE] == "changed"
    assert json.loads(patched.data)[MODIFIED] > seeded[MODIFIED]


def test_seed_keeps_what_it_is_given() -> None:
    given = {**SESSIONS[0], ID: "my-own-id"}
    response = make().client.post("/__mock/sessions", json=given)
    assert response.status_code == 201 and json.loads(response.data) == given


def test_seed_of_an_existing_id_is_409() -> None:
    client = make().client
    response = client.post("/__mock/sessions", json={ID: SID, PURPOSE: "other"})
    assert response.status_code == 409 and error_of(response.data)["errorCode"] == "Conflict"
    assert listed(client) == SESSIONS


@pytest.mark.parametrize(("document", "problems"), [
    ({"id": 5, "foo": 1, CREATED: "yesterday"},
     [("UnknownMember", "foo"), ("InvalidType", "id"), ("InvalidValue", CREATED)]),
    ({ID: ""}, [("NotEmpty", "id")]),
    ({CREATED: "2024-05-02T00:00:00Z", MODIFIED: "2024-05-01T00:00:00Z"}, [("InvalidValue", MODIFIED)]),
    ({MODIFIED: "2024-13-01T00:00:00Z"}, [("InvalidValue", MODIFIED)]),
    ({PURPOSE: ["a"]}, [("InvalidType", PURPOSE)]),
    ([], [("InvalidType", "")]),
    ({"actions": [{"id": "a", "functionName": "f"}, {"id": "a", "bogus": 1, "date": "soon"}, {"id": ""}]},
     [("UnknownMember", "actions[1]"), ("InvalidValue", "actions[1].date"), ("InvalidValue", "actions[2].id"),
      ("InvalidValue", "actions[1].id")]),
], ids=["every-problem-at-once", "empty-id", "modified-before-created", "bad-date", "list-purpose", "not-an-object",
        "actions-as-the-fixture-files-hold-them"])
def test_seed_rejects_with_every_reason(document: object, problems: list[tuple[str, str]]) -> None:
    client = make().client
    response = client.post("/__mock/sessions", json=document)
    assert response.status_code == 400
    status = error_of(response.data)
    errors: list[dict[str, str]] = status["errors"]  # type: ignore[assignment]
    assert [(error["errorCode"], error["fieldName"]) for error in errors] == problems
    assert status["errorCode"] == problems[0][0]
    assert listed(client) == SESSIONS


def test_seed_rejects_unreadable_and_oversized_bodies() -> None:
    client = make(max_body_bytes=100).client
    bad = client.post("/__mock/sessions", data=b"{nope", content_type="application/json")
    assert bad.status_code == 400 and error_of(bad.data)["errorCode"] == "SerializationException"
    big = client.post("/__mock/sessions", json={PURPOSE: "x" * 200})
    assert big.status_code == 413 and error_of(big.data)["errorCode"] == "RequestEntityTooLarge"


def test_errors_follow_the_negotiated_format() -> None:
    response = make().client.post("/__mock/sessions?format=jsv", json={ID: SID})
    assert response.headers["Content-Type"] == "application/jsv"
    assert jsv.loads(response.data.decode())["responseStatus"]["errorCode"] == "Conflict"  # type: ignore[index]


def test_concurrent_seeds_of_one_id_store_it_once() -> None:
    app = make().app
    statuses: list[int] = []
    barrier = threading.Barrier(8)

    def seed(n: int) -> None:
        client = app.test_client()
        barrier.wait()
        statuses.append(client.post("/__mock/sessions", json={ID: "race", PURPOSE: f"writer {n}"}).status_code)

    threads = [threading.Thread(target=seed, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [201] + [409] * 7


def test_get_and_delete_one_session() -> None:
    client = make().client
    assert json.loads(client.get(f"/__mock/sessions/{SID}").data) == SESSIONS[0]
    deleted = client.delete(f"/__mock/sessions/{SID}")
    assert (deleted.status_code, deleted.data) == (204, b"") and "Content-Type" not in deleted.headers
    assert listed(client) == SESSIONS[1:]
    assert client.patch(USER_PATH.format(SID), json={}, headers=SYSADMIN).status_code == 404
    for response in (client.delete(f"/__mock/sessions/{SID}"), client.get(f"/__mock/sessions/{SID}")):
        assert response.status_code == 404 and error_of(response.data)["errorCode"] == "NotFound"


# --- the journal -----------------------------------------------------------------------------------


def entries(client: FlaskClient) -> list[dict[str, object]]:
    return json.loads(client.get("/__mock/requests").data)  # type: ignore[no-any-return]


def test_journal_records_requests_with_user_status_and_timing() -> None:
    client = make().client
    sid = json.loads(client.post("/auth/credentials", json={"userName": "admin", "password": "admin"}).data)["sessionId"]
    client.patch(USER_PATH.format(SID) + "?format=jsv&x=%C3%A9", json={}, headers=SYSADMIN)
    client.patch(USER_PATH.format(SID), json={}, headers=session_cookie(sid))
    client.patch(USER_PATH.format(SID), json={}, headers=basic("sysadmin", "wrong"))
    client.options(USER_PATH.format(SID))
    client.get("/nope/ü")
    recorded = entries(client)
    summary = [(e["method"], e["path"], e.get("user"), e["status"]) for e in recorded]
    assert summary == [
        ("POST", "/auth/credentials", None, 200),
        ("PATCH", USER_PATH.format(SID), "sysadmin", 200),
        ("PATCH", USER_PATH.format(SID), "admin", 200),
        ("PATCH", USER_PATH.format(SID), None, 401),
        ("OPTIONS", USER_PATH.format(SID), None, 200),
        ("GET", "/nope/ü", None, 404),
    ]
    assert recorded[1]["query"] == "format=jsv&x=%C3%A9" and recorded[0]["query"] == ""
    for entry in recorded:
        assert set(entry) <= {"method", "path", "query", "status", "user", "time", "durationMs"}
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", str(entry["time"]))
        assert isinstance(entry["durationMs"], float) and 0 <= entry["durationMs"] < 5000


def test_journal_leaves_control_calls_out_and_clears() -> None:
    client = make().client
    client.get("/__mock/sessions")
    client.get("/openapi.json")
    assert [e["path"] for e in entries(client)] == ["/openapi.json"]
    cleared = client.delete("/__mock/requests")
    assert cleared.status_code == 204 and entries(client) == []


def test_journal_keeps_only_the_newest_entries() -> None:
    client = make(journal_size=3).client
    for n in range(5):
        client.get(f"/nope/{n}")
    assert [e["path"] for e in entries(client)] == ["/nope/2", "/nope/3", "/nope/4"]


def test_journal_size_zero_records_nothing() -> None:
    client = make(journal_size=0).client
    client.get("/nope")
    assert entries(client) == []


def test_journal_unit_bound_and_snapshot() -> None:
    moment = datetime(2025, 1, 2, 3, 4, 5, 678_900, tzinfo=UTC).timestamp()
    journal = Journal(2)
    for n in range(3):
        journal.record(JournalEntry("GET", f"/{n}", "", 200, None, moment, 1.23456))
    snapshot = journal.entries()
    assert [entry.path for entry in snapshot] == ["/1", "/2"] and len(journal) == 2
    assert snapshot[0].to_wire()["time"] == "2025-01-02T03:04:05.678Z" and snapshot[0].to_wire()["durationMs"] == 1.235
    assert journal.clear() == 2 and journal.entries() == [] and snapshot != []
    with pytest.raises(ValueError):
        Journal(-1)


def test_journal_under_concurrent_writers_keeps_exactly_its_bound() -> None:
    journal = Journal(100)
    moment = datetime(2025, 1, 1, tzinfo=UTC).timestamp()

    def write(n: int) -> None:
        for i in range(200):
            journal.record(JournalEntry("GET", f"/{n}/{i}", "", 200, None, moment, 0.0))

    threads = [threading.Thread(target=write, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(journal.entries()) == 100


# --- reset, --no-control, --control-token ----------------------------------------------------------


def test_reset_also_removes_faults_and_empties_the_journal() -> None:
    client = make().client
    client.post("/__mock/faults", json={"route": "/**", "status": 500})
    client.get("/nope")
    client.post("/__mock/sessions", json={})
    reset = client.post("/__mock/reset")
    assert json.loads(reset.data) == {"sessions": len(SESSIONS), "users": len(USERS)}
    assert json.loads(client.get("/__mock/faults").data) == [] and entries(client) == []
    assert listed(client) == SESSIONS


@pytest.mark.parametrize(("method", "path"), CONTROL_CALLS)
def test_no_control_makes_every_control_path_unknown(method: str, path: str) -> None:
    response = make(control=False).client.open(path, method=method, json={})
    assert response.status_code == 404 and error_of(response.data)["message"] == "Handler for Request not found"


def test_no_control_still_serves_the_operation() -> None:
    client = make(control=False).client
    assert client.patch(USER_PATH.format(SID), json={}, headers=SYSADMIN).status_code == 200


@pytest.mark.parametrize(("method", "path"), CONTROL_CALLS)
def test_control_token_is_required_on_every_control_call(method: str, path: str) -> None:
    client = make(control_token=TOKEN).client
    for headers in ({}, {"X-Mock-Token": "wrong"}, {"Authorization": f"Bearer {TOKEN}"}, {"X-Mock-Token": TOKEN + "x"}):
        response = client.open(path, method=method, json={}, headers=headers)
        assert response.status_code == 401
        assert error_of(response.data)["errorCode"] == "Unauthorized"
        assert response.headers["WWW-Authenticate"] == 'X-Mock-Token realm="/__mock"'
        assert response.headers["Access-Control-Allow-Origin"] == "*"
    allowed = client.open(path, method=method, json={"route": "/x", "status": 500}, headers={"X-Mock-Token": TOKEN})
    assert allowed.status_code != 401


def test_control_token_leaves_the_operation_alone() -> None:
    client = make(control_token=TOKEN).client
    assert client.patch(USER_PATH.format(SID), json={}, headers=SYSADMIN).status_code == 200
    assert client.get("/openapi.json").status_code == 200
    journal = client.get("/__mock/requests", headers={"X-Mock-Token": TOKEN})
    assert [e["status"] for e in json.loads(journal.data)] == [200, 200]
    assert json.loads(client.patch(USER_PATH.format(SID), json={}, headers=SYSADMIN).data)[MODIFIED_BY] == USERS[0]["userId"]


# --- no body makes the control plane fail --------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=12),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=8,
)
FAULT_LIKE = st.fixed_dictionaries({}, optional={
    "route": st.sampled_from(["/ai/**", "", "x", "/[a-", "/**/*?"]) | JSON_VALUES,
    "method": st.sampled_from(["patch", "OPTIONS", "TRACE"]) | JSON_VALUES,
    "latencyMs": st.sampled_from([0, 5, [1, 2], [2, 1], [-1, 3], 10**9]) | JSON_VALUES,
    "status": st.integers(300, 700) | JSON_VALUES, "times": st.integers(-2, 3) | JSON_VALUES,
    "rate": st.floats(-1, 2) | JSON_VALUES, "seed": st.integers(-(2**70), 2**70) | JSON_VALUES,
})
SESSION_LIKE = st.fixed_dictionaries({}, optional={
    name: st.sampled_from(["", "2024-05-01T10:00:00Z", "2024-02-30T00:00:00Z", SID]) | JSON_VALUES
    for name in CONTRACT.properties(OP.response)
})
SHARED = make()


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(path=st.sampled_from(["/__mock/faults", "/__mock/sessions"]), body=JSON_VALUES | FAULT_LIKE | SESSION_LIKE)
def test_no_body_causes_a_server_error(path: str, body: object) -> None:
    response = SHARED.client.post(path, json=body)
    assert response.status_code in (201, 400, 409), response.data
    assert error_of(response.data) if response.status_code != 201 else json.loads(response.data)
    SHARED.client.delete("/__mock/faults")
