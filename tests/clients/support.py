"""Plugin module of the official-client tests: the real `evokit mock` of `tests.mockserver.server`
(`live`, one per module; `fresh`, reset per test), the users the clients log in as, the mock's
`/types/python` imported as a module (`dtos`), and the usage sums the clients' answers are checked
against."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Iterator, Mapping, Sequence
from types import ModuleType
from typing import Any

import pytest
import requests

from tests.mockserver.server import LiveServer, fresh, live
from tests.mockserver.support import SESSION_IDS, USERS, user_named

__all__ = ["CUSTOMER", "SID", "SYSADMIN", "dtos", "fresh", "live", "usage_rows"]

SID = SESSION_IDS[0]
SYSADMIN = user_named("sysadmin")
CUSTOMER = user_named("customer")
assert SYSADMIN is USERS[0]
DTO_MODULE = "evokit_mock_dtos"
UsageRows = tuple[list[dict[str, Any]], list[dict[str, Any]]]


@pytest.fixture(scope="module")
def dtos(live: LiveServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The mock's `/types/python`, saved as a file and imported, as a frontend developer would."""
    response = requests.get(f"{live.url}/types/python", timeout=10)
    assert response.status_code == 200
    path = tmp_path_factory.mktemp("python-client") / f"{DTO_MODULE}.py"
    path.write_text(response.text, encoding="utf-8")
    spec = importlib.util.spec_from_file_location(DTO_MODULE, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[DTO_MODULE] = module  # dataclasses resolve the module's names through sys.modules
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop(DTO_MODULE, None)


def usage_rows(records: Sequence[Mapping[str, Any]]) -> UsageRows:
    """CONTRACT.md section 8's sums of `aiMinutes` over these usage records, per account and per
    customer, each list sorted by its ids."""
    accounts: dict[str, int] = {}
    customers: dict[tuple[str, str], int] = {}
    for record in records:
        accounts[record["accountId"]] = accounts.get(record["accountId"], 0) + record["aiMinutes"]
        pair = (record["accountId"], record["customerId"])
        customers[pair] = customers.get(pair, 0) + record["aiMinutes"]
    return ([{"accountId": a, "aiMinutes": m} for a, m in sorted(accounts.items())],
            [{"accountId": a, "customerId": c, "aiMinutes": m} for (a, c), m in sorted(customers.items())])


def sorted_usage(usage: Mapping[str, Any]) -> UsageRows:
    """An `AIUsage` in JSON names, its rows sorted as `usage_rows` sorts them."""
    def order(row: Mapping[str, Any]) -> tuple[str, str]:
        return row["accountId"], row.get("customerId", "")
    return (sorted(usage.get("accountUsage") or [], key=order),
            sorted(usage.get("customerUsage") or [], key=order))
