"""`Watched`: a value read from Redis once and kept until a change of it is announced.

The fault book is consulted on every request, and changes only when somebody adds or removes a
fault: reading it from Redis each time was a round trip on every request. So every change of it
publishes on a channel, in the same transaction as the change, and each process keeps what it
read beside a subscription to that channel. Before a request uses the kept value it polls the
subscription's socket without blocking. Whoever makes a change waits until Redis has sent the
announcement to every subscriber before it answers (`RedisFaultBook._delivered`), so a request
that arrives after a change was answered finds the announcement already there, in whichever
process it lands.

Without a working subscription (not yet made, or broken by a Redis restart) nothing is kept: each
use reads Redis, as if there were no cache, until subscribing succeeds again. A process forked
from another (`--workers`) makes its own subscription.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from evokit.mockserver.shared.connection import CONNECT_TIMEOUT, OUTAGE_ERRORS, RedisLink

T = TypeVar("T")


class Watched(Generic[T]):
    """`read()`'s value, kept while `channel` stays silent (see the module doc). Thread-safe."""

    def __init__(self, link: RedisLink, channel: str, read: Callable[[], T]) -> None:
        self.link = link
        self.channel = channel
        self.read = read
        self._lock = threading.Lock()
        self._subscription: Any = None
        self._pid: int | None = None
        self._kept: tuple[T] | None = None

    def get(self) -> T:
        """The value: the kept one unless a change was announced since it was read."""
        with self._lock:
            if not self._listening():
                return self.read()
            if self._announced():
                self._kept = None
            if self._kept is None:
                self._kept = (self.read(),)
            return self._kept[0]

    def forget(self) -> None:
        """Drop the kept value: this process has just changed it."""
        with self._lock:
            self._kept = None

    def _listening(self) -> bool:
        """Whether this process holds a confirmed subscription, making one if it can."""
        if self._subscription is not None and self._pid == os.getpid():
            return True
        # Another process's subscription (before a fork) is left alone: its socket is shared.
        self._subscription, self._kept = None, None
        subscription = self.link.subscriber()
        try:
            subscription.subscribe(self.channel)
            # Only once Redis confirms is every later change sure to be announced here.
            confirmed = subscription.get_message(timeout=CONNECT_TIMEOUT)
        except OUTAGE_ERRORS:
            subscription.close()
            return False
        if not confirmed or confirmed.get("type") != "subscribe":
            subscription.close()
            return False
        self._subscription, self._pid = subscription, os.getpid()
        return True

    def _announced(self) -> bool:
        """Whether a change arrived since the last look (a broken subscription counts as one)."""
        changed = False
        try:
            while self._subscription.get_message(timeout=0.0) is not None:
                changed = True
        except (*OUTAGE_ERRORS, OSError):
            self._drop()
            return True
        return changed

    def _drop(self) -> None:
        try:
            self._subscription.close()
        except (*OUTAGE_ERRORS, OSError):
            pass
        self._subscription, self._kept = None, None
