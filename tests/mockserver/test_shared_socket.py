"""Many `evokit mock` processes on one real redis-server: one state, over real sockets.

Two mocks share a prefix: what one writes the other serves (sessions, logins, the journal, faults
and their `times`), concurrent updates through both lose nothing, a restarted mock keeps the data,
and a mock outlives a Redis restart (503 while it is gone). Also `--workers` and the start-up
refusals, each one line.
"""

from __future__ import annotations

import os
import signal
import subprocess
import threading
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from evokit.mockserver.core.operation import MODIFIED, parse_ticks
from tests.mockserver.redis_server import RedisServer, own_redis, redis_server, unique_prefix
from tests.mockserver.server import EVOKIT, HOST, LiveServer, free_port, start, stop
from tests.mockserver.support import ALLOWED_USERS, ID_PARAM, OP, PURPOSE, SESSIONS, error_of

__all__ = ["own_redis", "redis_server"]
pytestmark = pytest.mark.socket

ADMIN = (str(ALLOWED_USERS[0]["userName"]), str(ALLOWED_USERS[0]["password"]))
SID = SESSIONS[0]["id"]
PATH = OP.user_route.path.replace("{" + ID_PARAM + "}", "{}")


def start_on(server: RedisServer, prefix: str, *extra: str) -> LiveServer:
    return start(["--store", server.url, "--store-prefix", prefix, *extra])


@pytest.fixture(scope="module")
def pair(redis_server: RedisServer) -> Iterator[tuple[LiveServer, LiveServer]]:
    """Two mock processes on one Redis prefix."""
    prefix = unique_prefix("pair")
    first = start_on(redis_server, prefix)
    try:
        second = start_on(redis_server, prefix)
        try:
            yield first, second
        finally:
            stop(second.process)
    finally:
        stop(first.process)


@pytest.fixture
def fresh_pair(pair: tuple[LiveServer, LiveServer]) -> tuple[LiveServer, LiveServer]:
    pair[0].reset()
    return pair


def patch(server: LiveServer, session_id: str, purpose: str, **kwargs: object) -> requests.Response:
    kwargs.setdefault("auth", ADMIN)
    return requests.patch(f"{server.url}{PATH.format(session_id)}", json={PURPOSE: purpose}, timeout=10, **kwargs)  # type: ignore[arg-type]


def get(server: LiveServer, session_id: str, **kwargs: object) -> requests.Response:
    kwargs.setdefault("auth", ADMIN)
    return requests.get(f"{server.url}{PATH.format(session_id)}", timeout=10, **kwargs)  # type: ignore[arg-type]


def test_the_second_mock_keeps_what_the_first_loaded(pair: tuple[LiveServer, LiveServer]) -> None:
    first, second = pair
    assert "fixtures loaded" in first.banner[1] and "prefix evokit-pair-" in first.banner[1]
    assert "kept the" in second.banner[1]


def test_a_patch_through_one_is_seen_through_the_other(fresh_pair: tuple[LiveServer, LiveServer]) -> None:
    first, second = fresh_pair
    written = patch(first, SID, "written through the first")
    assert written.status_code == 200
    read = get(second, SID)
    assert read.status_code == 200 and read.json() == written.json()
    again = patch(second, SID, "and again through the second")
    assert parse_ticks(again.json()[MODIFIED]) > parse_ticks(written.json()[MODIFIED])  # type: ignore[operator]


def test_a_cookie_login_on_one_is_valid_on_the_other(fresh_pair: tuple[LiveServer, LiveServer]) -> None:
    first, second = fresh_pair
    login = requests.post(f"{first.url}/auth/credentials", json={"userName": ADMIN[0], "password": ADMIN[1]}, timeout=10)
    assert login.status_code == 200
    cookies = {"ss-id": login.cookies["ss-id"]}
    assert get(second, SID, auth=None, cookies=cookies).status_code == 200
    logout = requests.post(f"{second.url}/auth/logout", cookies=cookies, timeout=10)
    assert logout.status_code == 200
    assert get(first, SID, auth=None, cookies=cookies).status_code == 401


