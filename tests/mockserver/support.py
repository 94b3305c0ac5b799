"""Plugin module of the mock server tests: app and client fixtures, callers, a controllable clock.

Test modules import the fixtures they use from here (no shared conftest). Everything the tests
expect is read from the contract or the fixture files, never restated.
"""

from __future__ import annotations

import base64
import itertools
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from evokit.contract.model import Contract, Operation, load_contract
from evokit.mockserver.http.app import create_app
from evokit.mockserver.core.backend import Backend
from evokit.mockserver.core.config import DEFAULT_FIXTURES, MockConfig
from evokit.mockserver.core.state import OPERATION

CONTRACT: Contract = load_contract()
OP: Operation = CONTRACT.operation(OPERATION)
USERS: list[dict[str, object]] = json.loads((DEFAULT_FIXTURES / "users.json").read_text(encoding="utf-8"))
SESSIONS: list[dict[str, str]] = json.loads(
    (DEFAULT_FIXTURES / f"{OP.response}.json").read_text(encoding="utf-8")
)
SESSION_IDS: list[str] = [session["id"] for session in SESSIONS]
ID_PARAM = OP.user_route.path_params[0]
PURPOSE = next(name for name in CONTRACT.properties(OP.request) if name != ID_PARAM)


def basic(user_name: str, password: str) -> dict[str, str]:
    """An Authorization header with Basic credentials."""
    token = base64.b64encode(f"{user_name}:{password}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def user_named(name: str) -> dict[str, object]:
    return next(user for user in USERS if user["userName"] == name)


def allowed(user: Mapping[str, object]) -> bool:
    """Whether the contract lets this fixture user call the operation (section 3)."""
    roles = list(user["roles"])  # type: ignore[call-overload]
    return CONTRACT.superuser_role in roles or all(role in roles for role in OP.required_roles)


ALLOWED_USERS = [user for user in USERS if allowed(user)]
DENIED_USERS = [user for user in USERS if not allowed(user)]
SYSADMIN = basic(str(ALLOWED_USERS[0]["userName"]), str(ALLOWED_USERS[0]["password"]))


class FakeClock:
    """A clock the test moves; by default every read advances it by one microsecond."""

    def __init__(self, start: datetime = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC), step: timedelta = timedelta(microseconds=1)) -> None:
        self.now = start
        self.step = step

    def __call__(self) -> datetime:
        current = self.now
        self.now += self.step
        return current


def sequential_ids() -> Iterator[str]:
    return (f"sess{n:04d}" for n in itertools.count(1))


@dataclass
class Mock:
    """An app with its seams at hand."""

    app: Flask
    client: FlaskClient
    clock: FakeClock


def make_mock(*, fixtures: Path = DEFAULT_FIXTURES, max_body_bytes: int = 64 * 1024, backend: Backend | None = None) -> Mock:
    clock = FakeClock()
    ids = sequential_ids()
    app = create_app(
        MockConfig(fixtures=fixtures, max_body_bytes=max_body_bytes), clock=clock, session_ids=lambda: next(ids),
        backend=backend,
    )
    return Mock(app, app.test_client(use_cookies=False), clock)


@pytest.fixture
def mock() -> Mock:
    """A fresh mock on the repository's fixtures, with a fake clock and predictable session ids."""
    return make_mock()


@pytest.fixture
def client(mock: Mock) -> FlaskClient:
    return mock.client


def error_of(body: bytes) -> dict[str, object]:
    """The ResponseStatus of a JSON error body, after checking it against the contract."""
    document = json.loads(body)
    assert CONTRACT.violations("ErrorResponse", document) == []
    assert "stackTrace" not in document["responseStatus"]
    return document["responseStatus"]  # type: ignore[no-any-return]
