"""What checks work with: `CheckContext` (for response checks) and `Probe` (for scenarios).

The probe builds requests for every route of the operation from the contract alone - the route
templates, which route kind takes `sessionId` from the body (section 1), the body formats of
section 2 - and sends them through the client, so the response checks see every exchange.
"""

from __future__ import annotations

import dataclasses
import json
import random
import string
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote, urlencode

from evokit.contract.formats import Format, jsv, predefined_format
from evokit.contract.model import Contract, Operation, Route
from evokit.contract.verify.report.findings import ROOT_RULES, Violation, is_server_error, server_error_violation
from evokit.contract.verify.run.http import Call, Client, Exchange
from evokit.contract.verify.checks.members import Members
from evokit.contract.verify.run.wire import decode

ResponseCheckFn = Callable[["CheckContext", Exchange], Iterable[Violation]]

# Section 2: the body media types ServiceStack reads, by the short name checks use.
BODY_TYPES: Mapping[str, str] = {
    "json": "application/json",
    "text/json": "text/json",
    "jsv": "application/jsv",
    "text/jsv": "text/jsv",
    "form": "application/x-www-form-urlencoded",
}
ABSENT: Any = object()  # "send no body at all", distinct from an empty object


@dataclass(frozen=True)
class Identities:
    """The `Authorization` values of each kind of caller the run uses (None: send no header).

    `bad` holds wrong credentials (an unknown user, and the admin with a wrong password when the
    admin is a Basic user); identities `bad:0`, `bad:1` name them.
    """

    admin: str
    user: str
    bad: tuple[str, ...]
    superuser: str | None = None

    def header(self, identity: str) -> str | None:
        """The header value for `admin`, `user`, `superuser`, `bad` (the first) or `anonymous`."""
        values = {"admin": self.admin, "user": self.user, "superuser": self.superuser, "bad": self.bad[0]}
        if identity.startswith("bad:"):
            return self.bad[int(identity[4:])]
        return values.get(identity)


@dataclass
class CheckContext:
    """What response checks may read: the contract, the operation the PATCH suites test, the
    operations the run checks (`selected`, the PATCH alone when not given), the members the rules
    talk about, and the user id of each identity the server reported (for `lastModifiedBy`)."""

    contract: Contract
    operation: Operation
    members: Members
    user_ids: Mapping[str, str] = field(default_factory=dict)
    selected: tuple[Operation, ...] = ()

    def __post_init__(self) -> None:
        if not self.selected:
            self.selected = (self.operation,)

    def is_selected(self, name: str) -> bool:
        """Whether the run checks the operation of this name."""
        return any(operation.name == name for operation in self.selected)


