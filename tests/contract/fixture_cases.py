"""Broken fixture folders, one per kind of problem, shared by the `contract check` tests and the
mock's (which prove that both refuse exactly these folders).

Each case is the repository's fixture folder with some files edited, and the (file, JSON path) of
every problem it must produce: the paths, never a library's wording, are what the tests compare.
"""

from __future__ import annotations

import copy
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from evokit.contract.cli import REPO_FIXTURES

USERS, SESSIONS, ACCOUNTS, USAGE = "users.json", "AISessionInfo.json", "accounts.json", "usage.json"
# A file's new content: a function of its default document, raw text or bytes, or None to delete it.
Edit = Callable[[Any], Any] | str | bytes | None


def default_document(name: str) -> Any:
    """A parsed copy of one of the repository's fixture files."""
    return json.loads((REPO_FIXTURES / name).read_text(encoding="utf-8"))


def write_folder(target: Path, edits: dict[str, Edit]) -> Path:
    """A copy of the repository's fixture folder at `target`, with `edits` applied."""
    shutil.copytree(REPO_FIXTURES, target)
    for name, edit in edits.items():
        path = target / name
        if edit is None:
            path.unlink()
        elif isinstance(edit, bytes):
            path.write_bytes(edit)
        elif isinstance(edit, str):
            path.write_text(edit, encoding="utf-8")
        else:
            path.write_text(json.dumps(edit(copy.deepcopy(default_document(name)))), encoding="utf-8")
    return target


def _first(change: Callable[[dict[str, Any]], None]) -> Callable[[list[Any]], list[Any]]:
    """An edit of a document's first item."""
    def edit(document: list[Any]) -> list[Any]:
        change(document[0])
        return document
    return edit


def _first_action(change: Callable[[dict[str, Any]], None]) -> Callable[[list[Any]], list[Any]]:
    return _first(lambda session: change(session["actions"][0]))


def _set(key: str, value: object) -> Callable[[dict[str, Any]], None]:
    return lambda item: item.__setitem__(key, value)


def _drop(key: str) -> Callable[[dict[str, Any]], None]:
    return lambda item: item.pop(key)


def _repeat(key: str, source: int = 0, target: int = 1) -> Callable[[list[Any]], list[Any]]:
    """Give item `target` the `key` of item `source`."""
    def edit(document: list[Any]) -> list[Any]:
        document[target][key] = document[source][key]
        return document
    return edit


def _repeat_action_id(document: list[Any]) -> list[Any]:
    actions = document[0]["actions"]
    actions[1]["id"] = actions[0]["id"]
    return document


@dataclass(frozen=True)
class Case:
    """A broken folder and the problems it must give, as (file, JSON path; "" for the whole file)."""

    id: str
    edits: dict[str, Edit]
    expected: list[tuple[str, str]] = field(default_factory=list)


