"""Where a mock keeps its state: the `Backend` seam, and its in-memory default.

A backend builds the four things a mock holds -- the AI sessions, the login sessions, the request
journal and the faults -- and says whether this start should load the fixtures. The in-memory
backend is one process's own memory (always empty at start, so the fixtures always load). The
Redis backend (`evokit.mockserver.shared.backend`, `--store redis://...`) shares all four between every
process using the same prefix, and loads the fixtures only into a prefix that never had them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from evokit.mockserver.auth.caller import AuthSession
from evokit.mockserver.control.faults import Decision, Fault, FaultBook, FaultSpec
from evokit.mockserver.control.journal import Journal, JournalEntry
from evokit.mockserver.core.config import MockConfig
from evokit.mockserver.core.operation import Record
from evokit.mockserver.core.store import InMemoryStore, Store


class RequestJournal(Protocol):
    """What the journal layer and the control plane need of a journal (`Journal` is one)."""

    size: int
    clock: Callable[[], float]

    @property
    def enabled(self) -> bool: ...

    def record(self, entry: JournalEntry) -> None: ...

    def entries(self) -> list[JournalEntry]: ...

    def clear(self) -> int: ...


class FaultRules(Protocol):
    """What the fault layer and the control plane need of the faults (`FaultBook` is one)."""

    def add(self, spec: FaultSpec) -> Fault: ...

    def listed(self) -> list[dict[str, object]]: ...

    def remove(self, fault_id: str) -> bool: ...

    def clear(self) -> int: ...

    def decide(self, method: str, path: str) -> Decision | None: ...


class Backend(Protocol):
    """Builds a mock's state. Required: `description`, `shared`, and the five methods below."""

    # What the banner says the state lives in; `shared` says whether other processes see it.
    description: str
    shared: bool

    def records(self) -> Store[Record]:
        """The AI sessions, by id."""
        ...

    def auth_sessions(self) -> Store[AuthSession]:
        """The login sessions, by session id (the `ss-id` / `ss-pid` cookie value)."""
        ...

    def journal(self, size: int) -> RequestJournal:
        """The request journal, holding the newest `size` entries (0: none)."""
        ...

    def faults(self) -> FaultRules:
        """The faults in force."""
        ...

    def claim_fixtures(self, *, force: bool) -> bool:
        """Whether this start loads the fixtures: always with `force` (`--reset-on-start`),
        otherwise only into a store that has never held them."""
        ...


class MemoryBackend:
    """The default: everything in this process's memory, gone when it stops."""

    description = "memory"
    shared = False

    def records(self) -> Store[Record]:
        return InMemoryStore()

    def auth_sessions(self) -> Store[AuthSession]:
        return InMemoryStore()

    def journal(self, size: int) -> RequestJournal:
        return Journal(size)

    def faults(self) -> FaultRules:
        return FaultBook()

    def claim_fixtures(self, *, force: bool) -> bool:
        return True  # a new process's memory is always empty


def store_line(mock: Any, workers: int) -> str:
    """The banner's `state: ...` line: the store, the number of processes, and whether the
    fixtures were loaded or what the store held was kept (`--reset-on-start` forces a load)."""
    processes = f"{workers} worker processes" if workers > 1 else "1 process"
    if mock.fixtures_loaded:
        done = f"fixtures loaded ({len(mock.fixtures.sessions)} sessions)"
    else:
        done = f"kept the {len(mock.store)} sessions already there (--reset-on-start loads the fixtures)"
    return f"state: {mock.backend.description}, {processes}; {done}"


def open_backend(config: MockConfig) -> Backend:
    """The backend `config.store` names; raises `StoreUnreachable` when a Redis does not answer."""
    if config.store == "memory":
        return MemoryBackend()
    # Imported here: `--store memory` never loads the Redis client.
    from evokit.mockserver.shared.backend import RedisBackend

    return RedisBackend.connect(config.store, config.store_prefix)
