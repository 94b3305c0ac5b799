"""Set-up mistakes end with exit 2 and a line naming the option, before any check runs; a server
failing its set-up reads is a broken server (exit 1, a finding)."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
import requests

from evokit.mockserver import MockConfig, create_app
from tests.verify.servers import run_cli, serving

pytestmark = pytest.mark.socket

SESSION = "6630f0a2c1d4e5f601a2b301"
SYSADMIN, NOROLE = "sysadmin:sysadmin", "norole:norole"
# One quick suite: a proven set-up then runs checks, and a refused one never gets that far.
QUICK = ("--suite", "formats", "--seed", "1", "--max-examples", "2", "--quiet")
SUITE_LINE = "formats "


def basic(credentials: str) -> str:
    return "Basic " + base64.b64encode(credentials.encode()).decode()


def explicit(url: str, admin: str, user: str, *extra: str) -> tuple[int, str, str]:
    return run_cli("verify", "--base-url", url, "--admin-auth", admin, "--user-auth", user,
                   "--session-id", SESSION, *extra, *QUICK)


def assert_setup_mistake(result: tuple[int, str, str], *words: str) -> None:
    code, out, err = result
    assert code == 2, out + err
    assert err.count("\n") == 1 and all(word in err for word in words), err
    assert "Traceback" not in out + err
    assert "failure(s)" not in out, "a set-up mistake must stop the run before any check"


def test_user_password_shorthand_is_a_basic_header(mock_url: str) -> None:
    code, out, err = explicit(mock_url, SYSADMIN, NOROLE)
    assert code == 0, out + err


@pytest.mark.parametrize("user", ["sysadmin:sysadmin", "admin:admin"], ids=["holds-the-role", "superuser"])
def test_a_user_auth_holding_the_role_is_named(mock_url: str, user: str) -> None:
    assert_setup_mistake(explicit(mock_url, SYSADMIN, user), "--user-auth", "without SystemAdministrator")


def test_a_bare_base64_value_is_named_and_not_echoed(mock_url: str) -> None:
    bare = basic(SYSADMIN).split(" ", 1)[1]
    result = explicit(mock_url, bare, NOROLE)
    assert_setup_mistake(result, "--admin-auth", "'Basic '")
    assert bare not in result[2], "a credential must not be repeated into a log"


@pytest.mark.parametrize(("admin", "user", "option"), [
    ("sysadmin:wrong", NOROLE, "--admin-auth"),
    (SYSADMIN, "norole:wrong", "--user-auth"),
])
def test_refused_credentials_are_named(mock_url: str, admin: str, user: str, option: str) -> None:
    assert_setup_mistake(explicit(mock_url, admin, user), option, "refused", "401")


def test_an_admin_without_the_role_is_named(mock_url: str) -> None:
    assert_setup_mistake(explicit(mock_url, "manager:manager", NOROLE), "--admin-auth", "403", "SystemAdministrator")


def test_a_wrong_superuser_is_named(mock_url: str) -> None:
    assert_setup_mistake(explicit(mock_url, SYSADMIN, NOROLE, "--superuser-auth", "manager:manager"),
                         "--superuser-auth", "Admin")


def test_a_mock_with_a_control_token_says_what_it_needs() -> None:
    with serving(create_app(MockConfig(control_token="t0ken"))) as url:
        assert_setup_mistake(run_cli("verify", "--base-url", url, *QUICK), "--mock-token", "--control-token")
        assert_setup_mistake(run_cli("verify", "--base-url", url, "--mock-token", "wrong", *QUICK),
                             "--mock-token", "wrong")
        code, out, err = run_cli("verify", "--base-url", url, "--mock-token", "t0ken", *QUICK)
        assert code == 0, out + err


def add_fault(url: str, **fault: object) -> None:
    requests.post(f"{url}/__mock/faults", json={"route": "/**"} | fault, timeout=5).raise_for_status()


def test_a_server_failing_every_set_up_read_is_broken_not_misused(mock_url: str, tmp_path: Path) -> None:
    add_fault(mock_url, method="PATCH", status=503)
    report = tmp_path / "report.json"
    code, out, err = run_cli("verify", "--base-url", mock_url, *QUICK, "--json-report", str(report))
    assert code == 1 and err == "", out + err
    assert "set-up: reading session" in out and "503" in out
    findings = json.loads(report.read_text(encoding="utf-8"))["findings"]
    assert [(f["rule"], f["kind"], f["causedBy"]) for f in findings] == [("no-server-error", "PATCH 503", None)]


def test_a_set_up_read_that_fails_once_is_retried_and_told(mock_url: str) -> None:
    add_fault(mock_url, route="/auth", method="GET", status=502, times=1)
    code, out, err = run_cli("verify", "--base-url", mock_url, *QUICK)
    assert code == 0, out + err
    assert "GET /auth as the admin answered 502 before attempt 2 succeeded" in out
