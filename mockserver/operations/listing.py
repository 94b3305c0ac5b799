"""`ListAISessions`: filters, order and paging (CONTRACT.md section 8). Pure; no Flask, no store.

The rules, all from section 8 (most marked assumed there):
- `accountIds` and `specificIds` filter (a session matches when its `accountId`, resp. `id`, is in
  the list); an empty list filters nothing; ids that match nothing are simply not found.
- The default order is `dateCreated` ascending, then `id`. `sortField` names an `AISessionInfo`
  member in any letter case (an unknown one is a 400 `ArgumentException`); ties keep the default
  order and a missing value sorts first. `sortOrder=Descend` reverses the direction, also without
  a `sortField` (the default order reversed).
- `page` counts from 0 and `countPerPage` defaults to 25; below 0, resp. 1, is a 400
  `ArgumentException` on that property. `totalCount` is the number of matches, `totalPages`
  `ceil(totalCount / countPerPage)`, `hasMorePages` whether a later page has items.
- `all=true` returns every match on one page: `page` and `countPerPage` are ignored, `totalPages`
  is 1 (0 without matches), `hasMorePages` false.
- `simplifiedPaging=true` leaves the counts out; a page past the end is `items: []` either way.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from evokit.mockserver.core.errors import ArgumentFailure
from evokit.mockserver.core.operation import parse_ticks

DEFAULT_COUNT_PER_PAGE = 25
DESCEND = "Descend"
# ListResponse<T> members the answer fills (checked against the contract by `ListRules`).
ITEMS, TOTAL_COUNT, TOTAL_PAGES, HAS_MORE_PAGES = "items", "totalCount", "totalPages", "hasMorePages"


@dataclass(frozen=True)
class ListQuery:
    """A `ListAISessions` request, its values already read as their types (`TypedProperties`)."""

    account_ids: tuple[str, ...] = ()
    specific_ids: tuple[str, ...] = ()
    page: int = 0
    count_per_page: int = DEFAULT_COUNT_PER_PAGE
    all: bool = False
    sort_field: str | None = None
    descending: bool = False
    simplified: bool = False

    @classmethod
    def from_request(cls, request: Mapping[str, object]) -> ListQuery:
        """The query a bound request asks for; raises `ArgumentFailure` for a page below 0 or a
        count below 1 (not checked with `all=true`, which ignores both)."""
        everything = request.get("all") is True
        query = cls(
            account_ids=tuple(_strings(request.get("accountIds"))),
            specific_ids=tuple(_strings(request.get("specificIds"))),
            page=_int(request.get("page"), 0),
            count_per_page=_int(request.get("countPerPage"), DEFAULT_COUNT_PER_PAGE),
            all=everything,
            sort_field=str(request["sortField"]) if request.get("sortField") else None,
            descending=request.get("sortOrder") == DESCEND,
            simplified=request.get("simplifiedPaging") is True,
        )
        if not everything and query.page < 0:
            raise ArgumentFailure("Page must be 0 or more", field="Page")
        if not everything and query.count_per_page < 1:
            raise ArgumentFailure("CountPerPage must be 1 or more", field="CountPerPage")
        return query


def _strings(value: object) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


def _int(value: object, default: int) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def sort_key_of(members: Sequence[str], field: str) -> Callable[[Mapping[str, object]], tuple[bool, object]]:
    """The sort key of the member `field` names (any letter case); `ArgumentFailure` if none does.

    A missing value sorts first; strings compare ordinally, numbers and booleans as such, and a
    list or object by its JSON text, so any member can order a page without a type error."""
    folded = {name.casefold(): name for name in members}
    name = folded.get(field.strip().casefold())
    if name is None:
        raise ArgumentFailure(f"'{field}' is not a property of AISessionInfo", field="SortField")

    def key(record: Mapping[str, object]) -> tuple[bool, object]:
        value = record.get(name)
        if value is None:
            return (False, "")
        if isinstance(value, (list, dict)):
            return (True, json.dumps(value, sort_keys=True))
        return (True, value)

    return key


def matches(record: Mapping[str, object], query: ListQuery) -> bool:
    """Whether a session passes the query's filters."""
    if query.account_ids and record.get("accountId") not in query.account_ids:
        return False
    return not (query.specific_ids and record.get("id") not in query.specific_ids)


def page_of(ordered: Sequence[Mapping[str, object]], query: ListQuery) -> dict[str, object]:
    """The `ListResponse` of the query over sessions already filtered and in their final order."""
    total = len(ordered)
    if query.all:
        items, pages, more = list(ordered), (1 if total else 0), False
    else:
        start = query.page * query.count_per_page
        items = list(ordered[start : start + query.count_per_page])
        pages = -(-total // query.count_per_page)
        more = start + query.count_per_page < total
    if query.simplified:
        return {ITEMS: items, HAS_MORE_PAGES: more}
    return {ITEMS: items, TOTAL_COUNT: total, TOTAL_PAGES: pages, HAS_MORE_PAGES: more}


def order(
    records: Sequence[Mapping[str, object]], query: ListQuery, members: Sequence[str]
) -> Sequence[Mapping[str, object]]:
    """`records` (in the default order) filtered and put in the query's order."""
    selected = [record for record in records if matches(record, query)] if query.account_ids or query.specific_ids else records
    if query.sort_field is not None:
        # sorted() is stable, also with reverse=True: ties keep the default order.
        return sorted(selected, key=sort_key_of(members, query.sort_field), reverse=query.descending)
    return selected[::-1] if query.descending else selected


def default_order_key(record: Mapping[str, object]) -> tuple[int, str]:
    """`dateCreated` ascending (a session without one first), then `id`: the order without a
    `sortField`. Compared as ticks: fixtures may write 1 to 7 fractional digits."""
    created = record.get("dateCreated")
    ticks = parse_ticks(created) if isinstance(created, str) else None
    return (-1 if ticks is None else ticks, str(record.get("id") or ""))
