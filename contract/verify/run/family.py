"""Calls of the whole AI-session family (CONTRACT.md section 8), built from the contract alone.

The PATCH's probe fills `sessionId` into a body; the family also reads (GET) and deletes, where
ServiceStack's clients send what the path does not carry in the query string. `FamilyCaller` builds
such calls for any operation and route, sends them through the run's probe (so every response check
sees them) and reads the answer as the DTO the OpenAPI document names for its status.
"""

from __future__ import annotations

import json
import signal
import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from evokit.contract.formats import Format, jsv, predefined_format
from evokit.contract.model import Operation, Route
from evokit.contract.verify.run.http import Call, Exchange
from evokit.contract.verify.run.probe import Probe
from evokit.contract.verify.run.wire import decode, dto_for_status

# Section 8's operation names, as the rules speak of them; each is checked against the contract
# when the family suite starts (`FamilyCaller.operation`).
LIST, GET, NEW, PATCH, DELETE = "ListAISessions", "GetAISession", "NewAISession", "PatchAISession", "DeleteAISession"
APPLY, CLEAR, DELETE_ACTION = "ApplyAISession", "ClearAISessionActions", "DeleteAISessionAction"
USAGE, AUTH_STATUS = "GetAIUsage", "GetAuthStatus"
# Section 8's request and response members the checks read and send.
ACCOUNT_ID, ACCOUNT_IDS, ACTION_ID, ACTIONS, LOG = "accountId", "accountIds", "actionId", "actions", "log"
ITEMS, TOTAL_COUNT, TOTAL_PAGES, HAS_MORE = "items", "totalCount", "totalPages", "hasMorePages"
PAGE, COUNT_PER_PAGE, ALL, SPECIFIC_IDS = "page", "countPerPage", "all", "specificIds"
SORT_FIELD, SORT_ORDER = "sortField", "sortOrder"
# Verbs whose parameters ServiceStack's clients send in the query string rather than a body.
QUERY_VERBS = frozenset({"GET", "DELETE"})

Params = Mapping[str, Any]


def wire_value(value: Any) -> str:
    """A query-string value as ServiceStack's clients write it: lists comma-joined, booleans lower-case."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ",".join(wire_value(item) for item in value)
    return str(value)


@contextmanager
def interrupts_deferred() -> Iterator[None]:
    """Hold a Ctrl-C back until the block ends, then raise it (on the main thread; elsewhere, and
    where no Python handler is installed, the block runs as it is)."""
    if threading.current_thread() is not threading.main_thread() or signal.getsignal(signal.SIGINT) in (
        signal.SIG_IGN, signal.SIG_DFL, None,
    ):
        yield
        return
    received: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda number, frame: received.append(number))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
    if received:
        raise KeyboardInterrupt


@dataclass(frozen=True)
class Answer:
    """An exchange and its body read as the DTO documented for its status (None when it does not
    decode, or has none)."""

    exchange: Exchange
    value: Any

    @property
    def status(self) -> int:
        return self.exchange.status

    def member(self, name: str, default: Any = None) -> Any:
        return self.value.get(name, default) if isinstance(self.value, dict) else default

    def field_names(self) -> list[str]:
        """The lower-cased `fieldName` of every field error of an error answer (section 5)."""
        errors = (self.member("responseStatus") or {}).get("errors") or []
        return [str(error.get("fieldName", "")).lower() for error in errors if isinstance(error, dict)]


class FamilyCaller:
    """Builds, sends and reads calls of any family operation through one probe."""

    def __init__(self, probe: Probe) -> None:
        self.probe = probe
        self.contract = probe.contract

    def operation(self, name: str) -> Operation:
        """The contract's operation (a `KeyError` names a contract that lacks it)."""
        return self.contract.operations[name]

    def routes(self, name: str) -> tuple[Route, ...]:
        """Every route of an operation, one per path: an operation on every verb (GetAIUsage) is
        called with GET, the verb a read is sent with."""
        seen: dict[str, Route] = {}
        for route in self.operation(name).routes:
            if route.path not in seen or route.method == "GET":
                seen[route.path] = route
        return tuple(seen.values())

    def user_route(self, name: str) -> Route:
        """The operation's own route (`GET /ai/sessions`, ...), with the verb `routes` picks."""
        return next(route for route in self.routes(name) if route.kind == "user")

    def build(
        self,
        route: Route,
        params: Params = (),  # type: ignore[assignment]
        *,
        identity: str = "admin",
        accept: str | None = None,
        suffix: str | None = None,
        query: Sequence[tuple[str, str]] = (),
        headers: Sequence[tuple[str, str]] = (),
    ) -> Call:
        """A call of `route` with `params`: path variables in the path, the rest in the query for
        GET and DELETE, else in a body written in the route's own format (JSON on the user route)."""
        values = dict(params)
        path = route.path
        for name in route.path_params:
            path = path.replace("{" + name + "}", quote(str(values.pop(name)), safe=""))
        if suffix is not None:
            path += f".{suffix}"
        sent: list[tuple[str, str]] = []
        auth = self.probe.identities.header(identity)
        if auth is not None:
            sent.append(("Authorization", auth))
        if accept is not None:
            sent.append(("Accept", accept))
        pairs = list(query)
        payload = b""
        if route.method in QUERY_VERBS:
            pairs = [(name, wire_value(value)) for name, value in values.items() if value is not None] + pairs
        elif values:
            if predefined_format(route.path) is Format.JSV:
                payload, media = jsv.dumps(values).encode(), "application/jsv"
            else:
                payload, media = json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode(), "application/json"
            sent.append(("Content-Type", media))
        sent.extend(headers)
        return Call(route.method, path, route.path, tuple(pairs), tuple(sent), payload, identity, suffix,
                    route.format if route.kind == "reply" else None)

    def send(self, route: Route, params: Params = (), **options: Any) -> Answer:  # type: ignore[assignment]
        """Build, send and read one call. A create is sent with Ctrl-C held back until its answer
        is read and the new session noted (`Probe.created`), so the run can always delete it."""
        call = self.build(route, params, **options)
        if route.operation != NEW:
            return self.read(self.probe.send(call))
        with interrupts_deferred():
            answer = self.read(self.probe.send(call))
            created = answer.member(self.probe.members.id)
            if answer.status == 200 and isinstance(created, str) and created not in self.probe.created:
                self.probe.created.append(created)
        return answer

    def call(self, name: str, params: Params = (), **options: Any) -> Answer:  # type: ignore[assignment]
        """Call an operation on its user route."""
        return self.send(self.user_route(name), params, **options)

    def read(self, exchange: Exchange) -> Answer:
        """The exchange with its body read as the DTO documented for its route, verb and status."""
        call = exchange.call
        dto = dto_for_status(self.contract, call.route, exchange.status, call.method)
        if dto is None or not exchange.body:
            return Answer(exchange, None)
        decoded = decode(self.contract, exchange, dto)
        return Answer(exchange, decoded.value if decoded is not None else None)
