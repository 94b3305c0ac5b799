"""`verify(config)`: one verification run, from set-up to restoring the sessions it modified.

The run proves its inputs and reads every session's purpose first (a PATCH without purpose,
section 4; see `preflight`), runs the selected suites - every exchange judged by the response
checks - and puts each purpose back in a `finally`, so a staging server keeps its data even when
the run is interrupted.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping, Sequence

from evokit.contract.model import Contract, load_contract
from evokit.contract.verify.config import VerifyConfig
from evokit.contract.verify.errors import (
    EnoughFailures,
    UsageError,
    ServerFailedError,
    ServerStoppedAnswering,
    ServerUnreachableError,
)
from evokit.contract.verify.report.events import (
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
from evokit.contract.verify.report.findings import NO_EXAMPLE, Finding, FindingLog, Violation, server_error_violation
from evokit.contract.verify.run.family import DELETE, FamilyCaller
from evokit.contract.verify.run.http import Client, Exchange
from evokit.contract.verify.checks.members import Members
from evokit.contract.verify.run.preflight import failed_read_note, prove, send_repeatable
from evokit.contract.verify.run.probe import CheckContext, Probe, json_object
from evokit.contract.verify.checks.registry import Check, CheckRegistry, Scope, load_checks
from evokit.contract.verify.report.result import FAILED, NOT_RUN, PASSED, WARNED, RunResult
from evokit.contract.verify.rules.table import RULES, Severity
from evokit.contract.verify.run.plan import planned_requests
from evokit.contract.verify.run.selection import OPERATION, READ_ONLY_REASON, reads, selected_operations, suites_to_run
from evokit.contract.verify.run.setup import ensure_reachable, resolve

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
        # Why the run stopped before its end (Ctrl-C, a server that stopped answering), if it did.
        self.stopped: str | None = None
        self.interrupted = False
        self.planned: dict[str, int] = {}

    def record(self, violation: Violation) -> None:
        caused_by = None
        if violation.cause is not None:
            root = Finding.from_violation(server_error_violation(violation.cause), base_url=self.config.base_url)
            known = len(self.log)
            caused_by = self.log.root_id(root)
            if len(self.log) > known:  # the cause is met first through its consequence: report it too
                self.emitter.emit(FindingReported(root))
        finding = Finding.from_violation(violation, base_url=self.config.base_url, caused_by=caused_by)
        if self.log.add(finding, preferred=violation.example not in (None, NO_EXAMPLE)):
            self.emitter.emit(FindingReported(finding))
            if finding.is_root and finding.severity is Severity.FAILURE and self.failures_left() == 0:
                raise EnoughFailures(f"--max-failures {self.config.max_failures} reached")

    def count(self, exchange: Exchange) -> None:
        self.requests += 1
        self.suite_requests += 1
        self.emitter.emit(ExchangeDone(self.suite, self.suite_requests))

    def run_check(self, check: Check, probe: Probe) -> None:
        # Hypothesis-driven scenarios hand back the response checks' violations with their examples.
        allowed = set(check.rules) | {rule for c in self.registry.of_scope(Scope.RESPONSE) for rule in c.rules}
        probe.begin_case()
        try:
            for violation in check.function(probe):
                if violation.rule not in allowed:
                    raise ValueError(f"{check.name} reported {violation.rule.id}, which it does not declare")
                # Hypothesis examples (they carry one) were attributed within their own case.
                self.record(violation if violation.example is not None else probe.attributed(violation))
        except Exception as exc:  # noqa: BLE001 - one broken check must not hide the others' findings
            self.errors.append((check.name, f"{type(exc).__name__}: {exc}"))
            self.emitter.emit(CheckErrored(check.name, f"{type(exc).__name__}: {exc}"))
        # Only a check that ran to its end vouches for its rules: one cut short leaves them not run.
        self.ran.update(rule.id for rule in check.rules)

    def run_suites(self, probe: Probe) -> None:
        """Run the selected suites; Ctrl-C or a server that stopped answering ends them early,
        and what did not run is reported so, with the reason."""
        try:
            for suite in self.config.suites:
                self.suite, self.suite_requests = suite, 0
                started = time.perf_counter()
                self.emitter.emit(SuiteStarted(suite, self.planned.get(suite, 0)))
                for check in self.registry.in_suite(suite):
                    self.run_check(check, probe)
                self.emitter.emit(SuiteFinished(suite, self.suite_requests, time.perf_counter() - started))
        except KeyboardInterrupt:
            self.stopped, self.interrupted = "the run was interrupted (Ctrl-C)", True
        except (ServerStoppedAnswering, EnoughFailures) as exc:
            self.stopped = str(exc)
        if self.stopped:
            self.emitter.emit(SuiteFinished(self.suite, self.suite_requests, 0.0, stopped=self.stopped))
        if self.requests:
            for check in self.registry.of_scope(Scope.RESPONSE):
                self.ran.update(rule.id for rule in check.rules)

    def rule_status(self, skipped: Mapping[str, str]) -> dict[str, str]:
        # A verdict on a rule rests only on answers that were not server errors: consequences of
        # one are reported under it and leave their own rule's status alone.
        broken: dict[str, Severity] = {}
        for finding in self.log:
            if finding.is_root and broken.get(finding.rule.id) is not Severity.FAILURE:
                broken[finding.rule.id] = finding.severity
        status = {}
        for rule_id in RULES:
            if rule_id in broken:
                status[rule_id] = FAILED if broken[rule_id] is Severity.FAILURE else WARNED
            else:
                status[rule_id] = PASSED if rule_id in self.ran and rule_id not in skipped else NOT_RUN
        return status

    def failures_left(self) -> int | None:
        """How many more root failures `--max-failures` allows (None: no limit)."""
        if self.config.max_failures is None:
            return None
        roots = sum(1 for f in self.log if f.is_root and f.severity is Severity.FAILURE)
        return max(0, self.config.max_failures - roots)

    def not_run_reasons(self, skipped: Mapping[str, str]) -> dict[str, str]:
        """Why each rule the run did not reach was not run, when the run stopped early."""
        reasons = dict(skipped)
        if self.stopped:
            checks = [c for suite in self.config.suites for c in self.registry.in_suite(suite)]
            selected = {r.id for c in checks + self.registry.of_scope(Scope.RESPONSE) for r in c.rules}
            for rule_id in sorted(selected):
                if rule_id not in self.ran:
                    reasons.setdefault(rule_id, f"not run: {self.stopped}")
        return reasons


def _restore(probe: Probe, originals: Mapping[str, object]) -> list[str]:
    """Put every purpose back (a repeatable PATCH, so tried again after a server error); returns
    what could not be restored. A server that stopped answering, or a second Ctrl-C, leaves the
    rest as they are, and says so."""
    problems: list[str] = []
    probe.client.breaker.reset()  # a fresh chance: the checks' timeouts say nothing of the restore
    pending = list(originals)
    try:
        _restore_each(probe, originals, pending, problems)
    except (ServerStoppedAnswering, KeyboardInterrupt) as exc:
        reason = "interrupted" if isinstance(exc, KeyboardInterrupt) else str(exc)
        problems.extend(f"{session}: not restored ({reason})" for session in pending)
    return problems


def _restore_each(probe: Probe, originals: Mapping[str, object], pending: list[str], problems: list[str]) -> None:
    for session, purpose in originals.items():
        pending.remove(session)
        if not isinstance(purpose, str):
            problems.append(f"{session}: had no purpose, which a PATCH cannot restore")
            continue
        call = probe.build(probe.operation.user_route, session, probe.purpose(purpose))
        try:
            exchange = send_repeatable(probe.client, call, f"restoring session {session!r}")
        except ServerFailedError as exc:
            problems.append(f"{session}: {failed_read_note(exc)}")
            continue
        body = json_object(exchange)
        if exchange.status != 200 or body is None or body.get(probe.members.purpose) != purpose:
            problems.append(f"{session}: restore answered {exchange.describe()}")
    return problems


def _delete_created(probe: Probe) -> list[str]:
    """Delete every session the run created and has not seen deleted; returns what could not be."""
    problems: list[str] = []
    caller = FamilyCaller(probe)
    route = caller.user_route(DELETE)
    for session in list(probe.created):
        call = caller.build(route, {probe.members.session_id: session})
        try:
            exchange = send_repeatable(probe.client, call, f"deleting session {session!r}, which the run created")
        except ServerFailedError as exc:
            problems.append(f"{session}: created by the run, {failed_read_note(exc)}")
            continue
        except (ServerStoppedAnswering, KeyboardInterrupt):
            problems.append(f"{session}: created by the run and not deleted (the run was cut short)")
            continue
        if exchange.status not in (204, 404):  # 404: gone already, as a run cut short may leave it
            problems.append(f"{session}: created by the run; deleting it answered {exchange.describe()}")
        probe.created.remove(session)
    return problems


def verify(
    config: VerifyConfig, *, handlers: Sequence[Handler] = (), contract: Contract | None = None
) -> RunResult:
    """Verify the server at `config.base_url` against the contract.

    Raises `VerifyError` (`UsageError`, `ServerUnreachableError`, `SetupError`) when the run cannot
    start because of its inputs; every finding about the server - set-up reads it kept failing
    included - is in the returned `RunResult`.
    """
    contract = contract or load_contract()
    operation = contract.operation(OPERATION)
    selected = selected_operations(contract, config.operations)
    if config.read_only:
        selected = reads(selected)
    suites = suites_to_run(config, selected)
    if not suites:
        raise UsageError("nothing to run: the chosen --suite(s) check none of the chosen --operation(s)"
                         + (" that --read-only allows (the reads of the family suite)" if config.read_only else ""))
    config = dataclasses.replace(config, suites=suites)
    members = Members.from_contract(contract, operation)
    registry = load_checks()
    emitter = Emitter(handlers)
    run = _Run(config, emitter, registry)
    client = Client(config.base_url, timeout=config.timeout, max_bytes=config.max_response_bytes)
    started = time.perf_counter()
    restore_problems: list[str] = []
    skipped: dict[str, str] = {}
    try:
        ensure_reachable(client, config.wait)
        try:
            setup = resolve(config, client, members, operation, contract.superuser_role)
        except ServerStoppedAnswering as exc:
            raise ServerUnreachableError(config.base_url, f"{exc} during set-up") from None
        context = CheckContext(contract, operation, members, selected=selected)
        probe = Probe(
            context, client, setup.identities, setup.sessions, config.seed, config.max_examples,
            tuple(check.function for check in registry.of_scope(Scope.RESPONSE)), run.record, config.shrink,
            read_only=config.read_only,
        )
        try:
            proven = prove(probe, setup.labels, operation.required_roles[0], contract.superuser_role)
        except ServerStoppedAnswering as exc:
            raise ServerUnreachableError(config.base_url, f"{exc} during set-up") from None
        context.user_ids = dict(proven.user_ids)
        probe.listeners.append(run.count)
        if config.read_only:  # the rule is about what a write leaves behind
            probe.skip("last-modified-by", READ_ONLY_REASON)
        if "admin" not in proven.user_ids:
            probe.skip("last-modified-by", "the server did not tell the admin's user id (GET /auth)")
        run.planned = planned_requests(registry, config)
        emitter.emit(RunStarted(config, setup.sessions, config.suites, setup.notes + proven.notes))
        try:
            run.run_suites(probe)
        finally:
            restore_problems = _restore(probe, proven.originals) + _delete_created(probe)
            skipped = probe.skipped
            if config.read_only:
                for rule_id in RULES:
                    if rule_id not in run.ran:
                        skipped.setdefault(rule_id, READ_ONLY_REASON)
    except ServerFailedError as exc:
        # A server failing its set-up reads is broken, not misused: its answer is the finding.
        emitter.emit(RunStarted(config, config.session_ids, config.suites, (failed_read_note(exc),)))
        run.record(server_error_violation(exc.exchange))
        skipped = {rule_id: "set-up failed: the server kept answering with a server error" for rule_id in RULES}
    finally:
        client.close()
    result = RunResult(
        base_url=config.base_url,
        seed=config.seed,
        findings=tuple(run.log),
        rule_status=run.rule_status(run.not_run_reasons(skipped)),
        suites=config.suites,
        requests=run.requests,
        seconds=time.perf_counter() - started,
        errors=tuple(run.errors),
        restore_problems=tuple(restore_problems),
        skipped=run.not_run_reasons(skipped),
        stopped=run.stopped,
        interrupted=run.interrupted,
    )
    emitter.emit(RunFinished(result))
    return result
