"""Loading the fixture files the mock starts from.

- `users.json`: a list of `{userId, userName, password, displayName, roles, permissions}` and an
  optional profile; what a login answers about each user must match the contract's
  `AuthenticateResponse`.
- `<ResponseDto>.json` (`AISessionInfo.json`): a list of sessions, each valid against the
  contract's schema, with a unique non-empty `id` and ISO 8601 UTC dates, because the update
  keeps `dateLastModified` after both (section 4).
- `accounts.json` and `usage.json`, optional (`evokit.mockserver.core.accounts`).

What a folder must be is decided in one place, `evokit.contract.fixtures_check` (which `evokit contract
check --fixtures` runs too), so the two refuse exactly the same folders. Any problem raises
`FixtureError`: one line naming the first few problems and counting the rest, every problem in its
`problems`. The server does not start on data it cannot serve faithfully.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from evokit.contract.fixture_rules import PROFILE_MEMBERS, USER_MEMBERS, FixtureProblem, account_names, session_problems, user_problems
from evokit.contract.fixtures_check import ACCOUNTS_FILE, USAGE_FILE, USERS_FILE, FixtureFolderError, read_document, read_fixture_folder
from evokit.contract.model import Contract
from evokit.mockserver.auth.caller import User
from evokit.mockserver.core.accounts import usage_records
from evokit.mockserver.core.errors import FixtureError
from evokit.mockserver.core.operation import PatchRules, Record
from evokit.mockserver.operations.usage import UsageRecord

__all__ = ["USERS_FILE", "Fixtures", "load_fixtures", "load_sessions", "load_users", "user_document"]

# users.json member -> the `User` attribute it fills (which members are lists: `evokit.contract.fixture_rules`).
_ATTRIBUTES: Mapping[str, str] = {
    "userId": "user_id", "userName": "user_name", "password": "password", "displayName": "display_name",
    "roles": "roles", "permissions": "permissions",
    "firstName": "first_name", "lastName": "last_name", "emailAddress": "email_address",
    "avatarUrl": "avatar_url", "accountIds": "account_ids",
}
_IS_LIST = {**USER_MEMBERS, **PROFILE_MEMBERS}


@dataclass(frozen=True)
class Fixtures:
    """The users and the session records the mock serves, and where they came from."""

    users: tuple[User, ...]
    sessions: tuple[Record, ...]
    directory: Path
    accounts: Mapping[str, str] = field(default_factory=dict)  # account names by id
    usage: tuple[UsageRecord, ...] = ()


def _read_list(path: Path) -> list[Any]:
    document, reason = read_document(path)
    if document is None:
        raise FixtureError.from_problems(path.parent, [FixtureProblem(path.name, "", reason or "unreadable")])
    return document


def _user(item: Mapping[str, Any]) -> User:
    values = {
        _ATTRIBUTES[name]: tuple(item[name]) if _IS_LIST[name] else item[name]
        for name in _ATTRIBUTES if name in USER_MEMBERS or item.get(name) is not None
    }
    return User(**values)


def user_document(user: User) -> dict[str, object]:
    """A user as `users.json` writes it (the inverse of `load_users`; unset profile members out)."""
    document: dict[str, object] = {}
    for name, attr in _ATTRIBUTES.items():
        value = getattr(user, attr)
        if name in USER_MEMBERS or value:
            document[name] = list(value) if _IS_LIST[name] else value
    return document


def load_users(path: Path, *, check: Callable[[Mapping[str, Any]], list[str]]) -> tuple[User, ...]:
    """The users of `path`; `check` returns contract violations of a user's login answer."""
    document = _read_list(path)
    problems = user_problems(path.name, document, check)
    if problems:
        raise FixtureError.from_problems(path.parent, problems)
    return tuple(_user(item) for item in document)


def load_sessions(path: Path, contract: Contract, rules: PatchRules) -> tuple[Record, ...]:
    """The session records of `path`, each checked against the contract's schema."""
    document = _read_list(path)
    problems = session_problems(path.name, document, contract, rules.response)
    if problems:
        raise FixtureError.from_problems(path.parent, problems)
    return tuple(rules.record(item) for item in document)


def load_fixtures(directory: Path, contract: Contract, rules: PatchRules) -> Fixtures:
    """Read and check every fixture file of `directory` (`evokit.contract.fixtures_check`), all at once."""
    try:
        folder = read_fixture_folder(directory, contract, sessions_dto=rules.response)
    except FixtureFolderError as exc:
        raise FixtureError(directory, exc.reason) from None
    if folder.problems:
        raise FixtureError.from_problems(directory, folder.problems)
    documents = folder.documents
    sessions = tuple(rules.record(item) for item in documents[folder.sessions_file])
    return Fixtures(
        users=tuple(_user(item) for item in documents[USERS_FILE]),
        sessions=sessions,
        directory=directory,
        accounts=MappingProxyType(account_names(sessions, documents[ACCOUNTS_FILE])),
        usage=usage_records(documents[USAGE_FILE]),
    )