@dataclass
class Probe:
    """A scenario's handle on the run: build and send calls, read sessions, report violations.

    Every exchange - sent through `client`, or by another tool and handed to `inspect` - is judged
    by the `response_checks`; their violations go to `report`, or to the `capturing()` list while
    a Hypothesis example runs (so that a failing example can be shrunk before it is reported).
    """

    context: CheckContext
    client: Client
    identities: Identities
    sessions: tuple[str, ...]
    seed: int
    max_examples: int
    response_checks: tuple[ResponseCheckFn, ...]
    report: Callable[[Violation], None]
    shrink: bool = True
    # A read-only run (`--read-only`) sends nothing that changes the server, set-up reads included.
    read_only: bool = False
    listeners: list[Callable[[Exchange], None]] = field(default_factory=list)
    rng: random.Random = field(init=False)
    captured: list[Violation] | None = field(default=None, init=False)
    skipped: dict[str, str] = field(default_factory=dict, init=False)
    # The first server error of the current case (one check, or one Hypothesis example or step).
    case_error: Exchange | None = field(default=None, init=False)
    # The failures Hypothesis examples raised in the current run (kept for a run it cannot replay).
    raised: list[list[Violation]] = field(default_factory=list, init=False)
    # Sessions the run created (NewAISession) and has not seen deleted: the run deletes them at its end.
    created: list[str] = field(default_factory=list, init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.client.observers.append(self.inspect)

    def inspect(self, exchange: Exchange) -> None:
        """Run every response check on an exchange and report (or capture) what they find."""
        for listener in self.listeners:
            listener(exchange)
        if self.case_error is None and is_server_error(exchange):
            self.case_error = exchange
        if exchange.cut_short:  # only its start was read: its size is all it can be judged on
            self.note(server_error_violation(exchange))
            return
        for check in self.response_checks:
            for violation in check(self.context, exchange):
                self.note(violation)

    def skip(self, rule_id: str, reason: str) -> None:
        """Record that a rule could not be checked in this run (it is then reported as not run)."""
        self.skipped.setdefault(rule_id, reason)

    def note(self, violation: Violation) -> None:
        """Report a violation, unless a Hypothesis example is capturing them."""
        if self.captured is not None:
            self.captured.append(violation)
        else:
            self.report(self.attributed(violation))

    def begin_case(self) -> None:
        """Start a new case: server errors met before it no longer explain what follows."""
        self.case_error = None

    def attributed(self, violation: Violation) -> Violation:
        """The violation with its cause: the server error it was seen on, else the first one of
        the current case (the scenario's expectations rest on an answer that never came right)."""
        if violation.cause is not None or violation.rule.id in ROOT_RULES:
            return violation
        cause = violation.exchange if is_server_error(violation.exchange) else self.case_error
        return violation if cause is None else dataclasses.replace(violation, cause=cause)

    @property
    def contract(self) -> Contract:
        """The contract under test."""
        return self.context.contract

    @property
    def operation(self) -> Operation:
        """The operation under test."""
        return self.context.operation

    @property
    def members(self) -> Members:
        """The members the rules talk about (`purpose`, `sessionId`, ...), from the contract."""
        return self.context.members

    @property
    def routes(self) -> tuple[Route, ...]:
        """Every route of the operation, from the contract."""
        return self.operation.routes

    def route(self, path: str) -> Route:
        """The operation's route with this path template (Hypothesis draws paths: they read well
        in a falsifying example)."""
        return next(route for route in self.routes if route.path == path)

    def unknown_id(self) -> str:
        """A random session id no server holds (hex, like the service's ids, never a known one)."""
        while True:
            candidate = "".join(self.rng.choice(string.hexdigits[:16]) for _ in range(24))
            if candidate not in self.sessions:
                return candidate

    def build(
        self,
        route: Route,
        session_id: str,
        body: Any = ABSENT,
        *,
        body_type: str = "json",
        identity: str = "admin",
        query: tuple[tuple[str, str], ...] = (),
        accept: str | None = None,
        suffix: str | None = None,
        headers: tuple[tuple[str, str], ...] = (),
    ) -> Call:
        """A call of `route` acting on `session_id`.

        `body` is a mapping (encoded per `body_type`), raw `bytes` (sent as they are, with
        `body_type` taken as the Content-Type) or `ABSENT`. Routes without the path variable get
        `sessionId` in the body (section 1), unless the body is raw.
        """
        params = {name: session_id for name in route.path_params}
        path = route.path
        for name, value in params.items():
            path = path.replace("{" + name + "}", quote(value, safe=""))
        if suffix is not None:
            path += f".{suffix}"
        if not params and not isinstance(body, bytes):
            body = {self.members.session_id: session_id} | (dict(body) if body is not ABSENT else {})
        own = predefined_format(route.path)
        if own is not None and body_type != "form" and not isinstance(body, bytes):
            # Section 1.1: a pre-defined route reads any non-form body in its own format, so a DTO
            # is written in that format (as the official clients do); how it would read another
            # format is left open by the contract.
            body_type = "jsv" if own is Format.JSV else "json"
        sent: list[tuple[str, str]] = []
        auth = self.identities.header(identity)
        if auth is not None:
            sent.append(("Authorization", auth))
        if accept is not None:
            sent.append(("Accept", accept))
        payload = b""
        if isinstance(body, bytes):
            payload = body
            if body_type:
                sent.append(("Content-Type", BODY_TYPES.get(body_type, body_type)))
        elif body is not ABSENT:
            payload = encode_body(body, body_type)
            sent.append(("Content-Type", BODY_TYPES[body_type]))
        sent.extend(headers)
        return Call(
            route.method, path, route.path, query, tuple(sent), payload, identity, suffix,
            route.format if route.kind == "reply" else None,
        )

    def send(self, call: Call) -> Exchange:
        """Send a call; every response check looks at the exchange."""
        return self.client.send(call)

    def patch(self, route: Route, session_id: str, body: Any = ABSENT, **options: Any) -> Exchange:
        """Build and send a call (see `build`)."""
        return self.send(self.build(route, session_id, body, **options))

    def read(self, session_id: str, *, route: Route | None = None) -> tuple[Exchange, dict[str, Any] | None]:
        """Read a session's state with a PATCH carrying no purpose (section 4); the DTO when 200 JSON."""
        exchange = self.patch(route or self.operation.user_route, session_id, {})
        return exchange, json_object(exchange)

    def purpose(self, value: Any) -> dict[str, Any]:
        """A request body setting the purpose to `value`."""
        return {self.members.purpose: value}

    def body(self, exchange: Exchange) -> dict[str, Any] | None:
        """A 200's AISessionInfo in whatever format it came, or None when it does not decode."""
        if exchange.status != 200:
            return None
        decoded = decode(self.contract, exchange, self.operation.response)  # the 200's DTO
        return decoded.value if decoded is not None else None

    @contextmanager
    def capturing(self) -> Iterator[list[Violation]]:
        """Collect response-check violations instead of reporting them (for Hypothesis examples)."""
        previous, self.captured = self.captured, []
        try:
            yield self.captured
        finally:
            self.captured = previous


def route_paths(probe: Probe) -> Any:
    """A Hypothesis strategy of the operation's route templates (drawn as text, so that a falsifying
    example reads `route='/ai/sessions/{sessionId}'`); `Probe.route` turns one back into a route."""
    from hypothesis import strategies as st

    return st.sampled_from([route.path for route in probe.routes])


def encode_body(body: Mapping[str, Any], body_type: str) -> bytes:
    """A request body in one of section 2's media types."""
    if body_type in ("json", "text/json"):
        return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    if body_type in ("jsv", "text/jsv"):
        return jsv.dumps(dict(body)).encode()
    if body_type == "form":
        return urlencode({k: v if isinstance(v, str) else json.dumps(v) for k, v in body.items()}).encode()
    raise ValueError(f"unknown body type {body_type!r}")


def json_object(exchange: Exchange) -> dict[str, Any] | None:
    """The body as a JSON object, or None when it is not one."""
    try:
        value = json.loads(exchange.body)
    except (ValueError, RecursionError):  # RecursionError: JSON nested deeper than Python reads
        return None
    return value if isinstance(value, dict) else None
