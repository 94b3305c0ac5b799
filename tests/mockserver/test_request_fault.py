"""`X-Mock-Fault` on one request: a status, a latency or both, journaled, refused with a 400 when
unreadable, ignored with `--no-control`, allowed by the CORS preflight."""

from __future__ import annotations

import json

import pytest

from evokit.mockserver.control.request_fault import parse_request_fault
from evokit.mockserver.core.errors import ValidationFailure
from tests.mockserver.frontend import ORIGIN, SID, USER_PATH, make
from tests.mockserver.support import SYSADMIN, error_of

PATH = USER_PATH.format(SID)


@pytest.mark.parametrize(("value", "expected"), [
    ("status=503", (503, None)),
    ("latency=300", (None, (300, 300))),
    ("status=503; latency=300", (503, (300, 300))),
    ("  Latency = 100-400 , STATUS=429 ", (429, (100, 400))),
])
def test_readable_values(value: str, expected: tuple[object, object]) -> None:
    assert parse_request_fault(value) == expected


@pytest.mark.parametrize(("value", "fields"), [
    ("", ["X-Mock-Fault"]),
    ("status=42", ["X-Mock-Fault.status"]),
    ("status=499", ["X-Mock-Fault.status"]),
    ("status=abc", ["X-Mock-Fault.status"]),
    ("latency=-5", ["X-Mock-Fault.latency"]),
    ("latency=400-100", ["X-Mock-Fault.latency"]),
    ("latency=soon", ["X-Mock-Fault.latency"]),
    ("status", ["X-Mock-Fault"]),
    ("code=503; latency=x", ["X-Mock-Fault", "X-Mock-Fault.latency"]),  # every problem, not the first
])
def test_unreadable_values_name_every_part_at_fault(value: str, fields: list[str]) -> None:
    with pytest.raises(ValidationFailure) as caught:
        parse_request_fault(value)
    assert [error.field_name for error in caught.value.errors] == fields


def journal(mock) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    return json.loads(mock.client.get("/__mock/requests").data)  # type: ignore[no-any-return]


def test_a_status_applies_to_that_request_only_and_is_journaled() -> None:
    mock = make()
    failed = mock.client.patch(PATH, json={}, headers={**SYSADMIN, "X-Mock-Fault": "status=503"})
    assert failed.status_code == 503 and failed.headers["X-Mock-Fault"] == "header"
    assert error_of(failed.data)["errorCode"] == "ServiceUnavailable"
    assert mock.client.patch(PATH, json={}, headers=SYSADMIN).status_code == 200
    assert [(e["status"], e.get("fault")) for e in journal(mock)] == [(503, "header"), (200, None)]


def test_status_and_latency_together_delay_then_fail() -> None:
    mock = make()
    answer = mock.client.get(PATH, headers={**SYSADMIN, "X-Mock-Fault": "status=504; latency=60"})
    assert answer.status_code == 504
    entry = journal(mock)[-1]
    assert entry["fault"] == "header" and entry["durationMs"] >= 60  # type: ignore[operator]


def test_a_latency_alone_keeps_the_real_answer_and_marks_it() -> None:
    mock = make()
    answer = mock.client.patch(PATH, json={"purpose": "slow"}, headers={**SYSADMIN, "X-Mock-Fault": "latency=20"})
    assert answer.status_code == 200 and json.loads(answer.data)["purpose"] == "slow"
    assert answer.headers["X-Mock-Fault"] == "header"


def test_an_unreadable_header_is_a_400_in_the_error_shape() -> None:
    mock = make()
    answer = mock.client.patch(PATH, json={}, headers={**SYSADMIN, "X-Mock-Fault": "status=42"})
    assert answer.status_code == 400
    status = error_of(answer.data)
    assert [error["fieldName"] for error in status["errors"]] == ["X-Mock-Fault.status"]  # type: ignore[union-attr, index]


def test_it_replaces_a_control_plane_fault_without_spending_it() -> None:
    mock = make()
    mock.client.post("/__mock/faults", json={"route": "/ai/**", "status": 500, "times": 1})
    assert mock.client.get(PATH, headers={**SYSADMIN, "X-Mock-Fault": "status=429"}).status_code == 429
    assert mock.client.get(PATH, headers=SYSADMIN).status_code == 500  # the control fault, still there


def test_ignored_without_the_control_plane_and_on_control_calls() -> None:
    assert make(control=False).client.patch(PATH, json={}, headers={**SYSADMIN, "X-Mock-Fault": "status=503"}).status_code == 200
    assert make(control=False, latency_ms=(0, 0)).client.patch(
        PATH, json={}, headers={**SYSADMIN, "X-Mock-Fault": "status=abc"}).status_code == 200
    assert make().client.get("/__mock/faults", headers={"X-Mock-Fault": "status=503"}).status_code == 200


@pytest.mark.parametrize("config", [{}, {"cors_origins": (ORIGIN,)}], ids=["any origin", "allow-list"])
def test_the_preflight_lets_a_browser_send_it(config: dict[str, object]) -> None:
    answer = make(**config).client.options(PATH, headers={
        "Origin": ORIGIN, "Access-Control-Request-Method": "PATCH",
        "Access-Control-Request-Headers": "content-type,x-mock-fault",
    })
    assert answer.status_code == 200
    allowed = [name.strip().lower() for name in answer.headers["Access-Control-Allow-Headers"].split(",")]
    assert "x-mock-fault" in allowed
