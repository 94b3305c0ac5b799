"""`SessionIndex`: the stored sessions in the listing's default order, kept ready between requests.

Listing sorts by `dateCreated`, then `id` (CONTRACT.md section 8), members no update changes, so the
order only moves when a session is added or removed: the index is rebuilt when the store's
`revision()` says so and reused otherwise. A page then reads its own records and nothing else
(`OrderedSessions`), so paging through 100,000 sessions costs the same per page as through ten
(measured in tests/benchmarks).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import overload

from evokit.mockserver.core.operation import ID, Record
from evokit.mockserver.operations.listing import default_order_key
from evokit.mockserver.core.store import Store


class OrderedSessions(Sequence[Record]):
    """Sessions by position in an id order, read from the store on access. A session deleted
    since the order was taken is skipped in slices (its position then reads None alone)."""

    def __init__(self, ids: Sequence[str], store: Store[Record]) -> None:
        self._ids = ids
        self._store = store

    def __len__(self) -> int:
        return len(self._ids)

    @overload
    def __getitem__(self, index: int) -> Record: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Record]: ...

    def __getitem__(self, index: int | slice) -> Record | Sequence[Record]:
        if isinstance(index, slice):
            found = (self._store.get(key) for key in self._ids[index])
            return [record for record in found if record is not None]
        return self._store.get(self._ids[index])  # type: ignore[return-value]

    def __iter__(self):  # type: ignore[no-untyped-def]  # a generator of records
        for key in self._ids:
            record = self._store.get(key)
            if record is not None:
                yield record


class SessionIndex:
    """The default order of one store's sessions, rebuilt only after a key was added or removed."""

    def __init__(self) -> None:
        self._built: tuple[int, tuple[str, ...]] = (-1, ())

    def ordered(self, store: Store[Record]) -> OrderedSessions:
        """Every stored session in the default order."""
        revision = store.revision()
        built_at, ids = self._built
        if built_at != revision:
            ids = tuple(str(record[ID]) for record in sorted(store.all(), key=default_order_key))
            self._built = (revision, ids)  # one tuple: a concurrent reader sees the old or the new
        return OrderedSessions(ids, store)
