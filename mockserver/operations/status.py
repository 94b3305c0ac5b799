"""The handlers of the helpers: `GetAIUsage` and `GetAuthStatus` (CONTRACT.md section 8)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from evokit.mockserver.operations.usage import usage_of

if TYPE_CHECKING:
    from evokit.mockserver.auth.caller import User
    from evokit.mockserver.operations import Call


def get_usage(call: Call, request: Mapping[str, object]) -> dict[str, object]:
    """`GetAIUsage`: the fixtures' usage records summed (`usage.usage_of`)."""
    return usage_of(call.mock.fixtures.usage, request)


def user_info(user: User, accounts: Mapping[str, str], permissions: tuple[str, ...]) -> dict[str, object]:
    """The `UserInfo` of an authenticated user. Its dashboard permissions are the user's
    permissions that name one (`permissions`, the contract's enum); account names follow its
    account ids."""
    return {
        "id": user.user_id,
        "isAuthenticated": True,
        "firstName": user.first_name,
        "lastName": user.last_name,
        "name": user.display_name or user.user_name,
        "avatarUrl": user.avatar_url,
        "emailAddress": user.email_address,
        "roles": list(user.roles),
        "accountIds": list(user.account_ids),
        "accountNames": [accounts[account] for account in user.account_ids],
        "dashboardPermissions": [p for p in user.permissions if p in permissions],
    }


def get_auth_status(call: Call, request: Mapping[str, object]) -> dict[str, object] | None:
    """`GetAuthStatus`: the caller's `UserInfo`; None for an anonymous caller, which ServiceStack
    writes as a 204 with an empty body (section 8, assumed). Wrong credentials never get here:
    they are the 401 of section 3."""
    if call.user is None:
        return None
    return user_info(call.user, call.mock.fixtures.accounts, call.mock.dashboard_permissions)
