"""The start banner: what a user needs to make a first call, and every option that is not the default.

    evokit mock: listening on http://127.0.0.1:5000 (10 AI-session operations; 5 sessions from ...)
    fixture users (name / password: roles):
      sysadmin / sysadmin: SystemAdministrator
      ...
    sessions (5): 6630f0a2c1d4e5f601a2b301, 6630f0a2c1d4e5f601a2b302, 6630f0a2c1d4e5f601a2b303, ... and 2 more
    options: latency 300 ms, CORS origins http://localhost:5173
    try: curl -u sysadmin:sysadmin http://127.0.0.1:5000/ai/sessions/6630f0a2c1d4e5f601a2b301

Pure: it reads a `MockConfig` and the state's fixtures, and returns text.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from typing import Any

from evokit.mockserver.auth.caller import User
from evokit.mockserver.control.plane import PREFIX as CONTROL_PREFIX
from evokit.mockserver.core.config import MockConfig
from evokit.mockserver.core.operation import ID

# How many session ids the banner names before it only counts the rest.
SHOWN_SESSIONS = 3
# Role names that pass the operation's role check (section 3: Admin passes every check).
_CALLING_ROLES = ("SystemAdministrator", "Admin")
# Shown in the headline already, or not an option a user sets.
_NOT_LISTED = frozenset({"host", "port", "fixtures"})
_WILDCARD_HOSTS = frozenset({"0.0.0.0", "::", ""})


def _latency(value: tuple[int, int]) -> str:
    low, high = value
    return f"latency {low} ms" if low == high else f"latency {low}-{high} ms"


# Field name -> how the banner words its non-default value. Fields not listed (options added
# later) are shown as `name value`, so none is ever left out.
_WORDING: dict[str, Callable[[Any], str]] = {
    "latency_ms": _latency,
    "threads": lambda n: f"threads {n}",
    "cors": lambda on: "CORS on" if on else "CORS off",
    "cors_origins": lambda origins: f"CORS origins {', '.join(origins)}",
    "control": lambda on: "control plane on" if on else "control plane off",
    "control_token": lambda _token: "control token required (X-Mock-Token)",
    "journal_size": lambda n: f"journal {n} requests",
    "max_body_bytes": lambda n: f"max body {n} bytes",
    "backlog": lambda n: f"backlog {n}",
    "quiet": lambda on: "no access log" if on else "access log",
    "reload": lambda on: "reload fixtures on change" if on else "no reload",
}


def non_default_options(config: MockConfig) -> list[str]:
    """Every option of `config` that differs from its default, in words."""
    defaults = MockConfig()
    shown = []
    for item in dataclasses.fields(config):
        value = getattr(config, item.name)
        if item.name in _NOT_LISTED or value == getattr(defaults, item.name):
            continue
        word = _WORDING.get(item.name, lambda v, name=item.name: f"{name.replace('_', ' ')} {v}")
        shown.append(word(value))
    return shown


def _caller(users: Sequence[User]) -> User | None:
    """The first user who may call every operation, for the example call."""
    return next((user for user in users if any(role in user.roles for role in _CALLING_ROLES)), None)


def banner(config: MockConfig, *, operations: int, sessions: Sequence[dict[str, Any]], users: Sequence[User],
           fixtures: str) -> str:
    """The banner text, one line a fact."""
    control = f"control plane at {CONTROL_PREFIX}/" if config.control else "no control plane"
    lines = [
        f"evokit mock: listening on {config.url} ({operations} AI-session operations; {len(sessions)} sessions "
        f"from {fixtures}; OpenAPI at /openapi.json; {control})",
        "fixture users (name / password: roles):",
        *(f"  {user.user_name} / {user.password}: {', '.join(user.roles) or '(no roles)'}" for user in users),
    ]
    ids = [str(session[ID]) for session in sessions]
    more = f", ... and {len(ids) - SHOWN_SESSIONS} more" if len(ids) > SHOWN_SESSIONS else ""
    lines.append(f"sessions ({len(ids)}): {', '.join(ids[:SHOWN_SESSIONS]) or 'none'}{more}")
    options = non_default_options(config)
    if options:
        lines.append(f"options: {', '.join(options)}")
    url = config.url
    if config.host in _WILDCARD_HOSTS:
        url = url.replace(f"//{config.host}:", "//127.0.0.1:").replace(f"//[{config.host}]:", "//127.0.0.1:")
        lines.append(f"on every interface; from this machine: {url}")
    caller = _caller(users)
    if caller is not None and ids:
        lines.append(f"try: curl -u {caller.user_name}:{caller.password} {url}/ai/sessions/{ids[0]}")
    return "\n".join(lines)
