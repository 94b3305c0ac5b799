"""Serving slots: `--threads` requests do work at once, and a request that only waits gives its slot up.

The work is CPU-bound under one GIL, so a few working threads serve the most requests with the
lowest p99 (more of them only interleave requests and stretch each). But a delayed request
(`--latency`, a fault's `latencyMs`, `X-Mock-Fault: latency=`) does no work while it sleeps: if it
held one of those few threads, eight parallel calls with `--latency 300` would take 1.2 s on two
threads instead of 0.3 s. So the server gets a larger pool of threads (`pool_size`), and the
working ones are counted here: a request takes a slot when it starts, gives it up while it
sleeps, and takes one again to finish. Sleeping costs a thread of the pool, not a slot.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

# Threads of the server's pool beyond the working slots: how many requests may sleep at once
# before further ones queue. Idle threads of the pool end after a while (Granian's idle timeout).
WAITING_THREADS = 62

Environ = dict[str, Any]
WsgiApp = Callable[[Environ, Callable[..., Any]], Iterable[bytes]]


def pool_size(slots: int) -> int:
    """Threads the server should run for `slots` working slots."""
    return slots + WAITING_THREADS


class ServingSlots:
    """At most `count` requests working at once; `sleep` waits without holding a slot."""

    def __init__(self, count: int, *, sleep: Callable[[float], None] = time.sleep) -> None:
        if count < 1:
            raise ValueError(f"at least one serving slot is needed, not {count}")
        self.count = count
        self._slots = threading.Semaphore(count)
        self._sleep = sleep

    def sleep(self, seconds: float) -> None:
        """Wait `seconds` with the slot given up; called only by a request inside the layer."""
        self._slots.release()
        try:
            self._sleep(seconds)
        finally:
            self._slots.acquire()

    def wrap(self, app: WsgiApp) -> WsgiApp:
        """`app` run inside a slot."""
        slots = self._slots

        def in_a_slot(environ: Environ, start_response: Callable[..., Any]) -> Iterable[bytes]:
            slots.acquire()
            try:
                return app(environ, start_response)
            finally:
                slots.release()

        return in_a_slot
