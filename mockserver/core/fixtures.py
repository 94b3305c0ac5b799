"""Loading and checking the fixture files the mock starts from.

- `users.json`: a list of `{userId, userName, password, displayName, roles, permissions}`; what a
  login answers about each user must match the contract's `AuthenticateResponse`.
- `<ResponseDto>.json` (`AISessionInfo.json`): a list of sessions, each valid against the
  contract's schema, with a unique non-empty `id` and ISO 8601 UTC dates, because the update
  keeps `dateLastModified` after both (section 4).

Any problem raises `FixtureError` naming the file and the first problem (with a count of the rest):
the server does not start on data it cannot serve faithfully.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from contract.model import Contract
from contract.servicestack import AUTHENTICATE_RESPONSE
from mockserver.core.accounts import load_accounts, load_usage
from mockserver.auth.caller import User
from mockserver.core.errors import FixtureError
from mockserver.core.operation import CREATED, ID, MODIFIED, PatchRules, Record, parse_ticks
from mockserver.operations.usage import UsageRecord

USERS_FILE = "users.json"
# users.json member -> (User attribute, is a list of strings).
_USER_FIELDS: dict[str, tuple[str, bool]] = {
    "userId": ("user_id", False),
    "userName": ("user_name", False),
    "password": ("password", False),
    "displayName": ("display_name", False),
    "roles": ("roles", True),
    "permissions": ("permissions", True),
}
# Optional members: what `GetAuthStatus` answers about the user besides the above (section 8).
_PROFILE_FIELDS: dict[str, tuple[str, bool]] = {
    "firstName": ("first_name", False),
    "lastName": ("last_name", False),
    "emailAddress": ("email_address", False),
    "avatarUrl": ("avatar_url", False),
    "accountIds": ("account_ids", True),
}


@dataclass(frozen=True)
class Fixtures:
    """The users and the session records the mock serves, and where they came from."""

    users: tuple[User, ...]
    sessions: tuple[Record, ...]
    directory: Path
    accounts: Mapping[str, str] = field(default_factory=dict)  # account names by id
    usage: tuple[UsageRecord, ...] = ()


def _read_list(path: Path) -> list[Any]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise FixtureError(path, "file not found") from None
    except OSError as exc:
        raise FixtureError(path, f"cannot be read: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise FixtureError(path, f"not UTF-8 (byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise FixtureError(path, f"not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}") from None
    if not isinstance(document, list):
        raise FixtureError(path, f"expected a JSON list, found {type(document).__name__}")
    return document


def _fail_on(path: Path, problems: Sequence[str]) -> None:
    if problems:
        more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
        raise FixtureError(path, problems[0] + more)


def _user_problems(index: int, item: object) -> list[str]:
    if not isinstance(item, Mapping):
        return [f"[{index}]: expected an object, found {type(item).__name__}"]
    problems = []
    for name, (_, is_list) in _USER_FIELDS.items():
        value = item.get(name)
        if is_list:
            if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
                problems.append(f"[{index}].{name}: expected a list of non-empty strings")
        elif not isinstance(value, str) or (not value and name != "displayName"):
            problems.append(f"[{index}].{name}: expected a non-empty string")
    for name, (_, is_list) in _PROFILE_FIELDS.items():
        value = item.get(name)
        if value is None:
            continue
        if is_list and not (isinstance(value, list) and all(isinstance(v, str) and v for v in value)):
            problems.append(f"[{index}].{name}: expected a list of non-empty strings")
        elif not is_list and not isinstance(value, str):
            problems.append(f"[{index}].{name}: expected a string")
    known = _USER_FIELDS.keys() | _PROFILE_FIELDS.keys()
    problems.extend(f"[{index}]: unknown member {key!r}" for key in item if key not in known)
    return problems


def _user(item: Mapping[str, Any]) -> User:
    values = {attr: tuple(item[name]) if is_list else item[name] for name, (attr, is_list) in _USER_FIELDS.items()}
    for name, (attr, is_list) in _PROFILE_FIELDS.items():
        if item.get(name) is not None:
            values[attr] = tuple(item[name]) if is_list else item[name]
    return User(**values)  # type: ignore[arg-type]


def user_document(user: User) -> dict[str, object]:
    """A user as `users.json` writes it (the inverse of `load_users`; unset profile members out)."""
    document: dict[str, object] = {}
    for name, (attr, is_list) in (_USER_FIELDS | _PROFILE_FIELDS).items():
        value = getattr(user, attr)
        if name in _USER_FIELDS or value:
            document[name] = list(value) if is_list else value
    return document


def load_users(path: Path, *, check: Callable[[Mapping[str, Any]], list[str]]) -> tuple[User, ...]:
    """The users of `path`; `check` returns contract violations of a user's login answer."""
    document = _read_list(path)
    problems = [problem for index, item in enumerate(document) for problem in _user_problems(index, item)]
    _fail_on(path, problems)
    users = tuple(_user(item) for item in document)
    for index, item in enumerate(document):
        answer = {key: value for key, value in item.items() if key != "password" and key not in _PROFILE_FIELDS}
        problems.extend(f"[{index}] as {AUTHENTICATE_RESPONSE}: {problem}" for problem in check(answer))
    for attr in ("user_id", "user_name"):
        values = [getattr(user, attr) for user in users]
        problems.extend(f"duplicate {attr} {value!r}" for value in sorted({v for v in values if values.count(v) > 1}))
    if not users:
        problems.append("no users: at least one is needed to call the operation")
    _fail_on(path, problems)
    return users


