"""Set-up proofs: before any check runs, the run proves its own inputs.

A wrong input must not be reported as a broken server: a `--user-auth` whose user holds the role
would make every "403 without the role" check fail, a mistyped password every auth check. So the
run first asks the server who each caller is (`GET /auth`, the current AuthenticateResponse of
CONTRACT.md section 3, with `roles`) and reads every session as the admin; a mistake ends the run
with a `UsageError` naming the option at fault (exit 2).

A server that answers these reads with a 5xx is another matter: set-up retries a read a few times
(a flaky staging server often answers the second time), then raises `ServerFailedError`, which the
run reports as a finding of the server (exit 1) - not as a usage error.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass

from evokit.contract.verify.errors import ServerFailedError, SetupError, UsageError
from evokit.contract.verify.report.findings import is_server_error
from evokit.contract.verify.run.family import GET, FamilyCaller
from evokit.contract.verify.run.http import Call, Client, Exchange
from evokit.contract.verify.run.probe import Probe, json_object

AUTH_PATH = "/auth"
READ_ATTEMPTS = 5
RETRY_PAUSE = 0.25  # seconds before the second attempt; doubled before each later one


def send_repeatable(client: Client, call: Call, during: str, retried: list[str] | None = None) -> Exchange:
    """Send a repeatable call, again after a server error; raise `ServerFailedError` when every
    attempt failed. A read that needed another attempt is told in `retried`: set-up traffic is not
    judged, but a reader should know the server stumbled."""
    for attempt in range(1, READ_ATTEMPTS + 1):
        exchange = client.send_quietly(call)
        if not is_server_error(exchange):
            if attempt > 1 and retried is not None:
                retried.append(f"set-up: {during} answered {_status(failed)} before attempt {attempt} succeeded")
            return exchange
        failed = exchange
        if attempt < READ_ATTEMPTS:
            time.sleep(RETRY_PAUSE * 2 ** (attempt - 1))
    raise ServerFailedError(exchange, during, READ_ATTEMPTS)


def _status(exchange: Exchange) -> str:
    return "no answer" if exchange.status == 0 else str(exchange.status)


@dataclass(frozen=True)
class Caller:
    """What `GET /auth` told about one caller: refused (401), else its user id and roles if given."""

    refused: bool = False
    user_id: str | None = None
    roles: frozenset[str] | None = None


def who_is(client: Client, who: str, authorization: str, members_user_id: str, retried: list[str]) -> Caller:
    """Ask the server who `authorization` is (section 3: `GET /auth`)."""
    call = Call("GET", AUTH_PATH, AUTH_PATH, (), (("Authorization", authorization), ("Accept", "application/json")),
                identity=who)
    exchange = send_repeatable(client, call, f"GET {AUTH_PATH} as the {who}", retried)
    if exchange.status == 401:
        return Caller(refused=True)
    body = json_object(exchange) if exchange.status == 200 else None
    if body is None:
        return Caller()
    user_id = body.get(members_user_id)
    roles = body.get("roles")
    return Caller(
        user_id=user_id if isinstance(user_id, str) and user_id else None,
        roles=frozenset(r for r in roles if isinstance(r, str)) if isinstance(roles, list) else None,
    )


@dataclass(frozen=True)
class Proven:
    """What set-up established: each caller's user id, notes for the reader, and every session's
    purpose before the run (None when it has none)."""

    user_ids: Mapping[str, str]
    notes: tuple[str, ...]
    originals: Mapping[str, object]


def prove(probe: Probe, labels: Mapping[str, str], role: str, superuser: str) -> Proven:
    """Prove the callers and the sessions, in the order a reader would suspect them."""
    callers = {}
    retried: list[str] = []
    for who in ("admin", "user", "superuser"):
        header = probe.identities.header(who)
        if header is not None:
            callers[who] = who_is(probe.client, who, header, probe.members.user_id, retried)
    originals = _read_sessions(probe, labels, role, retried)
    _prove_user(probe, labels["user"], callers["user"], role, superuser, retried)
    if "superuser" in callers:
        _prove_superuser(probe, labels["superuser"], callers["superuser"], superuser, retried)
    user_ids = {who: caller.user_id for who, caller in callers.items() if caller.user_id is not None}
    notes = tuple(retried) + tuple(
        f"GET {AUTH_PATH} gave no userId for the {who}: lastModifiedBy is not checked for it"
        for who in callers if who != "user" and who not in user_ids
    )
    return Proven(user_ids, notes, originals)


def _session_read(probe: Probe, session: str, who: str, retried: list[str]) -> Exchange:
    """A session read that changes no purpose: a purpose-less PATCH (section 4), or in a read-only
    run GetAISession, which changes nothing at all."""
    if _reads_with_get(probe):
        caller = FamilyCaller(probe)  # GetAISession: the one operation that reads a session by id
        call = caller.build(caller.user_route(GET), {probe.members.session_id: session}, identity=who)
    else:
        call = probe.build(probe.operation.user_route, session, {}, identity=who)
    return send_repeatable(probe.client, call, f"reading session {session!r} as the {who}", retried)


def _reads_with_get(probe: Probe) -> bool:
    """A run that sends no PATCH of its own (`--read-only`, or PatchAISession not among the
    operations checked) reads sessions without one too: it then has nothing to restore."""
    return probe.read_only or not probe.context.is_selected(probe.operation.name)


def _verb(probe: Probe) -> str:
    return "GET" if _reads_with_get(probe) else "PATCH"


def _read_sessions(probe: Probe, labels: Mapping[str, str], role: str, retried: list[str]) -> dict[str, object]:
    originals: dict[str, object] = {}
    admin = labels["admin"]
    for session in probe.sessions:
        exchange = _session_read(probe, session, "admin", retried)
        body = json_object(exchange)
        if exchange.status == 401:
            raise UsageError(f"{admin} was refused (401 on {_verb(probe)} of session {session!r}): "
                             "check the user name and password")
        if exchange.status == 403:
            raise UsageError(f"{admin} may not {'read' if _reads_with_get(probe) else 'update'} sessions "
                             f"(403 on {_verb(probe)} of {session!r}): "
                             f"it must name a user holding {role}")
        if exchange.status == 404:
            raise UsageError(f"{labels['sessions']} {session!r}: the server has no such session (404)")
        if exchange.status != 200 or body is None:
            raise SetupError(f"cannot read session {session!r} as the admin: {exchange.describe()}")
        if not _reads_with_get(probe):  # a run without PATCHes has no purpose to restore
            originals[session] = body.get(probe.members.purpose)
    return originals


def _roles(caller: Caller) -> str:
    return ", ".join(sorted(caller.roles or ())) or "none"


def _prove_user(probe: Probe, label: str, caller: Caller, role: str, superuser: str, retried: list[str]) -> None:
    without = f"it must name a user without {role} (and without {superuser})"
    if caller.roles is not None and not caller.refused:
        if caller.roles & {role, superuser}:
            raise UsageError(f"{label}: GET {AUTH_PATH} lists its roles as {_roles(caller)}; {without}")
        return
    # The server did not say: a purpose-less PATCH tells (it changes no purpose, section 4).
    exchange = _session_read(probe, probe.sessions[0], "user", retried)
    if exchange.status == 200:
        raise UsageError(f"{label}: its {_verb(probe)} of session {probe.sessions[0]!r} succeeded; {without}")
    if caller.refused and exchange.status == 401:
        raise _refused(label)


def _refused(label: str) -> UsageError:
    return UsageError(f"{label} was refused (401 on GET {AUTH_PATH} and on PATCH): check the user name and password")


def _prove_superuser(probe: Probe, label: str, caller: Caller, superuser: str, retried: list[str]) -> None:
    if caller.refused:
        exchange = _session_read(probe, probe.sessions[0], "superuser", retried)
        if exchange.status == 401:
            raise _refused(label)
    elif caller.roles is not None and superuser not in caller.roles:
        raise UsageError(f"{label}: GET {AUTH_PATH} lists its roles as {_roles(caller)}; it must name a user "
                         f"holding {superuser}")


def failed_read_note(error: ServerFailedError) -> str:
    """What a reader needs to know about a set-up read the server kept failing."""
    exchange = error.exchange
    assert isinstance(exchange, Exchange)
    return f"set-up: {error.during} failed on all {error.attempts} attempts; the last answer: {exchange.describe()}"
