"""The event stream of a run. Reporters are handlers over it: `handle(event) -> None`."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from evokit.contract.verify.report.findings import Finding

if TYPE_CHECKING:
    from evokit.contract.verify.config import VerifyConfig
    from evokit.contract.verify.report.result import RunResult


@dataclass(frozen=True)
class RunStarted:
    """The run is set up: credentials and sessions known, checks loaded."""

    config: VerifyConfig
    sessions: tuple[str, ...]
    suites: tuple[str, ...]
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class SuiteStarted:
    """A suite of scenario checks begins; `planned` is the requests it is expected to send."""

    suite: str
    planned: int = 0


@dataclass(frozen=True)
class ExchangeDone:
    """One more request was answered (drives the progress display)."""

    suite: str
    count: int


@dataclass(frozen=True)
class FindingReported:
    """A finding seen for the first time (later duplicates only count)."""

    finding: Finding


@dataclass(frozen=True)
class CheckErrored:
    """A check crashed: a bug in the verifier or an answer it cannot read. The run carries on."""

    check: str
    error: str


@dataclass(frozen=True)
class SuiteFinished:
    """A suite ended; `stopped` says why when the run stopped within it."""

    suite: str
    requests: int
    seconds: float
    stopped: str | None = None


@dataclass(frozen=True)
class RunFinished:
    """The run ended and the sessions were restored (or not: see the result)."""

    result: RunResult


Event = RunStarted | SuiteStarted | ExchangeDone | FindingReported | CheckErrored | SuiteFinished | RunFinished


class Handler(Protocol):
    """A reporter: receives every event of a run, in order."""

    def handle(self, event: Event) -> None:
        """React to one event."""


class Emitter:
    """Fans events out to the handlers."""

    def __init__(self, handlers: Sequence[Handler]) -> None:
        self.handlers = tuple(handlers)

    def emit(self, event: Event) -> None:
        """Give `event` to every handler."""
        for handler in self.handlers:
            handler.handle(event)
