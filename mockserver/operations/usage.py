"""`GetAIUsage`: AI minutes summed per account and per customer (CONTRACT.md section 8). Pure.

The usage records come from the fixtures (`usage.json`): `{date, accountId, customerId, aiMinutes}`.
A record counts when its date lies in `[startDate, endDate]` (either end open when absent) and it
matches `accountId` and `customerId` when they are given; the `customerId` filter narrows
`accountUsage` too. A bare date covers its whole day, a time without a zone is UTC, and a date that
does not read is a 400 `ArgumentException` on that property. An account (or customer) without
records in the range has no row; rows are ordered by account, then customer.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from evokit.contract.timestamps import read_moment
from evokit.mockserver.core.errors import ArgumentFailure

ACCOUNT_USAGE, CUSTOMER_USAGE = "accountUsage", "customerUsage"


@dataclass(frozen=True)
class UsageRecord:
    """Minutes an account's customer used the AI on one moment."""

    moment: datetime
    account_id: str
    customer_id: str
    ai_minutes: int


def _bound(request: Mapping[str, object], name: str, field: str, *, end: bool) -> datetime | None:
    text = request.get(name)
    if not isinstance(text, str) or not text:
        return None
    moment = read_moment(text, end_of_day=end)
    if moment is None:
        raise ArgumentFailure(f"'{text}' is not a date", field=field)
    return moment


def usage_of(records: Iterable[UsageRecord], request: Mapping[str, object]) -> dict[str, object]:
    """The `AIUsage` answer to a `GetAIUsage` request."""
    start = _bound(request, "startDate", "StartDate", end=False)
    end = _bound(request, "endDate", "EndDate", end=True)
    account, customer = request.get("accountId") or None, request.get("customerId") or None
    per_account: dict[str, int] = {}
    per_customer: dict[tuple[str, str], int] = {}
    for record in records:
        if (start is not None and record.moment < start) or (end is not None and record.moment > end):
            continue
        if (account is not None and record.account_id != account) or (customer is not None and record.customer_id != customer):
            continue
        per_account[record.account_id] = per_account.get(record.account_id, 0) + record.ai_minutes
        key = (record.account_id, record.customer_id)
        per_customer[key] = per_customer.get(key, 0) + record.ai_minutes
    return {
        ACCOUNT_USAGE: [{"accountId": a, "aiMinutes": m} for a, m in sorted(per_account.items())],
        CUSTOMER_USAGE: [
            {"accountId": a, "customerId": c, "aiMinutes": m} for (a, c), m in sorted(per_customer.items())
        ],
    }
