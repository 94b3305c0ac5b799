"""Section 8's writes beside PATCH and DELETE (apply, clear the actions, delete one action) and the
usage report.

The writes act only on a session the run creates for them (no public operation gives a session
actions, so it has none): what can be held against the contract is that they change nothing else
and refuse an action the session lacks. The usage report is read with ranges and filters whose
answers must be consistent with the whole report.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from evokit.contract.verify.checks.family import VERIFIER_PURPOSE, known_account, lacking, violation
from evokit.contract.verify.checks.registry import CHECKS
from evokit.contract.verify.report.findings import Violation
from evokit.contract.verify.run import family as fam
from evokit.contract.verify.run.family import Answer, FamilyCaller
from evokit.contract.verify.run.probe import Probe

ACCOUNT_USAGE, CUSTOMER_USAGE, AI_MINUTES = "accountUsage", "customerUsage", "aiMinutes"
START_DATE, END_DATE, CUSTOMER_ID = "startDate", "endDate", "customerId"
# A range no usage record of a live service can lie in.
LONG_AGO = ("1900-01-01", "1900-01-02")


def _created_session(caller: FamilyCaller) -> dict[str, Any] | None:
    """A new session of the run's own, or None when the server would not create one."""
    account, _ = known_account(caller)
    answer = caller.call(fam.NEW, {fam.ACCOUNT_ID: account, caller.probe.members.purpose: VERIFIER_PURPOSE})
    return answer.value if answer.status == 200 and isinstance(answer.member(caller.probe.members.id), str) else None


def _unchanged(before: dict[str, Any], answer: Answer, probe: Probe) -> dict[str, Any]:
    """Members a write with nothing to do changed, though only the modification pair may change."""
    members = probe.members
    maintained = {members.modified, members.modified_by}
    names = (set(before) | set(answer.value or {})) - maintained - {fam.ACTIONS}
    changed = {name: answer.member(name) for name in sorted(names) if answer.member(name) != before.get(name)}
    if (answer.member(fam.ACTIONS) or []) != (before.get(fam.ACTIONS) or []):
        changed[fam.ACTIONS] = answer.member(fam.ACTIONS)
    return changed


@CHECKS.scenario("family", "apply-actions", "clear-actions", "not-found-404")
def actions_on_own_session(probe: Probe) -> Iterator[Violation]:
    """Apply, clear and delete-action on a session the run created: 200s that change nothing but the
    modification pair, `actions: []` after clearing, 404 for an action it lacks (section 8)."""
    base = {fam.NEW, fam.DELETE}  # the session it works on is its own: created, and deleted after
    applies = not lacking(probe, base | {fam.APPLY}, "apply-actions")
    clears = not lacking(probe, base | {fam.CLEAR, fam.DELETE_ACTION}, "clear-actions")
    if not (applies or clears):
        return
    caller = FamilyCaller(probe)
    session = _created_session(caller)
    if session is None:
        return  # create_then_delete reports a NewAISession that does not create
    params = {probe.members.session_id: session[probe.members.id]}
    if applies:
        for route in caller.routes(fam.APPLY):
            applied = caller.send(route, params)
            changed = _unchanged(session, applied, probe)
            if applied.status != 200 or changed:
                yield violation("apply-actions", route.kind, "200 with the session unchanged (nothing pending)",
                                applied.exchange, repr(changed) if applied.status == 200 else None)
    if clears:
        for route in caller.routes(fam.CLEAR):
            cleared = caller.send(route, params)
            if cleared.status != 200 or cleared.member(fam.ACTIONS) != [] or _unchanged(session, cleared, probe):
                yield violation("clear-actions", route.kind, "200 with actions: [] and nothing else changed",
                                cleared.exchange)
    if clears:
        for route in caller.routes(fam.DELETE_ACTION):
            missing = caller.send(route, params | {fam.ACTION_ID: probe.unknown_id()})
            if missing.status != 404:
                yield violation("clear-actions", f"delete-action-{route.kind}", "404: the session has no such action",
                                missing.exchange)


def _minutes(answer: Answer, table: str) -> dict[tuple[Any, ...], int]:
    """Rows of one usage table by key: accountId (and customerId for customer usage) -> aiMinutes."""
    rows = answer.member(table) or []
    result: dict[tuple[Any, ...], int] = {}
    for row in rows if isinstance(rows, list) else []:
        if isinstance(row, dict) and isinstance(row.get(AI_MINUTES), int):
            key = (row.get(fam.ACCOUNT_ID), row.get(CUSTOMER_ID)) if table == CUSTOMER_USAGE else (row.get(fam.ACCOUNT_ID),)
            result[key] = row[AI_MINUTES]
    return result


@CHECKS.scenario("family", "usage-range")
def usage_ranges(probe: Probe) -> Iterator[Violation]:
    """A range before any record counts nothing, a later start never counts more, an account filter
    keeps that account's rows, and an unreadable date is a 400 (section 8)."""
    if lacking(probe, {fam.USAGE}, "usage-range"):
        return
    caller = FamilyCaller(probe)
    whole = caller.call(fam.USAGE)
    if whole.status != 200:
        yield violation("usage-range", "whole", "200 with the usage report", whole.exchange)
        return
    empty = caller.call(fam.USAGE, {START_DATE: LONG_AGO[0], END_DATE: LONG_AGO[1]})
    if any(_minutes(empty, table) for table in (ACCOUNT_USAGE, CUSTOMER_USAGE)):
        yield violation("usage-range", "empty-range", "no rows for a range before every record", empty.exchange)
    accounts = _minutes(whole, ACCOUNT_USAGE)
    later = caller.call(fam.USAGE, {START_DATE: "2000-01-01"})
    grown = {key: minutes for key, minutes in _minutes(later, ACCOUNT_USAGE).items() if minutes > accounts.get(key, 0)}
    if grown:
        yield violation("usage-range", "narrower", "no more minutes than the whole report", later.exchange, repr(grown))
    for (account,) in list(accounts)[:1]:
        one = caller.call(fam.USAGE, {fam.ACCOUNT_ID: account})
        if _minutes(one, ACCOUNT_USAGE) != {(account,): accounts[(account,)]}:
            yield violation("usage-range", "accountId", f"only {account}'s row, {accounts[(account,)]} minutes",
                            one.exchange, repr(_minutes(one, ACCOUNT_USAGE)))
    bad = caller.call(fam.USAGE, {START_DATE: "not-a-date"})
    if bad.status != 400:
        yield violation("usage-range", "bad-date", "400 for an unreadable date", bad.exchange)