def test_2000_concurrent_updates_over_both_lose_none(fresh_pair: tuple[LiveServer, LiveServer]) -> None:
    """Every request removes one action of 20 seeded sessions of 100 actions each: an update built
    on a stale read would bring a removed action back, so any lost update leaves one behind."""
    first, second = fresh_pair
    sessions = {}
    for n in range(20):
        actions = [{"id": f"act{n:02d}{i:03d}", "functionName": "f", "canBeApplied": True} for i in range(100)]
        seeded = requests.post(f"{first.url}/__mock/sessions", json={"id": f"race{n:02d}", "actions": actions}, timeout=10)
        assert seeded.status_code == 201
        sessions[f"race{n:02d}"] = [action["id"] for action in actions]
    # Session by session, so the eight requests in flight contend for one record.
    jobs = [(session_id, action_id) for session_id, ids in sessions.items() for action_id in ids]
    local, opened = threading.local(), []

    def remove(job: tuple[int, tuple[str, str]]) -> tuple[str, int, str]:
        index, (session_id, action_id) = job
        server = (first, second)[index % 2]
        if not hasattr(local, "http"):
            local.http = requests.Session()
            opened.append(local.http)
        answer = local.http.delete(f"{server.url}/ai/sessions/{session_id}/actions/{action_id}", auth=ADMIN, timeout=30)
        return session_id, answer.status_code, answer.json().get(MODIFIED, "") if answer.status_code == 200 else ""

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(remove, enumerate(jobs)))
    for http in opened:
        http.close()
    assert Counter(status for _, status, _ in results) == {200: 2000}
    for session_id in sessions:
        stamps = [parse_ticks(stamp) for sid, _, stamp in results if sid == session_id]
        assert len(set(stamps)) == 100  # strictly increasing: no two updates of one session share a stamp
        final = get(second, session_id).json()
        assert final.get("actions", []) == [] and parse_ticks(final[MODIFIED]) == max(stamps)  # type: ignore[type-var]


def test_a_fault_with_times_fires_exactly_that_often_across_both(fresh_pair: tuple[LiveServer, LiveServer]) -> None:
    first, second = fresh_pair
    added = requests.post(f"{first.url}/__mock/faults", json={"route": "/ai/sessions/*", "method": "GET", "status": 503, "times": 7}, timeout=10)
    assert added.status_code == 201
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda n: get((first, second)[n % 2], SID).status_code, range(40)))
    assert Counter(statuses) == {503: 7, 200: 33}
    [listed] = requests.get(f"{second.url}/__mock/faults", timeout=10).json()
    assert (listed["id"], listed["remaining"], listed["hits"]) == (added.json()["id"], 0, 7)


def test_the_journal_and_reset_are_shared(fresh_pair: tuple[LiveServer, LiveServer]) -> None:
    first, second = fresh_pair
    patch(second, SID, "journaled")
    entries = requests.get(f"{first.url}/__mock/requests", timeout=10).json()
    assert [(entry["method"], entry["path"], entry["user"]) for entry in entries] == [("PATCH", PATH.format(SID), ADMIN[0])]
    assert requests.post(f"{first.url}/__mock/reset", timeout=10).status_code == 200
    assert get(second, SID).json()[PURPOSE] == SESSIONS[0][PURPOSE]
    # The reset emptied the journal: only the GET since is in it.
    assert [entry["method"] for entry in requests.get(f"{second.url}/__mock/requests", timeout=10).json()] == ["GET"]


def test_a_restarted_mock_serves_what_was_written(redis_server: RedisServer) -> None:
    prefix = unique_prefix("restart")
    mock = start_on(redis_server, prefix)
    try:
        assert patch(mock, SID, "before the restart").status_code == 200
    finally:
        stop(mock.process)
    mock = start_on(redis_server, prefix)
    try:
        assert "kept the" in mock.banner[1]
        assert get(mock, SID).json()[PURPOSE] == "before the restart"
    finally:
        stop(mock.process)
    mock = start_on(redis_server, prefix, "--reset-on-start")
    try:
        assert "fixtures loaded" in mock.banner[1]
        assert get(mock, SID).json()[PURPOSE] == SESSIONS[0][PURPOSE]
    finally:
        stop(mock.process)


