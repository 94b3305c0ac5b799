"""`GetAIUsage` (CONTRACT.md section 8): sums over the fixture usage records, date range and filters;
the pure summing with hand-made records, the route with the default fixtures."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from flask.testing import FlaskClient

from evokit.mockserver.core.errors import ArgumentFailure
from evokit.mockserver.operations.usage import UsageRecord, usage_of
from tests.mockserver.family import USAGE, call, ok
from tests.mockserver.support import SYSADMIN, client, error_of, mock

__all__ = ["client", "mock"]

RECORDS = (
    UsageRecord(datetime(2024, 5, 1, 8, tzinfo=UTC), "a1", "c1", 10),
    UsageRecord(datetime(2024, 5, 1, 23, 59, 59, tzinfo=UTC), "a1", "c2", 5),
    UsageRecord(datetime(2024, 5, 2, 0, 0, tzinfo=UTC), "a1", "c1", 7),
    UsageRecord(datetime(2024, 5, 3, 12, tzinfo=UTC), "a2", "c9", 3),
)


def test_everything_without_filters_per_account_and_per_customer() -> None:
    assert usage_of(RECORDS, {}) == {
        "accountUsage": [{"accountId": "a1", "aiMinutes": 22}, {"accountId": "a2", "aiMinutes": 3}],
        "customerUsage": [{"accountId": "a1", "customerId": "c1", "aiMinutes": 17},
                          {"accountId": "a1", "customerId": "c2", "aiMinutes": 5},
                          {"accountId": "a2", "customerId": "c9", "aiMinutes": 3}],
    }


def test_a_bare_end_date_covers_its_whole_day_and_either_end_may_be_open() -> None:
    day_one = usage_of(RECORDS, {"startDate": "2024-05-01", "endDate": "2024-05-01"})
    assert day_one["accountUsage"] == [{"accountId": "a1", "aiMinutes": 15}]
    assert usage_of(RECORDS, {"startDate": "2024-05-02T00:00:00"})["accountUsage"] == [
        {"accountId": "a1", "aiMinutes": 7}, {"accountId": "a2", "aiMinutes": 3}], "no zone reads as UTC"
    assert usage_of(RECORDS, {"endDate": "2024-05-01T08:00:00Z"})["accountUsage"] == [{"accountId": "a1", "aiMinutes": 10}]


def test_the_customer_filter_narrows_the_account_rows_too() -> None:
    usage = usage_of(RECORDS, {"accountId": "a1", "customerId": "c2"})
    assert usage["accountUsage"] == [{"accountId": "a1", "aiMinutes": 5}]
    assert usage["customerUsage"] == [{"accountId": "a1", "customerId": "c2", "aiMinutes": 5}]
    assert usage_of(RECORDS, {"accountId": "nobody"}) == {"accountUsage": [], "customerUsage": []}


@pytest.mark.parametrize("name", ["startDate", "endDate"])
def test_an_unreadable_date_is_an_argument_error_on_that_property(name: str) -> None:
    with pytest.raises(ArgumentFailure) as caught:
        usage_of(RECORDS, {name: "last tuesday"})
    assert [error.field_name for error in caught.value.errors] == [name[0].upper() + name[1:]]


def test_the_route_sums_the_fixture_records_on_every_verb(client: FlaskClient) -> None:
    total = sum(record["aiMinutes"] for record in USAGE)
    answer = ok(call(client, "GetAIUsage"), "AIUsage")
    assert sum(row["aiMinutes"] for row in answer["accountUsage"]) == total
    assert sum(row["aiMinutes"] for row in answer["customerUsage"]) == total
    for verb in ("POST", "PUT", "DELETE", "PATCH"):
        assert ok(client.open("/ai/usage", method=verb, headers=SYSADMIN), "AIUsage") == answer, verb
        assert client.open("/ai/usage", method=verb).status_code == 401, verb
    bad = call(client, "GetAIUsage", query={"startDate": "soon"})
    assert bad.status_code == 400 and error_of(bad.data)["errorCode"] == "ArgumentException"
