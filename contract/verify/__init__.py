"""The verifier: checks a server (live, or the kit's mock) against the PatchAISession contract.

`verify(VerifyConfig(...))` runs the suites and returns a `RunResult`; `evokit verify` is its CLI.
Checks are plain functions in `CHECKS`, each declaring the rules (`RULES`) it may report.
"""

from evokit.contract.verify.config import SUITES, VerifyConfig
from evokit.contract.verify.errors import (
    ServerUnreachableError,
    SetupError,
    UsageError,
    VerifyError,
)
from evokit.contract.verify.report.findings import AssumptionWarning, Failure, Finding, Violation
from evokit.contract.verify.checks.registry import CHECKS, Check, load_checks
from evokit.contract.verify.report.result import RunResult
from evokit.contract.verify.rules.table import RULES, Rule, Severity
from evokit.contract.verify.run.runner import verify

__all__ = [
    "CHECKS",
    "RULES",
    "SUITES",
    "AssumptionWarning",
    "Check",
    "Failure",
    "Finding",
    "Rule",
    "RunResult",
    "ServerUnreachableError",
    "SetupError",
    "Severity",
    "UsageError",
    "VerifyConfig",
    "VerifyError",
    "Violation",
    "load_checks",
    "verify",
]
