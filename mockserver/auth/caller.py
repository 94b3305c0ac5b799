"""Who is calling, and may they (CONTRACT.md section 3). Pure functions; no Flask.

ServiceStack runs `BasicAuthProvider.PreAuthenticateAsync` before looking at the session: Basic
credentials on a request are checked first and a wrong password is a 401 even when a valid session
cookie comes along. Otherwise the session id is read from the `X-ss-id` header or the `ss-id`
cookie (`ss-pid` when `ss-opt` says `perm`), as `SessionExtensions.GetSessionParam` does.
"""

from __future__ import annotations

import base64
import binascii
import hmac
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from evokit.mockserver.core.errors import Forbidden, NotAuthenticated, Unauthorized

# ErrorMessages.InvalidUsernameOrPassword: ServiceStack's text for a rejected login (section 3).
INVALID_CREDENTIALS = "Invalid Username or Password"
# Keywords.PermanentSessionId / SessionFeature.SessionOptionsKey; `ss-id` itself is in the contract.
PERMANENT_COOKIE, OPTIONS_COOKIE, PERMANENT_OPTION, TEMPORARY_OPTION = "ss-pid", "ss-opt", "perm", "temp"


@dataclass(frozen=True)
class User:
    """A fixture user. Roles are data: any role names, checked only against the contract's."""

    user_id: str
    user_name: str
    password: str
    display_name: str
    roles: tuple[str, ...]
    permissions: tuple[str, ...]
    # What `GetAuthStatus` tells a client about the user (CONTRACT.md section 8); optional.
    first_name: str | None = None
    last_name: str | None = None
    email_address: str | None = None
    avatar_url: str | None = None
    account_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class AuthSession:
    """A logged-in session: its id (the `ss-id` cookie value) and whose it is."""

    session_id: str
    user_id: str
    permanent: bool = False


class UserDirectory:
    """The fixture users by name and by id; checks passwords in constant time."""

    def __init__(self, users: Iterable[User]) -> None:
        self.users = tuple(users)
        self._by_name = {user.user_name: user for user in self.users}
        self._by_id = {user.user_id: user for user in self.users}

    def by_id(self, user_id: str) -> User | None:
        return self._by_id.get(user_id)

    def verify(self, user_name: str, password: str) -> User | None:
        """The user these credentials prove, or None.

        An unknown name is compared against a dummy so both failures cost the same time.
        """
        user = self._by_name.get(user_name)
        expected = user.password if user is not None else "\0not a password\0"
        matches = hmac.compare_digest(password.encode("utf-8", "surrogatepass"), expected.encode("utf-8"))
        return user if matches and user is not None else None


def parse_basic(header: str | None) -> tuple[str, str] | None:
    """`(user, password)` from an `Authorization: Basic ...` header, or None when it carries none.

    Mirrors `HttpRequestAuthentication.GetBasicAuthUserAndPassword`: another scheme, a missing `:`
    or an empty password (ServiceStack's API-key form, which `PreAuthenticateAsync` skips) mean "no
    Basic credentials". Bytes that are not UTF-8 decode with U+FFFD, as .NET's decoder does, and so
    name no user. Base64 that does not decode (.NET throws `FormatException`) is a wrong credential
    here: 401, never a crash.
    """
    if not header:
        return None
    scheme, _, encoded = header.strip().partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        raw = base64.b64decode(encoded.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise Unauthorized(INVALID_CREDENTIALS) from None
    user, colon, password = raw.decode("utf-8", "replace").partition(":")
    if not colon or not password:
        return None
    return user, password


def session_id_from(headers: Mapping[str, str], cookies: Mapping[str, str], cookie_name: str) -> str | None:
    """The session id a request presents: the `X-ss-id` header first, then the cookie, which is
    `ss-pid` when `ss-opt` says `perm` (a remember-me login) and `ss-id` otherwise (section 3)."""
    header = headers.get(f"X-{cookie_name}") or headers.get(f"X-{PERMANENT_COOKIE}")
    if header:
        return header
    if PERMANENT_OPTION in cookies.get(OPTIONS_COOKIE, ""):
        return cookies.get(PERMANENT_COOKIE) or cookies.get(cookie_name) or None
    return cookies.get(cookie_name) or None


def identify(
    *,
    authorization: str | None,
    users: UserDirectory,
    login: Callable[[], AuthSession | None],
) -> User | None:
    """The calling user, or None for an anonymous caller.

    `login()` answers the login session the request presents (or None); it is called only when no
    Basic credentials decide, so a Basic request never reads its cookies or the session store.
    Raises `Unauthorized` (401 with a ResponseStatus) for wrong Basic credentials.
    """
    credentials = parse_basic(authorization)
    if credentials is not None:
        user = users.verify(*credentials)
        if user is None:
            raise Unauthorized(INVALID_CREDENTIALS)
        return user
    session = login()
    return users.by_id(session.user_id) if session is not None else None


def has_roles(user: User, required: Sequence[str], superuser_role: str) -> bool:
    """Whether `user` holds every required role; the superuser role passes every check (section 3)."""
    return superuser_role in user.roles or all(role in user.roles for role in required)


def authorize(
    user: User | None,
    *,
    required_roles: Sequence[str],
    superuser_role: str,
    forbidden: Callable[[], Forbidden],
) -> User:
    """The caller if allowed; anonymous -> `NotAuthenticated` (401), never 403; a caller without a
    required role -> the `Forbidden` that `forbidden()` builds (it knows the request line)."""
    if user is None:
        raise NotAuthenticated()
    if not has_roles(user, required_roles, superuser_role):
        raise forbidden()
    return user
