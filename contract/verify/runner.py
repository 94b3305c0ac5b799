"""`verify(config)`: one verification run, from set-up to restoring the sessions it modified.

The run reads every session's purpose first (a PATCH without purpose, section 4), runs the selected
suites - every exchange judged by the response checks - and puts each purpose back in a `finally`,
so a staging server keeps its data even when the run is interrupted.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence

from contract.model import Contract, load_contract
from contract.verify.config import VerifyConfig
from contract.verify.errors import SetupError
from contract.verify.events import (
    CheckErrored,
    Emitter,
    ExchangeDone,
    FindingReported,
    Handler,
    RunFinished,
    RunStarted,
    SuiteFinished,
    SuiteStarted,
)
from contract.verify.findings import Finding, FindingLog, Violation
from contract.verify.http import Client, Exchange
from contract.verify.members import Members
from contract.verify.probe import CheckContext, Probe, json_object
from contract.verify.registry import Check, CheckRegistry, Scope, load_checks
from contract.verify.result import FAILED, NOT_RUN, PASSED, WARNED, RunResult
from contract.verify.rules import RULES, Severity
from contract.verify.setup import ensure_reachable, resolve

OPERATION = "PatchAISession"


class _Run:
    """The mutable state of one run, kept out of module scope."""

    def __init__(self, config: VerifyConfig, emitter: Emitter, registry: CheckRegistry) -> None:
        self.config = config
        self.emitter = emitter
        self.registry = registry
        self.log = FindingLog()
        self.suite = "setup"
        self.suite_requests = 0
        self.requests = 0
        self.ran: set[str] = set()
        self.errors: list[tuple[str, str]] = []

    def record(self, violation: Violation) -> None:
        finding = Finding.from_violation(violation, base_url=self.config.base_url)
        if self.log.add(finding, preferred=violation.example is not None):
            self.emitter.emit(FindingReported(finding))

    def count(self, exchange: Exchange) -> None:
        self.requests += 1
        self.suite_requests += 1
        self.emitter.emit(ExchangeDone(self.suite, self.suite_requests))

    def run_check(self, check: Check, probe: Probe) -> None:
        self.ran.update(rule.id for rule in check.rules)
        # Hypothesis-driven scenarios hand back the response checks' violations with their examples.
        allowed = set(check.rules) | {rule for c in self.registry.of_scope(Scope.RESPONSE) for rule in c.rules}
        try:
            for violation in check.function(probe):
                if violation.rule not in allowed:
                    raise ValueError(f"{check.name} reported {violation.rule.id}, which it does not declare")
                self.record(violation)
        except Exception as exc:  # noqa: BLE001 - one broken check must not hide the others' findings
            self.errors.append((check.name, f"{type(exc).__name__}: {exc}"))
            self.emitter.emit(CheckErrored(check.name, f"{type(exc).__name__}: {exc}"))

    def run_suites(self, probe: Probe) -> None:
        for suite in self.config.suites:
            self.suite, self.suite_requests = suite, 0
            started = time.perf_counter()
            self.emitter.emit(SuiteStarted(suite))
            for check in self.registry.in_suite(suite):
                self.run_check(check, probe)
            self.emitter.emit(SuiteFinished(suite, self.suite_requests, time.perf_counter() - started))
        if self.requests:
            for check in self.registry.of_scope(Scope.RESPONSE):
                self.ran.update(rule.id for rule in check.rules)

    def rule_status(self, skipped: Mapping[str, str]) -> dict[str, str]:
        broken = {f.rule.id: f.severity for f in self.log}
        status = {}
        for rule_id in RULES:
            if rule_id in broken:
                status[rule_id] = FAILED if broken[rule_id] is Severity.FAILURE else WARNED
            else:
                status[rule_id] = PASSED if rule_id in self.ran and rule_id not in skipped else NOT_RUN
        return status


def _snapshot(probe: Probe) -> dict[str, object]:
    """Each session's purpose before the run (None when it has none), read without observers."""
    originals: dict[str, object] = {}
    for session in probe.sessions:
        exchange = probe.client.send_quietly(probe.build(probe.operation.user_route, session, {}))
        body = json_object(exchange)
        if exchange.status != 200 or body is None:
            raise SetupError(f"cannot read session {session!r} as the admin: {exchange.describe()}")
        originals[session] = body.get(probe.members.purpose)
    return originals


def _restore(probe: Probe, originals: dict[str, object]) -> list[str]:
    """Put every purpose back; returns what could not be restored."""
    problems = []
    for session, purpose in originals.items():
        if not isinstance(purpose, str):
            problems.append(f"{session}: had no purpose, which a PATCH cannot restore")
            continue
        exchange = probe.client.send_quietly(
            probe.build(probe.operation.user_route, session, probe.purpose(purpose))
        )
        body = json_object(exchange)
        if exchange.status != 200 or body is None or body.get(probe.members.purpose) != purpose:
            problems.append(f"{session}: restore answered {exchange.describe()}")
    return problems


def verify(
    config: VerifyConfig, *, handlers: Sequence[Handler] = (), contract: Contract | None = None
) -> RunResult:
    """Verify the server at `config.base_url` against the contract.

    Raises `VerifyError` (`ServerUnreachableError`, `SetupError`) when the run cannot start; every
    finding about the server is in the returned `RunResult`.
    """
    contract = contract or load_contract()
    operation = contract.operation(OPERATION)
    members = Members.from_contract(contract, operation)
    registry = load_checks()
    emitter = Emitter(handlers)
    run = _Run(config, emitter, registry)
    client = Client(config.base_url, timeout=config.timeout)
    started = time.perf_counter()
    restore_problems: list[str] = []
    skipped: dict[str, str] = {}
    try:
        ensure_reachable(client)
        setup = resolve(config, client, members, operation, contract.superuser_role)
        probe = Probe(
            CheckContext(contract, operation, members, dict(setup.user_ids)), client, setup.identities, setup.sessions,
            config.seed, config.max_examples,
            tuple(check.function for check in registry.of_scope(Scope.RESPONSE)), run.record, config.shrink,
        )
        probe.listeners.append(run.count)
        if "admin" not in setup.user_ids:
            probe.skip("last-modified-by", "the server did not tell the admin's user id (GET /auth)")
        originals = _snapshot(probe)
        emitter.emit(RunStarted(config, setup.sessions, config.suites, setup.notes))
        try:
            run.run_suites(probe)
        finally:
            restore_problems = _restore(probe, originals)
            skipped = probe.skipped
    finally:
        client.close()
    result = RunResult(
        base_url=config.base_url,
        seed=config.seed,
        findings=tuple(run.log),
        rule_status=run.rule_status(skipped),
        suites=config.suites,
        requests=run.requests,
        seconds=time.perf_counter() - started,
        errors=tuple(run.errors),
        restore_problems=tuple(restore_problems),
        skipped=dict(skipped),
    )
    emitter.emit(RunFinished(result))
    return result
