"""Fault injection and `--latency`: validation, globs, `times`, `rate` with a seed, latency fixed and
drawn from a range, injected statuses in the contract's error shape and the negotiated format."""

from __future__ import annotations

import json
import threading
import time

import pytest
from flask.testing import FlaskClient

from evokit.contract.formats import DEFAULT_REGISTRY, Format
from evokit.mockserver.core.errors import ValidationFailure
from evokit.mockserver.control.faults import FaultBook, FaultSpec, glob_regex, parse_fault
from tests.mockserver.frontend import SID, USER_PATH, make
from tests.mockserver.support import CONTRACT, SYSADMIN, error_of

PATH = USER_PATH.format(SID)


def add(client: FlaskClient, **fault: object) -> dict[str, object]:
    response = client.post("/__mock/faults", json=fault)
    assert response.status_code == 201, response.data
    return json.loads(response.data)  # type: ignore[no-any-return]


def patch(client: FlaskClient, path: str = PATH, **headers: str) -> int:
    return client.patch(path, json={}, headers={**SYSADMIN, **headers}).status_code


def timed(call):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = call()
    return result, (time.perf_counter() - started) * 1000


# --- parsing and matching --------------------------------------------------------------------------


@pytest.mark.parametrize(("document", "problems"), [
    ({}, [("NotEmpty", "route"), ("NotEmpty", "latencyMs")]),
    ({"route": "/x"}, [("NotEmpty", "latencyMs")]),
    ({"route": "x", "status": 503}, [("InvalidValue", "route")]),
    ({"route": "/x", "status": 302}, [("OutOfRange", "status")]),
    ({"route": "/x", "status": 499}, [("InvalidValue", "status")]),
    ({"route": "/x", "status": "503"}, [("InvalidType", "status")]),
    ({"route": "/x", "latencyMs": -1}, [("OutOfRange", "latencyMs")]),
    ({"route": "/x", "latencyMs": [50, 10]}, [("OutOfRange", "latencyMs")]),
    ({"route": "/x", "latencyMs": [1, 2, 3]}, [("InvalidType", "latencyMs")]),
    ({"route": "/x", "latencyMs": 1.5}, [("InvalidType", "latencyMs")]),
    ({"route": "/x", "status": 500, "method": "OPTIONS"}, [("InvalidValue", "method")]),
    ({"route": "/x", "status": 500, "method": "BREW"}, [("InvalidValue", "method")]),
    ({"route": "/x", "status": 500, "times": 0}, [("OutOfRange", "times")]),
    ({"route": "/x", "status": 500, "rate": 1.5}, [("OutOfRange", "rate")]),
    ({"route": "/x", "status": 500, "rate": True}, [("InvalidType", "rate")]),
    ({"route": "/x", "status": 500, "times": 1, "rate": 0.5}, [("InvalidValue", "rate")]),
    ({"route": "/x", "status": 500, "seed": "7"}, [("InvalidType", "seed")]),
    ({"route": "/x", "status": 500, "path": "/y"}, [("UnknownMember", "path")]),
    ([], [("InvalidType", "")]),
])
def test_invalid_faults_list_every_reason(document: object, problems: list[tuple[str, str]]) -> None:
    with pytest.raises(ValidationFailure) as caught:
        parse_fault(document)
    assert [(error.error_code, error.field_name) for error in caught.value.errors] == problems


def test_invalid_fault_over_http_is_400_in_the_error_shape() -> None:
    client = make().client
    response = client.post("/__mock/faults", json={"route": "/x", "status": 302, "times": 0})
    assert response.status_code == 400
    status = error_of(response.data)
    assert status["errorCode"] == "OutOfRange" and len(status["errors"]) == 2  # type: ignore[arg-type]
    unreadable = client.post("/__mock/faults", data=b"[", content_type="application/json")
    assert unreadable.status_code == 400 and error_of(unreadable.data)["errorCode"] == "SerializationException"
    assert json.loads(client.get("/__mock/faults").data) == []


def test_method_is_case_insensitive_and_a_latency_range_is_kept_as_sent() -> None:
    spec = parse_fault({"route": "/x", "method": "patch", "latencyMs": [5, 9], "seed": 3})
    assert spec == FaultSpec("/x", method="PATCH", latency_ms=(5, 9), latency_range=True, seed=3)


