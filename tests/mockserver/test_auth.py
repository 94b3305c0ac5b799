"""Section 3 as pure functions: Basic parsing, session ids, identification, role checks, and the
Authenticate service."""

from __future__ import annotations

import base64

import pytest

from evokit.mockserver.auth.caller import (
    INVALID_CREDENTIALS,
    AuthSession,
    User,
    UserDirectory,
    authorize,
    identify,
    parse_basic,
    session_id_from,
)
from evokit.mockserver.auth.service import Authenticator
from evokit.mockserver.core.errors import (
    Forbidden,
    MethodNotAllowed,
    NotAuthenticated,
    NotFound,
    Unauthorized,
    ValidationFailure,
)
from evokit.mockserver.core.config import MockConfig
from evokit.mockserver.core.store import InMemoryStore
from evokit.mockserver.http.app import create_app
from evokit.mockserver.http import dispatch
from evokit.mockserver.http.dispatch import session_id_of
from tests.mockserver.support import ALLOWED_USERS, CONTRACT, OP, PURPOSE, SESSION_IDS

ALICE = User("u1", "alice", "s3cret", "Alice", (OP.required_roles[0],), ())
BOB = User("u2", "bob", "hunter2", "Bob", ("Other",), ("p",))
ROOT = User("u3", "root", "r", "Root", (CONTRACT.superuser_role,), ())
USERS = UserDirectory([ALICE, BOB, ROOT])
COOKIE = CONTRACT.session_cookie


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


@pytest.mark.parametrize(("header", "expected"), [
    (None, None),
    ("", None),
    (f"Basic {b64(b'alice:s3cret')}", ("alice", "s3cret")),
    (f"basic {b64(b'alice:s3cret')}", ("alice", "s3cret")),
    (f"BASIC  {b64(b'alice:s3cret')}", ("alice", "s3cret")),
    (f"Basic {b64(b'alice:a:b')}", ("alice", "a:b")),
    (f"Basic {b64(b'alice')}", None),  # no colon: no credentials (GetBasicAuthUserAndPassword)
    (f"Basic {b64(b'alice:')}", None),  # empty password: the API-key form, skipped
    (f"Basic {b64(bytes([0xFF, 0x3A, 0x78]))}", ("\ufffd", "x")),  # not UTF-8: replaced
    ("Bearer abc.def", None),
    ("Basic", None),
], ids=["missing", "empty", "basic", "lower-case scheme", "upper-case scheme, two spaces", "colon in password",
        "no colon", "empty password", "non-utf8", "other scheme", "scheme only"])
def test_parse_basic(header: str | None, expected: tuple[str, str] | None) -> None:
    assert parse_basic(header) == expected


@pytest.mark.parametrize("header", ["Basic !!!!", "Basic YWxpY2U6c", "Basic a b c", "Basic =abc"])
def test_parse_basic_bad_base64_is_a_wrong_credential(header: str) -> None:
    with pytest.raises(Unauthorized) as caught:
        parse_basic(header)
    assert caught.value.message == INVALID_CREDENTIALS


def test_session_id_sources() -> None:
    assert session_id_from({}, {}, COOKIE) is None
    assert session_id_from({}, {COOKIE: "c"}, COOKIE) == "c"
    assert session_id_from({f"X-{COOKIE}": "h"}, {COOKIE: "c"}, COOKIE) == "h"
    assert session_id_from({}, {COOKIE: "c", "ss-pid": "p", "ss-opt": "perm"}, COOKIE) == "p"
    assert session_id_from({}, {COOKIE: "c", "ss-pid": "p", "ss-opt": "temp"}, COOKIE) == "c"


