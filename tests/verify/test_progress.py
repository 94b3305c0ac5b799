"""Progress you can read: per-suite counters against a plan, colour only on a terminal, no
escape code when piped or with NO_COLOR, no filler in findings, no tool headers in curl."""

from __future__ import annotations

import io

import pytest

from evokit.contract.verify.config import SUITES
from evokit.contract.verify.run.http import Call
from evokit.contract.verify.report.progress import TextReporter, wants_live
from tests.verify.broken_servers import by_name
from tests.verify.servers import run_cli, serving

ESC = "\x1b"


class Terminal(io.StringIO):
    """A captured stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_colour_only_on_a_terminal_without_no_color() -> None:
    assert wants_live(Terminal(), {}) is True
    assert wants_live(Terminal(), {"NO_COLOR": "1"}) is False
    assert wants_live(io.StringIO(), {}) is False


def test_a_terminal_gets_colour_and_a_plain_stream_none() -> None:
    for stream, live in ((Terminal(), True), (io.StringIO(), False)):
        TextReporter(stream, live=live)._print("FAILURE §3 anonymous-401 on /ai/sessions/{sessionId} [status]")
        assert (ESC in stream.getvalue()) is live
        assert "[status]" in stream.getvalue()  # brackets are text, never markup


@pytest.mark.socket
def test_piped_output_has_suite_totals_and_no_escape_codes(mock_url: str) -> None:
    code, out, _ = run_cli("verify", "--base-url", mock_url, "--seed", "2", "--max-examples", "3")
    assert code == 0
    assert ESC not in out
    for suite in SUITES:
        assert any(line.startswith(f"{suite} ") and "/" in line.split()[1] for line in out.splitlines()), out


@pytest.mark.socket
def test_quiet_piped_output_is_the_summary_only(mock_url: str) -> None:
    code, out, _ = run_cli("verify", "--base-url", mock_url, "--seed", "2", "--max-examples", "3", "--quiet",
                           "--suite", "auth")
    assert code == 0 and ESC not in out
    assert not any(line.startswith("auth ") for line in out.splitlines())
    assert "suites: auth;" in out


@pytest.mark.socket
def test_findings_carry_no_filler_and_curl_no_tool_headers() -> None:
    with serving(by_name()["no_challenge"].build()) as url:
        code, out, _ = run_cli("verify", "--base-url", url, "--seed", "1", "--max-examples", "3", "--quiet")
    assert code == 1
    assert "(no example recorded)" not in out
    curls = [line for line in out.splitlines() if "reproduce: curl" in line]
    assert curls
    for header in ("User-Agent", "X-Schemathesis-TestCaseId", "Accept-Encoding"):
        assert all(header not in line for line in curls), header


def test_curl_leaves_out_the_tools_own_headers() -> None:
    call = Call("PATCH", "/ai/sessions/a", "/ai/sessions/{sessionId}",
                headers=(("User-Agent", "x"), ("X-Schemathesis-TestCaseId", "1"), ("Accept-Encoding", "gzip"),
                         ("Accept", "application/xml")))
    assert call.curl("http://h") == "curl -i -X PATCH http://h/ai/sessions/a -H 'Accept: application/xml'"
