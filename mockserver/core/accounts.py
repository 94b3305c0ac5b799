"""The fixtures beyond users and sessions: accounts and AI usage records (CONTRACT.md section 8).

- `accounts.json` (optional): `[{"id", "name"}]`, the accounts `NewAISession` accepts and whose name
  it writes as `accountName`; a user's `accountIds` resolve to `accountNames` through it. The
  accounts the sessions name (`accountId` with an `accountName`) are known too, so a fixture folder
  without the file still works.
- `usage.json` (optional): `[{"date", "accountId", "customerId", "aiMinutes"}]`, what `GetAIUsage`
  sums; `date` is ISO 8601 (a date-time without a zone is UTC).

Problems raise `FixtureError` naming the file and the first problem, as for the other files.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any

from mockserver.core.errors import FixtureError
from mockserver.operations.usage import UsageRecord, read_moment

ACCOUNTS_FILE, USAGE_FILE = "accounts.json", "usage.json"


def _optional_list(path: Path) -> list[Any]:
    if not path.exists():
        return []
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FixtureError(path, f"cannot be read as JSON: {exc}") from None
    if not isinstance(document, list):
        raise FixtureError(path, f"expected a JSON list, found {type(document).__name__}")
    return document


def _fail_on(path: Path, problems: list[str]) -> None:
    if problems:
        more = f" (and {len(problems) - 1} more problem(s))" if len(problems) > 1 else ""
        raise FixtureError(path, problems[0] + more)


def load_accounts(directory: Path, sessions: Iterable[Mapping[str, object]]) -> Mapping[str, str]:
    """Account names by id: the sessions' accounts, then `accounts.json`, which wins."""
    accounts: dict[str, str] = {}
    for record in sessions:
        account_id, name = record.get("accountId"), record.get("accountName")
        if isinstance(account_id, str) and isinstance(name, str):
            accounts.setdefault(account_id, name)
    path = directory / ACCOUNTS_FILE
    problems: list[str] = []
    seen: set[str] = set()
    for index, item in enumerate(_optional_list(path)):
        if not isinstance(item, Mapping) or set(item) != {"id", "name"}:
            problems.append(f"[{index}]: expected an object with exactly 'id' and 'name'")
            continue
        if not (isinstance(item["id"], str) and item["id"] and isinstance(item["name"], str)):
            problems.append(f"[{index}]: 'id' must be a non-empty string and 'name' a string")
            continue
        if item["id"] in seen:
            problems.append(f"duplicate id {item['id']!r}")
        seen.add(item["id"])
        accounts[item["id"]] = item["name"]
    _fail_on(path, problems)
    return MappingProxyType(accounts)


_USAGE_MEMBERS = {"date", "accountId", "customerId", "aiMinutes"}


def load_usage(directory: Path) -> tuple[UsageRecord, ...]:
    """The usage records of `usage.json` (none when there is no such file)."""
    path = directory / USAGE_FILE
    records: list[UsageRecord] = []
    problems: list[str] = []
    for index, item in enumerate(_optional_list(path)):
        if not isinstance(item, Mapping) or set(item) != _USAGE_MEMBERS:
            problems.append(f"[{index}]: expected an object with exactly {sorted(_USAGE_MEMBERS)}")
            continue
        moment = read_moment(item["date"]) if isinstance(item["date"], str) else None
        minutes = item["aiMinutes"]
        if moment is None:
            problems.append(f"[{index}].date: {item['date']!r} is not an ISO 8601 date")
        elif not (isinstance(minutes, int) and not isinstance(minutes, bool) and minutes >= 0):
            problems.append(f"[{index}].aiMinutes: expected a whole number of minutes, 0 or more")
        elif not all(isinstance(item[name], str) and item[name] for name in ("accountId", "customerId")):
            problems.append(f"[{index}]: 'accountId' and 'customerId' must be non-empty strings")
        else:
            records.append(UsageRecord(moment, item["accountId"], item["customerId"], minutes))
    _fail_on(path, problems)
    return tuple(records)