def test_a_mock_answers_503_while_redis_is_gone_and_recovers(own_redis: RedisServer, tmp_path: Path) -> None:
    own_redis.stop()
    own_redis.start(data_dir=tmp_path)  # a Redis that keeps a snapshot, to show nothing it kept is lost
    mock = start_on(own_redis, unique_prefix("outage"))
    try:
        assert patch(mock, SID, "kept by Redis").status_code == 200
        with own_redis.client() as client:
            client.save()
        own_redis.stop()
        gone = get(mock, SID)
        assert gone.status_code == 503 and gone.headers["Retry-After"] == "1"
        assert error_of(gone.content)["errorCode"] == "ServiceUnavailable"
        assert requests.get(f"{mock.url}/__mock/sessions", timeout=10).status_code == 503
        own_redis.start(data_dir=tmp_path)
        deadline = time.monotonic() + 10
        while (back := get(mock, SID)).status_code == 503 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert back.status_code == 200 and back.json()[PURPOSE] == "kept by Redis"
    finally:
        stop(mock.process)


def test_workers_share_one_port_and_one_state(redis_server: RedisServer) -> None:
    mock = start_on(redis_server, unique_prefix("workers"), "--workers", "2")
    try:
        assert "2 worker processes" in mock.banner[1]
        children = Path(f"/proc/{mock.process.pid}/task/{mock.process.pid}/children").read_text().split()
        assert len(children) == 2
        login = requests.post(f"{mock.url}/auth/credentials", json={"userName": ADMIN[0], "password": ADMIN[1]}, timeout=10)
        cookies = {"ss-id": login.cookies["ss-id"]}
        for n in range(20):  # new connections land on either worker; each sees the login and the last write
            assert patch(mock, SID, f"write {n}", auth=None, cookies=cookies).status_code == 200
            assert get(mock, SID, auth=None, cookies=cookies).json()[PURPOSE] == f"write {n}"
        # Each worker writes its own access-log lines: every PATCH shows up once.
        deadline = time.monotonic() + 5
        while mock.output().count(f"PATCH /ai/sessions/{SID} 200") < 20 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert mock.output().count(f"PATCH /ai/sessions/{SID} 200") == 20
        assert "Configuration allows" not in mock.output()
        # Both workers decided faults above, so each keeps the (empty) fault book: a fault added
        # through one must still decide every next request, on either worker, and so its removal.
        added = requests.post(f"{mock.url}/__mock/faults", json={"route": "/ai/sessions/*", "method": "GET", "status": 503}, timeout=10)
        assert added.status_code == 201
        assert [get(mock, SID).status_code for _ in range(20)] == [503] * 20
        assert requests.delete(f"{mock.url}/__mock/faults/{added.json()['id']}", timeout=10).status_code == 204
        assert [get(mock, SID).status_code for _ in range(20)] == [200] * 20
    finally:
        stop(mock.process)


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_workers_stopped_at_once_still_log_every_request(redis_server: RedisServer, sig: signal.Signals) -> None:
    """Each worker writes its lines in batches; stopping right after the last answer (Ctrl-C, a
    CI job's kill) must still leave every line in the log, before the last one."""
    mock = start_on(redis_server, unique_prefix("stop-log"), "--workers", "2")
    try:
        for _ in range(10):  # a new connection each: both workers serve some
            assert get(mock, SID).status_code == 200
        mock.process.send_signal(sig)
        assert mock.process.wait(timeout=15) == 0
        lines = mock.output().splitlines()
        assert sum(f"GET /ai/sessions/{SID} 200" in line for line in lines) == 10
        assert lines[-1] == "evokit mock: stopped"
    finally:
        stop(mock.process)


def run_mock(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*EVOKIT, "mock", "--host", HOST, "--port", str(free_port()), *args],
                          capture_output=True, text=True, timeout=60, env={**os.environ, **(env or {})})


@pytest.mark.parametrize("how", ["option", "EVOKIT_STORE"])
def test_an_unreachable_redis_at_start_is_one_line_and_exit_1(how: str) -> None:
    url = f"redis://{HOST}:{free_port()}/0"
    done = run_mock("--store", url) if how == "option" else run_mock(env={"EVOKIT_STORE": url})
    assert done.returncode == 1 and done.stdout == ""
    assert done.stderr.startswith(f"evokit mock: cannot reach the store at {url}: ") and done.stderr.count("\n") == 1


def test_workers_on_the_memory_store_are_refused_in_one_line() -> None:
    done = run_mock("--workers", "2")
    assert done.returncode == 2 and done.stderr.count("\n") == 1 and "shared store" in done.stderr
