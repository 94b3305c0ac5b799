"""The access log and the banner: one line per request, coloured only on a terminal, off with
`--quiet`; a banner that names the sessions and the options in effect; a line on stop."""

from __future__ import annotations

import io
import os
import pty
import re
import select
import signal
import subprocess
import time

import pytest
import requests

from evokit.mockserver.control.journal import JournalEntry
from evokit.mockserver.core.config import MockConfig
from evokit.mockserver.http.accesslog import AccessLog, LineFormat, wants_colour
from evokit.mockserver.http.banner import non_default_options
from tests.mockserver.server import EVOKIT, LiveServer, free_port, start, stop
from tests.mockserver.support import SESSIONS, USERS

SID = str(SESSIONS[0]["id"])
SYSADMIN = (str(USERS[0]["userName"]), str(USERS[0]["password"]))
ANSI = re.compile(r"\x1b\[[0-9;]*m")
LINE = re.compile(r"^\d\d:\d\d:\d\d\.\d{3} (\S+) (\S+) (\d{3}) [\d.]+ ms (\S+)( fault \S+)?$")
MOMENT = time.mktime((2025, 1, 2, 3, 4, 5, 0, 0, -1)) + 0.678


def entry(**changes: object) -> JournalEntry:
    values: dict[str, object] = {"method": "PATCH", "path": f"/ai/sessions/{SID}", "query": "", "status": 200,
                                 "user": "sysadmin", "time": MOMENT, "duration_ms": 3.14159, "fault": None}
    values.update(changes)
    return JournalEntry(**values)  # type: ignore[arg-type]


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_plain_line_says_time_method_path_status_duration_user() -> None:
    line = LineFormat(colour=False).line(entry())
    assert line == f"03:04:05.678 PATCH /ai/sessions/{SID} 200 3.1 ms sysadmin"


@pytest.mark.parametrize(("changes", "tail"), [
    ({"user": None, "status": 401}, "401 3.1 ms -"),
    ({"fault": "f2", "status": 503}, "503 3.1 ms sysadmin fault f2"),
    ({"query": "page=2&countPerPage=5", "method": "GET"}, "?page=2&countPerPage=5 200 3.1 ms sysadmin"),
])
def test_anonymous_callers_faults_and_queries_are_shown(changes: dict[str, object], tail: str) -> None:
    assert LineFormat(colour=False).line(entry(**changes)).endswith(tail)


def test_a_crafted_path_cannot_forge_a_line_or_a_colour() -> None:
    line = LineFormat(colour=False).line(entry(path="/x\n10:00:00.000 GET /admin 200\x1b[31m"))
    assert "\n" not in line and "\x1b" not in line and "\\n" in line


def test_colour_marks_the_status_class_and_strips_back_to_the_plain_line() -> None:
    plain, coloured = LineFormat(colour=False), LineFormat(colour=True)
    for status, code in ((200, "32"), (404, "33"), (503, "31")):
        line = coloured.line(entry(status=status))
        assert f"\x1b[{code}m{status}" in line
        assert ANSI.sub("", line) == plain.line(entry(status=status))


def test_colour_only_on_a_terminal_without_no_color() -> None:
    assert wants_colour(Terminal(), {}) is True
    assert wants_colour(Terminal(), {"NO_COLOR": "1"}) is False
    assert wants_colour(Terminal(), {"NO_COLOR": ""}) is True  # no-color.org: only a non-empty value counts
    assert wants_colour(io.StringIO(), {}) is False


def test_the_writer_keeps_the_order_and_counts_lines() -> None:
    out = io.StringIO()
    log = AccessLog(out, colour=False)
    for status in (200, 404, 503):
        log(entry(status=status))
    log.drain()
    statuses = [LINE.match(line)[3] for line in out.getvalue().splitlines()]  # type: ignore[index]
    assert statuses == ["200", "404", "503"] and log.count == 3


def test_a_closed_stream_turns_the_log_off_instead_of_failing() -> None:
    out = io.StringIO()
    log = AccessLog(out, colour=False)
    out.close()
    log(entry())
    log.drain()  # must not raise
    log(entry())
    assert log.count == 0


