"""The shared store's parts in one process: what `--store` accepts, the config's refusals, the
journal and faults on Redis, and the 503 every layer answers while Redis is gone."""

from __future__ import annotations

import json

import pytest

from evokit.mockserver.control.faults import parse_fault
from evokit.mockserver.control.journal import JournalEntry
from evokit.mockserver.core.config import MockConfig
from evokit.mockserver.core.errors import ConfigError, StoreUnreachable
from evokit.mockserver.shared.backend import RedisBackend
from evokit.mockserver.shared.control import RedisFaultBook, RedisJournal
from evokit.mockserver.shared.url import parse_store_url
from tests.mockserver.redis_server import Links, RedisServer, links, own_redis, redis_server, unique_prefix
from tests.mockserver.server import HOST, free_port
from tests.mockserver.support import SESSIONS, SYSADMIN, error_of, make_mock

__all__ = ["links", "own_redis", "redis_server"]


@pytest.mark.parametrize(("text", "display"), [
    ("redis://localhost", "redis://localhost:6379/0"),
    ("redis://10.0.0.5:6380/3", "redis://10.0.0.5:6380/3"),
    ("rediss://user:secret@cache.example:6390/1", "rediss://user@cache.example:6390/1"),
    ("redis://[::1]:7000", "redis://[::1]:7000/0"),
])
def test_a_store_url_is_shown_without_its_password(text: str, display: str) -> None:
    assert parse_store_url(text).display == display


@pytest.mark.parametrize("text", ["http://localhost", "redis://", "redis://host:port", "redis://host/db", "redis://h/0?x=1", "memcache://h"])
def test_a_store_that_is_neither_memory_nor_a_redis_url_is_refused(text: str) -> None:
    with pytest.raises(ConfigError) as caught:
        MockConfig(store=text)
    assert len(caught.value.problems) == 1


@pytest.mark.parametrize("prefix", ["", "with space", "x" * 65, 7])
def test_a_bad_prefix_is_refused(prefix: object) -> None:
    with pytest.raises(ConfigError):
        MockConfig(store_prefix=prefix)  # type: ignore[arg-type]


def test_workers_need_a_shared_store() -> None:
    with pytest.raises(ConfigError) as caught:
        MockConfig(workers=2)
    assert any("shared store" in problem for problem in caught.value.problems)
    assert MockConfig(workers=4, store="redis://127.0.0.1:6379/0").workers == 4
    with pytest.raises(ConfigError):
        MockConfig(workers=0, store="redis://127.0.0.1:6379/0")


def test_an_unreachable_redis_is_one_typed_error() -> None:
    with pytest.raises(StoreUnreachable) as caught:
        RedisBackend.connect(f"redis://{HOST}:{free_port()}/0", "evokit:")
    assert "\n" not in str(caught.value) and str(caught.value).startswith("cannot reach the store at redis://")


def test_the_journal_keeps_the_newest_entries_for_every_process(redis_server: RedisServer, links: Links) -> None:
    prefix = unique_prefix("journal")
    one, other = (RedisJournal(links.open(redis_server.url, prefix), 3) for _ in range(2))
    for n in range(5):
        (one, other)[n % 2].record(JournalEntry("GET", f"/{n}", "", 200, None, 1.5, 0.25))
    assert [entry.path for entry in other.entries()] == ["/2", "/3", "/4"] == [entry.path for entry in one.entries()]
    assert one.clear() == 3 and other.entries() == []


def test_seeded_faults_draw_the_same_outcomes_however_the_requests_are_spread(redis_server: RedisServer, links: Links) -> None:
    spec = parse_fault({"route": "/x", "rate": 0.5, "latencyMs": [0, 100], "seed": 11, "status": 500})

    def outcomes(books: list[RedisFaultBook]) -> list[tuple[int, int | None] | None]:
        books[0].add(spec)
        decisions = [books[n % len(books)].decide("GET", "/x") for n in range(30)]
        return [(d.latency_ms, d.status) if d is not None else None for d in decisions]

    alone = outcomes([RedisFaultBook(links.open(redis_server.url))])
    prefix = unique_prefix("faults")
    spread = outcomes([RedisFaultBook(links.open(redis_server.url, prefix)) for _ in range(3)])
    assert alone == spread and None in alone and any(alone)
    [listed] = RedisFaultBook(links.open(redis_server.url, prefix)).listed()
    assert listed["hits"] == sum(outcome is not None for outcome in spread)


def test_every_layer_answers_503_while_redis_is_gone(own_redis: RedisServer, links: Links) -> None:
    mock = make_mock(backend=RedisBackend(links.open(own_redis.url, "evokit:")))
    client = mock.client
    login = client.post("/auth/credentials", json={"userName": "sysadmin", "password": "sysadmin"})
    session_cookie = login.headers.getlist("Set-Cookie")[0].split(";", 1)[0]
    own_redis.stop()
    answers = {
        "operation": client.get(f"/ai/sessions/{SESSIONS[0]['id']}", headers=SYSADMIN),
        "cookie": client.get("/ai/sessions", headers={"Cookie": session_cookie}),
        "login": client.post("/auth/credentials", json={"userName": "sysadmin", "password": "sysadmin"}),
        "control": client.get("/__mock/faults"),
        "outside the app (faults)": client.get("/openapi.json"),
    }
    for where, answer in answers.items():
        assert answer.status_code == 503, where
        assert error_of(answer.data)["errorCode"] == "ServiceUnavailable", where
        assert answer.headers["Retry-After"] == "1" and answer.headers["Access-Control-Allow-Origin"] == "*", where
    own_redis.start()  # empty again: it kept nothing
    assert client.get(f"/ai/sessions/{SESSIONS[0]['id']}", headers=SYSADMIN).status_code == 404
    assert json.loads(client.get("/__mock/sessions").data) == []


def test_a_fault_book_sees_every_change_another_process_makes_at_its_next_decision(
    redis_server: RedisServer, links: Links,
) -> None:
    # Each book keeps which faults exist between decisions; a change through another must still
    # decide the very next request.
    prefix = unique_prefix("kept-faults")
    writer, reader = (RedisFaultBook(links.open(redis_server.url, prefix)) for _ in range(2))
    for _ in range(3):
        assert reader.decide("GET", "/x") is None  # kept: nothing to fire
    fault = writer.add(parse_fault({"route": "/x", "status": 500}))
    assert (decision := reader.decide("GET", "/x")) is not None and decision.status == 500
    assert writer.remove(fault.fault_id)
    assert reader.decide("GET", "/x") is None
    writer.add(parse_fault({"route": "/x", "status": 502}))
    assert (decision := reader.decide("GET", "/x")) is not None and decision.status == 502
    assert writer.clear() == 1
    assert reader.decide("GET", "/x") is None


def test_a_fault_book_reads_redis_again_after_a_restart(own_redis: RedisServer, links: Links) -> None:
    # Announcements made while the subscription was down are lost, so a broken one keeps nothing.
    writer, reader = (RedisFaultBook(links.open(own_redis.url, "evokit:")) for _ in range(2))
    assert reader.decide("GET", "/x") is None
    own_redis.stop()
    own_redis.start()
    writer.add(parse_fault({"route": "/x", "status": 500}))
    assert (decision := reader.decide("GET", "/x")) is not None and decision.status == 500

