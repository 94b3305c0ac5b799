"""The storage seam: a `Store` protocol and its in-memory, lock-guarded default.

The mock keeps two stores: AI sessions (`AISessionInfo` records by id) and auth sessions (by
session id). Both hold immutable values, so a reader can use what it got while writers replace it.

Reads take no lock. Under CPython's GIL a single `dict.get` or `dict.copy` is atomic with respect to
other threads, and writers only ever replace whole values, so a reader sees either the old or the
new record, never a half-written one. Writers serialise on one lock, which makes `update` an atomic
read-modify-write: two PATCHes of one session cannot both read the same `dateLastModified`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Generic, Protocol, TypeVar

V = TypeVar("V")


class Store(Protocol[V]):
    """A keyed collection of immutable values.

    Required methods: `get`, `all`, `put`, `insert`, `update`, `delete`, `reset`, `revision`.
    `update` and `insert` must be atomic: `change` sees the current value and nothing else writes
    that key until it returns; `insert` checks and stores in one step. A store shared between
    processes (`evokit.mockserver.shared`) keeps these guarantees across them, not only across threads.
    """

    def get(self, key: str) -> V | None:
        """The value stored under `key`, or None."""
        ...

    def all(self) -> list[V]:
        """Every value, in insertion order."""
        ...

    def put(self, key: str, value: V) -> None:
        """Store `value` under `key`, replacing any value there."""
        ...

    def insert(self, key: str, value: V) -> bool:
        """Store `value` under `key` unless a value is there; whether it was stored."""
        ...

    def update(self, key: str, change: Callable[[V], V]) -> V | None:
        """Replace the value under `key` with `change(value)` atomically; None if there is none."""
        ...

    def delete(self, key: str) -> bool:
        """Remove `key`; whether it was there."""
        ...

    def reset(self, items: Iterable[tuple[str, V]] = ()) -> None:
        """Replace the whole content with `items`."""
        ...

    def revision(self) -> int:
        """A number that changes whenever a key is added, replaced or removed (`put`, `delete`,
        `reset`), though not on `update`: what an index over the keys checks before reuse."""
        ...


class InMemoryStore(Generic[V]):
    """The default `Store`: a dict, lock-free reads, one lock for writes (see the module doc)."""

    def __init__(self, items: Iterable[tuple[str, V]] = ()) -> None:
        self._data: dict[str, V] = dict(items)
        self._write = threading.Lock()
        self._revision = 0

    def get(self, key: str) -> V | None:
        return self._data.get(key)

    def all(self) -> list[V]:
        return list(self._data.copy().values())

    def put(self, key: str, value: V) -> None:
        with self._write:
            self._data[key] = value
            self._revision += 1

    def insert(self, key: str, value: V) -> bool:
        with self._write:
            if key in self._data:
                return False
            self._data[key] = value
            self._revision += 1
            return True

    def update(self, key: str, change: Callable[[V], V]) -> V | None:
        with self._write:
            current = self._data.get(key)
            if current is None:
                return None
            updated = change(current)
            self._data[key] = updated
            return updated

    def delete(self, key: str) -> bool:
        with self._write:
            removed = self._data.pop(key, None) is not None
            self._revision += removed
            return removed

    def reset(self, items: Iterable[tuple[str, V]] = ()) -> None:
        fresh = dict(items)
        with self._write:
            self._data = fresh  # one reference swap: readers see the old or the new dict
            self._revision += 1

    def revision(self) -> int:
        return self._revision

    def __len__(self) -> int:
        return len(self._data)
