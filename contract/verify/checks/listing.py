"""Section 8's listing: paging arithmetic across pages, the filters, the sort orders and the
answers to bad paging values, all held against one `all=true` read of the same sessions.

A live server may hold thousands of sessions: past `POOL` the checks page over the first `POOL`
of them (a `specificIds` filter), so a run costs the same on any server.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Sequence
from typing import Any

from evokit.contract.verify.checks import timestamps
from evokit.contract.verify.checks.family import lacking, violation
from evokit.contract.verify.checks.registry import CHECKS
from evokit.contract.verify.report.findings import Violation
from evokit.contract.verify.run import family as fam
from evokit.contract.verify.run.family import Answer, FamilyCaller
from evokit.contract.verify.run.probe import Probe

POOL = 60
DEFAULT_PAGE_SIZE = 25  # section 8: countPerPage defaults to 25
PAGES = 3  # the pool is paged in about this many pages


def _ids(answer: Answer, id_member: str) -> list[Any]:
    items = answer.member(fam.ITEMS)
    return [item.get(id_member) for item in items if isinstance(item, dict)] if isinstance(items, list) else []


class Pool:
    """The sessions the listing checks page over, in the server's default order."""

    def __init__(self, caller: FamilyCaller) -> None:
        self.caller = caller
        self.id = caller.probe.members.id
        self.everything = caller.call(fam.LIST, {fam.ALL: True})
        ids = _ids(self.everything, self.id)
        self.filter: dict[str, Any] = {} if len(ids) <= POOL else {fam.SPECIFIC_IDS: ids[:POOL]}
        self.items: list[dict[str, Any]] = [i for i in self.everything.member(fam.ITEMS) or [] if isinstance(i, dict)]
        if self.filter:
            self.items = self.items[:POOL]
        self.ids = [item.get(self.id) for item in self.items]

    @property
    def usable(self) -> bool:
        return self.everything.status == 200 and bool(self.ids)

    def page(self, **params: Any) -> Answer:
        return self.caller.call(fam.LIST, self.filter | params)


def _counts(answer: Answer, total: int, pages: int, more: bool) -> dict[str, tuple[Any, Any]]:
    """The paging members that disagree with what the items say: name -> (expected, seen)."""
    expected = {fam.TOTAL_COUNT: total, fam.TOTAL_PAGES: pages, fam.HAS_MORE: more}
    return {name: (value, answer.member(name)) for name, value in expected.items() if answer.member(name) != value}


@CHECKS.scenario("family", "list-paging")
def list_paging(probe: Probe) -> Iterator[Violation]:
    """`all=true` is one page of every match; pages of `countPerPage` items cover it exactly, with
    `totalCount`, `totalPages` and `hasMorePages` telling the truth on each (section 8)."""
    if lacking(probe, {fam.LIST}, "list-paging"):
        return
    pool = Pool(FamilyCaller(probe))
    if not pool.usable:
        yield violation("list-paging", "all", "200 with the sessions given to the run", pool.everything.exchange)
        return
    total = len(_ids(pool.everything, pool.id))
    wrong = _counts(pool.everything, total, 1, False)
    if wrong:
        yield violation("list-paging", "all", "one page holding every match", pool.everything.exchange, repr(wrong))
    n = len(pool.ids)
    for size in sorted({max(1, math.ceil(n / PAGES)), n + 1}):
        pages = math.ceil(n / size)
        for number in range(pages + 1):  # one past the end
            answer = pool.page(page=number, countPerPage=size)
            expected_ids = pool.ids[number * size:(number + 1) * size]
            wrong = _counts(answer, n, pages, number < pages - 1)
            if _ids(answer, pool.id) != expected_ids:
                wrong[fam.ITEMS] = (expected_ids, _ids(answer, pool.id))
            if answer.status != 200 or wrong:
                yield violation("list-paging", f"page-{number}-of-{size}", "the page's share of the all=true list",
                                answer.exchange, repr(wrong))
                return
    default = pool.page()
    expected_ids = pool.ids[:DEFAULT_PAGE_SIZE]
    if _ids(default, pool.id) != expected_ids or default.member(fam.TOTAL_PAGES) != math.ceil(n / DEFAULT_PAGE_SIZE):
        yield violation("list-paging", "default-size", f"the first {DEFAULT_PAGE_SIZE} sessions", default.exchange)
    past = pool.page(page=math.ceil(n / DEFAULT_PAGE_SIZE) + 1, simplifiedPaging=True)
    if past.status != 200 or _ids(past, pool.id):
        yield violation("list-paging", "simplified-past-end", "200 with items: []", past.exchange)


