"""One validation of a fixture folder, for `evokit contract check --fixtures` and the mock's start-up.

A fixture folder holds `users.json` and the sessions file, `<Sessions DTO>.json`
(`AISessionInfo.json`), both required, and `accounts.json` and `usage.json`, both optional.
`read_fixture_folder` reads every one of them, applies `evokit.contract.fixture_rules` and returns the
parsed documents with every problem found, so the mock builds its data from the very documents
that were checked. A path that is no fixture folder at all (missing, a file, empty, holding none
of those files) raises `FixtureFolderError`: there is nothing to list problems of.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from evokit.contract.errors import ContractError
from evokit.contract.fixture_rules import (
    FixtureProblem,
    account_names,
    account_problems,
    account_reference_problems,
    json_type,
    session_problems,
    usage_problems,
    user_problems,
)
from evokit.contract.model import Contract
from evokit.contract.servicestack import AUTHENTICATE_RESPONSE

# The operation whose response DTO the sessions file holds (CONTRACT.md section 1).
SESSION_OPERATION = "PatchAISession"
USERS_FILE, ACCOUNTS_FILE, USAGE_FILE = "users.json", "accounts.json", "usage.json"
OPTIONAL_FILES = (ACCOUNTS_FILE, USAGE_FILE)


class FixtureFolderError(ContractError):
    """A fixture path that is not a fixture folder: missing, a file, empty, or holding none of the
    fixture files. `str()` is one line naming the path."""

    def __init__(self, directory: Path, reason: str) -> None:
        self.directory = directory
        self.reason = reason
        super().__init__(f"{directory}: {reason}")


@dataclass(frozen=True)
class FixtureFolder:
    """A fixture folder as read: each file's list (an absent optional file as `[]`; an unreadable
    file left out) and every problem, in file order."""

    directory: Path
    sessions_file: str
    documents: Mapping[str, Sequence[Any]] = field(repr=False)
    problems: tuple[FixtureProblem, ...]


def sessions_file_name(contract: Contract, sessions_dto: str | None = None) -> str:
    """The sessions file's name: the DTO's, by default the response of `SESSION_OPERATION`."""
    dto = sessions_dto or contract.operation(SESSION_OPERATION).response
    return f"{dto}.json"


def read_document(path: Path) -> tuple[list[Any] | None, str | None]:
    """A fixture file's JSON list, or None and the reason it cannot be one."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, "file not found"
    except UnicodeDecodeError as exc:
        return None, f"not UTF-8 (byte {exc.start})"
    except OSError as exc:
        return None, f"cannot be read: {exc.strerror or exc}"
    except json.JSONDecodeError as exc:
        return None, f"not JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
    except RecursionError:  # json's own limit: a hostile file must be a problem, not a traceback
        return None, "not readable: JSON nested too deeply"
    if not isinstance(document, list):
        return None, f"expected a JSON list, found {json_type(document)}"
    return document, None


def _require_folder(directory: Path, expected: Sequence[str]) -> None:
    if not directory.exists():
        raise FixtureFolderError(directory, "no such fixture folder")
    if not directory.is_dir():
        raise FixtureFolderError(directory, "is a file, not a fixture folder")
    try:
        present = {entry.name for entry in directory.iterdir()}
    except OSError as exc:
        raise FixtureFolderError(directory, f"cannot be read: {exc.strerror or exc}") from None
    required = ", ".join(name for name in expected if name not in OPTIONAL_FILES)
    if not present:
        raise FixtureFolderError(directory, f"is an empty folder; a fixture folder holds {required}")
    if not present & set(expected):
        raise FixtureFolderError(directory, f"holds none of the fixture files ({', '.join(expected)})")


def read_fixture_folder(directory: Path, contract: Contract, *, sessions_dto: str | None = None) -> FixtureFolder:
    """Read and check every fixture file of `directory`; raises `FixtureFolderError` when it is no
    fixture folder. `sessions_dto` names the sessions' DTO (default: `SESSION_OPERATION`'s response)."""
    sessions_file = sessions_file_name(contract, sessions_dto)
    dto = sessions_file.removesuffix(".json")
    files = (USERS_FILE, sessions_file, *OPTIONAL_FILES)
    _require_folder(directory, files)
    documents: dict[str, list[Any]] = {}
    problems: list[FixtureProblem] = []
    for name in files:
        if name in OPTIONAL_FILES and not (directory / name).exists():
            documents[name] = []
            continue
        document, reason = read_document(directory / name)
        if document is None:
            problems.append(FixtureProblem(name, "", reason or "unreadable"))
        else:
            documents[name] = document
    rules = {
        USERS_FILE: lambda doc: user_problems(USERS_FILE, doc, lambda answer: contract.violations(AUTHENTICATE_RESPONSE, answer)),
        sessions_file: lambda doc: session_problems(sessions_file, doc, contract, dto),
        ACCOUNTS_FILE: lambda doc: account_problems(ACCOUNTS_FILE, doc),
        USAGE_FILE: lambda doc: usage_problems(USAGE_FILE, doc, contract),
    }
    for name in files:
        if name in documents:
            problems.extend(rules[name](documents[name]))
    # A user's accounts resolve through the sessions and accounts.json; judged only when all three read.
    if all(name in documents for name in (USERS_FILE, sessions_file, ACCOUNTS_FILE)):
        known = account_names(documents[sessions_file], documents[ACCOUNTS_FILE])
        problems.extend(account_reference_problems(USERS_FILE, documents[USERS_FILE], known, ACCOUNTS_FILE))
    return FixtureFolder(directory, sessions_file, MappingProxyType(documents), tuple(problems))


def check_fixture_folder(directory: Path, contract: Contract, *, sessions_dto: str | None = None) -> list[FixtureProblem]:
    """Every problem of the fixture folder (empty when the mock can serve it)."""
    return list(read_fixture_folder(directory, contract, sessions_dto=sessions_dto).problems)
