"""Who the run calls as and which sessions it may modify: from the options, or from the kit's mock.

With no credentials given, the mock's control plane supplies them (`GET /__mock/users`,
`GET /__mock/sessions`): a user holding the operation's role but not the superuser role, one holding
neither, and - for the superuser rule - one holding the superuser role.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import secrets
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from evokit.contract.model import Operation
from evokit.contract.verify.config import VerifyConfig
from evokit.contract.verify.errors import ServerUnreachableError, SetupError, UsageError
from evokit.contract.verify.run.http import Call, Client
from evokit.contract.verify.checks.members import Members
from evokit.contract.verify.run.preflight import send_repeatable
from evokit.contract.verify.run.probe import Identities

# The mock's control plane: its users (name, password, roles) and its stored AISessionInfos.
MOCK_USERS, MOCK_SESSIONS = "/__mock/users", "/__mock/sessions"
# The header a kit mock started with `--control-token` wants on every control-plane call.
MOCK_TOKEN_HEADER = "X-Mock-Token"
ROLES = "roles"
# Sessions a default run modifies: two exercise "the body names another session" (section 2).
DEFAULT_SESSIONS = 2


# How a reader is told which input is at fault: the option, or the mock's user it came from.
OPTION_LABELS: Mapping[str, str] = {"admin": "--admin-auth", "user": "--user-auth",
                                    "superuser": "--superuser-auth", "sessions": "--session-id"}


@dataclass(frozen=True)
class Setup:
    """Identities and sessions of the run, and what to call each input in a message."""

    identities: Identities
    sessions: tuple[str, ...]
    labels: Mapping[str, str]
    notes: tuple[str, ...] = ()


def basic(user: str, password: str) -> str:
    """An `Authorization` value for HTTP Basic."""
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode("ascii")


# Pause between attempts to reach a server that is still starting.
WAIT_PAUSE = 0.2


def ensure_reachable(client: Client, wait: float = 0.0) -> None:
    """Raise `ServerUnreachableError` unless the base URL answers HTTP at all, trying again for up
    to `wait` seconds while the connection is refused (a server still starting up)."""
    deadline = time.monotonic() + wait
    while True:
        exchange = client.send_quietly(Call("GET", "/", "/"))
        if exchange.status != 0 or exchange.error != "ConnectionError" or time.monotonic() >= deadline:
            break
        time.sleep(WAIT_PAUSE)
    if exchange.status == 0:
        waited = f" (tried for {wait:g}s; see --wait)" if wait and exchange.error == "ConnectionError" else ""
        raise ServerUnreachableError(client.base_url, (exchange.error or "no answer") + waited)


def _pick(users: Sequence[Mapping[str, Any]], *, has: str | None, lacks: Sequence[str]) -> Mapping[str, Any] | None:
    for user in users:
        roles = set(user.get(ROLES) or ())
        if (has is None or has in roles) and not roles.intersection(lacks):
            return user
    return None


def _control_read(config: VerifyConfig, client: Client, path: str, retried: list[str]) -> object:
    """A control-plane list, read like any set-up read; a refused token is named as such."""
    headers = ((MOCK_TOKEN_HEADER, config.mock_token),) if config.mock_token else ()
    exchange = send_repeatable(client, Call("GET", path, path, (), headers), f"GET {path}", retried)
    challenge = (exchange.headers.get("WWW-Authenticate") or "").lower()
    if exchange.status == 401 and challenge.startswith(MOCK_TOKEN_HEADER.lower()):
        if config.mock_token:
            raise UsageError(f"--mock-token was refused by {config.base_url}{path} (401): the token is wrong")
        raise UsageError(f"{config.base_url} is a kit mock started with --control-token: pass the same token "
                         "as --mock-token")
    try:
        if exchange.status != 200:
            raise ValueError(exchange.describe())
        return json.loads(exchange.body)
    except RecursionError:
        raise SetupError(f"{config.base_url}{path} answered JSON nested too deeply to read") from None
    except ValueError as exc:
        raise SetupError(
            f"no credentials given and {config.base_url}{path} is not the kit's mock ({exc}); "
            "pass --admin-auth, --user-auth and --session-id"
        ) from None


def _from_mock(
    config: VerifyConfig, client: Client, members: Members, operation: Operation, superuser: str
) -> Setup:
    retried: list[str] = []
    users = _control_read(config, client, MOCK_USERS, retried)
    stored = _control_read(config, client, MOCK_SESSIONS, retried)
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

    def mock_user(user: Mapping[str, Any] | None) -> str:
        return f"the mock's user {user[members.user_name]!r}" if user else "--superuser-auth"

    labels = {"admin": mock_user(admin), "user": mock_user(plain),
              "superuser": "--superuser-auth" if config.superuser_auth else mock_user(boss),
              "sessions": f"the mock's session ({MOCK_SESSIONS})"}
    superuser_auth = config.superuser_auth or (auth(boss) if boss else None)
    setup = _setup(auth(admin), auth(plain), superuser_auth, tuple(ids[:DEFAULT_SESSIONS]),
                   admin[members.user_name], labels)
    return dataclasses.replace(setup, notes=tuple(retried) + setup.notes)


def _setup(admin: str, user: str, superuser: str | None, sessions: tuple[str, ...], admin_name: str | None,
           labels: Mapping[str, str]) -> Setup:
    nobody = f"evokit-{secrets.token_hex(6)}"
    bad = [basic(nobody, secrets.token_hex(8))]
    if admin_name is not None:
        bad.append(basic(admin_name, "wrong-" + secrets.token_hex(8)))
    identities = Identities(admin=admin, user=user, bad=tuple(bad), superuser=superuser)
    notes = ()
    if superuser is None:
        notes = ("no superuser credentials: the superuser rule is not checked (pass --superuser-auth)",)
    return Setup(identities, sessions, labels, notes)


def resolve(
    config: VerifyConfig, client: Client, members: Members, operation: Operation, superuser: str
) -> Setup:
    """The run's identities and sessions; raises `SetupError` when they cannot be had."""
    if config.uses_mock_defaults:
        return _from_mock(config, client, members, operation, superuser)
    assert config.admin_auth is not None and config.user_auth is not None
    name = _basic_user(config.admin_auth)
    return _setup(config.admin_auth, config.user_auth, config.superuser_auth, config.session_ids, name, OPTION_LABELS)


def _basic_user(header: str) -> str | None:
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        return base64.b64decode(token).decode("utf-8").partition(":")[0] or None
    except ValueError:
        return None