@pytest.mark.parametrize(("pattern", "path", "matches"), [
    ("/ai/sessions/*", "/ai/sessions/abc", True),
    ("/ai/sessions/*", "/ai/sessions/abc.xml", True),
    ("/ai/sessions/*", "/AI/Sessions/abc", True),
    ("/ai/sessions/*", "/ai/sessions/a/b", False),
    ("/ai/sessions/*", "/ai/sessions", False),
    ("/ai/**", "/ai/sessions/a/b", True),
    ("/**", "/anything/at/all", True),
    ("/api/PatchAISession", "/api/patchaisession", True),
    ("/ai/sessions/??", "/ai/sessions/ab", True),
    ("/ai/sessions/??", "/ai/sessions/abc", False),
    ("/a.b/(x)", "/a.b/(x)", True),
    ("/a.b", "/axb", False),
])
def test_route_globs(pattern: str, path: str, matches: bool) -> None:
    assert (glob_regex(pattern).fullmatch(path) is not None) is matches


# --- status faults ---------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", list(Format), ids=[fmt.value for fmt in Format])
def test_status_fault_answers_in_the_error_shape_and_negotiated_format(fmt: Format) -> None:
    client = make().client
    fault = add(client, route="/ai/sessions/*", status=503)
    response = client.patch(f"{PATH}.{fmt.value}", json={}, headers=SYSADMIN)
    codec = DEFAULT_REGISTRY.for_format(fmt)
    assert response.status_code == 503 and response.headers["Content-Type"] == codec.content_type
    document = codec.decode_error(response.data)
    assert CONTRACT.violations("ErrorResponse", document) == []
    status = document["responseStatus"]
    assert (status["errorCode"], status["message"], status["errors"]) == ("ServiceUnavailable", "ServiceUnavailable", [])
    assert response.headers["X-Mock-Fault"] == fault["id"] and response.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize(("status", "code"), [(400, "BadRequest"), (401, "Unauthorized"), (404, "NotFound"),
                                              (429, "TooManyRequests"), (500, "InternalServerError"), (502, "BadGateway"),
                                              (504, "GatewayTimeout")])
def test_error_code_comes_from_the_status(status: int, code: str) -> None:
    client = make().client
    add(client, route="/ai/**", status=status)
    response = client.patch(PATH, json={}, headers=SYSADMIN)
    assert response.status_code == status and error_of(response.data)["errorCode"] == code
    assert ("WWW-Authenticate" in response.headers) is (status == 401)


def test_times_fires_on_the_next_n_matching_requests_only() -> None:
    client = make().client
    fault = add(client, route="/ai/sessions/*", method="PATCH", status=500, times=2)
    assert fault["remaining"] == 2 and fault["hits"] == 0
    assert client.post(PATH, json={}, headers=SYSADMIN).status_code == 405  # another method: no match
    assert [patch(client) for _ in range(4)] == [500, 500, 200, 200]
    assert json.loads(client.get("/__mock/faults").data) == [{**fault, "remaining": 0, "hits": 2}]


def test_faults_never_touch_the_control_plane_or_options() -> None:
    client = make().client
    add(client, route="/**", status=500)
    assert client.get("/__mock/sessions").status_code == 200
    assert client.options(PATH).status_code == 200
    assert patch(client) == 500


def test_first_matching_fault_that_fires_applies() -> None:
    client = make().client
    first = add(client, route="/ai/sessions/*", status=502, times=1)
    add(client, route="/ai/**", status=504)
    responses = [client.patch(PATH, json={}, headers=SYSADMIN) for _ in range(2)]
    assert [r.status_code for r in responses] == [502, 504]
    assert responses[0].headers["X-Mock-Fault"] == first["id"]


def test_remove_one_fault_and_clear_them_all() -> None:
    client = make().client
    one = add(client, route="/ai/**", status=500)
    two = add(client, route="/api/**", status=500)
    assert [f["id"] for f in json.loads(client.get("/__mock/faults").data)] == [one["id"], two["id"]]
    assert client.delete(f"/__mock/faults/{one['id']}").status_code == 204
    missing = client.delete(f"/__mock/faults/{one['id']}")
    assert missing.status_code == 404 and error_of(missing.data)["errorCode"] == "NotFound"
    assert patch(client) == 200 and patch(client, "/api/PatchAISession") == 500
    assert client.delete("/__mock/faults").status_code == 204
    assert json.loads(client.get("/__mock/faults").data) == [] and patch(client, "/api/PatchAISession") == 404


# --- rate with a seed ------------------------------------------------------------------------------


