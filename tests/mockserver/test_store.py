"""The `Store` seam: one suite for both backends. Each agrees with a plain dict model, the two
agree with each other step by step (one Hypothesis state machine drives both at once), and
`update` is atomic under threads and, for the shared store, across processes."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable, Iterator

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from evokit.mockserver.core.store import InMemoryStore, Store
from evokit.mockserver.shared.connection import RedisLink
from evokit.mockserver.shared.store import RedisStore
from tests.mockserver.redis_server import Links, RedisServer, links, redis_server, unique_prefix

__all__ = ["links", "redis_server"]

StoreFactory = Callable[[], Store[int]]


def redis_int_store(link: RedisLink) -> RedisStore[int]:
    """A `RedisStore` of integers under `link`'s prefix."""
    return RedisStore(link, "numbers", encode=str, decode=int)


@pytest.fixture(params=["in-memory", "redis"])
def make_store(request: pytest.FixtureRequest, links: Links) -> Iterator[StoreFactory]:
    """A factory of empty stores of one backend (each Redis store under a fresh prefix)."""
    if request.param == "in-memory":
        yield InMemoryStore
    else:
        server = request.getfixturevalue("redis_server")
        yield lambda: redis_int_store(links.open(server.url))


keys = st.sampled_from(["a", "b", "c"])
values = st.integers(min_value=-(2**62), max_value=2**62)


class StoreAgreement(RuleBasedStateMachine):
    """Both backends and a dict model, driven by the same steps; after each step they must agree
    on every answer, the content, its order, and whether the revision moved."""

    redis: RedisServer  # set by the test that runs the machine

    def __init__(self) -> None:
        super().__init__()
        self.link = RedisLink(self.redis.url, unique_prefix("agreement"))
        self.stores: dict[str, Store[int]] = {"in-memory": InMemoryStore(), "redis": redis_int_store(self.link)}
        self.model: dict[str, int] = {}
        self.revisions = {name: store.revision() for name, store in self.stores.items()}
        self.moved = False

    def teardown(self) -> None:
        self.link.close()

    def each(self, call: Callable[[Store[int]], object]) -> object:
        answers = {name: call(store) for name, store in self.stores.items()}
        assert len(set(map(repr, answers.values()))) == 1, answers
        return answers["in-memory"]

    @rule(key=keys, value=values)
    def put(self, key: str, value: int) -> None:
        self.each(lambda store: store.put(key, value))
        self.model[key], self.moved = value, True

    @rule(key=keys, value=values)
    def insert(self, key: str, value: int) -> None:
        stored = self.each(lambda store: store.insert(key, value))
        assert stored == (key not in self.model)
        if stored:
            self.model[key], self.moved = value, True

    @rule(key=keys, add=values)
    def update(self, key: str, add: int) -> None:
        updated = self.each(lambda store: store.update(key, lambda old: old + add))
        assert updated == (self.model[key] + add if key in self.model else None)
        if updated is not None:
            self.model[key] = updated  # type: ignore[assignment]

    @rule(key=keys)
    def delete(self, key: str) -> None:
        removed = self.each(lambda store: store.delete(key))
        assert removed == (key in self.model)
        self.moved = bool(removed)
        self.model.pop(key, None)

    @rule(items=st.lists(st.tuples(keys, values), max_size=4))
    def reset(self, items: list[tuple[str, int]]) -> None:
        self.each(lambda store: store.reset(items))
        self.model, self.moved = dict(items), True

    @invariant()
    def agree(self) -> None:
        assert self.each(lambda store: store.all()) == list(self.model.values())
        for key in "abc":
            assert self.each(lambda store, key=key: store.get(key)) == self.model.get(key)
        assert self.each(len) == len(self.model)  # type: ignore[arg-type]
        for name, store in self.stores.items():
            revision = store.revision()
            assert (revision != self.revisions[name]) == self.moved, name
            self.revisions[name] = revision
        self.moved = False


def test_both_backends_agree_step_by_step(redis_server: RedisServer) -> None:
    StoreAgreement.redis = redis_server
    run_state_machine_as_test(StoreAgreement, settings=settings(max_examples=60, stateful_step_count=25, deadline=None))


def test_update_is_atomic_under_threads(make_store: StoreFactory) -> None:
    store = make_store()
    store.put("n", 0)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(250):
                store.update("n", lambda n: n + 1)
                assert store.get("n") is not None and store.all()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and store.get("n") == 2000


# Four threads of one process, each adding 1 to `n` this many times; two such processes at once.
_WORKER = """
import sys, threading
from evokit.mockserver.shared.connection import RedisLink
from evokit.mockserver.shared.store import RedisStore
store = RedisStore(RedisLink(sys.argv[1], sys.argv[2]), "numbers", encode=str, decode=int)
seen = []
def work():
    for _ in range(int(sys.argv[3])):
        seen.append(store.update("n", lambda n: n + 1))
threads = [threading.Thread(target=work) for _ in range(4)]
for t in threads: t.start()
for t in threads: t.join()
print(" ".join(map(str, seen)))
"""


def test_update_is_atomic_across_processes(redis_server: RedisServer, links: Links) -> None:
    prefix = unique_prefix("processes")
    store = redis_int_store(links.open(redis_server.url, prefix))
    store.put("n", 0)
    command = [sys.executable, "-c", _WORKER, redis_server.url, prefix, "125"]
    workers = [subprocess.Popen(command, stdout=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [worker.communicate(timeout=120)[0] for worker in workers]
    assert [worker.returncode for worker in workers] == [0, 0]
    results = [int(value) for output in outputs for value in output.split()]
    # 8 threads over 2 processes, 1,000 updates: none lost, and each saw a value no other saw.
    assert store.get("n") == 1000
    assert sorted(results) == list(range(1, 1001))


def test_reset_keeps_the_first_place_of_a_repeated_key(make_store: StoreFactory) -> None:
    store = make_store()
    store.reset([("b", 1), ("a", 2), ("b", 3)])
    assert store.all() == [3, 2] and store.get("b") == 3
    store.put("c", 4)
    store.put("b", 5)  # replacing keeps the place
    assert store.all() == [5, 2, 4]


def test_two_redis_stores_on_one_prefix_build_on_what_redis_holds(redis_server: RedisServer, links: Links) -> None:
    """Two stores on one prefix are two processes: each one's "last seen" value goes stale when
    the other writes, and Redis, not that guess, decides what an update builds on."""
    prefix = unique_prefix("stale")
    one, other = (redis_int_store(links.open(redis_server.url, prefix)) for _ in range(2))
    one.put("n", 0)
    for _ in range(10):
        assert one.update("n", lambda n: n + 1) is not None and other.update("n", lambda n: n + 1) is not None
    assert one.get("n") == other.get("n") == 20

    def refuses_stale(n: int) -> int:  # what a change does with a value it cannot work on (a 404)
        if n != 21:
            raise LookupError(n)
        return n + 1

    assert other.update("n", lambda n: n + 1) == 21  # `one` still guesses 20
    assert one.update("n", refuses_stale) == 22
    with pytest.raises(LookupError):
        one.update("n", refuses_stale)  # Redis holds 22: the change's own failure stands
    assert other.delete("n")
    assert one.update("n", lambda n: n + 1) is None and one.get("n") is None
