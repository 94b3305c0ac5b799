"""The frontend options of `evokit mock` over a real socket, and their parsing by the CLI."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from evokit.contract.cli import main
from tests.mockserver.frontend import ORIGIN, SID, TOKEN, USER_PATH
from tests.mockserver.server import LiveServer, fresh, live, start, stop
from tests.mockserver.support import error_of

SYSADMIN = ("sysadmin", "sysadmin")
TOKEN_HEADER = {"X-Mock-Token": TOKEN}
__all__ = ["fresh", "live"]  # fixtures used below


@pytest.fixture(scope="module")
def guarded() -> Iterator[LiveServer]:
    server = start(["--cors-origin", ORIGIN, "--cors-origin", "http://127.0.0.1:9",
                     "--control-token", TOKEN, "--journal-size", "3", "--latency", "20-40"])
    try:
        yield server
    finally:
        stop(server.process)


@pytest.fixture(scope="module")
def bare() -> Iterator[LiveServer]:
    server = start(["--no-cors", "--no-control"])
    try:
        yield server
    finally:
        stop(server.process)


@pytest.mark.socket
def test_allow_listed_origin_over_the_wire(guarded: LiveServer) -> None:
    url = f"{guarded.url}{USER_PATH.format(SID)}"
    preflight = requests.options(url, timeout=5, headers={
        "Origin": ORIGIN, "Access-Control-Request-Method": "PATCH", "Access-Control-Request-Headers": "authorization"})
    assert (preflight.status_code, preflight.content) == (200, b"")
    assert preflight.headers["Access-Control-Allow-Origin"] == ORIGIN
    assert preflight.headers["Access-Control-Allow-Credentials"] == "true"
    assert preflight.headers["Access-Control-Allow-Headers"] == "Content-Type, authorization"
    assert preflight.headers["Vary"] == "Accept, Origin"
    foreign = requests.patch(url, json={}, auth=SYSADMIN, headers={"Origin": "http://evil.example"}, timeout=5)
    assert foreign.status_code == 200 and "Access-Control-Allow-Origin" not in foreign.headers


@pytest.mark.socket
def test_control_token_and_journal_bound_over_the_wire(guarded: LiveServer) -> None:
    denied = requests.get(f"{guarded.url}/__mock/requests", timeout=5)
    assert denied.status_code == 401 and error_of(denied.content)["errorCode"] == "Unauthorized"
    requests.post(f"{guarded.url}/__mock/reset", headers=TOKEN_HEADER, timeout=5).raise_for_status()
    for n in range(5):
        requests.get(f"{guarded.url}/nope/{n}", timeout=5)
    journal = requests.get(f"{guarded.url}/__mock/requests", headers=TOKEN_HEADER, timeout=5).json()
    assert [entry["path"] for entry in journal] == ["/nope/2", "/nope/3", "/nope/4"]
    assert all(entry["durationMs"] >= 20 for entry in journal)  # --latency 20-40


@pytest.mark.socket
def test_latency_holds_each_request(guarded: LiveServer) -> None:
    started = time.perf_counter()
    response = requests.patch(f"{guarded.url}{USER_PATH.format(SID)}", json={}, auth=SYSADMIN, timeout=5)
    assert response.status_code == 200 and time.perf_counter() - started >= 0.020


@pytest.mark.socket
def test_no_cors_and_no_control_over_the_wire(bare: LiveServer) -> None:
    patched = requests.patch(f"{bare.url}{USER_PATH.format(SID)}", json={}, auth=SYSADMIN, headers={"Origin": ORIGIN}, timeout=5)
    assert patched.status_code == 200 and patched.headers["Vary"] == "Accept"
    assert not [name for name in patched.headers if name.lower().startswith("access-control-")]
    for path in ("/__mock/users", "/__mock/sessions", "/__mock/requests", "/__mock/faults"):
        response = requests.get(f"{bare.url}{path}", timeout=5)
        assert response.status_code == 404 and error_of(response.content)["errorCode"] == "NotFound"


@pytest.mark.socket
def test_seeded_rate_fault_repeats_after_reset(fresh: LiveServer) -> None:
    def run() -> list[int]:
        fault: dict[str, Any] = {"route": "/ai/sessions/*", "status": 503, "rate": 0.5, "seed": 11}
        assert requests.post(f"{fresh.url}/__mock/faults", json=fault, timeout=5).status_code == 201
        statuses = [requests.patch(f"{fresh.url}{USER_PATH.format(SID)}", json={}, auth=SYSADMIN, timeout=5).status_code
                    for _ in range(12)]
        requests.post(f"{fresh.url}/__mock/reset", timeout=5).raise_for_status()
        return statuses

    first = run()
    assert first == run() and set(first) == {200, 503}


@pytest.mark.parametrize(("argv", "message"), [
    (["--latency", "fast"], "latency must be MS or MIN-MAX"),
    (["--latency", "50-10"], "0 <= min <= max"),
    (["--cors-origin", "http://a.example/path"], "a CORS origin is scheme://host[:port]"),
    (["--no-cors", "--cors-origin", ORIGIN], "CORS origins were given but CORS is off"),
    (["--no-control", "--control-token", "t"], "a control token was given but the control plane is off"),
    (["--control-token", "with space"], "visible ASCII"),
    (["--journal-size", "-1"], "journal_size must be an integer from 0"),
])
def test_cli_rejects_bad_frontend_options(argv: list[str], message: str) -> None:
    out, err = io.StringIO(), io.StringIO()
    assert main(["mock", "--port", "1", *argv], out=out, err=err) == 2
    assert err.getvalue().startswith("evokit mock: ") and message in err.getvalue() and out.getvalue() == ""
