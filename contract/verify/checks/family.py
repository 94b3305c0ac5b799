"""Section 8 scenarios for the family beside the PATCH: the auth matrix and 404s of every operation
on every route, every format of the reads, creating and deleting, and the status of the caller.

Only sessions the run creates are ever written to: the matrix sends its refused and 404 attempts to
ids no server holds, and what a broken server creates anyway is deleted at the end of the run.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from evokit.contract.formats import Format
from evokit.contract.verify.checks import timestamps
from evokit.contract.verify.checks.auth import NOT_FOUND_CODE, expect_anonymous, expect_bad_credentials, expect_forbidden
from evokit.contract.verify.checks.registry import CHECKS
from evokit.contract.verify.report.findings import Violation
from evokit.contract.verify.rules.table import rule
from evokit.contract.verify.run import family as fam
from evokit.contract.verify.run.family import Answer, FamilyCaller
from evokit.contract.verify.run.http import Exchange
from evokit.contract.verify.run.probe import Probe

# Operations the PATCH suites already hold to sections 1-7; the family suite covers the others.
COVERED_ELSEWHERE = frozenset({fam.PATCH})
# The UserInfo member GetAuthStatus is checked on.
IS_AUTHENTICATED = "isAuthenticated"
CREATED_BY = "createdBy"
CREATION_SLACK = 1.0  # seconds
VERIFIER_PURPOSE = "evokit verify: a session created to check NewAISession"


def violation(rule_id: str, kind: str, expected: str, exchange: Exchange, observed: str | None = None) -> Violation:
    return Violation(rule(rule_id), kind, expected, observed or exchange.describe(), exchange)


def family_operations(probe: Probe) -> list[str]:
    """The selected operations this suite checks, in the contract's order."""
    return [op.name for op in probe.context.selected if op.name not in COVERED_ELSEWHERE]


def lacking(probe: Probe, needed: set[str], *rule_ids: str) -> bool:
    """Whether the run checks too few operations for these rules; if so they are reported not run,
    with the reason, rather than passed on no evidence."""
    missing = sorted(needed - set(family_operations(probe)))
    if not missing:
        return False
    reason = ("not run: --read-only sends no request that could change the server" if probe.read_only
              else f"not run: needs {', '.join(missing)}, not among the operations checked (--operation)")
    for rule_id in rule_ids:
        probe.skip(rule_id, reason)
    return True


def unknown_params(caller: FamilyCaller, name: str) -> dict[str, Any]:
    """Ids no server holds for each path variable of the operation (a list or a create takes none)."""
    return {variable: caller.probe.unknown_id() for variable in caller.user_route(name).path_params}


def known_account(caller: FamilyCaller) -> tuple[str | None, str | None]:
    """(accountId, accountName) of the first session the run was given, read with GetAISession."""
    answer = caller.call(fam.GET, {caller.probe.members.session_id: caller.probe.sessions[0]})
    return answer.member(fam.ACCOUNT_ID), answer.member("accountName")


@CHECKS.scenario("family", "anonymous-401", "www-authenticate", "www-authenticate-realm", "bad-credentials",
                 "forbidden-403", "not-found-404", "auth-status", "auth-status-anonymous")
def family_auth_matrix(probe: Probe) -> Iterator[Violation]:
    """Every family operation on every route refuses anonymous (401), bad (401) and role-less (403)
    callers and answers an unknown id 404; GetAuthStatus tells a caller who it is (sections 3, 8)."""
    caller = FamilyCaller(probe)
    lacking(probe, {fam.AUTH_STATUS}, "auth-status", "auth-status-anonymous")
    account, _ = known_account(caller) if fam.NEW in family_operations(probe) else (None, None)
    for name in family_operations(probe):
        if name == fam.AUTH_STATUS:
            yield from _auth_status(caller)
            continue
        params = unknown_params(caller, name)
        if name == fam.NEW:
            params = {fam.ACCOUNT_ID: account, probe.members.purpose: VERIFIER_PURPOSE}
        for route in caller.routes(name):
            # A create a broken server lets through is noted by the caller, and deleted at the end.
            yield from expect_anonymous(caller.send(route, params, identity="anonymous").exchange)
            yield from expect_forbidden(caller.send(route, params, identity="user").exchange)
            if route.kind == "user":
                yield from expect_bad_credentials(probe, caller.send(route, params, identity="bad").exchange)
            if name != fam.NEW and params:
                found = caller.send(route, params)
                code = (found.member("responseStatus") or {}).get("errorCode")
                if found.status != 404 or code != NOT_FOUND_CODE:
                    yield violation("not-found-404", name, f"404 with errorCode {NOT_FOUND_CODE}", found.exchange)


def _auth_status(caller: FamilyCaller) -> Iterator[Violation]:
    for route in caller.routes(fam.AUTH_STATUS):
        anonymous = caller.send(route, identity="anonymous")
        if anonymous.status != 204 or anonymous.exchange.body.strip():
            yield violation("auth-status-anonymous", route.kind, "204 with an empty body", anonymous.exchange)
        # Whether UserInfo.id is the id GET /auth gives is not said (section 8), so it is not compared.
        known = caller.send(route)
        if known.status != 200 or known.member(IS_AUTHENTICATED) is not True:
            yield violation("auth-status", route.kind, "200 UserInfo with isAuthenticated: true", known.exchange)
        if route.kind == "user":
            yield from expect_bad_credentials(caller.probe, caller.send(route, identity="bad").exchange)


# Every way section 6 names a format: a suffix, ?format=, Accept (the pre-defined routes fix their own).
FORMATS = (Format.JSON, Format.XML, Format.JSV, Format.CSV)


