"""`evokit verify` against the kit's own mock: no rule broken, over several seeds, and the run's
promises kept (reports written, data restored, the same seed replaying the same run)."""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from xml.etree import ElementTree

import pytest
import requests

from evokit.contract.verify.config import SUITES
from evokit.contract.verify.rules.table import RULES
from tests.verify.servers import run_cli

pytestmark = pytest.mark.socket

FAST = ("--max-examples", "8", "--quiet")


def purposes(url: str) -> dict[str, str | None]:
    return {s["id"]: s.get("purpose") for s in requests.get(f"{url}/__mock/sessions", timeout=5).json()}


@pytest.mark.parametrize("seed", [0, 1, 2, 12345])
def test_the_mock_breaks_no_rule(mock_url: str, seed: int) -> None:
    code, out, err = run_cli("verify", "--base-url", mock_url, "--seed", str(seed), *FAST)
    assert (code, err) == (0, ""), out
    assert "0 failure(s)" in out and "0 error(s)" in out


def test_purposes_are_restored_after_the_run(mock_url: str) -> None:
    before = purposes(mock_url)
    code, out, _ = run_cli("verify", "--base-url", mock_url, "--seed", "3", *FAST)
    assert code == 0, out
    assert purposes(mock_url) == before


def test_explicit_credentials_and_sessions(mock_url: str, tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    code, out, err = run_cli(
        "verify", "--base-url", mock_url, "--seed", "4", *FAST, "--json-report", str(report),
        "--admin-auth", "Basic c3lzYWRtaW46c3lzYWRtaW4=",  # sysadmin:sysadmin
        "--user-auth", "Basic bm9yb2xlOm5vcm9sZQ==",  # norole:norole
        "--session-id", "6630f0a2c1d4e5f601a2b304",
        "--suite", "auth", "--suite", "update",
    )
    assert (code, err) == (0, ""), out
    assert "sessions: 6630f0a2c1d4e5f601a2b304" in out
    assert "superuser rule is not checked" in out  # no --superuser-auth given
    status = {rule["id"]: rule["status"] for rule in json.loads(report.read_text(encoding="utf-8"))["rules"]}
    assert status["superuser-admin"] == "not-run"
    assert status["anonymous-401"] == status["not-found-404"] == "passed"
    assert status["jsv-wire"] == "passed"  # response checks run in every suite


def test_reports_list_every_rule(mock_url: str, tmp_path: Path) -> None:
    report, junit = tmp_path / "report.json", tmp_path / "junit.xml"
    code, _, _ = run_cli("verify", "--base-url", mock_url, "--seed", "5", *FAST,
                         "--json-report", str(report), "--junit-xml", str(junit))
    document = json.loads(report.read_text(encoding="utf-8"))
    assert code == document["exitCode"] == 0
    assert [rule["id"] for rule in document["rules"]] == list(RULES)
    assert {rule["status"] for rule in document["rules"]} <= {"passed", "warned"}
    assert all(f["severity"] == "warning" for f in document["findings"])
    suite = ElementTree.parse(junit).getroot().find("testsuite")
    assert suite is not None and suite.get("tests") == str(len(RULES)) and suite.get("failures") == "0"


def test_the_same_seed_replays_the_same_run(mock_url: str, tmp_path: Path) -> None:
    counts = []
    for index in range(2):
        report = tmp_path / f"run{index}.json"
        run_cli("verify", "--base-url", mock_url, "--seed", "6", *FAST, "--json-report", str(report))
        counts.append(json.loads(report.read_text(encoding="utf-8"))["requests"])
    assert counts[0] == counts[1]


def test_progress_shows_every_suite(mock_url: str) -> None:
    code, out, _ = run_cli("verify", "--base-url", mock_url, "--seed", "7", "--max-examples", "3")
    assert code == 0
    for suite in SUITES:
        assert re.search(rf"^{suite} +\d+/\d+ requests, \d+ finding\(s\), [\d.]+s$", out, re.MULTILINE), out


@pytest.mark.slow
def test_a_default_run_takes_well_under_a_minute(mock_url: str) -> None:
    started = time.perf_counter()
    code, out, _ = run_cli("verify", "--base-url", mock_url, "--quiet")
    assert code == 0, out
    assert time.perf_counter() - started < 30
