"""The verifier's HTTP layer: a request as sent (`Call`), what came back (`Exchange`), and `Client`.

The client adds no headers of its own beyond `User-Agent` (requests would otherwise send
`Accept: */*`, which would hide the "no Accept header" case of section 6), never follows redirects
and turns connection errors into an exchange with status 0, so a server that drops a connection is
reported like any other misbehaviour instead of crashing the run.

Whatever a server does, one request costs bounded time and memory (`guard.Bounded`): the verifier
reads at most `max_bytes` of an answer and waits at most `timeout` for all of it, and a server
that lets requests time out again and again is given up on.
"""

from __future__ import annotations

import shlex
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parsedate_to_datetime
from http.cookiejar import DefaultCookiePolicy
from urllib.parse import urlencode

import requests
from requests.structures import CaseInsensitiveDict

from evokit.contract.verify.run.guard import Bounded, Breaker

USER_AGENT = "evokit-verify"


@dataclass(frozen=True)
class Call:
    """One HTTP request, fully described: what was sent and which contract route it exercises.

    `route` is the route template (`/ai/sessions/{sessionId}`, or a non-contract path such as
    `/auth`) used to group findings; `identity` names whose credentials were sent; `suffix` is the
    `.ext` appended to the path and `prefix` the format a `/{format}/reply/` route fixes (section 6).
    """

    method: str
    path: str
    route: str
    query: tuple[tuple[str, str], ...] = ()
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    identity: str = "anonymous"
    suffix: str | None = None
    prefix: str | None = None

    def header(self, name: str) -> str | None:
        """The value of a request header, case-insensitively."""
        lowered = name.lower()
        return next((value for key, value in self.headers if key.lower() == lowered), None)

    def query_value(self, name: str) -> str | None:
        """The last value of a query parameter, case-insensitively (ServiceStack reads it so)."""
        lowered = name.lower()
        values = [value for key, value in self.query if key.lower() == lowered]
        return values[-1] if values else None

    def url(self, base_url: str) -> str:
        """The absolute URL of the request."""
        query = f"?{urlencode(self.query)}" if self.query else ""
        return f"{base_url.rstrip('/')}{self.path}{query}"

    def curl(self, base_url: str) -> str:
        """A `curl` command that sends exactly this request."""
        parts = ["curl", "-i", "-X", self.method, _quote(self.url(base_url))]
        for name, value in self.headers:
            if name.lower() not in _CURL_SETS | _TOOL_HEADERS:
                parts += ["-H", _quote(f"{name}: {value}")]
        if self.body:
            parts += ["--data-binary", _quote(self.body.decode("utf-8", errors="replace"))]
        return " ".join(parts)


# Headers curl writes itself (from the URL and the body); repeating them could only go stale.
_CURL_SETS = frozenset({"host", "content-length", "connection"})
# Headers the tools add for their own sake (Schemathesis's test-case id, the client's name and its
# encodings): no rule rests on them, and they would only lengthen the command a reader pastes.
_TOOL_HEADERS = frozenset({"user-agent", "x-schemathesis-testcaseid", "accept-encoding"})
_SHELL_ESCAPES = {"\\": "\\\\", "'": "\\'", "\r": "\\r", "\n": "\\n", "\t": "\\t"}


def _quote(text: str) -> str:
    """Shell-quote; text with control characters uses bash's $'...' so CR/LF survive copy-paste."""
    if text.isprintable():
        return shlex.quote(text)
    escaped = "".join(
        _SHELL_ESCAPES.get(ch) or (ch if ch.isprintable() else f"\\U{ord(ch):08x}") for ch in text
    )
    return f"$'{escaped}'"


@dataclass(frozen=True)
class Exchange:
    """A call and the server's answer. `status` 0 means no HTTP answer at all (see `error`)."""

    call: Call
    status: int
    headers: CaseInsensitiveDict[str] = field(default_factory=CaseInsensitiveDict)
    body: bytes = b""
    elapsed: float = 0.0
    error: str | None = None
    # The body went past the most the verifier reads: `body` holds its start only.
    cut_short: bool = False

    @property
    def media_type(self) -> str:
        """The response's media type, lower-cased, without parameters ("" when absent)."""
        return (self.headers.get("Content-Type") or "").split(";", 1)[0].strip().lower()

    @property
    def text(self) -> str:
        """The body as UTF-8 text (undecodable bytes replaced)."""
        return self.body.decode("utf-8", errors="replace")

    @property
    def date(self) -> datetime | None:
        """The response's `Date` header, parsed (None when absent or unreadable)."""
        value = self.headers.get("Date")
        try:
            return parsedate_to_datetime(value) if value else None
        except (TypeError, ValueError):
            return None

    def describe(self) -> str:
        """A one-line summary of the answer, for findings."""
        if self.error is not None:
            return f"no HTTP answer ({self.error})"
        if self.cut_short:
            return (f"{self.status} {self.headers.get('Content-Type') or '(no Content-Type)'} with a body of more "
                    f"than {len(self.body)} bytes (not read on)")
        body = self.text if len(self.body) <= 200 else self.text[:200] + "..."
        return f"{self.status} {self.headers.get('Content-Type') or '(no Content-Type)'} {body!r}"


Observer = Callable[[Exchange], None]


class Client:
    """Sends `Call`s to one base URL and tells every observer about each exchange."""

    def __init__(self, base_url: str, *, timeout: float, observers: tuple[Observer, ...] = (),
                 max_bytes: int = 1024 * 1024) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.observers = list(observers)
        self.sent = 0
        self.breaker = Breaker()
        self.bounded = Bounded(max_bytes=max_bytes, deadline=timeout, breaker=self.breaker)
        self._session = requests.Session()
        for prefix in ("http://", "https://"):
            self._session.mount(prefix, self.bounded)
        self._session.headers.clear()
        self._session.headers["User-Agent"] = USER_AGENT
        # No cookie jar: a Set-Cookie (e.g. after a Basic login) must never turn a later
        # "anonymous" call into an authenticated one. Calls that need a session send the cookie.
        self._session.cookies.set_policy(DefaultCookiePolicy(allowed_domains=[]))

    def send(self, call: Call) -> Exchange:
        """Send `call`; observers see the exchange before it is returned."""
        exchange = self.send_quietly(call)
        for observer in self.observers:
            observer(exchange)
        return exchange

    def send_quietly(self, call: Call) -> Exchange:
        """Send `call` without telling the observers (set-up and restore traffic)."""
        self.sent += 1
        started = time.perf_counter()
        try:
            response = self._session.request(
                call.method,
                call.url(self.base_url),
                headers=dict(call.headers),
                data=call.body or None,
                timeout=self.timeout,
                allow_redirects=False,
            )
        except requests.RequestException as exc:
            return Exchange(call, 0, elapsed=time.perf_counter() - started, error=type(exc).__name__)
        return Exchange(
            call,
            response.status_code,
            CaseInsensitiveDict(response.headers),
            response.content,
            time.perf_counter() - started,
            cut_short=self.bounded.was_cut(response.request),
        )

    @property
    def session(self) -> requests.Session:
        """The bounded session, for other tools (Schemathesis) to send through."""
        return self._session

    def close(self) -> None:
        """Release pooled connections."""
        self._session.close()
