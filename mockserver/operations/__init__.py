"""The operations the mock serves: one row per operation, one handler each (CONTRACT.md sections 1, 8).

An operation's DTOs, routes, auth and roles come from the contract; this table adds only what the
mock does with a request. Adding an operation is one row here and one handler function (in
`sessions`, `actions` or `status`, or a module of its own): `MockState` builds the binder, the
typed reader and the routes of every row, and `exchange.handle_operation` runs them all the same
way (section 3's check order, section 5's errors, section 6's formats).

A handler is `handler(call, request) -> answer`: `request` is the bound request DTO with its
values read as their types (`typed.TypedProperties`), the answer the response DTO as a mapping,
or None for a void operation or a null answer, which ServiceStack writes as a 204.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING

from evokit.mockserver.operations import actions, sessions, status

if TYPE_CHECKING:
    from evokit.mockserver.auth.caller import User
    from evokit.mockserver.core.state import MockState


@dataclass(frozen=True)
class Call:
    """What a handler knows of the request besides its DTO: the mock and the authorized caller
    (None only on an operation without authentication, for an anonymous caller)."""

    mock: MockState
    user: User | None

    @property
    def user_id(self) -> str:
        """The caller's user id, what `createdBy` and `lastModifiedBy` record."""
        return self.user.user_id if self.user is not None else ""


Handler = Callable[[Call, Mapping[str, object]], Mapping[str, object] | None]

HANDLERS: Mapping[str, Handler] = MappingProxyType({
    "ListAISessions": sessions.list_sessions,
    "GetAISession": sessions.get_session,
    "NewAISession": sessions.new_session,
    "PatchAISession": sessions.patch,
    "DeleteAISession": sessions.delete_session,
    "ApplyAISession": actions.apply_session,
    "ClearAISessionActions": actions.clear_actions,
    "DeleteAISessionAction": actions.delete_action,
    "GetAIUsage": status.get_usage,
    "GetAuthStatus": status.get_auth_status,
})

__all__ = ["HANDLERS", "Call", "Handler"]
