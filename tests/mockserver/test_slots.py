"""Delays do not stack: a request that sleeps gives its serving slot up, so parallel slow calls
overlap instead of queueing behind the few working threads (`evokit.mockserver.http.slots`)."""

from __future__ import annotations

import threading
from collections.abc import Iterable
from datetime import datetime
from typing import Any

import pytest
import requests

from evokit.mockserver.http.slots import ServingSlots
from tests.mockserver.server import start, stop
from tests.mockserver.support import SESSIONS, USERS

SYSADMIN = (str(USERS[0]["userName"]), str(USERS[0]["password"]))
PARALLEL = 8


def test_a_sleeping_request_lets_another_work_in_its_slot() -> None:
    asleep, wake = threading.Event(), threading.Event()

    def blocking_sleep(_seconds: float) -> None:
        asleep.set()
        assert wake.wait(timeout=30)

    slots = ServingSlots(1, sleep=blocking_sleep)

    def slow(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        slots.sleep(0.3)
        return [b"slow"]

    def quick(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        return [b"quick"]

    sleeper = threading.Thread(target=slots.wrap(slow), args=({}, None))
    sleeper.start()
    assert asleep.wait(timeout=30)
    done: list[Iterable[bytes]] = []
    worker = threading.Thread(target=lambda: done.append(slots.wrap(quick)({}, None)))
    worker.start()
    worker.join(timeout=30)  # with the slot held while sleeping, this would wait for `wake`
    wake.set()
    sleeper.join(timeout=30)
    assert done == [[b"quick"]]


def test_at_most_count_requests_work_at_once() -> None:
    slots = ServingSlots(2)
    inside, peak, lock = 0, 0, threading.Lock()
    barrier = threading.Barrier(6)

    def app(environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        nonlocal inside, peak
        with lock:
            inside += 1
            peak = max(peak, inside)
        with lock:
            inside -= 1
        return []

    def call() -> None:
        barrier.wait(timeout=30)
        for _ in range(200):
            slots.wrap(app)({}, None)

    threads = [threading.Thread(target=call) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert 1 <= peak <= 2


def overlap(entries: list[dict[str, Any]]) -> int:
    """The most journaled requests in progress at one moment, from their start times and durations."""
    events = []
    for entry in entries:
        begin = datetime.fromisoformat(str(entry["time"]).replace("Z", "+00:00")).timestamp()
        events += [(begin, 1), (begin + float(entry["durationMs"]) / 1000, -1)]
    running = most = 0
    for _, step in sorted(events, key=lambda event: (event[0], event[1])):
        running += step
        most = max(most, running)
    return most


@pytest.mark.socket
def test_eight_parallel_delayed_calls_overlap_with_the_default_threads() -> None:
    # A long delay keeps the proof independent of how fast this machine starts the eight calls.
    server = start(["--latency", "1000"])
    try:
        requests.delete(f"{server.url}/__mock/requests", timeout=5).raise_for_status()
        barrier = threading.Barrier(PARALLEL)
        statuses: list[int] = []

        def call(session: dict[str, Any]) -> None:
            barrier.wait(timeout=30)
            answer = requests.get(f"{server.url}/ai/sessions/{session['id']}", auth=SYSADMIN, timeout=30)
            statuses.append(answer.status_code)

        callers = [threading.Thread(target=call, args=(SESSIONS[i % len(SESSIONS)],)) for i in range(PARALLEL)]
        for caller in callers:
            caller.start()
        for caller in callers:
            caller.join(timeout=60)
        entries = requests.get(f"{server.url}/__mock/requests", timeout=5).json()
    finally:
        stop(server.process)
    assert statuses == [200] * PARALLEL
    assert len(entries) == PARALLEL and overlap(entries) == PARALLEL