def test_the_banner_lists_only_options_that_differ_from_the_defaults() -> None:
    assert non_default_options(MockConfig()) == []
    shown = non_default_options(MockConfig(latency_ms=(100, 400), threads=4, cors_origins=("http://localhost:5173",),
                                           control_token="t0k3n", quiet=True))
    assert shown == ["threads 4", "CORS origins http://localhost:5173", "control token required (X-Mock-Token)",
                     "latency 100-400 ms", "no access log"]
    assert not any("t0k3n" in item for item in shown)


def wait_for_lines(server: LiveServer, count: int) -> list[str]:
    """The access-log lines once there are `count` (the writer flushes every few hundredths of a second)."""
    deadline = time.monotonic() + 10
    while True:
        lines = [line for line in server.output().splitlines() if LINE.match(line)]
        if len(lines) >= count or time.monotonic() > deadline:
            return lines
        time.sleep(0.02)


def stopped(server: LiveServer, sig: signal.Signals) -> tuple[int, list[str]]:
    """Stop the mock with `sig`; its exit status and everything it printed."""
    server.process.send_signal(sig)
    code = server.process.wait(timeout=10)
    output = server.output().splitlines()
    stop(server.process)
    return code, output


@pytest.mark.socket
def test_every_request_adds_one_line_and_stop_adds_the_last() -> None:
    server = start(["--latency", "5"])
    try:
        before = len(wait_for_lines(server, 1))  # the start-up probe's
        requests.patch(f"{server.url}/ai/sessions/{SID}", json={"purpose": "x"}, auth=SYSADMIN, timeout=5)
        requests.get(f"{server.url}/ai/sessions/nope", timeout=5)
        requests.post(f"{server.url}/__mock/faults", json={"route": "/ai/**", "status": 503, "times": 1}, timeout=5)
        requests.get(f"{server.url}/ai/sessions", auth=SYSADMIN, timeout=5)
        lines = wait_for_lines(server, before + 4)[before:]
    finally:
        code, output = stopped(server, signal.SIGTERM)
    found = [LINE.match(line).groups() for line in lines]  # type: ignore[union-attr]
    assert found == [
        ("PATCH", f"/ai/sessions/{SID}", "200", "sysadmin", None),
        ("GET", "/ai/sessions/nope", "401", "-", None),
        ("POST", "/__mock/faults", "201", "-", None),
        ("GET", "/ai/sessions", "503", "sysadmin", " fault f1"),
    ]
    assert code == 0
    banner = "\n".join(server.banner)
    assert f"sessions ({len(SESSIONS)}): {SID}, " in banner and "options: latency 5 ms" in banner
    assert output[-1] == f"evokit mock: stopped after {before + 4} request(s)"


@pytest.mark.socket
def test_quiet_prints_the_banner_and_the_stop_line_only() -> None:
    server = start(["--quiet"])
    try:
        requests.get(f"{server.url}/ai/sessions", auth=SYSADMIN, timeout=5).raise_for_status()
    finally:
        code, output = stopped(server, signal.SIGINT)  # Ctrl-C
    assert code == 0
    assert not any(LINE.match(line) for line in output)
    assert output[0].startswith("evokit mock: listening on ") and output[-1] == "evokit mock: stopped"


@pytest.mark.socket
def test_on_a_terminal_the_log_is_coloured() -> None:
    port = free_port()
    primary, secondary = pty.openpty()
    env = {key: value for key, value in os.environ.items() if key != "NO_COLOR"}
    process = subprocess.Popen([*EVOKIT, "mock", "--port", str(port)], stdout=secondary, stderr=subprocess.DEVNULL, env=env)
    os.close(secondary)
    seen = b""
    try:
        deadline = time.monotonic() + 20
        while b"\x1b[32m204" not in seen and time.monotonic() < deadline:
            try:
                requests.get(f"http://127.0.0.1:{port}/auth/status", timeout=1)
            except requests.ConnectionError:
                pass
            while True:
                ready, _, _ = select.select([primary], [], [], 0.1)
                if not ready:
                    break
                try:
                    seen += os.read(primary, 65536)
                except OSError:
                    break
    finally:
        process.terminate()
        process.wait(timeout=10)
        os.close(primary)
    assert b"\x1b[32m204" in seen, seen[-500:]
