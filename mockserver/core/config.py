"""`MockConfig`: everything a mock server needs to start, checked once, on creation."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from evokit.mockserver.core.errors import ConfigError
from evokit.mockserver.shared.url import DEFAULT_PREFIX, MEMORY, store_problems

# The repository's fixture folder, beside the packages (the same folder `evokit contract check` reads).
DEFAULT_FIXTURES = Path(__file__).resolve().parents[2] / "fixtures"

# Big enough for any real PatchAISession (a purpose of a few thousand characters), small enough
# that a flood of oversized bodies costs nothing; larger bodies get 413 in the error shape.
DEFAULT_MAX_BODY_BYTES = 64 * 1024

# Requests worked on at once (`evokit.mockserver.http.slots`). The work is CPU-bound under one GIL, so
# more only add switching (and p99 latency); a delayed request sleeps outside these slots. On a
# Redis of the same machine as well: with the benchmark's PATCH, unpinned on two cores, 2 slots
# served 2,150 a second and 16 served 1,200 (pinned to one core beside Redis, 16 served 12% more).
DEFAULT_THREADS = 2

# The control plane's request journal keeps this many recent requests (`--journal-size`).
DEFAULT_JOURNAL_SIZE = 1000

# The longest delay `--latency` and a fault's `latencyMs` may ask for: ten minutes, far past any
# client timeout, short enough that a typo does not hold a serving thread for a day.
MAX_LATENCY_MS = 600_000

# What a browser sends as `Origin` (RFC 6454 section 6.1): scheme, host, optional port, no path.
_ORIGIN = re.compile(r"[a-z][a-z0-9+.-]*://[^/\s?#]+", re.IGNORECASE)
# A control token travels in a header: visible ASCII, no spaces.
_TOKEN = re.compile(r"[\x21-\x7e]+")


@dataclass(frozen=True)
class MockConfig:
    """How to run the mock: where to listen, which fixtures to serve, and the safety limits.

    `threads` is the number of requests worked on at once (a delayed one waits outside them);
    `backlog` the number of requests the server queues for them before it stops reading new ones.

    The frontend-facing options: `cors` (CONTRACT.md section 7, on by default) answers every OPTIONS
    and adds the CORS headers; `cors_origins`, when given, replaces `*` by an allow-list whose
    matching `Origin` is echoed, with credentials allowed. `control` serves the control plane under
    `/__mock/`; `control_token` makes every control call present it in `X-Mock-Token`.
    `journal_size` bounds the journal of recent requests (0 keeps none). `latency_ms` is a
    `(min, max)` delay in milliseconds added to every request but OPTIONS and control calls.

    `store` is `memory` or a `redis://HOST:PORT/DB` URL whose keys under `store_prefix` hold the
    state (`evokit.mockserver.shared`); `workers` server processes share one port, which takes a shared
    store; `reset_on_start` loads the fixtures even over data the store already holds.
    """

    host: str = "127.0.0.1"
    port: int = 5000
    fixtures: Path = field(default=DEFAULT_FIXTURES)
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    threads: int = DEFAULT_THREADS
    backlog: int = 0
    cors: bool = True
    cors_origins: tuple[str, ...] = ()
    control: bool = True
    control_token: str | None = field(default=None, repr=False)
    journal_size: int = DEFAULT_JOURNAL_SIZE
    latency_ms: tuple[int, int] | None = None
    store: str = MEMORY
    store_prefix: str = DEFAULT_PREFIX
    workers: int = 1
    reset_on_start: bool = False
    # Daily use: `quiet` turns the access log off; `reload` re-reads changed fixture files.
    quiet: bool = False
    reload: bool = False

    def __post_init__(self) -> None:
        problems = []
        if not isinstance(self.host, str) or not self.host.strip():
            problems.append(f"host must be a non-empty string, got {self.host!r}")
        if not _is_int(self.port) or not 1 <= self.port <= 65535:
            problems.append(f"port must be an integer from 1 to 65535, got {self.port!r}")
        if not isinstance(self.fixtures, Path):
            object.__setattr__(self, "fixtures", Path(self.fixtures))
        if not _is_int(self.max_body_bytes) or self.max_body_bytes < 1:
            problems.append(f"max_body_bytes must be a positive integer, got {self.max_body_bytes!r}")
        if not _is_int(self.threads) or not 1 <= self.threads <= 64:
            problems.append(f"threads must be an integer from 1 to 64, got {self.threads!r}")
        if not _is_int(self.backlog) or self.backlog < 0:
            problems.append(f"backlog must be a non-negative integer (0: the server's default), got {self.backlog!r}")
        problems += self._frontend_problems()
        problems += self._store_problems()
        if problems:
            raise ConfigError(problems)

    def _frontend_problems(self) -> list[str]:
        problems = []
        if not isinstance(self.cors_origins, tuple):
            object.__setattr__(self, "cors_origins", tuple(self.cors_origins))
        for origin in self.cors_origins:
            if not isinstance(origin, str) or _ORIGIN.fullmatch(origin) is None:
                problems.append(f"a CORS origin is scheme://host[:port] without a path, got {origin!r}")
        if self.cors_origins and not self.cors:
            problems.append("CORS origins were given but CORS is off")
        if self.control_token is not None:
            if not isinstance(self.control_token, str) or _TOKEN.fullmatch(self.control_token) is None:
                problems.append("the control token must be non-empty visible ASCII without spaces")
            elif not self.control:
                problems.append("a control token was given but the control plane is off")
        if not _is_int(self.journal_size) or not 0 <= self.journal_size <= 1_000_000:
            problems.append(f"journal_size must be an integer from 0 to 1000000, got {self.journal_size!r}")
        if self.latency_ms is not None:
            if not isinstance(self.latency_ms, tuple):
                object.__setattr__(self, "latency_ms", tuple(self.latency_ms))
            problems += latency_problems(self.latency_ms, "latency_ms")
        return problems

    def _store_problems(self) -> list[str]:
        problems = store_problems(self.store, self.store_prefix)
        if not _is_int(self.workers) or not 1 <= self.workers <= 64:
            problems.append(f"workers must be an integer from 1 to 64, got {self.workers!r}")
        elif self.workers > 1 and self.store == MEMORY:
            problems.append(
                f"{self.workers} workers need a shared store: with 'memory' each process would hold its own "
                "sessions and they would disagree; use --store redis://HOST:PORT/DB"
            )
        return problems

    @property
    def url(self) -> str:
        """The base URL clients use (IPv6 hosts in brackets)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def latency_problems(bounds: tuple[object, ...], name: str) -> list[str]:
    """What is wrong with a `(min, max)` latency in milliseconds; empty when it is usable."""
    if len(bounds) != 2 or not all(_is_int(bound) for bound in bounds):
        return [f"{name} must be two integers (min, max) in milliseconds, got {bounds!r}"]
    low, high = bounds
    if not 0 <= low <= high <= MAX_LATENCY_MS:  # type: ignore[operator]
        return [f"{name} must satisfy 0 <= min <= max <= {MAX_LATENCY_MS}, got {low}-{high}"]
    return []


def parse_latency(text: str) -> tuple[int, int]:
    """`--latency` as `(min, max)` milliseconds: `"250"` is `(250, 250)`, `"100-400"` a range.

    Raises `ConfigError` for anything else.
    """
    low, dash, high = text.strip().partition("-")
    try:
        bounds = (int(low), int(high) if dash else int(low))
    except ValueError:
        raise ConfigError([f"latency must be MS or MIN-MAX in milliseconds, got {text!r}"]) from None
    problems = latency_problems(bounds, "latency")
    if problems:
        raise ConfigError(problems)
    return bounds