@CHECKS.scenario("family", "response-format", "predefined-format", "schema", "wire-order", "jsv-wire")
def family_formats(probe: Probe) -> Iterator[Violation]:
    """The reads of the family answer in every format, on every route (sections 1.1, 6, 8); the
    response checks judge each answer."""
    caller = FamilyCaller(probe)
    reads = {
        fam.LIST: {fam.SPECIFIC_IDS: list(probe.sessions[:3])},
        fam.GET: {probe.members.session_id: probe.sessions[0]},
        fam.USAGE: {},
        fam.AUTH_STATUS: {},
    }
    for name in family_operations(probe):
        if name not in reads:
            continue
        for route in caller.routes(name):
            caller.send(route, reads[name])
            if route.kind == "user":
                for fmt in FORMATS:
                    caller.send(route, reads[name], suffix=fmt.value)
                    caller.send(route, reads[name], accept=fmt.media_type)
            for fmt in FORMATS:
                caller.send(route, reads[name], query=(("format", fmt.value),))
    return iter(())


@CHECKS.scenario("family", "family-create", "family-create-account", "family-delete", "last-modified-by")
def create_then_delete(probe: Probe) -> Iterator[Violation]:
    """NewAISession creates on every route what GET then reads; DeleteAISession answers 204 on every
    route and the session is gone for GET, PATCH, the list and a second DELETE (section 8)."""
    selected = set(family_operations(probe))
    lacking(probe, {fam.NEW}, "family-create", "family-create-account")
    if lacking(probe, {fam.NEW, fam.DELETE}, "family-delete") and fam.NEW not in selected:
        return
    caller = FamilyCaller(probe)
    account, account_name = known_account(caller)
    made: list[str] = []
    for route in caller.routes(fam.NEW):
        purpose = f"{VERIFIER_PURPOSE} ({route.kind} route)"
        answer = caller.send(route, {fam.ACCOUNT_ID: account, probe.members.purpose: purpose})
        if fam.NEW in selected:
            yield from _judge_created(caller, answer, account, account_name, purpose)
        if answer.status == 200 and isinstance(answer.member(probe.members.id), str):
            made.append(answer.member(probe.members.id))
    if fam.NEW in selected:
        for params in ({fam.ACCOUNT_ID: probe.unknown_id(), probe.members.purpose: VERIFIER_PURPOSE},
                       {probe.members.purpose: VERIFIER_PURPOSE}):
            refused = caller.call(fam.NEW, params)
            if refused.status != 400 or fam.ACCOUNT_ID.lower() not in refused.field_names():
                yield violation("family-create-account", "accountId" if params.get(fam.ACCOUNT_ID) else "missing",
                                "400 with a field error on AccountId", refused.exchange)
    if fam.DELETE in selected:
        for route, session in zip(caller.routes(fam.DELETE), made):
            yield from _judge_deleted(caller, caller.send(route, {probe.members.session_id: session}), session)


def _judge_created(caller: FamilyCaller, answer: Answer, account: str | None, account_name: str | None,
                   purpose: str) -> Iterator[Violation]:
    members, probe = caller.probe.members, caller.probe
    new_id = answer.member(members.id)
    if answer.status != 200 or not isinstance(new_id, str):
        yield violation("family-create", "status", "200 with the new AISessionInfo", answer.exchange)
        return
    expected = {fam.ACCOUNT_ID: account, members.purpose: purpose}
    if account_name is not None:
        expected["accountName"] = account_name
    wrong = {name: answer.member(name) for name, value in expected.items() if answer.member(name) != value}
    if new_id in probe.sessions:
        wrong[members.id] = new_id
    created, modified = (timestamps.parse(answer.member(name)) for name in (members.created, members.modified))
    # "Both the time of creation": a service reading its clock twice may write two ticks apart.
    if created is None or modified is None or abs((modified - created).total_seconds()) > CREATION_SLACK:
        wrong[members.modified] = answer.member(members.modified)
    admin = probe.context.user_ids.get("admin")
    if admin is not None and answer.member(CREATED_BY) != admin:
        # Which id GET /auth gives a caller is assumed (section 4), so this is a warning, like lastModifiedBy.
        yield violation("last-modified-by", "createdBy", repr(admin), answer.exchange, repr(answer.member(CREATED_BY)))
    if wrong:
        yield violation("family-create", "members", f"a new session with {expected}", answer.exchange, repr(wrong))
        return
    read = caller.call(fam.GET, {members.session_id: new_id})
    if read.status != 200 or read.member(members.purpose) != purpose:
        yield violation("family-create", "read-back", f"GET answers the session just created ({new_id})", read.exchange)


def _judge_deleted(caller: FamilyCaller, answer: Answer, session: str) -> Iterator[Violation]:
    members = caller.probe.members
    if answer.status != 204 or answer.exchange.body:
        yield violation("family-delete", "status", "204 with an empty body", answer.exchange)
        return
    if session in caller.probe.created:
        caller.probe.created.remove(session)
    after = [
        caller.call(fam.GET, {members.session_id: session}),
        caller.call(fam.PATCH, {members.session_id: session}),
        caller.call(fam.DELETE, {members.session_id: session}),
    ]
    for answer_after in after:
        if answer_after.status != 404:
            yield violation("family-delete", answer_after.exchange.call.method.lower(),
                            f"404: {session} was deleted", answer_after.exchange)
    listed = caller.call(fam.LIST, {fam.SPECIFIC_IDS: [session]})
    if listed.status == 200 and listed.member(fam.ITEMS):
        yield violation("family-delete", "list", f"no item: {session} was deleted", listed.exchange)
