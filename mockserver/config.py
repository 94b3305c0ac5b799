"""`MockConfig`: everything a mock server needs to start, checked once, on creation."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from mockserver.errors import ConfigError

# The repository's fixture folder, beside the packages (the same folder `evokit contract check` reads).
DEFAULT_FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"

# Big enough for any real PatchAISession (a purpose of a few thousand characters), small enough
# that a flood of oversized bodies costs nothing; larger bodies get 413 in the error shape.
DEFAULT_MAX_BODY_BYTES = 64 * 1024

# Python threads that run requests. The work is CPU-bound under one GIL, so more threads only add
# switching (and p99 latency); a few absorb the odd slow client without stalling the rest.
DEFAULT_THREADS = 2


@dataclass(frozen=True)
class MockConfig:
    """How to run the mock: where to listen, which fixtures to serve, and the safety limits.

    `threads` is the number of Python threads serving requests; `backlog` the number of requests the
    server queues for them before it stops reading new ones.
    """

    host: str = "127.0.0.1"
    port: int = 5000
    fixtures: Path = field(default=DEFAULT_FIXTURES)
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    threads: int = DEFAULT_THREADS
    backlog: int = 0

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
        if problems:
            raise ConfigError(problems)

    @property
    def url(self) -> str:
        """The base URL clients use (IPv6 hosts in brackets)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)
