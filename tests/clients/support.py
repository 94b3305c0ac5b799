"""Plugin module of the official-client tests: one real `evokit mock` per module, reset per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.mockserver.server import LiveServer, start, stop
from tests.mockserver.support import SESSION_IDS, USERS, user_named

SID = SESSION_IDS[0]
SYSADMIN = user_named("sysadmin")
CUSTOMER = user_named("customer")
assert SYSADMIN is USERS[0]


@pytest.fixture(scope="module")
def mock_server() -> Iterator[LiveServer]:
    """`evokit mock` on a free loopback port, with its default options."""
    server = start()
    try:
        yield server
    finally:
        stop(server.process)


@pytest.fixture
def server(mock_server: LiveServer) -> LiveServer:
    """The module's server, back at its fixtures."""
    mock_server.reset()
    return mock_server
