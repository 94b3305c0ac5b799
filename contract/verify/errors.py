"""Errors of the verifier that are not findings: bad usage, or a server that cannot be verified.

They stop a run before (or instead of) any verdict and map to exit status 2; findings about the
server's behaviour are `evokit.contract.verify.report.findings.Finding`s instead.
"""

from __future__ import annotations


class VerifyError(Exception):
    """Root of every error the verifier raises on purpose."""


class UsageError(VerifyError, ValueError):
    """An option or a combination of options that cannot work (also raised by `VerifyConfig`)."""


class ServerUnreachableError(VerifyError):
    """The base URL does not answer HTTP at all."""

    def __init__(self, base_url: str, reason: str) -> None:
        self.base_url = base_url
        self.reason = reason
        super().__init__(f"cannot reach {base_url}: {reason}")


class SetupError(VerifyError):
    """The server answers, but the run cannot start: defaults unavailable, unknown session ids,
    credentials rejected before any rule could be checked."""


class ServerFailedError(VerifyError):
    """The server answered a set-up read with a 5xx (or not at all) on every attempt.

    Not a usage error: the run reports it as a finding of a broken server (exit 1).
    """

    def __init__(self, exchange: object, during: str, attempts: int) -> None:
        self.exchange = exchange
        self.during = during
        self.attempts = attempts
        super().__init__(f"{during} failed on all {attempts} attempts")


class RunStopped(BaseException):
    """Ends the suites early. A `BaseException`, like `KeyboardInterrupt`, so that neither a check's
    own error handling nor Hypothesis's (which catch `Exception`) swallow it on the way out."""


class ServerStoppedAnswering(RunStopped):
    """The server let several requests in a row time out: the remaining checks are not sent."""


class EnoughFailures(RunStopped):
    """`--max-failures` root failures were found."""
