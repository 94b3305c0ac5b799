"""The mock against a plain model of the store, under random sequences of PATCHes, logins,
logouts, Basic calls and clock moves, for fixture users of every role. Every response must be
exactly what the model predicts: status, Content-Type and decoded body. The same machine runs
against the mock on the in-memory store and on the shared Redis store: both must match the model."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import Bundle, RuleBasedStateMachine, consumes, invariant, rule, run_state_machine_as_test

from evokit.contract.formats import DEFAULT_REGISTRY, Format, jsv
from evokit.contract.model import Route
from tests.mockserver.support import (
    CONTRACT,
    ID_PARAM,
    OP,
    PURPOSE,
    SESSION_IDS,
    SESSIONS,
    USERS,
    allowed,
    basic,
    make_mock,
)
from evokit.mockserver.shared.backend import RedisBackend
from evokit.mockserver.shared.connection import RedisLink
from tests.mockserver.redis_server import RedisServer, redis_server, unique_prefix

__all__ = ["redis_server"]

SHAPE = CONTRACT.shape(OP.response)
COOKIE = CONTRACT.session_cookie
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_STAMP = re.compile(r"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\.(\d{7})Z")

users = st.sampled_from(USERS)
targets = st.one_of(st.sampled_from(SESSION_IDS), st.sampled_from(["unknown", "6630f0a2c1d4e5f601a2b399"]))
purposes = st.one_of(st.none(), st.text(max_size=40), st.sampled_from(["", " padded ", 'a:b,"c"{d}[e]\r\nf', "ünï 🎉"]))
formats = st.sampled_from([Format.JSON, Format.JSV])
routes = st.sampled_from(OP.routes)


def ticks(stamp: str) -> int:
    """A fixture or response timestamp (seven fractional digits, UTC) as 100 ns ticks."""
    match = _STAMP.fullmatch(stamp)
    assert match, stamp
    whole = datetime.strptime(match[1], "%Y-%m-%dT%H:%M:%S").replace(tzinfo=UTC)
    return (whole - EPOCH) // timedelta(seconds=1) * 10_000_000 + int(match[2])


def stamp(value: int) -> str:
    seconds, fraction = divmod(value, 10_000_000)
    return f"{EPOCH + timedelta(seconds=seconds):%Y-%m-%dT%H:%M:%S}.{fraction:07d}Z"


class MockMachine(RuleBasedStateMachine):
    logins = Bundle("logins")

    def __init__(self) -> None:
        super().__init__()
        self.mock = self.make_mock()
        self.client = self.mock.client
        self.sessions: dict[str, dict[str, str]] = {s["id"]: dict(s) for s in SESSIONS}
        self.logged_in: dict[str, dict[str, Any]] = {}

    def make_mock(self) -> Any:
        return make_mock()

    # --- the model's predictions ---------------------------------------------------------------

    def expect_patch(self, response: Any, user: dict[str, Any] | None, target: str, purpose: str | None,
                     fmt: Format, now: datetime) -> None:
        codec = DEFAULT_REGISTRY.for_format(fmt)
        if user is None:
            assert (response.status_code, response.data) == (401, b"")
            return
        if not allowed(user):
            assert response.status_code == 403 and response.data.startswith(b"Forbidden\n")
            return
        assert response.headers["Content-Type"] == codec.content_type
        if target not in self.sessions:
            assert response.status_code == 404
            assert codec.decode_error(response.data)["responseStatus"]["errorCode"] == "NotFound"
            return
        record = self.sessions[target]
        floor = (now - EPOCH) // timedelta(microseconds=1) * 10
        for member in ("dateLastModified", "dateCreated"):
            if member in record:
                floor = max(floor, ticks(record[member]) + (1 if member == "dateLastModified" else 0))
        if purpose is not None:
            record[PURPOSE] = purpose
        record["dateLastModified"] = stamp(floor)
        record["lastModifiedBy"] = str(user["userId"])
        assert response.status_code == 200
        assert codec.decode_dto(response.data, SHAPE) == record

    def send_patch(self, route: Route, target: str, purpose: str | None, fmt: Format, headers: dict[str, str],
                   via_query: bool) -> Any:
        path = route.path.replace("{" + ID_PARAM + "}", target)
        if route.kind == "user":
            path += f".{fmt.value}"
        body: dict[str, str] = {} if route.kind == "user" else {ID_PARAM: target}
        query: dict[str, str] = {} if route.kind == "user" else {"format": fmt.value}
        if purpose is not None:
            (query if via_query else body)[PURPOSE] = purpose
        # The user route reads the body by its Content-Type; a pre-defined route in its own format
        # (section 1.1), whatever the response format.
        body_format = fmt if route.kind == "user" else Format.from_name(route.format or "json")
        if body and body_format is Format.JSV:
            data, content_type = jsv.dumps(body).encode(), "application/jsv"
        else:
            data, content_type = json.dumps(body).encode(), "application/json"
        return self.client.open(path, method=route.method, data=data, content_type=content_type,
                                headers=headers, query_string=query)

    # --- rules ---------------------------------------------------------------------------------

    @rule(route=routes, user=users, session_id=targets, purpose=purposes, fmt=formats, via_query=st.booleans())
    def patch_with_basic(self, route: Route, user: dict[str, Any], session_id: str, purpose: str | None,
                         fmt: Format, via_query: bool) -> None:
        now = self.mock.clock.now
        headers = basic(str(user["userName"]), str(user["password"]))
        response = self.send_patch(route, session_id, purpose, fmt, headers, via_query)
        if via_query and route.kind != "user" and not purpose:
            # Section 1.1: GenericHandler skips an empty query value, so `?purpose=` changes nothing.
            purpose = None
        self.expect_patch(response, user, session_id, purpose, fmt, now)

    @rule(route=routes, user=users, session_id=targets, fmt=formats)
    def patch_with_wrong_password(self, route: Route, user: dict[str, Any], session_id: str, fmt: Format) -> None:
        response = self.send_patch(route, session_id, "never stored", fmt, basic(str(user["userName"]), "wrong!"), False)
        assert response.status_code == 401
        status = DEFAULT_REGISTRY.for_format(fmt).decode_error(response.data)["responseStatus"]
        assert status == {"errorCode": "Unauthorized", "message": "Invalid Username or Password", "errors": []}

    @rule(route=routes, session_id=targets, purpose=purposes, fmt=formats)
    def patch_anonymously(self, route: Route, session_id: str, purpose: str | None, fmt: Format) -> None:
        response = self.send_patch(route, session_id, purpose, fmt, {}, False)
        assert (response.status_code, response.data) == (401, b"")

    @rule(target=logins, user=users, remember=st.booleans())
    def login(self, user: dict[str, Any], remember: bool) -> str:
        response = self.client.post("/auth/credentials", json={
            "userName": user["userName"], "password": user["password"], "rememberMe": remember})
        assert response.status_code == 200
        answer = response.get_json()
        assert answer == {"userId": user["userId"], "sessionId": answer["sessionId"], "userName": user["userName"],
                          "displayName": user["displayName"], "roles": user["roles"], "permissions": user["permissions"]}
        cookies = [c.split(";", 1)[0] for c in response.headers.getlist("Set-Cookie")]
        assert [c.split("=", 1)[0] for c in cookies] == [COOKIE, "ss-pid", "ss-opt"]
        assert cookies[2] == ("ss-opt=perm" if remember else "ss-opt=temp")
        self.logged_in[answer["sessionId"]] = user
        return str(answer["sessionId"])

    @rule(user=users)
    def login_with_wrong_password(self, user: dict[str, Any]) -> None:
        response = self.client.post("/auth/credentials", json={"userName": user["userName"], "password": "nope"})
        assert response.status_code == 401 and "Set-Cookie" not in response.headers

    @rule(sid=logins, route=routes, session_id=targets, purpose=purposes, fmt=formats, header=st.booleans())
    def patch_with_session(self, sid: str, route: Route, session_id: str, purpose: str | None, fmt: Format,
                           header: bool) -> None:
        now = self.mock.clock.now
        headers = {f"X-{COOKIE}": sid} if header else {"Cookie": f"{COOKIE}={sid}"}
        response = self.send_patch(route, session_id, purpose, fmt, headers, False)
        self.expect_patch(response, self.logged_in.get(sid), session_id, purpose, fmt, now)

    @rule(sid=consumes(logins))
    def logout(self, sid: str) -> None:
        response = self.client.post("/auth/logout", headers={"Cookie": f"{COOKIE}={sid}"})
        assert response.status_code == 200 and response.get_json() == {}
        self.logged_in.pop(sid, None)
        assert self.client.get("/auth", headers={"Cookie": f"{COOKIE}={sid}"}).status_code == 401

    @rule(step_us=st.sampled_from([0, 1, 1_000_000]), jump_s=st.integers(min_value=-3, max_value=3))
    def move_clock(self, step_us: int, jump_s: int) -> None:
        self.mock.clock.step = timedelta(microseconds=step_us)
        self.mock.clock.now += timedelta(seconds=jump_s)

    @invariant()
    def store_matches_the_model(self) -> None:
        assert json.loads(self.client.get("/__mock/sessions").data) == list(self.sessions.values())


MockMachine.TestCase.settings = settings(
    max_examples=100, stateful_step_count=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
TestMockMachine = MockMachine.TestCase


class RedisMockMachine(MockMachine):
    """The same machine, the mock's state on a real redis-server under a prefix of its own."""

    redis: RedisServer  # set by the test below

    def make_mock(self) -> Any:
        self.link = RedisLink(self.redis.url, unique_prefix("machine"))
        return make_mock(backend=RedisBackend(self.link))

    def teardown(self) -> None:
        self.link.close()


def test_the_mock_on_the_redis_store_matches_the_model(redis_server: RedisServer) -> None:
    RedisMockMachine.redis = redis_server
    run_state_machine_as_test(RedisMockMachine, settings=settings(
        max_examples=40, stateful_step_count=25, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    ))
