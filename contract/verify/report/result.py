"""`RunResult`: what a run found, which rules it covered, and the exit status that follows."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from evokit.contract.verify.report.findings import Finding
from evokit.contract.verify.rules.table import Severity

EXIT_OK, EXIT_BROKEN, EXIT_USAGE = 0, 1, 2
# The shell's status for a process ended by SIGINT (128 + 2), which CI systems read as "cancelled".
EXIT_INTERRUPTED = 130

PASSED, FAILED, WARNED, NOT_RUN = "passed", "failed", "warned", "not-run"


@dataclass(frozen=True)
class RunResult:
    """The outcome of one run.

    `rule_status` maps every rule id to `passed`, `failed`, `warned` or `not-run`; `skipped` says
    why a rule was not run when a check knew; `errors` lists checks that crashed (check name,
    error); `restore_problems` sessions whose purpose could not be put back; `stopped` why the run
    ended before its last check (Ctrl-C, a server that stopped answering, `--max-failures`).
    """

    base_url: str
    seed: int
    findings: tuple[Finding, ...]
    rule_status: Mapping[str, str]
    suites: tuple[str, ...]
    requests: int
    seconds: float
    errors: tuple[tuple[str, str], ...] = ()
    restore_problems: tuple[str, ...] = ()
    skipped: Mapping[str, str] = field(default_factory=dict)
    stopped: str | None = None
    interrupted: bool = False

    @property
    def causes(self) -> list[Finding]:
        """Root findings: those that follow from no other."""
        return [f for f in self.findings if f.is_root]

    def consequences_of(self, cause: Finding) -> list[Finding]:
        """The findings that follow from a root finding."""
        return [f for f in self.findings if f.caused_by == cause.id]

    @property
    def failures(self) -> list[Finding]:
        """Root findings that break a rule the service must keep."""
        return [f for f in self.causes if f.severity is Severity.FAILURE]

    @property
    def warnings(self) -> list[Finding]:
        """Root deviations from assumed framework defaults."""
        return [f for f in self.causes if f.severity is Severity.WARNING]

    @property
    def exit_code(self) -> int:
        """0 when no rule is broken (warnings allowed), 1 when one is or a check crashed, 130 when
        the run was interrupted."""
        if self.interrupted:
            return EXIT_INTERRUPTED
        return EXIT_BROKEN if self.failures or self.errors else EXIT_OK
