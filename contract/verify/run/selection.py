"""Which operations and suites a run checks: `--operation`, `--read-only` and `--suite` together."""

from __future__ import annotations

from collections.abc import Sequence

from evokit.contract.model import Contract, Operation
from evokit.contract.verify.config import PATCH_SUITES, VerifyConfig
from evokit.contract.verify.errors import UsageError

# The operation the PATCH suites hold to sections 1-7.
OPERATION = "PatchAISession"
# The login's own operation is the run's means, not one of the operations it checks.
NOT_CHECKED = frozenset({"Authenticate"})


def selected_operations(contract: Contract, names: Sequence[str]) -> tuple[Operation, ...]:
    """The operations `--operation` names (every one of the contract when none), in contract order."""
    known = [name for name in contract.operations if name not in NOT_CHECKED]
    unknown = [name for name in names if name not in known]
    if unknown:
        raise UsageError(f"--operation {unknown[0]}: the contract has no such operation; choose from {', '.join(known)}")
    return tuple(contract.operations[name] for name in known if not names or name in names)


def reads(selected: Sequence[Operation]) -> tuple[Operation, ...]:
    """The operations a read-only run may call: those answering GET (the list, one session, the
    usage report, the auth status), which change nothing."""
    return tuple(operation for operation in selected if any(route.method == "GET" for route in operation.routes))


# Why rules a read-only run leaves out are not run.
READ_ONLY_REASON = "not run: --read-only sends no request that could change the server"


def suites_to_run(config: VerifyConfig, selected: Sequence[Operation]) -> tuple[str, ...]:
    """The chosen suites that have an operation to check: the PATCH's suites need PatchAISession,
    the family suite another operation."""
    names = {operation.name for operation in selected}
    return tuple(
        suite for suite in config.suites
        if (suite == "family" and names - {OPERATION}) or (suite in PATCH_SUITES and OPERATION in names)
    )
