"""Plugin module of the official-client tests: the real `evokit mock` of `tests.mockserver.server`
(`live`, one per module; `fresh`, reset per test) and the users the clients log in as."""

from __future__ import annotations

from tests.mockserver.server import fresh, live
from tests.mockserver.support import SESSION_IDS, USERS, user_named

__all__ = ["CUSTOMER", "SID", "SYSADMIN", "fresh", "live"]

SID = SESSION_IDS[0]
SYSADMIN = user_named("sysadmin")
CUSTOMER = user_named("customer")
assert SYSADMIN is USERS[0]