@CHECKS.scenario("family", "list-filter")
def list_filters(probe: Probe) -> Iterator[Violation]:
    """`specificIds` and `accountIds` keep exactly the matching sessions; unknown ids match nothing
    and an empty value filters nothing (section 8)."""
    if lacking(probe, {fam.LIST}, "list-filter"):
        return
    caller = FamilyCaller(probe)
    pool = Pool(caller)
    if not pool.usable:
        return
    chosen = pool.ids[:2]
    answer = caller.call(fam.LIST, {fam.SPECIFIC_IDS: [*chosen, probe.unknown_id()], fam.ALL: True})
    if sorted(_ids(answer, pool.id)) != sorted(chosen) or answer.member(fam.TOTAL_COUNT) != len(chosen):
        yield violation("list-filter", "specificIds", f"exactly {chosen}", answer.exchange, repr(_ids(answer, pool.id)))
    account = pool.items[0].get(fam.ACCOUNT_ID)
    if isinstance(account, str):
        matching = [item.get(pool.id) for item in pool.items if item.get(fam.ACCOUNT_ID) == account]
        answer = pool.page(**{fam.ACCOUNT_IDS: [account], fam.ALL: True})
        if _ids(answer, pool.id) != matching:
            yield violation("list-filter", "accountIds", f"the {len(matching)} session(s) of {account}",
                            answer.exchange, repr(_ids(answer, pool.id)))
    empty = caller.call(fam.LIST, {fam.SPECIFIC_IDS: "", fam.ALL: True})
    if empty.member(fam.TOTAL_COUNT) != pool.everything.member(fam.TOTAL_COUNT):
        yield violation("list-filter", "empty", "an empty specificIds filters nothing", empty.exchange)


def _date_key(item: dict[str, Any], members: Any) -> tuple[bool, float]:
    """dateCreated as a sort key, a missing one first (section 8)."""
    created = timestamps.parse(item.get(members.created))
    return (created is not None, created.timestamp() if created is not None else 0.0)


def _in_order(items: Sequence[dict[str, Any]], members: Any) -> list[dict[str, Any]]:
    """The items in section 8's default order: dateCreated ascending, then id."""
    return sorted(items, key=lambda item: (*_date_key(item, members), str(item.get(members.id))))


@CHECKS.scenario("family", "list-sort")
def list_sort(probe: Probe) -> Iterator[Violation]:
    """The default order is dateCreated then id; `sortField` (any case) and `sortOrder` (any case)
    reorder, ties keeping the default order; `sortOrder` alone reverses the default (section 8)."""
    if lacking(probe, {fam.LIST}, "list-sort"):
        return
    pool = Pool(FamilyCaller(probe))
    if not pool.usable:
        return
    members = probe.members
    default = [item.get(pool.id) for item in _in_order(pool.items, members)]
    if pool.ids != default:
        yield violation("list-sort", "default", "dateCreated ascending, then id", pool.everything.exchange)
        return
    # Python's sort is stable in reverse too: ties keep the default order, as section 8 asks.
    newest_first = [item.get(pool.id) for item in sorted(pool.items, key=lambda i: _date_key(i, members), reverse=True)]
    cases = (
        ({fam.SORT_FIELD: members.created.upper(), fam.SORT_ORDER: "descend"}, newest_first, "dateCreated descending"),
        ({fam.SORT_ORDER: "Descend"}, list(reversed(default)), "the default order reversed"),
        ({fam.SORT_FIELD: members.id, fam.SORT_ORDER: "ASCEND"}, sorted(pool.ids, key=str), "id ascending"),
    )
    for params, expected, description in cases:
        answer = pool.page(**params, **{fam.ALL: True})
        if _ids(answer, pool.id) != expected:
            yield violation("list-sort", ",".join(params), description, answer.exchange, repr(_ids(answer, pool.id)[:10]))


@CHECKS.scenario("family", "list-bad-request")
def list_bad_requests(probe: Probe) -> Iterator[Violation]:
    """countPerPage below 1 and page below 0 are 400s naming the property, an unknown sortField a 400,
    and a value that does not bind a 400 before the auth checks (section 8)."""
    if lacking(probe, {fam.LIST}, "list-bad-request"):
        return
    caller = FamilyCaller(probe)
    for params, field in (({fam.COUNT_PER_PAGE: 0}, fam.COUNT_PER_PAGE), ({fam.COUNT_PER_PAGE: -1}, fam.COUNT_PER_PAGE),
                          ({fam.PAGE: -1}, fam.PAGE)):
        answer = caller.call(fam.LIST, params)
        if answer.status != 400 or field.lower() not in answer.field_names():
            yield violation("list-bad-request", field, f"400 with a field error on {field}", answer.exchange)
    answer = caller.call(fam.LIST, {fam.SORT_FIELD: "noSuchMember"})
    if answer.status != 400:
        yield violation("list-bad-request", "sortField", "400 for an unknown sortField", answer.exchange)
    for params in ({fam.PAGE: "x"}, {fam.ALL: "maybe"}):
        answer = caller.call(fam.LIST, params, identity="anonymous")
        if answer.status != 400:
            yield violation("list-bad-request", "unbindable", "400 before the auth checks", answer.exchange)