def test_identify() -> None:
    sessions = InMemoryStore([("s1", AuthSession("s1", BOB.user_id))])
    ident = lambda authorization=None, sid=None: identify(
        authorization=authorization, users=USERS, login=lambda: sessions.get(sid) if sid else None)
    assert ident() is None
    assert ident(sid="s1") == BOB
    assert ident(sid="unknown") is None
    assert ident(f"Basic {b64(b'alice:s3cret')}", "s1") == ALICE  # Basic first
    for wrong in (b"alice:nope", b"nobody:s3cret", b"ALICE:s3cret"):
        with pytest.raises(Unauthorized):
            ident(f"Basic {b64(wrong)}", "s1")  # a wrong password wins over a valid session

    def unread() -> AuthSession | None:
        raise AssertionError("Basic credentials decide: the login session is not read")

    assert identify(authorization=f"Basic {b64(b'alice:s3cret')}", users=USERS, login=unread) == ALICE


def test_authorize() -> None:
    forbidden = lambda: Forbidden(method="PATCH", path="/p", query="a=b")
    check = lambda user: authorize(
        user, required_roles=OP.required_roles, superuser_role=CONTRACT.superuser_role, forbidden=forbidden)
    assert check(ALICE) == ALICE and check(ROOT) == ROOT
    with pytest.raises(NotAuthenticated):
        check(None)
    with pytest.raises(Forbidden) as caught:
        check(BOB)
    assert caught.value.text == "Forbidden\n\nRequest.HttpMethod: PATCH\nRequest.PathInfo: /p\nRequest.QueryString: a=b\n\n"


def authenticator() -> tuple[Authenticator, InMemoryStore[AuthSession]]:
    sessions: InMemoryStore[AuthSession] = InMemoryStore()
    ids = iter(f"s{n}" for n in range(1, 100))
    return Authenticator(users=USERS, sessions=sessions, cookie_name=COOKIE, session_ids=lambda: next(ids)), sessions


def test_credentials_login_and_logout() -> None:
    auth, sessions = authenticator()
    outcome = auth.handle(method="POST", request={"provider": "credentials", "userName": "alice", "password": "s3cret"},
                          authorization=None, session_id=None)
    assert outcome.response == {"userId": "u1", "sessionId": "s1", "userName": "alice", "displayName": "Alice",
                                "roles": list(ALICE.roles), "permissions": []}
    # ss-id holds the session; ss-pid is a second id, ss-opt says the temporary one is in use.
    lasting = 20 * 365 * 24 * 3600
    assert [(c.name, c.value, c.max_age) for c in outcome.cookies] == [
        (COOKIE, "s1", None), ("ss-pid", "s2", lasting), ("ss-opt", "temp", lasting)]
    assert CONTRACT.violations("AuthenticateResponse", dict(outcome.response)) == []
    assert auth.handle(method="GET", request={}, authorization=None, session_id="s1").response["userName"] == "alice"
    logout = auth.handle(method="POST", request={"provider": "logout"}, authorization=None, session_id="s1")
    assert logout.response == {} and all(c.max_age == 0 for c in logout.cookies)
    assert sessions.get("s1") is None
    with pytest.raises(Unauthorized) as caught:
        auth.handle(method="GET", request={}, authorization=None, session_id="s1")
    assert caught.value.message == "Not Authenticated"


def test_remember_me_sets_permanent_cookies() -> None:
    auth, _ = authenticator()
    outcome = auth.handle(method="POST", request={"provider": "login", "userName": "bob", "password": "hunter2",
                                                  "rememberMe": "True"}, authorization=None, session_id=None)
    assert [(c.name, c.value) for c in outcome.cookies] == [(COOKIE, "s1"), ("ss-pid", "s2"), ("ss-opt", "perm")]
    assert outcome.response["sessionId"] == "s2", "a remembered login lives under the permanent id"


