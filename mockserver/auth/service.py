"""ServiceStack's `AuthenticateService` as the mock plays it (CONTRACT.md section 3). Pure; no Flask.

`POST /auth/{provider}` logs in (`credentials`, its alias `login`, or `basic` with the Basic header),
`/auth/logout` ends the session, and `/auth` without a provider answers the current session or
401 `Not Authenticated` (`AuthenticateService.PostAsync`). Logins answer an `AuthenticateResponse`
and set the session cookies; the session lives in a `Store` until logout or reset.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from evokit.mockserver.auth.caller import (
    INVALID_CREDENTIALS,
    OPTIONS_COOKIE,
    PERMANENT_COOKIE,
    PERMANENT_OPTION,
    TEMPORARY_OPTION,
    AuthSession,
    User,
    UserDirectory,
    identify,
    parse_basic,
)
from evokit.mockserver.core.errors import (
    FieldError,
    MethodNotAllowed,
    NotFound,
    Unauthorized,
    ValidationFailure,
)
from evokit.mockserver.core.replies import Cookie
from evokit.mockserver.core.store import Store

# AuthenticateResponse members the mock fills; checked against the contract when the app starts.
RESPONSE_MEMBERS = ("userId", "sessionId", "userName", "displayName", "roles", "permissions")
# Authenticate members the service reads.
PROVIDER, USER_NAME, PASSWORD, REMEMBER_ME = "provider", "userName", "password", "rememberMe"

# AuthenticateService.LogoutAction / CredentialsAliasProvider, and the providers the mock has.
LOGOUT, CREDENTIALS, BASIC = "logout", "credentials", "basic"
_ALIASES = {"login": CREDENTIALS}

# SessionFeature's permanent cookies last twenty years (`DateTime.UtcNow.AddYears(20)`).
PERMANENT_MAX_AGE = 20 * 365 * 24 * 3600


def new_session_id() -> str:
    """A random session id of 20 URL-safe characters, like `SessionExtensions.CreateRandomSessionId`."""
    return secrets.token_urlsafe(15)


@dataclass(frozen=True)
class AuthOutcome:
    """What an Authenticate request answers: the response members and the cookies to set."""

    response: Mapping[str, object]
    cookies: tuple[Cookie, ...] = ()


class Authenticator:
    """Logins, logouts and the current session, over the fixture users and a session store."""

    def __init__(
        self,
        *,
        users: UserDirectory,
        sessions: Store[AuthSession],
        cookie_name: str,
        session_ids: Callable[[], str] = new_session_id,
    ) -> None:
        self.users = users
        self.sessions = sessions
        self.cookie_name = cookie_name
        self.session_ids = session_ids

    def response(self, user: User, session_id: str) -> dict[str, object]:
        """The AuthenticateResponse for a logged-in user (no bearer token: the mock issues none)."""
        values = (user.user_id, session_id, user.user_name, user.display_name, list(user.roles), list(user.permissions))
        return dict(zip(RESPONSE_MEMBERS, values))

    def handle(
        self,
        *,
        method: str,
        request: Mapping[str, str],
        authorization: str | None,
        session_id: str | None,
    ) -> AuthOutcome:
        """Run one Authenticate request; raises the `HttpFailure` ServiceStack would answer."""
        provider = (request.get(PROVIDER) or "").strip()
        name = _ALIASES.get(provider.lower(), provider.lower())
        if method == "GET" and name in (CREDENTIALS, BASIC):
            # AuthFeature.DefaultAllowGetAuthenticateRequests: only `/auth` and `/auth/logout`.
            raise MethodNotAllowed(
                "GET Authenticate requests are disabled, to enable set AuthFeature.AllowGetAuthenticateRequests = req => true",
                error_code="NotSupportedException",
            )
        if not name:
            return self.current(authorization=authorization, session_id=session_id)
        if name == LOGOUT:
            return self.logout(session_id)
        if name == CREDENTIALS:
            return self.login(request)
        if name == BASIC:
            credentials = parse_basic(authorization)
            if credentials is None:  # ErrorMessages.InvalidBasicAuthCredentials
                raise Unauthorized("Invalid BasicAuth Credentials")
            return self._start(self._verify(*credentials), permanent=False)
        raise NotFound(f"No configuration was added for OAuth provider '{provider}'")

    def current(self, *, authorization: str | None, session_id: str | None) -> AuthOutcome:
        """`/auth` without a provider: who is logged in, or 401 `Not Authenticated`."""
        user = identify(authorization=authorization, users=self.users,
                        login=lambda: self.sessions.get(session_id) if session_id else None)
        if user is None:
            raise Unauthorized("Not Authenticated")
        if authorization and parse_basic(authorization) is not None:
            return self._start(user, permanent=False)  # Basic credentials open a session, as a login
        assert session_id is not None  # identify found the user through it
        return AuthOutcome(self.response(user, session_id))

    def login(self, request: Mapping[str, str]) -> AuthOutcome:
        """The credentials provider: validate, verify, open a session (`ss-pid` with rememberMe)."""
        # CredentialsAuthValidator: UserName and Password NotEmpty, with FluentValidation's messages.
        errors = [
            FieldError("NotEmpty", field, f"'{label}' must not be empty.")
            for member, field, label in ((USER_NAME, "UserName", "User Name"), (PASSWORD, "Password", "Password"))
            if not (request.get(member) or "").strip()
        ]
        if errors:
            raise ValidationFailure(errors)
        user = self._verify(request[USER_NAME], request[PASSWORD])
        return self._start(user, permanent=(request.get(REMEMBER_ME) or "").strip().lower() == "true")

    def logout(self, session_id: str | None) -> AuthOutcome:
        """End the session (if any) and delete its cookies; answers an empty AuthenticateResponse."""
        if session_id:
            self.sessions.delete(session_id)
        gone = (self.cookie_name, PERMANENT_COOKIE, OPTIONS_COOKIE)
        return AuthOutcome({}, tuple(Cookie(name, "", max_age=0) for name in gone))

    def _verify(self, user_name: str, password: str) -> User:
        user = self.users.verify(user_name, password)
        if user is None:
            raise Unauthorized(INVALID_CREDENTIALS)
        return user

    def _start(self, user: User, *, permanent: bool) -> AuthOutcome:
        """Open a session. As ServiceStack's `SessionFeature` does on a login, two new ids are
        issued: `ss-id` (temporary) and `ss-pid` (permanent), and `ss-opt` says which one holds
        the session (`perm` with rememberMe, `temp` otherwise). A client sends all three back."""
        temporary, lasting = self.session_ids(), self.session_ids()
        session = AuthSession(lasting if permanent else temporary, user.user_id, permanent)
        self.sessions.put(session.session_id, session)
        cookies = (
            Cookie(self.cookie_name, temporary),
            Cookie(PERMANENT_COOKIE, lasting, max_age=PERMANENT_MAX_AGE),
            Cookie(OPTIONS_COOKIE, PERMANENT_OPTION if permanent else TEMPORARY_OPTION, max_age=PERMANENT_MAX_AGE),
        )
        return AuthOutcome(self.response(user, session.session_id), cookies)
