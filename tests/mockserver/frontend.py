"""Plugin module for the frontend-facing features: apps built from any `MockConfig`; real servers
with any options come from `server.start`."""

from __future__ import annotations

from typing import Any

from evokit.mockserver.http.app import create_app
from evokit.mockserver.core.config import MockConfig
from tests.mockserver.support import (
    CONTRACT,
    ID_PARAM,
    OP,
    SESSION_IDS,
    FakeClock,
    Mock,
    sequential_ids,
)

USER_PATH = OP.user_route.path.replace("{" + ID_PARAM + "}", "{}")
SID = SESSION_IDS[0]
ORIGIN = "http://app.example:5173"
TOKEN = "s3cret-token"


def make(**config: Any) -> Mock:
    """A fresh app on the repository's fixtures with a fake clock, configured by `config`."""
    clock = FakeClock()
    ids = sequential_ids()
    app = create_app(MockConfig(**config), clock=clock, session_ids=lambda: next(ids))
    return Mock(app, app.test_client(use_cookies=False), clock)


def session_cookie(session_id: str) -> dict[str, str]:
    """A Cookie header presenting a login's session id (section 3)."""
    return {"Cookie": f"{CONTRACT.session_cookie}={session_id}"}