NESTED = "[" * 100_000 + "]" * 100_000
CASES = [
    # users.json
    Case("users missing", {USERS: None}, [(USERS, "")]),
    Case("users not JSON", {USERS: "[{"}, [(USERS, "")]),
    Case("users not UTF-8", {USERS: b'[{"userName": "\xff"}]'}, [(USERS, "")]),
    Case("users nested too deeply", {USERS: NESTED}, [(USERS, "")]),
    Case("users not a list", {USERS: '{"userName": "a"}'}, [(USERS, "")]),
    Case("user not an object", {USERS: lambda d: [7, *d[1:]]}, [(USERS, "$[0]")]),
    Case("user missing password", {USERS: _first(_drop("password"))}, [(USERS, "$[0]")]),
    Case("user empty password", {USERS: _first(_set("password", ""))}, [(USERS, "$[0].password")]),
    Case("user roles not a list", {USERS: _first(_set("roles", "Admin"))}, [(USERS, "$[0].roles")]),
    Case("user profile not a string", {USERS: _first(_set("firstName", 5))}, [(USERS, "$[0].firstName")]),
    Case("user unknown member", {USERS: _first(_set("colour", "red"))}, [(USERS, "$[0]")]),
    Case("duplicate user names", {USERS: _repeat("userName")}, [(USERS, "$[1].userName")]),
    Case("duplicate user ids", {USERS: _repeat("userId")}, [(USERS, "$[1].userId")]),
    Case("no users", {USERS: "[]"}, [(USERS, "$")]),
    Case("user of an unknown account", {USERS: _first(_set("accountIds", ["nowhere"]))}, [(USERS, "$[0].accountIds[0]")]),
    # the sessions
    Case("sessions missing", {SESSIONS: None}, [(SESSIONS, "")]),
    Case("sessions not a list", {SESSIONS: "{}"}, [(SESSIONS, "")]),
    Case("session not an object", {SESSIONS: lambda d: ["x", *d[1:]]}, [(SESSIONS, "$[0]")]),
    Case("session purpose not a string", {SESSIONS: _first(_set("purpose", 5))}, [(SESSIONS, "$[0].purpose")]),
    Case("session unknown member", {SESSIONS: _first(_set("colour", "red"))}, [(SESSIONS, "$[0]")]),
    # The schema requires an id too: its problem is at the session, the kit's at the member.
    Case("session without id", {SESSIONS: _first(_drop("id"))}, [(SESSIONS, "$[0].id"), (SESSIONS, "$[0]")]),
    Case("session empty id", {SESSIONS: _first(_set("id", ""))}, [(SESSIONS, "$[0].id")]),
    Case("session bad date", {SESSIONS: _first(_set("dateCreated", "yesterday"))}, [(SESSIONS, "$[0].dateCreated")]),
    Case("session modified before created", {SESSIONS: _first(_set("dateLastModified", "2000-01-01T00:00:00Z"))},
         [(SESSIONS, "$[0].dateLastModified")]),
    Case("duplicate session ids", {SESSIONS: _repeat("id")}, [(SESSIONS, "$[1].id")]),
    Case("action not its type", {SESSIONS: _first_action(_set("canBeApplied", "yes"))},
         [(SESSIONS, "$[0].actions[0].canBeApplied")]),
    Case("action unknown member", {SESSIONS: _first_action(_set("colour", "red"))}, [(SESSIONS, "$[0].actions[0]")]),
    Case("action empty id", {SESSIONS: _first_action(_set("id", ""))}, [(SESSIONS, "$[0].actions[0].id")]),
    Case("action bad date", {SESSIONS: _first_action(_set("date", "today"))}, [(SESSIONS, "$[0].actions[0].date")]),
    Case("duplicate action ids", {SESSIONS: _repeat_action_id}, [(SESSIONS, "$[0].actions[1].id")]),
    # accounts.json
    Case("accounts not JSON", {ACCOUNTS: "[1,"}, [(ACCOUNTS, "")]),
    Case("account not an object", {ACCOUNTS: lambda d: [[1], *d]}, [(ACCOUNTS, "$[0]")]),
    Case("account missing name", {ACCOUNTS: _first(_drop("name"))}, [(ACCOUNTS, "$[0]")]),
    Case("account unknown member", {ACCOUNTS: _first(_set("owner", "x"))}, [(ACCOUNTS, "$[0]")]),
    Case("account empty id", {ACCOUNTS: lambda d: [*d, {"id": "", "name": "x"}]}, [(ACCOUNTS, "$[4].id")]),
    Case("account name not a string", {ACCOUNTS: _first(_set("name", 5))}, [(ACCOUNTS, "$[0].name")]),
    Case("duplicate account ids", {ACCOUNTS: _repeat("id")}, [(ACCOUNTS, "$[1].id")]),
    # usage.json
    Case("usage not a list", {USAGE: '"minutes"'}, [(USAGE, "")]),
    Case("usage record missing date", {USAGE: _first(_drop("date"))}, [(USAGE, "$[0]")]),
    Case("usage record unknown member", {USAGE: _first(_set("seconds", 1))}, [(USAGE, "$[0]")]),
    Case("usage bad date", {USAGE: _first(_set("date", "soon"))}, [(USAGE, "$[0].date")]),
    Case("usage minutes not an integer", {USAGE: _first(_set("aiMinutes", "7"))}, [(USAGE, "$[0].aiMinutes")]),
    Case("usage minutes a float", {USAGE: _first(_set("aiMinutes", 2.0))}, [(USAGE, "$[0].aiMinutes")]),
    Case("usage minutes negative", {USAGE: _first(_set("aiMinutes", -1))}, [(USAGE, "$[0].aiMinutes")]),
    Case("usage empty customer", {USAGE: _first(_set("customerId", ""))}, [(USAGE, "$[0].customerId")]),
]

# Paths that are no fixture folder at all, each built under a temporary folder: no problems to
# list, one line (`FixtureFolderError`).
NOT_FOLDERS: dict[str, Callable[[Path], Path]] = {
    "missing": lambda tmp: tmp / "absent",
    "a file": lambda tmp: _written(tmp / "users.json", "[]"),
    "empty": lambda tmp: _made(tmp / "empty"),
    "none of the files": lambda tmp: _written(_made(tmp / "other") / "notes.json", "[]").parent,
}


def _made(folder: Path) -> Path:
    folder.mkdir()
    return folder


def _written(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
