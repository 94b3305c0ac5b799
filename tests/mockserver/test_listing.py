"""`ListAISessions` paging, filters and order (CONTRACT.md section 8), every edge a user hits; and the
binding errors of typed query values, which come before the auth checks."""

from __future__ import annotations

import math

import pytest
from flask.testing import FlaskClient

from evokit.mockserver.operations.listing import default_order_key
from tests.mockserver.family import call, listed
from tests.mockserver.support import SESSIONS, SYSADMIN, client, error_of, mock

__all__ = ["client", "mock"]

DEFAULT_ORDER = [s["id"] for s in sorted(SESSIONS, key=default_order_key)]
ACCOUNT = SESSIONS[0]["accountId"]


def ids(page: dict[str, object]) -> list[str]:
    return [item["id"] for item in page["items"]]  # type: ignore[attr-defined,index]


def test_without_options_the_first_25_in_the_default_order(client: FlaskClient) -> None:
    page = listed(client)
    assert ids(page) == DEFAULT_ORDER[:25]
    assert (page["totalCount"], page["totalPages"], page["hasMorePages"]) == (len(SESSIONS), 1, len(SESSIONS) > 25)


@pytest.mark.parametrize("per_page", [1, 2, 3, len(SESSIONS), len(SESSIONS) + 1])
def test_pages_partition_the_matches_and_the_counts_agree(client: FlaskClient, per_page: int) -> None:
    pages = math.ceil(len(SESSIONS) / per_page)
    seen: list[str] = []
    for number in range(pages + 1):  # one page past the end too
        page = listed(client, {"page": str(number), "countPerPage": str(per_page)})
        assert (page["totalCount"], page["totalPages"]) == (len(SESSIONS), pages)
        assert page["hasMorePages"] is (number < pages - 1)
        assert len(ids(page)) == (min(per_page, len(SESSIONS) - number * per_page) if number < pages else 0)
        seen += ids(page)
    assert seen == DEFAULT_ORDER


def test_all_returns_every_match_on_one_page_ignoring_page_and_count(client: FlaskClient) -> None:
    page = listed(client, {"all": "true", "page": "7", "countPerPage": "0"})
    assert (ids(page), page["totalCount"], page["totalPages"], page["hasMorePages"]) == (DEFAULT_ORDER, len(SESSIONS), 1, False)
    none = listed(client, {"all": "TRUE", "specificIds": "nope"})
    assert (none["items"], none["totalCount"], none["totalPages"]) == ([], 0, 0)


def test_simplified_paging_leaves_the_counts_out(client: FlaskClient) -> None:
    page = listed(client, {"simplifiedPaging": "true", "countPerPage": "2", "page": "100"})
    assert page["items"] == [] and not page.get("totalCount") and not page.get("totalPages")


@pytest.mark.parametrize(("name", "value", "field"), [
    ("countPerPage", "0", "CountPerPage"), ("countPerPage", "-3", "CountPerPage"), ("page", "-1", "Page"),
    ("sortField", "colour", "SortField"),
])
def test_out_of_range_values_and_unknown_sort_fields_are_argument_errors(client: FlaskClient, name: str, value: str, field: str) -> None:
    response = call(client, "ListAISessions", query={name: value})
    assert response.status_code == 400
    status = error_of(response.data)
    assert status["errorCode"] == "ArgumentException"
    assert [e["fieldName"] for e in status["errors"]] == [field]  # type: ignore[union-attr]


@pytest.mark.parametrize(("name", "value"), [("page", "x"), ("all", "maybe"), ("sortOrder", "Sideways"),
                                               ("countPerPage", "99999999999")])
def test_a_value_that_does_not_bind_is_a_serialization_error_before_auth(client: FlaskClient, name: str, value: str) -> None:
    response = client.get("/ai/sessions", query_string={name: value})  # anonymous: binding comes first
    assert response.status_code == 400
    status = error_of(response.data)
    assert (status["errorCode"], status["message"]) == ("SerializationException", "Unable to bind to request 'ListAISessions'")
    (error,) = status["errors"]  # type: ignore[misc]
    assert error["errorCode"] == "SerializationException" and value in error["message"]