@pytest.mark.parametrize(("request_dto", "method", "failure", "code"), [
    ({"provider": "credentials", "userName": "alice", "password": "bad"}, "POST", Unauthorized, "Unauthorized"),
    ({"provider": "credentials", "userName": "zed", "password": "bad"}, "POST", Unauthorized, "Unauthorized"),
    ({"provider": "credentials", "password": "x"}, "POST", ValidationFailure, "NotEmpty"),
    ({"provider": "credentials"}, "POST", ValidationFailure, "NotEmpty"),
    ({"provider": "credentials", "userName": "alice", "password": "s3cret"}, "GET", MethodNotAllowed, "NotSupportedException"),
    ({"provider": "twitter"}, "POST", NotFound, "NotFound"),
    ({"provider": "basic"}, "POST", Unauthorized, "Unauthorized"),
])
def test_authenticate_failures(request_dto: dict[str, str], method: str, failure: type, code: str) -> None:
    auth, sessions = authenticator()
    with pytest.raises(failure) as caught:
        auth.handle(method=method, request=request_dto, authorization=None, session_id=None)
    assert caught.value.error_code == code
    assert sessions.all() == []


def test_validation_lists_every_empty_field() -> None:
    auth, _ = authenticator()
    with pytest.raises(ValidationFailure) as caught:
        auth.handle(method="POST", request={"provider": "credentials", "userName": " "}, authorization=None, session_id=None)
    status = caught.value.response_status()
    assert status["message"] == "'User Name' must not be empty."
    assert [e["fieldName"] for e in status["errors"]] == ["UserName", "Password"]  # type: ignore[union-attr,index]


def test_basic_provider_and_basic_on_auth_open_a_session() -> None:
    auth, sessions = authenticator()
    header = f"Basic {b64(b'bob:hunter2')}"
    assert auth.handle(method="POST", request={"provider": "basic"}, authorization=header, session_id=None).response["sessionId"] == "s1"
    assert auth.handle(method="GET", request={}, authorization=header, session_id=None).response["sessionId"] == "s3"
    assert [s.user_id for s in sessions.all()] == ["u2", "u2"]


def test_the_session_id_of_a_request_is_read_from_its_own_headers() -> None:
    # Ids are remembered by the raw headers that present them; each request still gets its own.
    def environ(cookie: str = "", **headers: str) -> dict[str, object]:
        return {"HTTP_COOKIE": cookie, **{f"HTTP_{name.upper()}": value for name, value in headers.items()}}

    for _ in range(2):  # the second round reads what the first remembered
        assert session_id_of(environ(f"{COOKIE}=one"), COOKIE) == "one"
        assert session_id_of(environ(f"{COOKIE}=two"), COOKIE) == "two"
        assert session_id_of(environ(f"{COOKIE}=one", x_ss_id="header"), COOKIE) == "header"
        assert session_id_of(environ(f"{COOKIE}=one", x_ss_pid="permanent"), COOKIE) == "permanent"
        assert session_id_of(environ(f"{COOKIE}=one; ss-pid=p; ss-opt=perm"), COOKIE) == "p"
        assert session_id_of(environ(), COOKIE) is None
    for number in range(2000):
        assert session_id_of(environ(f"{COOKIE}=n{number}"), COOKIE) == f"n{number}"
    assert len(dispatch._SESSION_IDS) <= dispatch._SESSION_IDS_MAX


class _CountingSessions(InMemoryStore[AuthSession]):
    """Login sessions that count their reads: on a shared store every read is a round trip."""

    def __init__(self) -> None:
        super().__init__()
        self.reads = 0

    def get(self, key: str) -> AuthSession | None:
        self.reads += 1
        return super().get(key)


def test_a_cookie_request_reads_its_login_session_once() -> None:
    sessions = _CountingSessions()
    client = create_app(MockConfig(), sessions=sessions).test_client()
    admin = ALLOWED_USERS[0]
    assert client.post("/auth/credentials", json={"userName": admin["userName"], "password": admin["password"]}).status_code == 200
    sessions.reads = 0
    answer = client.patch(f"/ai/sessions/{SESSION_IDS[0]}", json={PURPOSE: "once"})
    assert answer.status_code == 200 and answer.json[PURPOSE] == "once"
    assert sessions.reads == 1  # the journal's "who" and the operation's caller share the read
