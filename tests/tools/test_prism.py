"""Stoplight Prism's validation proxy in front of the mock, with the JSON-only profile: a request
of each kind the mock answers (the operation on its user route and the pre-defined ones, 200,
400, the anonymous and the wrong-credentials 401, 403, 404; the logins, who-am-I, logout) and
not one violation of an answer. Prism names what it finds in the `sl-violations` header; a mock
answer the document does not allow (a fault's 503) is seen to be reported."""

from __future__ import annotations

import json
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.clients.support import CUSTOMER, SID, SYSADMIN
from tests.mockserver.server import HOST, LiveServer, free_port, fresh, live, stop
from tests.tools.support import HERE, PROFILES, node_tools

__all__ = ["fresh", "live", "node_tools"]
pytestmark = [pytest.mark.socket, pytest.mark.slow]

ADMIN = (SYSADMIN["userName"], SYSADMIN["password"])
LOGIN = {"userName": SYSADMIN["userName"], "password": SYSADMIN["password"]}
# (method, path, request keywords, the status the mock answers); every request conforms.
CASES: list[tuple[str, str, dict[str, Any], int]] = [
    ("PATCH", f"/ai/sessions/{SID}", {"auth": ADMIN, "json": {"purpose": "Triage"}}, 200),
    ("PATCH", f"/ai/sessions/{SID}", {"auth": ("sysadmin", "wrong"), "json": {}}, 401),
    ("PATCH", f"/ai/sessions/{SID}", {"auth": (CUSTOMER["userName"], CUSTOMER["password"]), "json": {}}, 403),
    ("PATCH", "/ai/sessions/000000000000000000000000", {"auth": ADMIN, "json": {}}, 404),
    ("PATCH", "/api/PatchAISession", {"auth": ADMIN, "json": {"sessionId": SID, "purpose": "Api"}}, 200),
    ("PATCH", "/json/reply/PatchAISession", {"auth": ADMIN, "json": {"sessionId": SID}}, 200),
    ("POST", "/auth/credentials", {"json": LOGIN}, 200),
    ("POST", "/auth/credentials", {"json": {**LOGIN, "password": "wrong"}}, 401),
    ("POST", "/auth", {"json": {**LOGIN, "provider": "credentials"}}, 200),
    ("GET", "/auth", {"auth": ADMIN}, 200),
    ("GET", "/auth", {}, 401),
    ("POST", "/api/Authenticate", {"json": {**LOGIN, "provider": "credentials"}}, 200),
    ("POST", "/json/reply/Authenticate", {"json": {**LOGIN, "provider": "credentials"}}, 200),
    ("POST", "/auth/logout", {}, 200),
    ("GET", "/auth/logout", {}, 200),
]
# Requests Prism itself finds fault with, on purpose: its verdict on the request is not the point,
# only that the answer the mock gives them is one the document allows.
NONCONFORMING: list[tuple[str, str, dict[str, Any], int]] = [
    ("PATCH", f"/ai/sessions/{SID}", {"json": {}}, 401),  # anonymous: no credentials
    ("PATCH", f"/ai/sessions/{SID}", {"auth": ADMIN, "data": "[1]",
                                      "headers": {"Content-Type": "application/json"}}, 400),
]


@pytest.fixture(scope="module")
def prism(live: LiveServer, node_tools: Path) -> Iterator[str]:
    """Prism's validation proxy on a free port, in front of the module's mock, with the JSON-only profile."""
    port = free_port()
    with tempfile.TemporaryFile("w+") as log:
        process = subprocess.Popen(
            [str(node_tools / "prism"), "proxy", str(PROFILES["json-only"]), live.url,
             "--host", HOST, "--port", str(port)],
            cwd=HERE, stdout=log, stderr=subprocess.STDOUT, text=True,
        )
        url = f"http://{HOST}:{port}"
        deadline = time.monotonic() + 60
        try:
            while True:
                assert process.poll() is None, "prism exited"
                try:
                    requests.get(f"{url}/auth", timeout=2)
                    break
                except requests.ConnectionError:
                    assert time.monotonic() < deadline, "prism did not answer within 60 s"
                    time.sleep(0.2)
            yield url
        finally:
            stop(process)  # type: ignore[arg-type]


def violations(response: requests.Response) -> list[dict[str, Any]]:
    header = response.headers.get("sl-violations")
    return json.loads(header) if header else []


def of_the_answer(found: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [v for v in found if v["location"][:1] == ["response"]]


def test_every_answer_of_the_mock_conforms_to_the_json_only_profile(fresh: LiveServer, prism: str) -> None:
    seen = []
    for method, path, keywords, status in CASES + NONCONFORMING:
        response = requests.request(method, prism + path, timeout=10, **keywords)
        seen.append((method, path, response.status_code, violations(response)))
    assert [(m, p, s) for m, p, s, _ in seen] == [(m, p, s) for m, p, _, s in CASES + NONCONFORMING]
    assert [(m, p, v) for m, p, _, v in seen[:len(CASES)] if v] == []
    assert [(m, p, of_the_answer(v)) for m, p, _, v in seen if of_the_answer(v)] == []
    assert all(violations for *_, violations in seen[len(CASES):])  # Prism does read the requests


def test_an_answer_the_document_does_not_allow_is_reported(fresh: LiveServer, prism: str) -> None:
    fault = {"route": "/ai/sessions/*", "method": "PATCH", "status": 503, "times": 1}
    requests.post(f"{fresh.url}/__mock/faults", json=fault, timeout=5).raise_for_status()
    response = requests.patch(f"{prism}/ai/sessions/{SID}", auth=ADMIN, json={}, timeout=10)
    assert response.status_code == 503
    assert of_the_answer(violations(response))
