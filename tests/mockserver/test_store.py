"""The `Store` seam: every backend agrees with a plain dict model, and `update` is atomic."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mockserver.core.store import InMemoryStore, Store

BACKENDS: dict[str, Callable[[], Store[int]]] = {"in-memory": InMemoryStore}

keys = st.sampled_from(["a", "b", "c"])
operations = st.lists(
    st.one_of(
        st.tuples(st.just("put"), keys, st.integers()),
        st.tuples(st.just("update"), keys, st.integers()),
        st.tuples(st.just("delete"), keys, st.none()),
        st.tuples(st.just("reset"), st.none(), st.none()),
    ),
    max_size=30,
)


@pytest.mark.parametrize("backend", BACKENDS.values(), ids=BACKENDS.keys())
@settings(max_examples=50, deadline=None)
@given(ops=operations)
def test_backend_agrees_with_a_dict(backend: Callable[[], Store[int]], ops: list[tuple[str, str | None, int | None]]) -> None:
    store, model = backend(), {}
    for name, key, value in ops:
        if name == "put":
            store.put(key, value)  # type: ignore[arg-type]
            model[key] = value
        elif name == "update":
            expected = model[key] + value if key in model else None  # type: ignore[index,operator]
            assert store.update(key, lambda old, add=value: old + add) == expected  # type: ignore[arg-type,operator,misc]
            if expected is not None:
                model[key] = expected
        elif name == "delete":
            assert store.delete(key) == (key in model)  # type: ignore[arg-type]
            model.pop(key, None)
        else:
            store.reset([("a", 0)])
            model = {"a": 0}
        assert store.all() == list(model.values())
        assert all(store.get(k) == model.get(k) for k in "abc")


@pytest.mark.parametrize("backend", BACKENDS.values(), ids=BACKENDS.keys())
def test_update_is_atomic_under_threads(backend: Callable[[], Store[int]]) -> None:
    store = backend()
    store.put("n", 0)
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(500):
                store.update("n", lambda n: n + 1)
                assert store.get("n") is not None and store.all()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and store.get("n") == 4000
