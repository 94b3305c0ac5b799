"""`RedisLink`: one mock's connection to its Redis, its key prefix, and the outage guard.

A lost Redis must not hang the mock nor leak a trace: every call runs under `link.guard`, which
turns the client's connection and timeout errors into `StoreUnavailable` (a 503 in ServiceStack's
error shape). The client reconnects on the next call by itself, so the mock recovers when Redis is
back without anyone restarting it. Timeouts are short and there is one immediate retry, which is
what a connection that died with a restarted server needs; a longer backoff would only hold a
serving thread while Redis is gone.
"""

from __future__ import annotations

import os
import threading
import weakref
from types import TracebackType
from typing import Any

import redis
from redis.exceptions import NoScriptError
from redis.backoff import NoBackoff
from redis.retry import Retry

from evokit.mockserver.core.errors import StoreUnavailable, StoreUnreachable
from evokit.mockserver.shared.url import StoreUrl, parse_store_url

# Seconds. Redis on a LAN answers in well under a millisecond; these only bound an outage's cost.
CONNECT_TIMEOUT = 1.0
COMMAND_TIMEOUT = 2.0
# The errors that mean "Redis is not there right now" (a server still loading its data after a
# restart raises `BusyLoadingError`, a kind of `ConnectionError`).
OUTAGE_ERRORS = (redis.ConnectionError, redis.TimeoutError)


class _Guard:
    """Context manager: an outage error inside becomes `StoreUnavailable` (a class, not
    `contextlib.contextmanager`, because it wraps every store call on the hot path)."""

    __slots__ = ("message",)

    def __init__(self, display: str) -> None:
        self.message = (f"The mock's store at {display} is unavailable; "
                        "the mock answers again as soon as the store is back")

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> bool:
        if kind is not None and issubclass(kind, OUTAGE_ERRORS):
            raise StoreUnavailable(self.message) from None
        return False


class RedisLink:
    """A Redis client with the mock's timeouts, the key prefix, and `guard` (see the module doc).

    Thread-safe: redis-py's pool gives each concurrent call its own connection, and after a fork
    (`--workers`) a child process opens its own connections instead of sharing the parent's.
    """

    def __init__(self, url: str | StoreUrl, prefix: str, *, client: redis.Redis | None = None) -> None:
        self.url = url if isinstance(url, StoreUrl) else parse_store_url(url)
        self.prefix = prefix
        self.client = client if client is not None else redis.Redis.from_url(
            self.url.url,
            decode_responses=True,
            socket_connect_timeout=CONNECT_TIMEOUT,
            socket_timeout=COMMAND_TIMEOUT,
            retry=Retry(NoBackoff(), 1),
        )
        self.guard = _Guard(self.url.display)
        self._local = threading.local()
        # Every thread's own connection, to close them all in `close`; weak, so a thread that ends
        # takes its connection along (the connection closes its socket when collected).
        self._own: weakref.WeakSet[Any] = weakref.WeakSet()
        self._pools: weakref.WeakSet[Any] = weakref.WeakSet()

    @property
    def display(self) -> str:
        """The URL without its password, with the prefix: what the banner and errors name."""
        return f"{self.url.display} (prefix {self.prefix})"

    def key(self, name: str) -> str:
        """The Redis key of `name` under this mock's prefix."""
        return self.prefix + name

    def script(self, source: str) -> Any:
        """A Lua script, run by its SHA and loaded again if the server forgot it (a restart)."""
        return self.client.register_script(source)

    def _connection(self) -> Any:
        """This thread's own connection (a new one after a fork: sockets are not shared)."""
        local = self._local
        if getattr(local, "pid", None) != os.getpid():
            pool = self.client.connection_pool
            local.connection, local.pid = pool.connection_class(**pool.connection_kwargs), os.getpid()
            self._own.add(local.connection)
        return local.connection

    def subscriber(self) -> Any:
        """A PubSub on a connection of its own that never reconnects by itself: a subscription
        that came back silently would have missed what was published while it was away, so a
        broken one raises and its owner subscribes again (`evokit.mockserver.shared.watch`)."""
        pool = self.client.connection_pool
        own = redis.ConnectionPool(connection_class=pool.connection_class,
                                   **{**pool.connection_kwargs, "retry": Retry(NoBackoff(), 0)})
        self._pools.add(own)
        return redis.Redis(connection_pool=own).pubsub()

    def call(self, *command: object) -> Any:
        """Send one command on this thread's connection and read its answer; one immediate retry
        on a new connection when the old one broke (as the client's own retry does)."""
        connection = self._connection()
        for attempt in (1, 2):
            try:
                connection.send_command(*command)
                return connection.read_response()
            except redis.ResponseError:
                raise  # an error reply, read whole: the connection is fine
            except OUTAGE_ERRORS:
                connection.disconnect()
                if attempt == 2:
                    raise
            except BaseException:
                connection.disconnect()  # a reply may still be on its way: never read it as the next one's
                raise
        raise AssertionError("unreachable")

    def evaluate(self, script: Any, keys: list[str], args: list[object]) -> Any:
        """Run a script registered with `script` by its SHA, loading it first if Redis forgot it."""
        try:
            return self.call("EVALSHA", script.sha, len(keys), *keys, *args)
        except NoScriptError:
            self.client.script_load(script.script)
            return self.call("EVALSHA", script.sha, len(keys), *keys, *args)

    def check(self) -> None:
        """Raise `StoreUnreachable` (one line) unless Redis answers PING."""
        try:
            self.client.ping()
        except (*OUTAGE_ERRORS, redis.ResponseError) as exc:
            raise StoreUnreachable(f"cannot reach the store at {self.url.display}: {exc}") from None

    def close(self) -> None:
        """Close the pool's connections, every thread's own and the subscribers'."""
        for connection in list(self._own):
            connection.disconnect()
        for pool in list(self._pools):
            pool.disconnect()
        self.client.close()
