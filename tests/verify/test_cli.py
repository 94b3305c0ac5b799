"""`evokit verify` usage errors and servers that cannot be verified: exit status 2, no traceback."""

from __future__ import annotations

import socket

import pytest

from evokit.mockserver import create_app
from evokit.mockserver.core.config import MockConfig
from tests.verify.servers import run_cli, serving


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize(
    "argv",
    [
        ("--base-url", "not a url"),
        ("--base-url", "http://127.0.0.1:1", "--admin-auth", "Basic x"),
        ("--base-url", "http://127.0.0.1:1", "--max-examples", "0"),
        ("--base-url", "http://127.0.0.1:1", "--suite", "nope"),
        (),
    ],
)
def test_usage_errors_exit_2(argv: tuple[str, ...]) -> None:
    code, out, err = run_cli("verify", *argv)
    assert code == 2
    assert "Traceback" not in out + err


@pytest.mark.socket
def test_unreachable_server_exits_2() -> None:
    code, _, err = run_cli("verify", "--base-url", f"http://127.0.0.1:{free_port()}", "--timeout", "2")
    assert code == 2 and "cannot reach" in err


@pytest.mark.socket
def test_a_server_that_is_not_the_mock_needs_credentials(mock_url: str) -> None:
    code, _, err = run_cli("verify", "--base-url", f"{mock_url}/nowhere")
    assert code == 2 and "--admin-auth" in err


@pytest.mark.socket
def test_unknown_session_ids_are_a_usage_error(mock_url: str) -> None:
    code, _, err = run_cli("verify", "--base-url", mock_url, "--admin-auth", "Basic c3lzYWRtaW46c3lzYWRtaW4=",
                           "--user-auth", "Basic bm9yb2xlOm5vcm9sZQ==", "--session-id", "nope")
    assert code == 2 and "--session-id 'nope'" in err and "404" in err


@pytest.mark.socket
def test_a_mock_with_a_control_token_needs_it_for_the_defaults() -> None:
    app = create_app(MockConfig(control_token="t0ken"))
    with serving(app) as url:
        code, _, err = run_cli("verify", "--base-url", url, "--suite", "auth")
        assert code == 2 and "--mock-token" in err
        code, out, _ = run_cli("verify", "--base-url", url, "--suite", "auth", "--mock-token", "t0ken", "--quiet")
        assert code == 0, out