def outcomes(seed: int, rate: float, count: int = 40) -> list[int]:
    client = make().client
    add(client, route="/ai/sessions/*", status=503, rate=rate, seed=seed)
    return [patch(client) for _ in range(count)]


def test_rate_with_a_seed_is_repeatable() -> None:
    first, again, other = outcomes(7, 0.5), outcomes(7, 0.5), outcomes(8, 0.5)
    assert first == again and first != other
    assert 5 < first.count(503) < 35 and set(first) == {200, 503}


@pytest.mark.parametrize(("rate", "expected"), [(0, {200}), (1, {503})])
def test_rate_bounds(rate: float, expected: set[int]) -> None:
    assert set(outcomes(1, rate, 10)) == expected


def test_rate_counts_hits() -> None:
    client = make().client
    add(client, route="/ai/sessions/*", status=503, rate=0.5, seed=7)
    statuses = [patch(client) for _ in range(20)]
    assert json.loads(client.get("/__mock/faults").data)[0]["hits"] == statuses.count(503)


def test_fault_book_decisions_follow_the_seed() -> None:
    def draws() -> list[object]:
        book = FaultBook()
        book.add(FaultSpec("/x", latency_ms=(10, 90), latency_range=True, rate=0.7, seed=42))
        return [book.decide("GET", "/x") for _ in range(30)]

    first = draws()
    assert first == draws()
    latencies = [d.latency_ms for d in first if d is not None]  # type: ignore[attr-defined]
    assert all(10 <= value <= 90 for value in latencies) and len(set(latencies)) > 3
    assert None in first


# --- latency ---------------------------------------------------------------------------------------


def test_fixed_latency_fault_delays_matching_requests_and_marks_them() -> None:
    client = make().client
    fault = add(client, route="/ai/sessions/*", latencyMs=60, times=1)
    response, elapsed = timed(lambda: client.patch(PATH, json={}, headers=SYSADMIN))
    assert response.status_code == 200 and response.headers["X-Mock-Fault"] == fault["id"] and elapsed >= 60
    response, elapsed = timed(lambda: client.patch(PATH, json={}, headers=SYSADMIN))
    assert "X-Mock-Fault" not in response.headers and elapsed < 60
    journal = json.loads(client.get("/__mock/requests").data)
    assert journal[0]["durationMs"] >= 60 > journal[1]["durationMs"]


def test_latency_range_fault_stays_within_its_bounds() -> None:
    client = make().client
    add(client, route="/ai/sessions/*", latencyMs=[20, 50], seed=3, times=4)
    for _ in range(4):
        status, elapsed = timed(lambda: patch(client))
        assert status == 200 and 20 <= elapsed < 50 + 200  # the upper slack is scheduling, not the mock


def test_latency_and_status_together() -> None:
    client = make().client
    add(client, route="/ai/sessions/*", latencyMs=40, status=504, times=1)
    status, elapsed = timed(lambda: patch(client))
    assert status == 504 and elapsed >= 40


def test_configured_latency_delays_all_but_options_and_control_calls() -> None:
    client = make(latency_ms=(120, 120)).client
    for call in (lambda: patch(client), lambda: client.get("/nope").status_code):
        _, elapsed = timed(call)
        assert elapsed >= 120
    for call in (lambda: client.options(PATH).status_code, lambda: client.get("/__mock/users").status_code):
        status, elapsed = timed(call)
        assert status == 200 and elapsed < 120


def test_configured_latency_range_and_a_fault_add_up() -> None:
    client = make(latency_ms=(10, 30)).client
    add(client, route="/ai/sessions/*", latencyMs=40, times=1)
    _, elapsed = timed(lambda: patch(client))
    assert elapsed >= 50
    _, elapsed = timed(lambda: patch(client))
    assert elapsed >= 10


def test_configured_latency_works_without_the_control_plane() -> None:
    client = make(latency_ms=(30, 30), control=False).client
    _, elapsed = timed(lambda: patch(client))
    assert elapsed >= 30


def test_times_holds_under_concurrent_requests() -> None:
    mock = make()
    add(mock.client, route="/ai/sessions/*", status=503, times=50)
    statuses: list[int] = []
    lock = threading.Lock()

    def work() -> None:
        client = mock.app.test_client()
        mine = [patch(client) for _ in range(20)]
        with lock:
            statuses.extend(mine)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses.count(503) == 50 and statuses.count(200) == 110
    assert json.loads(mock.client.get("/__mock/faults").data)[0]["hits"] == 50
