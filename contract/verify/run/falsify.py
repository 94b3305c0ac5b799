"""Hypothesis runs as sources of findings: settings from the run's options, and failures (with their
minimal example) turned into violations instead of crashes.

A failing example raises `RuleBroken`, one subclass per rule: Hypothesis tells failures apart by
exception type and origin, so each broken rule is shrunk on its own and reported with its own
minimal example (several at once arrive as an exception group).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

from hypothesis import HealthCheck, Phase, Verbosity, seed, settings
from hypothesis.errors import Flaky
from hypothesis.internal.conjecture import engine as hypothesis_engine
from hypothesis.reporting import with_reporter
from hypothesis.stateful import RuleBasedStateMachine, run_state_machine_as_test

from evokit.contract.verify.report.findings import NO_EXAMPLE, Violation
from evokit.contract.verify.run.probe import Probe
from evokit.contract.verify.rules.table import Rule, Severity


class RuleBroken(AssertionError):
    """A Hypothesis example broke a rule; `violations` says how (the first names the rule)."""

    def __init__(self, violations: list[Violation]) -> None:
        self.violations = violations
        first = violations[0]
        super().__init__(f"{first.rule.label} [{first.kind}]: expected {first.expected}, saw {first.observed}")


@cache
def broken(rule: Rule) -> type[RuleBroken]:
    """The exception class of one rule (one class per rule, created once, so replays match)."""
    name = "Broken_" + rule.id.replace("-", "_")
    return type(name, (RuleBroken,), {"__module__": __name__})


def fail_on(probe: Probe, violations: Iterable[Violation]) -> None:
    """Raise for the failures among `violations`; warnings are reported and do not stop the example.

    The example is one case: its violations get their causes now, and the next one starts afresh.
    """
    judged = [probe.attributed(violation) for violation in violations]
    probe.begin_case()
    failures = []
    for violation in judged:
        if violation.rule.severity is Severity.FAILURE:
            failures.append(violation)
        else:
            probe.report(violation)
    if failures:
        probe.raised.append(failures)
        raise broken(failures[0].rule)(failures)


def hypothesis_settings(probe: Probe, **overrides: Any) -> settings:
    """Settings for one run: bounded by --max-examples, no example database, no deadline.

    Health checks are off because the time spent is the server's, and verbosity stays `normal`
    only so that Hypothesis attaches the falsifying example to the exception as notes.
    """
    phases = [Phase.explicit, Phase.reuse, Phase.generate, Phase.target]
    if probe.shrink:
        phases.append(Phase.shrink)
    values: dict[str, Any] = {
        "max_examples": probe.max_examples,
        "database": None,
        "deadline": None,
        "derandomize": False,
        "suppress_health_check": list(HealthCheck),
        "verbosity": Verbosity.normal,
        "phases": phases,
        "print_blob": False,
        "report_multiple_bugs": True,
    }
    values.update(overrides)
    return settings(**values)


# Seconds Hypothesis may spend minimising one run's failures. Its own limit is five minutes, made
# for in-process tests; every example here is a round of real requests, and a stateful example
# against a slow server costs a quarter of a second, so five minutes of shrinking buy little.
SHRINK_SECONDS = 30


@contextmanager
def _bounded_shrinking(seconds: int) -> Iterator[None]:
    """Cap Hypothesis's shrinking time. It has no setting for this, only a module constant that
    its engine reads when shrinking starts; where a version lacks it the cap is simply not applied."""
    previous = getattr(hypothesis_engine, "MAX_SHRINKING_SECONDS", None)
    if not isinstance(previous, int | float):
        yield
        return
    hypothesis_engine.MAX_SHRINKING_SECONDS = seconds
    try:
        yield
    finally:
        hypothesis_engine.MAX_SHRINKING_SECONDS = previous


def run_falsifying(probe: Probe, test: Callable[[], None]) -> Iterator[Violation]:
    """Run a Hypothesis test seeded with the run's seed; yield the violations of its failures,
    each carrying the minimal example."""
    seeded = seed(probe.seed)(test)
    probe.raised.clear()
    try:
        # Hypothesis's own messages (a shrink cut short) would land in the middle of the report;
        # what matters of a failure reaches the findings through the exception's notes.
        with _bounded_shrinking(SHRINK_SECONDS), with_reporter(lambda _text: None):
            seeded()
    except Exception as exc:
        # Hypothesis raises the failure itself, or a group of them (several rules broken, or a
        # FlakyFailure when the server answered a replay differently); anything else is a bug here.
        found = list(_rule_failures(exc))
        if not found and isinstance(exc, Flaky) and probe.raised:
            # A server whose answers change between a run and its replay (a fault on every Nth
            # request) leaves Hypothesis unable to replay: the failures it met are still findings.
            yield from _first_of_each_rule(probe.raised)
            return
        if not found:
            raise
        for error in found:
            example = "\n".join(getattr(error, "__notes__", ())) or None
            for violation in error.violations:
                yield _with_example(violation, example)


def _first_of_each_rule(raised: list[list[Violation]]) -> Iterator[Violation]:
    seen: set[str] = set()
    for failures in raised:
        for violation in failures:
            if violation.rule.id not in seen:
                seen.add(violation.rule.id)
                yield violation


def _rule_failures(exc: BaseException) -> Iterator[RuleBroken]:
    if isinstance(exc, RuleBroken):
        yield exc
    elif isinstance(exc, BaseExceptionGroup):
        for inner in exc.exceptions:
            yield from _rule_failures(inner)


def _with_example(violation: Violation, example: str | None) -> Violation:
    return dataclasses.replace(violation, example=example or NO_EXAMPLE)


def run_machine(probe: Probe, machine: type[RuleBasedStateMachine], steps: int) -> Iterator[Violation]:
    """Run a Hypothesis state machine as one falsifying test of the run (see `run_falsifying`)."""
    options = hypothesis_settings(probe, stateful_step_count=steps)

    def factory() -> RuleBasedStateMachine:
        return machine()

    # The state machine runner takes its seed from the factory, not from the test around it.
    seed(probe.seed)(factory)

    def test() -> None:
        run_state_machine_as_test(factory, settings=options)  # type: ignore[no-untyped-call]

    yield from run_falsifying(probe, test)
