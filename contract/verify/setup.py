"""Who the run calls as and which sessions it may modify: from the options, or from the kit's mock.

With no credentials given, the mock's control plane supplies them (`GET /__mock/users`,
`GET /__mock/sessions`): a user holding the operation's role but not the superuser role, one holding
neither, and - for the superuser rule - one holding the superuser role.
"""

from __future__ import annotations

import base64
import json
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import requests

from contract.model import Operation
from contract.verify.config import VerifyConfig
from contract.verify.errors import ServerUnreachableError, SetupError
from contract.verify.http import Call, Client
from contract.verify.members import Members
from contract.verify.probe import Identities

# The mock's control plane: its users (name, password, roles) and its stored AISessionInfos.
MOCK_USERS, MOCK_SESSIONS = "/__mock/users", "/__mock/sessions"
# The header a kit mock started with `--control-token` wants on every control-plane call.
MOCK_TOKEN_HEADER = "X-Mock-Token"
ROLES = "roles"
AUTH_PATH = "/auth"
# Sessions a default run modifies: two exercise "the body names another session" (section 2).
DEFAULT_SESSIONS = 2


@dataclass(frozen=True)
class Setup:
    """Identities, sessions and each identity's user id as the server reports it."""

    identities: Identities
    sessions: tuple[str, ...]
    user_ids: Mapping[str, str]
    notes: tuple[str, ...] = ()


def basic(user: str, password: str) -> str:
    """An `Authorization` value for HTTP Basic."""
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")


def ensure_reachable(client: Client) -> None:
    """Raise `ServerUnreachableError` unless the base URL answers HTTP at all."""
    exchange = client.send_quietly(Call("GET", "/", "/"))
    if exchange.status == 0:
        raise ServerUnreachableError(client.base_url, exchange.error or "no answer")


def _pick(users: Sequence[Mapping[str, Any]], *, has: str | None, lacks: Sequence[str]) -> Mapping[str, Any] | None:
    for user in users:
        roles = set(user.get(ROLES) or ())
        if (has is None or has in roles) and not roles.intersection(lacks):
            return user
    return None


def _from_mock(
    config: VerifyConfig, client: Client, members: Members, operation: Operation, superuser: str
) -> Setup:
    headers = {MOCK_TOKEN_HEADER: config.mock_token} if config.mock_token else None
    try:
        users = client.get_json(MOCK_USERS, headers)
        stored = client.get_json(MOCK_SESSIONS, headers)
    except (requests.RequestException, ValueError) as exc:
        raise SetupError(
            f"no credentials given and {config.base_url}{MOCK_USERS} is not the kit's mock ({exc}); "
            "pass --admin-auth, --user-auth and --session-id (or --mock-token for a mock with a control token)"
        ) from None
    if not isinstance(users, list) or not isinstance(stored, list):
        raise SetupError(f"{MOCK_USERS} and {MOCK_SESSIONS} must answer JSON lists")
    role = operation.required_roles[0]
    admin = _pick(users, has=role, lacks=(superuser,))
    plain = _pick(users, has=None, lacks=(role, superuser))
    boss = _pick(users, has=superuser, lacks=())
    if admin is None or plain is None:
        raise SetupError(f"the mock has no user with {role} only, or none without {role} and {superuser}")
    # Only sessions with a purpose can be put back exactly: a PATCH cannot make a purpose absent.
    ids = [s[members.id] for s in stored if isinstance(s, dict) and s.get(members.id) and members.purpose in s]
    if not ids:
        raise SetupError(f"{MOCK_SESSIONS} lists no session with a purpose to work on")

    def auth(user: Mapping[str, Any]) -> str:
        return basic(user[members.user_name], user[members.password])

    superuser_auth = config.superuser_auth or (auth(boss) if boss else None)
    return _setup(client, members, auth(admin), auth(plain), superuser_auth, tuple(ids[:DEFAULT_SESSIONS]),
                  admin[members.user_name])


def _setup(client: Client, members: Members, admin: str, user: str, superuser: str | None,
           sessions: tuple[str, ...], admin_name: str | None) -> Setup:
    nobody = f"evokit-{secrets.token_hex(6)}"
    bad = [basic(nobody, secrets.token_hex(8))]
    if admin_name is not None:
        bad.append(basic(admin_name, "wrong-" + secrets.token_hex(8)))
    identities = Identities(admin=admin, user=user, bad=tuple(bad), superuser=superuser)
    user_ids: dict[str, str] = {}
    notes = []
    for who in ("admin", "superuser"):
        header = identities.header(who)
        user_id = _user_id(client, header, members.user_id) if header else None
        if user_id is not None:
            user_ids[who] = user_id
        elif header:
            notes.append(f"GET {AUTH_PATH} gave no userId for the {who}: lastModifiedBy is not checked for it")
    if superuser is None:
        notes.append("no superuser credentials: the superuser rule is not checked (pass --superuser-auth)")
    return Setup(identities, sessions, user_ids, tuple(notes))


def _user_id(client: Client, authorization: str, member: str) -> str | None:
    """The caller's user id from `GET /auth` (the current AuthenticateResponse, section 3)."""
    exchange = client.send_quietly(Call("GET", AUTH_PATH, AUTH_PATH, (), (("Authorization", authorization),
                                                                          ("Accept", "application/json"))))
    try:
        value = json.loads(exchange.body) if exchange.status == 200 else None
    except ValueError:
        return None
    user_id = value.get(member) if isinstance(value, dict) else None
    return user_id if isinstance(user_id, str) and user_id else None


def resolve(
    config: VerifyConfig, client: Client, members: Members, operation: Operation, superuser: str
) -> Setup:
    """The run's identities and sessions; raises `SetupError` when they cannot be had."""
    if config.uses_mock_defaults:
        return _from_mock(config, client, members, operation, superuser)
    assert config.admin_auth is not None and config.user_auth is not None
    name = _basic_user(config.admin_auth)
    return _setup(client, members, config.admin_auth, config.user_auth, config.superuser_auth,
                  config.session_ids, name)


def _basic_user(header: str) -> str | None:
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        return base64.b64decode(token).decode("utf-8").partition(":")[0] or None
    except ValueError:
        return None
