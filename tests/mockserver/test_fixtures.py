"""Fixture files: the repository's are valid; a bad one stops start-up naming the file and problem."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest

from contract.cli import main
from mockserver.http.app import create_app
from mockserver.core.config import DEFAULT_FIXTURES, MockConfig
from mockserver.core.errors import FixtureError
from tests.mockserver.support import CONTRACT, OP, SESSIONS, USERS

SESSIONS_FILE = f"{OP.response}.json"


def folder(tmp_path: Path, **files: object) -> Path:
    """A copy of the repository's fixtures with some files replaced (text, or JSON-encoded)."""
    target = tmp_path / "fixtures"
    shutil.copytree(DEFAULT_FIXTURES, target)
    for name, content in files.items():
        (target / name.replace("__", ".")).write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return target


def test_repository_fixtures_are_rich_enough() -> None:
    assert 6 <= len(SESSIONS) <= 10 and len({s["accountId"] for s in SESSIONS}) >= 2
    assert all(CONTRACT.violations(OP.response, s) == [] for s in SESSIONS)
    purposes = "".join(s.get("purpose", "") for s in SESSIONS)
    assert all(char in purposes for char in ':,"{}[]\n') and any(ord(c) > 127 for c in purposes)
    assert any(len(s) < len(CONTRACT.properties(OP.response)) for s in SESSIONS)  # some fields absent
    names = {u["userName"]: u["roles"] for u in USERS}
    assert {"sysadmin", "admin", "manager", "customer"} <= set(names)
    assert CONTRACT.superuser_role in names["admin"] and OP.required_roles[0] in names["sysadmin"]


BAD = [
    ("users not json", {"users__json": "[{"}, "users.json: not JSON"),
    ("users not a list", {"users__json": {"a": 1}}, "users.json: expected a JSON list, found dict"),
    ("user missing password", {"users__json": [{k: v for k, v in USERS[0].items() if k != "password"}]},
     "users.json: [0].password: expected a non-empty string"),
    ("user roles not a list", {"users__json": [{**USERS[0], "roles": "Admin"}]}, "users.json: [0].roles: expected a list"),
    ("duplicate user names", {"users__json": [USERS[0], {**USERS[1], "userName": USERS[0]["userName"]}]},
     "users.json: duplicate user_name"),
    ("no users", {"users__json": []}, "users.json: no users"),
    ("session purpose not a string", {f"{OP.response}__json": [{**SESSIONS[0], "purpose": 5}]},
     f"{SESSIONS_FILE}: [0].purpose: 5 is not of type 'string'"),
    ("session unknown member", {f"{OP.response}__json": [{**SESSIONS[0], "colour": "red"}]},
     f"{SESSIONS_FILE}: [0]: unknown member 'colour'"),
    ("session without id", {f"{OP.response}__json": [{k: v for k, v in SESSIONS[0].items() if k != "id"}]},
     f"{SESSIONS_FILE}: [0].id: every session needs a non-empty id"),
    ("session bad date", {f"{OP.response}__json": [{**SESSIONS[0], "dateCreated": "yesterday"}]},
     f"{SESSIONS_FILE}: [0].dateCreated: 'yesterday' is not an ISO 8601 UTC timestamp"),
    ("duplicate ids", {f"{OP.response}__json": [SESSIONS[0], SESSIONS[0]]}, f"{SESSIONS_FILE}: duplicate id"),
    ("sessions not a list", {f"{OP.response}__json": "{}"}, f"{SESSIONS_FILE}: expected a JSON list"),
]


@pytest.mark.parametrize(("files", "message"), [case[1:] for case in BAD], ids=[case[0] for case in BAD])
def test_bad_fixtures_stop_start_up(tmp_path: Path, files: dict[str, object], message: str) -> None:
    with pytest.raises(FixtureError) as caught:
        create_app(MockConfig(fixtures=folder(tmp_path, **files)))
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_missing_files_and_folders(tmp_path: Path) -> None:
    with pytest.raises(FixtureError, match="fixture folder not found"):
        create_app(MockConfig(fixtures=tmp_path / "absent"))
    target = folder(tmp_path)
    (target / SESSIONS_FILE).unlink()
    with pytest.raises(FixtureError, match=f"{SESSIONS_FILE}: file not found"):
        create_app(MockConfig(fixtures=target))


def test_cli_exits_2_with_one_line_and_no_traceback(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    code = main(["mock", "--port", "1", "--fixtures", str(folder(tmp_path, users__json="nope"))], out=out, err=err)
    assert code == 2 and out.getvalue() == ""
    lines = err.getvalue().splitlines()
    assert len(lines) == 1 and lines[0].startswith("evokit mock: ") and "users.json: not JSON" in lines[0]


@pytest.mark.parametrize("argv", [["--port", "0"], ["--port", "70000"], ["--threads", "0"], ["--max-body-bytes", "0"]])
def test_cli_rejects_bad_options_with_exit_2(argv: list[str]) -> None:
    err = io.StringIO()
    assert main(["mock", *argv], out=io.StringIO(), err=err) == 2
    assert err.getvalue().startswith("evokit mock: invalid mock configuration: ")