def _session_problems(index: int, item: Mapping[str, Any], violations: list[str]) -> list[str]:
    problems = [f"[{index}]{violation.removeprefix('$')}" for violation in violations]
    if not item.get(ID):  # first, in the kit's words: the schema requires it too, but not non-empty
        problems.insert(0, f"[{index}].{ID}: every session needs a non-empty id")
    if problems:
        return problems
    for name in (CREATED, MODIFIED):
        if name in item and parse_ticks(item[name]) is None:
            problems.append(f"[{index}].{name}: {item[name]!r} is not an ISO 8601 UTC timestamp")
    return problems


def load_sessions(path: Path, contract: Contract, rules: PatchRules) -> tuple[Record, ...]:
    """The session records of `path`, each checked against the contract's schema."""
    document = _read_list(path)
    problems: list[str] = []
    for index, item in enumerate(document):
        violations = [str(v) for v in contract.violations(rules.response, item)]
        if not isinstance(item, Mapping):
            problems.extend(f"[{index}]{v.removeprefix('$')}" for v in violations or ["$: expected an object"])
            continue
        unknown = [key for key in item if key not in rules.wire_order]
        violations.extend(f"$: unknown member {key!r}" for key in unknown)
        problems.extend(_session_problems(index, item, violations))
    ids = [item.get(ID) for item in document if isinstance(item, Mapping)]
    problems.extend(f"duplicate {ID} {value!r}" for value in sorted({v for v in ids if v and ids.count(v) > 1}))
    _fail_on(path, problems)
    return tuple(rules.record(item) for item in document)


def load_fixtures(directory: Path, contract: Contract, rules: PatchRules) -> Fixtures:
    """Read and check `users.json` and `<ResponseDto>.json` in `directory`."""
    if not directory.is_dir():
        raise FixtureError(directory, "fixture folder not found")
    validator = contract.validator(AUTHENTICATE_RESPONSE)
    users = load_users(
        directory / USERS_FILE,
        check=lambda answer: [f"{e.json_path}: {e.message}" for e in validator.iter_errors(answer)],
    )
    sessions = load_sessions(directory / f"{rules.response}.json", contract, rules)
    accounts = load_accounts(directory, sessions)
    unknown = sorted({a for user in users for a in user.account_ids if a not in accounts})
    if unknown:
        raise FixtureError(directory / USERS_FILE, f"accountIds name unknown account(s) {unknown}: add them to accounts.json")
    return Fixtures(users, sessions, directory, accounts, load_usage(directory))
