"""`evokit verify` over the whole family against the mock: every operation reached, the mock left as
it was found, no write to a session the run did not create, and `--operation` / `--read-only`
sending only what they promise."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from evokit.contract import load_contract
from evokit.mockserver import MockConfig, create_app
from tests.verify.servers import run_cli, serving

pytestmark = pytest.mark.socket

FAST = ("--seed", "5", "--max-examples", "6", "--quiet")
# Writes that act on a session named in the path (or, on a pre-defined route, in the query/body).
SESSION_WRITES = re.compile(r"^(DELETE|POST) .*?(ai/sessions/([^/?]+)(/apply|/actions.*)?$|"
                            r"(DeleteAISession|ApplyAISession|ClearAISessionActions|DeleteAISessionAction))")


@pytest.fixture
def mock() -> Iterator[str]:
    """A fresh mock whose journal holds a whole run."""
    with serving(create_app(MockConfig(journal_size=20_000))) as url:
        yield url


def journal(url: str) -> list[dict[str, Any]]:
    entries = requests.get(f"{url}/__mock/requests", timeout=5).json()
    return [entry for entry in entries if not entry["path"].startswith("/__mock")]


def stored(url: str) -> dict[str, dict[str, Any]]:
    """Each session as the mock holds it, without the two members no API call can put back."""
    sessions = requests.get(f"{url}/__mock/sessions", timeout=5).json()
    return {s["id"]: {k: v for k, v in s.items() if k not in ("dateLastModified", "lastModifiedBy")} for s in sessions}


def called(entries: list[dict[str, Any]], method: str, pattern: str) -> bool:
    return any(e["method"] == method and re.fullmatch(pattern, e["path"]) for e in entries)


def test_a_default_run_covers_all_ten_operations_and_leaves_the_mock_as_it_was(mock: str) -> None:
    before = stored(mock)
    code, out, err = run_cli("verify", "--base-url", mock, *FAST)
    assert (code, err) == (0, ""), out
    assert stored(mock) == before
    entries = journal(mock)
    routes = [(r.method, re.sub(r"\{[^}]+\}", "[^/]+", r.path)) for r in
              (op.user_route for op in load_contract().operations.values())]
    assert len(routes) == 10
    missing = [f"{m} {p}" for m, p in routes if not called(entries, m, p) and not (m, p) == ("DELETE", "/ai/usage")]
    assert missing == []
    assert called(entries, "GET", "/ai/usage")


def test_it_never_applies_or_deletes_a_session_it_did_not_create(mock: str) -> None:
    given = set(stored(mock))
    code, out, _ = run_cli("verify", "--base-url", mock, *FAST)
    assert code == 0, out
    touched = set()
    for entry in journal(mock):
        line = f"{entry['method']} {entry['path']}"
        if SESSION_WRITES.match(line) and not line.startswith("POST /ai/sessions "):
            touched |= set(re.findall(r"[0-9a-f]{24}", f"{entry['path']}?{entry.get('query', '')}"))
    assert touched, "the run applied and deleted sessions of its own"
    assert touched & given == set()


def test_operation_restricts_the_run_to_that_operation(mock: str) -> None:
    code, out, err = run_cli("verify", "--base-url", mock, *FAST, "--operation", "ListAISessions")
    assert (code, err) == (0, ""), out
    assert "suites: family;" in out
    # Besides the list: the reachability probe, who each caller is, and the set-up reads of the
    # sessions (GET, as no PATCH is checked).
    allowed = re.compile(r"/|/auth|/ai/sessions(\.\w+)?|/ai/sessions/[0-9a-f]{24}|/(api|json/reply|jsv/reply)/ListAISessions")
    entries = journal(mock)
    assert {e["path"] for e in entries if not allowed.fullmatch(e["path"])} == set()
    assert {e["method"] for e in entries} == {"GET"}


def test_read_only_sends_nothing_that_changes_the_server(mock: str) -> None:
    before = requests.get(f"{mock}/__mock/sessions", timeout=5).json()
    code, out, err = run_cli("verify", "--base-url", mock, *FAST, "--read-only")
    assert (code, err) == (0, ""), out
    assert {e["method"] for e in journal(mock)} == {"GET"}
    assert requests.get(f"{mock}/__mock/sessions", timeout=5).json() == before  # dates included
    assert "family-create (not run: --read-only" in out


@pytest.mark.parametrize("argv", [("--operation", "PatchAISessions"), ("--operation", "Authenticate")])
def test_an_unknown_operation_is_one_line_and_exit_2(mock: str, argv: tuple[str, ...]) -> None:
    code, out, err = run_cli("verify", "--base-url", mock, *FAST, *argv)
    assert code == 2
    assert err.count("\n") == 1 and "choose from ListAISessions" in err and "Traceback" not in err


def test_a_suite_with_nothing_to_check_is_a_usage_error(mock: str) -> None:
    code, _, err = run_cli("verify", "--base-url", mock, *FAST, "--suite", "auth", "--operation", "GetAISession")
    assert code == 2 and "nothing to run" in err
