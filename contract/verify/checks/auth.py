"""Section 3 scenarios: the auth matrix on every route, the check order, and session logins.

Every request here carries no purpose, so none of them changes a session's purpose even when a
broken server lets it through.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Iterator

from evokit.contract.verify.report.findings import Violation
from evokit.contract.verify.run.http import Call, Exchange
from evokit.contract.verify.run.probe import Probe, json_object
from evokit.contract.verify.checks.registry import CHECKS
from evokit.contract.verify.rules.table import rule
from evokit.contract.verify.run.wire import ERROR_DTO, decode

# Section 3: the challenge and the bad-credentials answer, as ServiceStack writes them.
REALM_CHALLENGE = 'basic realm="/auth/basic"'
UNAUTHORIZED_CODE = "Unauthorized"
INVALID_CREDENTIALS = "Invalid Username or Password"
FORBIDDEN_PREFIX = "Forbidden"
FORBIDDEN_TYPE = "text/plain"
NOT_FOUND_CODE = "NotFound"
LOGIN_PATH, LOGOUT_PATH = "/auth/credentials", "/auth/logout"


def _v(rule_id: str, kind: str, expected: str, exchange: Exchange, observed: str | None = None) -> Violation:
    return Violation(rule(rule_id), kind, expected, observed or exchange.describe(), exchange)


def expect_anonymous(exchange: Exchange) -> Iterator[Violation]:
    """No credentials: 401, empty body, a WWW-Authenticate challenge (realm assumed)."""
    if exchange.status != 401:
        yield _v("anonymous-401", "status", "401", exchange)
        return
    if exchange.body.strip():
        yield _v("anonymous-401", "body", "an empty body", exchange)
    challenge = exchange.headers.get("WWW-Authenticate")
    if challenge is None:
        yield _v("www-authenticate", "missing", "a WWW-Authenticate header", exchange, "no WWW-Authenticate")
    elif challenge.strip().lower() != REALM_CHALLENGE.lower():
        yield _v("www-authenticate-realm", "value", REALM_CHALLENGE, exchange, challenge)


def expect_bad_credentials(probe: Probe, exchange: Exchange) -> Iterator[Violation]:
    """Wrong credentials: 401 with `{"responseStatus":{"errorCode":"Unauthorized",...}}`.

    Section 3 shows the JSON form; as an error it is written in the negotiated format (section 5).
    """
    decoded = decode(probe.contract, exchange, ERROR_DTO) if exchange.status == 401 else None
    status = decoded.value.get("responseStatus") if decoded is not None and decoded.value else None
    if exchange.status != 401:
        yield _v("bad-credentials", "status", "401", exchange)
    elif not isinstance(status, dict) or status.get("errorCode") != UNAUTHORIZED_CODE:
        yield _v("bad-credentials", "body", f"a responseStatus with errorCode {UNAUTHORIZED_CODE}", exchange)
    elif status.get("message") != INVALID_CREDENTIALS:
        yield _v("bad-credentials", "message", INVALID_CREDENTIALS, exchange, repr(status.get("message")))


def expect_forbidden(exchange: Exchange) -> Iterator[Violation]:
    """Authenticated without the role: 403, text/plain, body starting `Forbidden`."""
    if exchange.status != 403:
        yield _v("forbidden-403", "status", "403", exchange)
    elif exchange.media_type != FORBIDDEN_TYPE or not exchange.text.startswith(FORBIDDEN_PREFIX):
        yield _v("forbidden-403", "body", f"{FORBIDDEN_TYPE} starting {FORBIDDEN_PREFIX!r}", exchange)


def expect_session(
    probe: Probe, exchange: Exchange, session_id: str, rule_id: str, kind: str
) -> Iterator[Violation]:
    """A 200 whose body is the AISessionInfo of `session_id`."""
    body = probe.body(exchange)
    if exchange.status != 200 or body is None or body.get(probe.members.id) != session_id:
        yield _v(rule_id, kind, f"200 with the AISessionInfo of {session_id}", exchange)


@CHECKS.scenario(
    "auth", "anonymous-401", "www-authenticate", "www-authenticate-realm", "bad-credentials",
    "forbidden-403", "superuser-admin", "update-response",
)
def auth_matrix(probe: Probe) -> Iterator[Violation]:
    """Every caller kind on every route of the operation (section 3)."""
    session = probe.sessions[0]
    if probe.identities.superuser is None:
        probe.skip("superuser-admin", "no credentials of a superuser (--superuser-auth)")
    for route in probe.routes:
        yield from expect_anonymous(probe.patch(route, session, {}, identity="anonymous"))
        for index in range(len(probe.identities.bad)):
            yield from expect_bad_credentials(probe, probe.patch(route, session, {}, identity=f"bad:{index}"))
        yield from expect_forbidden(probe.patch(route, session, {}, identity="user"))
        if probe.identities.superuser is not None:
            exchange = probe.patch(route, session, {}, identity="superuser")
            yield from expect_session(probe, exchange, session, "superuser-admin", "role")
        exchange = probe.patch(route, session, {}, identity="admin")
        yield from expect_session(probe, exchange, session, "update-response", "admin")


@CHECKS.scenario("auth", "check-order", "not-found-404")
def check_order(probe: Probe) -> Iterator[Violation]:
    """Unknown ids: 401 before 403 before 404 (section 3), on every route."""
    for route in probe.routes:
        missing = probe.unknown_id()
        for identity, status in (("anonymous", 401), ("user", 403), ("admin", 404)):
            exchange = probe.patch(route, missing, probe.purpose("never stored"), identity=identity)
            if exchange.status != status:
                rule_id = "not-found-404" if identity == "admin" else "check-order"
                yield _v(rule_id, identity, f"{status} for an unknown id ({identity})", exchange)


def _basic_credentials(header: str) -> tuple[str, str] | None:
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        user, sep, password = base64.b64decode(token, validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return (user, password) if sep else None


@CHECKS.scenario("auth", "session-auth")
def session_login(probe: Probe) -> Iterator[Violation]:
    """A credentials login's session works by cookie and by X-ss-id, and not after logout (section 3)."""
    credentials = _basic_credentials(probe.identities.admin)
    if credentials is None:
        probe.skip("session-auth", "the admin credentials are not HTTP Basic: nothing to log in with")
        return
    members = probe.members
    body = json.dumps({members.user_name: credentials[0], members.password: credentials[1]}).encode()
    login = probe.send(Call("POST", LOGIN_PATH, LOGIN_PATH, (), (("Content-Type", "application/json"),), body))
    cookie_name = probe.contract.session_cookie
    response = json_object(login) or {}
    cookie = _cookie(login, cookie_name)
    if login.status != 200 or not response.get(members.auth_session_id) or cookie is None:
        yield _v("session-auth", "login", f"200 AuthenticateResponse with sessionId and a {cookie_name} cookie", login)
        return
    session, route = probe.sessions[0], probe.operation.user_route
    for kind, header in (("cookie", ("Cookie", f"{cookie_name}={cookie}")), ("x-ss-id", ("X-ss-id", cookie))):
        exchange = probe.patch(route, session, {}, identity="anonymous", headers=(header,))
        yield from expect_session(probe, exchange, session, "session-auth", kind)
    logout = probe.send(Call("POST", LOGOUT_PATH, LOGOUT_PATH, (), (("Cookie", f"{cookie_name}={cookie}"),)))
    if logout.status != 200:
        yield _v("session-auth", "logout", "200", logout)
    after = probe.patch(route, session, {}, identity="anonymous", headers=(("Cookie", f"{cookie_name}={cookie}"),))
    if after.status != 401:
        yield _v("session-auth", "after-logout", "401 once the session ended", after)


def _cookie(exchange: Exchange, name: str) -> str | None:
    """The value a Set-Cookie header of the response gives `name`."""
    header = exchange.headers.get("Set-Cookie") or ""
    for part in header.replace(",", ";").split(";"):
        key, sep, value = part.strip().partition("=")
        if sep and key == name and value:
            return value
    return None
