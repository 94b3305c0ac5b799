"""Bounds on what one server can cost a run: bytes read per answer, seconds per answer, and how
many requests may time out before the run stops sending.

`Bounded` is a `requests` transport adapter, so the verifier's own client and Schemathesis (handed
the same session) are bounded alike. It reads every answer itself, in chunks: past `max_bytes` it
stops reading and closes the connection (the answer is marked cut short, a finding of its own);
past `deadline` seconds for the whole answer - not per read, so a server trickling a byte a second
cannot hold a request for ever - it raises a `ReadTimeout` like any other timeout.
"""

from __future__ import annotations

import time
import weakref
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import ReadTimeoutError

from evokit.contract.verify.errors import ServerStoppedAnswering

CHUNK = 64 * 1024
# After this many timeouts in a row, or this many in all, the server is taken to have stopped
# answering: each costs a whole --timeout, and a run has hundreds of requests to send.
TIMEOUTS_IN_A_ROW = 3
TIMEOUTS_IN_ALL = 10


class Breaker:
    """Counts timeouts and raises `ServerStoppedAnswering` once there have been too many."""

    def __init__(self, in_a_row: int = TIMEOUTS_IN_A_ROW, in_all: int = TIMEOUTS_IN_ALL) -> None:
        self.in_a_row = in_a_row
        self.in_all = in_all
        self.streak = 0
        self.total = 0

    def answered(self) -> None:
        """A request got an answer (any answer): the streak is over."""
        self.streak = 0

    def timed_out(self) -> None:
        """A request timed out; raise when that makes too many."""
        self.streak += 1
        self.total += 1
        if self.streak >= self.in_a_row:
            raise ServerStoppedAnswering(f"the server let {self.streak} requests in a row time out")
        if self.total >= self.in_all:
            raise ServerStoppedAnswering(f"the server let {self.total} requests time out")

    def reset(self) -> None:
        """Give the server a fresh chance (to restore the sessions after the checks stopped)."""
        self.streak = self.total = 0


class Bounded(HTTPAdapter):
    """An adapter that reads at most `max_bytes` of an answer within `deadline` seconds."""

    def __init__(self, *, max_bytes: int, deadline: float, breaker: Breaker) -> None:
        super().__init__()
        self.max_bytes = max_bytes
        self.deadline = deadline
        self.breaker = breaker
        self._cut: weakref.WeakSet[requests.PreparedRequest] = weakref.WeakSet()

    def was_cut(self, request: requests.PreparedRequest | None) -> bool:
        """Whether the answer to `request` was longer than `max_bytes` (and so cut short)."""
        return request is not None and request in self._cut

    def send(self, request: requests.PreparedRequest, stream: bool = False, **kwargs: Any) -> requests.Response:
        started = time.perf_counter()
        try:
            response = super().send(request, stream=True, **kwargs)
            body, cut = self._read(response, started)
        except requests.Timeout:
            self.breaker.timed_out()
            raise
        self.breaker.answered()
        response._content = body
        response._content_consumed = True
        if cut:
            self._cut.add(request)
        return response

    def _read(self, response: requests.Response, started: float) -> tuple[bytes, bool]:
        chunks: list[bytes] = []
        size = 0
        try:
            for chunk in response.iter_content(CHUNK):
                chunks.append(chunk)
                size += len(chunk)
                if size > self.max_bytes:
                    return b"".join(chunks)[: self.max_bytes], True
                if time.perf_counter() - started > self.deadline:
                    raise requests.exceptions.ReadTimeout(f"no whole answer within {self.deadline:g}s")
        except requests.ConnectionError as exc:
            # requests reports a read timing out mid-body as a ConnectionError; it is a timeout.
            if exc.args and isinstance(exc.args[0], ReadTimeoutError):
                raise requests.exceptions.ReadTimeout(str(exc.args[0])) from None
            raise
        finally:
            response.close()  # a cut-short or late answer leaves the connection unusable
        return b"".join(chunks), False
