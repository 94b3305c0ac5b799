"""Plugin module of the AI-session family's tests: paths, callers and readers for every operation.

Everything comes from the contract (routes, DTO names) and the fixture files (sessions, users,
accounts, usage), never restated.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from evokit.mockserver.core.config import DEFAULT_FIXTURES
from tests.mockserver.support import CONTRACT, SESSIONS, SYSADMIN, USERS, basic

ACCOUNTS: list[dict[str, str]] = json.loads((DEFAULT_FIXTURES / "accounts.json").read_text(encoding="utf-8"))
USAGE: list[dict[str, Any]] = json.loads((DEFAULT_FIXTURES / "usage.json").read_text(encoding="utf-8"))
FAMILY = ("ListAISessions", "GetAISession", "NewAISession", "PatchAISession", "DeleteAISession", "ApplyAISession",
          "ClearAISessionActions", "DeleteAISessionAction", "GetAIUsage", "GetAuthStatus")
WITH_PENDING = next(s for s in SESSIONS if any(a.get("canBeApplied") for a in s.get("actions", [])))
WITH_APPLIED = next(s for s in SESSIONS if s.get("actions") and not any(a.get("canBeApplied") for a in s["actions"]))
WITHOUT_ACTIONS = next(s for s in SESSIONS if not s.get("actions"))
DENIED = next(u for u in USERS if not u["roles"])
ANY_ACCOUNT = ACCOUNTS[0]


def user_path(operation: str, **params: str) -> str:
    """The user route of `operation` with its path parameters filled in."""
    path = CONTRACT.operation(operation).user_route.path
    for name, value in params.items():
        path = path.replace("{" + name + "}", value)
    return path


def user_method(operation: str) -> str:
    """The verb of the user route (GetAIUsage answers every verb: its first)."""
    return CONTRACT.operation(operation).user_route.method


def call(client: FlaskClient, operation: str, *, params: Mapping[str, str] | None = None,
         query: Mapping[str, str] | str | None = None, body: object = None,
         headers: Mapping[str, str] | None = None) -> TestResponse:
    """`operation` on its user route as the system administrator (unless `headers` say otherwise)."""
    request_headers = dict(SYSADMIN if headers is None else headers)
    data = None
    if body is not None:
        data = json.dumps(body)
        request_headers["Content-Type"] = "application/json"
    return client.open(user_path(operation, **(params or {})), method=user_method(operation), query_string=query,
                       data=data, headers=request_headers)


def ok(response: TestResponse, dto: str) -> dict[str, Any]:
    """The JSON body of a 200, after checking it against the contract's schema of `dto`."""
    assert response.status_code == 200, response.data
    document = json.loads(response.data)
    assert CONTRACT.violations(dto, document) == []
    return document  # type: ignore[no-any-return]


def listed(client: FlaskClient, query: Mapping[str, str] | str | None = None) -> dict[str, Any]:
    return ok(call(client, "ListAISessions", query=query), "ListResponseOfAISessionInfo")


def denied_headers() -> dict[str, str]:
    return basic(str(DENIED["userName"]), str(DENIED["password"]))
