"""A hostile server never breaks the run: whatever it answers, the verifier ends in bounded time
and memory, with findings (exit 1) or one clear line (exit 2), never a traceback."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from evokit.mockserver import MockConfig, create_app
from tests.verify.hostile_servers import ACTS, hostile_proxy
from tests.verify.servers import run_cli, serving

pytestmark = pytest.mark.socket

# Small and fast: one-second timeouts, a few examples, no waiting for a server to start.
ARGS = ("--seed", "1", "--max-examples", "3", "--timeout", "1", "--wait", "0", "--quiet")
SECONDS = 90  # far above a normal run of these options (a few seconds), far below an unbounded one


def verify_through(act: str, tmp_path: Path, **options: object) -> tuple[int, str, str, dict, float, object]:
    with serving(create_app(MockConfig())) as mock, hostile_proxy(mock.removeprefix("http://"), act,
                                                                   **options) as hostile:  # type: ignore[arg-type]
        report = tmp_path / "report.json"
        started = time.monotonic()
        code, out, err = run_cli("verify", "--base-url", hostile.url, *ARGS,  # type: ignore[attr-defined]
                                 "--json-report", str(report))
        seconds = time.monotonic() - started
        document = json.loads(report.read_text(encoding="utf-8")) if report.exists() else {}
    return code, out, err, document, seconds, hostile


@pytest.mark.parametrize("act", sorted(ACTS))
def test_a_hostile_answer_every_seventh_patch_is_a_finding(act: str, tmp_path: Path) -> None:
    code, out, err, report, seconds, hostile = verify_through(act, tmp_path)
    assert "Traceback" not in out + err
    assert seconds < SECONDS
    assert hostile.hostile > 0  # type: ignore[attr-defined]
    assert code == 1, out + err
    assert err == ""
    assert report["errors"] == [], report["errors"]  # no check crashed on it
    rules = {finding["rule"] for finding in report["findings"] if finding["causedBy"] is None}
    expected = {"huge-body": "response-size", "deep-json": "schema"}.get(act, "no-server-error")
    assert expected in rules, rules


def test_a_huge_body_is_not_read_past_the_cap(tmp_path: Path) -> None:
    _, _, _, report, _, hostile = verify_through("huge-body", tmp_path, every=5)
    # Each huge answer is abandoned after the cap (1 MiB) and what the socket had buffered.
    assert hostile.sent_bytes < hostile.hostile * 16 * 1024 * 1024  # type: ignore[attr-defined]
    finding = next(f for f in report["findings"] if f["rule"] == "response-size")
    assert "not read on" in finding["observed"]


def test_a_server_that_stops_answering_is_given_up_on(tmp_path: Path) -> None:
    code, out, err, report, seconds, _ = verify_through("no-answer", tmp_path, every=2)
    assert code == 1 and "Traceback" not in out + err
    assert seconds < 30
    assert "time out" in out
    not_run = [rule for rule in report["rules"] if rule["status"] == "not-run"]
    assert not_run and all("time out" in (rule["reason"] or "") for rule in not_run)


def test_a_server_that_never_answers_is_one_line_and_exit_2(tmp_path: Path) -> None:
    code, out, err, _, seconds, _ = verify_through("no-answer", tmp_path, all_requests=True)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "cannot reach" in err
    assert seconds < 10


def test_bytes_that_are_not_http_everywhere_are_one_line_and_exit_2(tmp_path: Path) -> None:
    code, out, err, _, _, _ = verify_through("random-bytes", tmp_path, all_requests=True)
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "cannot reach" in err
