"""`MockState`: everything one mock app holds, built from a config, the contract and the fixtures.

One `MockState` per Flask app, kept in `app.extensions` (never a module global), so two apps in one
process -- as in the tests -- share nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import MappingProxyType

from evokit.contract.formats import DEFAULT_REGISTRY, CodecRegistry, DtoShape
from evokit.contract.model import Contract, Operation, load_contract
from evokit.contract.servicestack import AUTHENTICATE_REQUEST, AUTHENTICATE_RESPONSE
from evokit.mockserver.auth.caller import AuthSession, UserDirectory
from evokit.mockserver.auth.service import RESPONSE_MEMBERS, Authenticator, new_session_id
from evokit.mockserver.http.binding import DtoBinder
from evokit.mockserver.core.backend import Backend, FaultRules, MemoryBackend, RequestJournal, open_backend
from evokit.mockserver.core.config import MockConfig
from evokit.mockserver.core.errors import check_error_names
from evokit.mockserver.core.fixtures import Fixtures, load_fixtures
from evokit.mockserver.core.operation import ID, PatchRules, Record
from evokit.mockserver.operations import HANDLERS, Handler
from evokit.mockserver.operations.index import SessionIndex
from evokit.mockserver.operations.typed import TypedProperties
from evokit.mockserver.http.routing import OperationRouter
from evokit.mockserver.core.store import Store

# The operation the mock was first built around (CONTRACT.md section 1); its update rules
# (`PatchRules`) describe the AISessionInfo records every session operation reads and writes.
OPERATION = "PatchAISession"


@dataclass(frozen=True)
class OperationEntry:
    """One served operation: the contract's view of it and what the mock built for it."""

    operation: Operation
    binder: DtoBinder
    typed: TypedProperties
    handler: Handler
    response_shape: DtoShape | None = field(repr=False)


def utc_now() -> datetime:
    """The default clock: the current time in UTC."""
    return datetime.now(UTC)


def dotnet_type_name(contract: Contract, dto: str) -> str:
    """The DTO's .NET full name, from its DataContract namespace (`Voice.Api.AI.PatchAISession`)."""
    namespace = contract.shape(dto).xml_namespace.rstrip("/").rsplit("/", 1)[-1]
    return f"{namespace}.{dto}" if namespace else dto


@dataclass
class MockState:
    """The mock's data and its collaborators; `reset()` puts the data back to the fixtures."""

    config: MockConfig
    contract: Contract
    fixtures: Fixtures
    operation: Operation
    rules: PatchRules
    router: OperationRouter
    binder: DtoBinder
    auth_binder: DtoBinder
    users: UserDirectory
    store: Store[Record]
    sessions: Store[AuthSession]
    authenticator: Authenticator
    registry: CodecRegistry
    clock: Callable[[], datetime]
    response_shape: DtoShape = field(repr=False)
    auth_shape: DtoShape = field(repr=False)
    entries: Mapping[str, OperationEntry] = field(default_factory=dict, repr=False)
    index: SessionIndex = field(default_factory=SessionIndex, repr=False)
    # The DashboardPermissions enum's names: the user permissions `GetAuthStatus` reports.
    dashboard_permissions: tuple[str, ...] = ()
    # Where the state lives, the control plane's journal and faults there, and whether this
    # start loaded the fixtures (False: a shared store kept what it held).
    backend: Backend = field(default_factory=MemoryBackend, repr=False)
    journal: RequestJournal | None = field(default=None, repr=False)
    faults: FaultRules | None = field(default=None, repr=False)
    fixtures_loaded: bool = True

    def reset(self) -> None:
        """Sessions back to the fixtures; every auth session ended."""
        self.store.reset((record[ID], record) for record in self.fixtures.sessions)
        self.sessions.reset()


def _check_contract(contract: Contract) -> None:
    """The member names the mock writes must exist in the contract; fail at start-up, not per request."""
    defined = {dto: contract.properties(dto) for dto in ("ResponseStatus", "ResponseError", AUTHENTICATE_RESPONSE)}
    missing = check_error_names(defined)
    missing += [f"{AUTHENTICATE_RESPONSE}.{name}" for name in RESPONSE_MEMBERS if name not in defined[AUTHENTICATE_RESPONSE]]
    if missing:
        raise ValueError(f"the contract lacks members the mock writes: {', '.join(missing)}")


def _entries(contract: Contract) -> dict[str, OperationEntry]:
    """A row for every operation of the table the contract declares; the contract must declare
    every operation of the table (a table row without its DTOs is a start-up error)."""
    missing = [name for name in HANDLERS if name not in contract.operations]
    if missing:
        raise ValueError(f"the contract lacks operations the mock serves: {', '.join(missing)}")
    entries = {}
    for name, handler in HANDLERS.items():
        operation = contract.operation(name)
        entries[name] = OperationEntry(
            operation=operation,
            binder=DtoBinder(contract.properties(operation.request), type_name=dotnet_type_name(contract, operation.request)),
            typed=TypedProperties.from_contract(contract, operation.request),
            handler=handler,
            response_shape=contract.shape(operation.response) if operation.response else None,
        )
    return entries


def build_state(
    config: MockConfig,
    *,
    contract: Contract | None = None,
    store: Store[Record] | None = None,
    sessions: Store[AuthSession] | None = None,
    clock: Callable[[], datetime] = utc_now,
    session_ids: Callable[[], str] = new_session_id,
    registry: CodecRegistry = DEFAULT_REGISTRY,
    backend: Backend | None = None,
) -> MockState:
    """Load the fixtures and wire the collaborators; every seam can be replaced.

    Without `backend`, `config.store` names it (`open_backend`); `store` and `sessions` replace
    the backend's own stores. The fixtures are loaded when the backend says so (`claim_fixtures`).
    """
    contract = contract or load_contract()
    _check_contract(contract)
    operation = contract.operation(OPERATION)
    rules = PatchRules.from_contract(contract, OPERATION)
    fixtures = load_fixtures(config.fixtures, contract, rules)
    users = UserDirectory(fixtures.users)
    backend = backend if backend is not None else open_backend(config)
    sessions = sessions if sessions is not None else backend.auth_sessions()
    entries = _entries(contract)
    state = MockState(
        config=config,
        contract=contract,
        fixtures=fixtures,
        operation=operation,
        rules=rules,
        router=OperationRouter(route for entry in entries.values() for route in entry.operation.routes),
        binder=entries[OPERATION].binder,
        auth_binder=DtoBinder(
            contract.properties(AUTHENTICATE_REQUEST),
            type_name=f"ServiceStack.{AUTHENTICATE_REQUEST}",
        ),
        users=users,
        store=store if store is not None else backend.records(),
        sessions=sessions,
        authenticator=Authenticator(
            users=users, sessions=sessions, cookie_name=contract.session_cookie, session_ids=session_ids
        ),
        registry=registry,
        clock=clock,
        response_shape=contract.shape(operation.response),
        auth_shape=contract.shape(AUTHENTICATE_RESPONSE),
        entries=MappingProxyType(entries),
        dashboard_permissions=tuple(contract.schema("DashboardPermissions").get("enum", ())),
        backend=backend,
        journal=backend.journal(config.journal_size if config.control else 0),
        faults=backend.faults(),
    )
    state.fixtures_loaded = backend.claim_fixtures(force=config.reset_on_start)
    if state.fixtures_loaded:
        state.reset()
        # A shared store may hold a previous run's journal and faults: a fresh start has none.
        state.journal.clear()  # type: ignore[union-attr]
        state.faults.clear()  # type: ignore[union-attr]
    return state
