"""The request journal: a bounded, thread-safe record of the requests the mock answered.

Frontend end-to-end tests read it (`GET /__mock/requests`) to assert what their app sent: which
method on which path, with what query, as whom, and what the mock answered, how fast. Bodies are
not kept. The journal holds the newest `size` entries; older ones fall off the front. Control
calls (`/__mock/...`) are not journaled, so reading the journal does not change it.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True, slots=True)
class JournalEntry:
    """One answered request. `user` is the user name the request authenticated as (Basic
    credentials or a session), None for an anonymous caller or wrong credentials; `time` is when
    it arrived, in seconds since the Unix epoch (formatted only when listed); `fault` the id of the
    fault that delayed or answered it (a control-plane fault's `f1`, or `header` for one asked for
    by the request's own `X-Mock-Fault`), None when none fired."""

    method: str
    path: str
    query: str
    status: int
    user: str | None
    time: float
    duration_ms: float
    fault: str | None = None

    def to_wire(self) -> dict[str, object]:
        """The entry as `GET /__mock/requests` lists it (camelCase, ISO 8601 UTC time)."""
        wire: dict[str, object] = {
            "method": self.method,
            "path": self.path,
            "query": self.query,
            "status": self.status,
            "user": self.user,
            "time": iso_utc(self.time),
            "durationMs": round(self.duration_ms, 3),
        }
        if self.fault is not None:
            wire["fault"] = self.fault
        return wire


def iso_utc(seconds: float) -> str:
    """Seconds since the epoch as ISO 8601 UTC with milliseconds: `2025-01-02T03:04:05.678Z`."""
    moment = datetime.fromtimestamp(seconds, UTC)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond // 1000:03d}Z"


class Journal:
    """The newest `size` entries, oldest first; `size` 0 records nothing.

    One lock guards the deque: `record`, `entries` and `clear` may run on any serving thread.
    """

    def __init__(self, size: int, *, clock: Callable[[], float] = time.time) -> None:
        if size < 0:
            raise ValueError(f"a journal holds 0 or more entries, not {size}")
        self.size = size
        self.clock = clock
        self._entries: deque[JournalEntry] = deque(maxlen=size)
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        """Whether entries are kept at all."""
        return self.size > 0

    def record(self, entry: JournalEntry) -> None:
        """Append `entry`, dropping the oldest one when full."""
        if self.size:
            with self._lock:
                self._entries.append(entry)

    def entries(self) -> list[JournalEntry]:
        """A snapshot, oldest first."""
        with self._lock:
            return list(self._entries)

    def clear(self) -> int:
        """Forget every entry; returns how many there were."""
        with self._lock:
            count = len(self._entries)
            self._entries.clear()
            return count

    def __len__(self) -> int:
        return len(self._entries)