def test_filters_by_account_and_ids_comma_joined_unknown_ids_ignored(client: FlaskClient) -> None:
    mine = [s for s in DEFAULT_ORDER if next(x for x in SESSIONS if x["id"] == s)["accountId"] == ACCOUNT]
    assert ids(listed(client, {"accountIds": ACCOUNT, "all": "true"})) == mine
    wanted = [DEFAULT_ORDER[2], DEFAULT_ORDER[0]]
    page = listed(client, {"specificIds": ",".join([*wanted, "no-such-id"])})
    assert ids(page) == [DEFAULT_ORDER[0], DEFAULT_ORDER[2]] and page["totalCount"] == 2
    assert ids(listed(client, {"specificIds": f"[{wanted[0]},{wanted[1]}]"})) == ids(page), "a JSV list too"
    assert ids(listed(client, {"specificIds": "", "accountIds": ""})) == DEFAULT_ORDER[:25], "empty filters nothing"


def test_sorting_any_case_field_and_direction_ties_keep_the_default_order(client: FlaskClient) -> None:
    # A missing purpose sorts first; sorted() is stable, so the default order decides ties.
    expected = [s["id"] for s in sorted(sorted(SESSIONS, key=default_order_key),
                                        key=lambda s: (s.get("purpose") is not None, s.get("purpose") or ""))]
    assert ids(listed(client, {"sortField": "PURPOSE", "all": "true"})) == expected
    descending = [s["id"] for s in sorted(sorted(SESSIONS, key=default_order_key),
                                          key=lambda s: (s.get("purpose") is not None, s.get("purpose") or ""), reverse=True)]
    assert ids(listed(client, {"sortField": "purpose", "sortOrder": "descend", "all": "true"})) == descending
    assert ids(listed(client, {"sortOrder": "DESCEND", "all": "true"})) == DEFAULT_ORDER[::-1]
    assert ids(listed(client, {"sortOrder": "1", "all": "true"})) == DEFAULT_ORDER[::-1], "an enum's number binds too"


def test_list_values_in_a_json_body_bind_like_the_query(client: FlaskClient) -> None:
    response = client.get("/api/ListAISessions", json={"specificIds": [DEFAULT_ORDER[1]], "countPerPage": 5},
                          headers=SYSADMIN)
    assert response.status_code == 200 and ids(response.get_json()) == [DEFAULT_ORDER[1]]


def test_the_default_order_is_rebuilt_only_when_a_session_is_added_or_removed() -> None:
    from evokit.mockserver.operations.index import SessionIndex
    from evokit.mockserver.core.store import InMemoryStore

    class CountingStore(InMemoryStore[dict[str, str]]):
        scans = 0

        def all(self) -> list[dict[str, str]]:
            CountingStore.scans += 1
            return super().all()

    store = CountingStore((f"s{n}", {"id": f"s{n}", "dateCreated": f"2024-05-0{n}T00:00:00.0000000Z"}) for n in (3, 1, 2))
    index = SessionIndex()
    assert [r["id"] for r in index.ordered(store)] == ["s1", "s2", "s3"]  # type: ignore[arg-type]
    store.update("s1", lambda r: {**r, "purpose": "x"})
    assert [r.get("purpose") for r in index.ordered(store)[0:1]] == ["x"] and CountingStore.scans == 1  # type: ignore[arg-type]
    store.put("s0", {"id": "s0", "dateCreated": "2024-04-30T00:00:00.0000000Z"})
    store.delete("s2")
    assert [r["id"] for r in index.ordered(store)] == ["s0", "s1", "s3"] and CountingStore.scans == 2  # type: ignore[arg-type]
