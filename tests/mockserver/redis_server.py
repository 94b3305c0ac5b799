"""Plugin module: a real `redis-server` on a free loopback port, started by the tests themselves.

No fake Redis: the shared store is only worth what it does against the real server. Without a
`redis-server` binary on PATH the tests that need one skip and say so (`.ci/run` installs it, so
CI always has one). The server keeps nothing on disk (`--save '' --appendonly no`).
"""

from __future__ import annotations

import itertools
import shutil
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import redis

from evokit.mockserver.shared.connection import RedisLink
from tests.mockserver.server import HOST, free_port

BINARY = shutil.which("redis-server")
_prefixes = itertools.count(1)


@dataclass
class RedisServer:
    """A running `redis-server`; `stop` and `start` again keep its port (a restart)."""

    port: int
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"redis://{HOST}:{self.port}/0"

    def start(self, timeout: float = 10.0, *, data_dir: Path | None = None) -> None:
        """Start and wait for PING. With `data_dir`, a `SAVE` writes a snapshot there that the
        next start in the same folder loads (still no automatic saving)."""
        assert BINARY is not None
        disk = ["--dir", str(data_dir)] if data_dir is not None else []
        self.process = subprocess.Popen(
            [BINARY, "--port", str(self.port), "--bind", HOST, "--save", "", "--appendonly", "no", *disk],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(host=HOST, port=self.port, socket_connect_timeout=0.5)
        deadline = time.monotonic() + timeout
        try:
            while True:
                try:
                    if client.ping():
                        return
                except redis.ConnectionError:
                    if self.process.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(f"redis-server on port {self.port} did not answer PING") from None
                    time.sleep(0.02)
        finally:
            client.close()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None

    def client(self) -> redis.Redis:
        """A client of the test's own; close it (`with server.client() as client:`)."""
        return redis.Redis(host=HOST, port=self.port, decode_responses=True)


def spawn_redis() -> RedisServer:
    server = RedisServer(free_port())
    server.start()
    return server


def unique_prefix(name: str = "test") -> str:
    """A prefix no other test uses, so tests sharing one server share no keys."""
    return f"evokit-{name}-{next(_prefixes)}:"


class Links:
    """The `RedisLink`s a test opens, all closed when it ends (an open socket is a warning, and
    the suite runs with warnings as errors)."""

    def __init__(self) -> None:
        self.opened: list[RedisLink] = []

    def open(self, url: str, prefix: str | None = None) -> RedisLink:
        link = RedisLink(url, prefix or unique_prefix())
        self.opened.append(link)
        return link

    def close(self) -> None:
        for link in self.opened:
            link.close()
        self.opened.clear()


@pytest.fixture
def links() -> Iterator[Links]:
    opened = Links()
    try:
        yield opened
    finally:
        opened.close()


def _running_redis() -> Iterator[RedisServer]:
    """A redis-server started for the fixture and stopped after it; a skip when there is none."""
    if BINARY is None:
        pytest.skip("no redis-server binary on PATH (apt-get install redis-server)")
    server = spawn_redis()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    """One redis-server for the session; tests keep apart by `unique_prefix`."""
    yield from _running_redis()


@pytest.fixture
def own_redis() -> Iterator[RedisServer]:
    """A redis-server of the test's own, for a test that stops and restarts it."""
    yield from _running_redis()
