"""The fixtures beyond users and sessions: accounts and AI usage records (CONTRACT.md section 8).

- `accounts.json` (optional): `[{"id", "name"}]`, the accounts `NewAISession` accepts and whose name
  it writes as `accountName`; a user's `accountIds` resolve to `accountNames` through it. The
  accounts the sessions name (`accountId` with an `accountName`) are known too, so a fixture folder
  without the file still works.
- `usage.json` (optional): `[{"date", "accountId", "customerId", "aiMinutes"}]`, what `GetAIUsage`
  sums; `date` is ISO 8601 (a date-time without a zone is UTC).

The rules are `evokit.contract.fixture_rules`', the ones `evokit contract check` applies; a file that
breaks them raises `FixtureError` with every problem, as for the other files.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from evokit.contract.fixture_rules import FixtureProblem, account_names, account_problems, usage_problems
from evokit.contract.fixtures_check import ACCOUNTS_FILE, USAGE_FILE, read_document
from evokit.contract.model import Contract, load_contract
from evokit.contract.timestamps import read_moment
from evokit.mockserver.core.errors import FixtureError
from evokit.mockserver.operations.usage import UsageRecord

__all__ = ["ACCOUNTS_FILE", "USAGE_FILE", "load_accounts", "load_usage", "usage_records"]


def _optional_list(path: Path) -> list[Any]:
    if not path.exists():
        return []
    document, reason = read_document(path)
    if document is None:
        raise FixtureError.from_problems(path.parent, [FixtureProblem(path.name, "", reason or "unreadable")])
    return document


def load_accounts(directory: Path, sessions: Iterable[Mapping[str, object]]) -> Mapping[str, str]:
    """Account names by id: the sessions' accounts, then `accounts.json`, which wins."""
    document = _optional_list(directory / ACCOUNTS_FILE)
    problems = account_problems(ACCOUNTS_FILE, document)
    if problems:
        raise FixtureError.from_problems(directory, problems)
    return MappingProxyType(account_names(sessions, document))


def usage_records(document: Iterable[Mapping[str, Any]]) -> tuple[UsageRecord, ...]:
    """The records of a checked `usage.json` document."""
    records = []
    for item in document:
        moment = read_moment(item["date"])
        assert moment is not None  # checked by `usage_problems`
        records.append(UsageRecord(moment, item["accountId"], item["customerId"], item["aiMinutes"]))
    return tuple(records)


def load_usage(directory: Path, contract: Contract | None = None) -> tuple[UsageRecord, ...]:
    """The usage records of `usage.json` (none when there is no such file)."""
    document = _optional_list(directory / USAGE_FILE)
    problems = usage_problems(USAGE_FILE, document, contract or load_contract())
    if problems:
        raise FixtureError.from_problems(directory, problems)
    return usage_records(document)
