"""The verifier as a daily CI and QA tool: report paths proven before the run, Ctrl-C, waiting for
a server still starting, stopping after N failures, options from `EVOKIT_*` variables, the
Markdown report."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import requests

from evokit.mockserver import MockConfig, create_app
from tests.verify.broken_servers import by_name
from tests.verify.servers import run_cli, serving
from tests.verify.test_cli import free_port

REPO = Path(__file__).resolve().parents[2]
FAST = ("--seed", "1", "--max-examples", "3", "--quiet")


@pytest.mark.parametrize("option", ["--junit-xml", "--json-report", "--markdown-report"])
def test_a_report_into_a_missing_folder_is_refused_before_the_run(option: str, tmp_path: Path) -> None:
    # The port is closed: reaching the server would be a different error, so the check came first.
    target = tmp_path / "no" / "such" / "report"
    code, out, err = run_cli("verify", "--base-url", f"http://127.0.0.1:{free_port()}", option, str(target))
    assert (code, out) == (2, "")
    assert err == f"evokit verify: {option} {target}: the folder {target.parent} does not exist\n"


def test_a_report_path_that_is_a_folder_is_refused(tmp_path: Path) -> None:
    code, _, err = run_cli("verify", "--base-url", "http://127.0.0.1:1", "--json-report", str(tmp_path))
    assert code == 2 and "is a folder" in err


def _purposes(url: str) -> dict[str, object]:
    return {s["id"]: s.get("purpose") for s in requests.get(f"{url}/__mock/sessions", timeout=5).json()}


@pytest.mark.socket
def test_ctrl_c_prints_a_partial_summary_restores_and_exits_130(tmp_path: Path) -> None:
    # A slow mock keeps the run busy long enough to be interrupted in the middle of its suites.
    with serving(create_app(MockConfig(latency_ms=(15, 15)))) as url:
        before = _purposes(url)
        env = {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1"}
        with subprocess.Popen(
            [sys.executable, "-c", "from evokit.contract.cli import main; raise SystemExit(main())", "verify",
             "--base-url", url, "--seed", "1"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=REPO,
        ) as child:
            assert child.stdout is not None and child.stderr is not None
            lines: list[str] = []
            reader = threading.Thread(target=lambda: lines.extend(child.stdout), daemon=True)  # type: ignore[arg-type]
            reader.start()
            deadline = time.monotonic() + 60
            while not any(line.startswith("request") for line in lines) and time.monotonic() < deadline:
                time.sleep(0.05)  # wait for the second suite: the sessions have been changed by then
            child.send_signal(signal.SIGINT)
            code = child.wait(timeout=60)
            reader.join(timeout=5)
            stderr = child.stderr.read()
        after = _purposes(url)
    out = "".join(lines)
    assert code == 130, out + stderr
    assert "Traceback" not in out + stderr
    assert "interrupted (Ctrl-C)" in out and "not run" in out
    assert after == before


@pytest.mark.socket
def test_wait_retries_a_server_that_starts_a_second_later() -> None:
    port = free_port()
    app = create_app(MockConfig())
    from werkzeug.serving import make_server

    from tests.verify.servers import QuietHandler

    started: list[object] = []

    def start_later() -> None:
        time.sleep(1)
        server = make_server("127.0.0.1", port, app, threaded=True, request_handler=QuietHandler)
        started.append(server)
        server.serve_forever()

    thread = threading.Thread(target=start_later, daemon=True)
    thread.start()
    try:
        code, out, err = run_cli("verify", "--base-url", f"http://127.0.0.1:{port}", *FAST, "--suite", "auth",
                                 "--wait", "10")
    finally:
        for server in started:
            server.shutdown()  # type: ignore[attr-defined]
    assert (code, err) == (0, ""), out


@pytest.mark.socket
def test_without_wait_a_server_not_up_yet_is_unreachable() -> None:
    code, _, err = run_cli("verify", "--base-url", f"http://127.0.0.1:{free_port()}", "--wait", "0")
    assert code == 2 and "cannot reach" in err


@pytest.mark.socket
@pytest.mark.parametrize("options", [("-x",), ("--max-failures", "1")])
def test_max_failures_stops_the_run(options: tuple[str, ...], tmp_path: Path) -> None:
    report = tmp_path / "r.json"
    with serving(by_name()["no_challenge"].build()) as url:
        code, out, _ = run_cli("verify", "--base-url", url, *FAST, *options, "--json-report", str(report))
    document = json.loads(report.read_text(encoding="utf-8"))
    roots = [f for f in document["findings"] if f["causedBy"] is None and f["severity"] == "failure"]
    assert code == 1 and len(roots) == 1, out
    reasons = {rule["reason"] for rule in document["rules"] if rule["status"] == "not-run"}
    assert reasons == {"not run: --max-failures 1 reached"}, reasons


@pytest.mark.socket
def test_options_come_from_evokit_variables_and_the_command_line_wins(
    mock_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = tmp_path / "r.json"
    monkeypatch.setenv("EVOKIT_BASE_URL", mock_url)
    monkeypatch.setenv("EVOKIT_ADMIN_AUTH", "sysadmin:sysadmin")
    monkeypatch.setenv("EVOKIT_USER_AUTH", "norole:norole")
    monkeypatch.setenv("EVOKIT_SESSION_ID", "6630f0a2c1d4e5f601a2b304")
    monkeypatch.setenv("EVOKIT_SUITE", "auth")
    monkeypatch.setenv("EVOKIT_SEED", "99")
    monkeypatch.setenv("EVOKIT_QUIET", "1")
    code, out, err = run_cli("verify", "--seed", "5", "--max-examples", "3", "--json-report", str(report))
    assert (code, err) == (0, ""), out
    document = json.loads(report.read_text(encoding="utf-8"))
    assert document["seed"] == 5 and document["suites"] == ["auth"] and document["baseUrl"] == mock_url
    assert "sessions: 6630f0a2c1d4e5f601a2b304" in out


def test_a_bad_variable_is_a_usage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVOKIT_MAX_EXAMPLES", "many")
    code, _, err = run_cli("verify", "--base-url", "http://127.0.0.1:1")
    assert code == 2 and err.startswith("evokit verify: EVOKIT_MAX_EXAMPLES=") and err.count("\n") == 1


@pytest.mark.socket
def test_the_markdown_report_names_each_broken_rule(tmp_path: Path) -> None:
    report = tmp_path / "report.md"
    with serving(by_name()["no_challenge"].build()) as url:
        code, _, _ = run_cli("verify", "--base-url", url, *FAST, "--suite", "auth", "--markdown-report", str(report))
    text = report.read_text(encoding="utf-8")
    assert code == 1
    assert text.startswith("# evokit verify: failed\n")
    assert "| `www-authenticate` | 3 | **failed** |" in text
    assert "### FAILURE §3 www-authenticate on `/ai/sessions/{sessionId}`" in text
    assert "| `anonymous-401` | 3 | passed |" in text
