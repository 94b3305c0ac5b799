"""The check registry: checks are plain functions, registered with the rules they may report.

Two kinds, as in Schemathesis:
- *response checks* `(ctx, exchange) -> Iterable[Violation]` run on every exchange of every suite;
- *scenario checks* `(probe) -> Iterable[Violation]` drive their own requests (through the probe,
  so the response checks see those too) and belong to one suite.

A check may only report the rules it declared; the test suite asserts that every rule of the table
is declared by some check and seen to fire against at least one deliberately broken server.
"""

from __future__ import annotations

import enum
import importlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from evokit.contract.verify.report.findings import Violation
from evokit.contract.verify.rules.table import RULES, Rule

if TYPE_CHECKING:
    from evokit.contract.verify.run.http import Exchange
    from evokit.contract.verify.run.probe import CheckContext, Probe

# The modules whose import fills the registry, in the order their suites run.
CHECK_MODULES = (
    "evokit.contract.verify.checks.response",
    "evokit.contract.verify.checks.auth",
    "evokit.contract.verify.checks.request",
    "evokit.contract.verify.checks.update",
    "evokit.contract.verify.checks.formats",
    "evokit.contract.verify.checks.family",
    "evokit.contract.verify.checks.listing",
    "evokit.contract.verify.checks.actions_usage",
    "evokit.contract.verify.checks.family_state",
    "evokit.contract.verify.checks.stateful",
    "evokit.contract.verify.checks.properties",
    "evokit.contract.verify.checks.schemathesis_suite",
)

ResponseCheckFn = Callable[["CheckContext", "Exchange"], Iterable[Violation]]
ScenarioFn = Callable[["Probe"], Iterable[Violation]]
F = TypeVar("F", bound=Callable[..., Any])


class Scope(enum.Enum):
    """Whether a check looks at each response or runs a scenario of its own."""

    RESPONSE = "response"
    SCENARIO = "scenario"


@dataclass(frozen=True)
class Check:
    """A registered check: its function, the suite it runs in and the rules it may report."""

    name: str
    suite: str
    scope: Scope
    rules: tuple[Rule, ...]
    function: Callable[..., Iterable[Violation]]

    @property
    def description(self) -> str:
        """The first line of the function's docstring."""
        return (self.function.__doc__ or self.name).strip().splitlines()[0]


class CheckRegistry:
    """Named checks; registering the same name twice is a programming error."""

    def __init__(self) -> None:
        self._checks: dict[str, Check] = {}

    def _add(self, suite: str, scope: Scope, rule_ids: tuple[str, ...]) -> Callable[[F], F]:
        if not rule_ids:
            raise ValueError("a check must declare the rules it reports")
        rules = tuple(RULES[rule_id] for rule_id in rule_ids)

        def decorator(function: F) -> F:
            name = function.__name__
            if name in self._checks:
                raise ValueError(f"check {name!r} is registered twice")
            self._checks[name] = Check(name, suite, scope, rules, function)
            return function

        return decorator

    def response(self, *rule_ids: str) -> Callable[[F], F]:
        """Register `(ctx, exchange) -> Iterable[Violation]`, run on every exchange."""
        return self._add("responses", Scope.RESPONSE, rule_ids)

    def scenario(self, suite: str, *rule_ids: str) -> Callable[[F], F]:
        """Register `(probe) -> Iterable[Violation]`, run once in `suite`."""
        return self._add(suite, Scope.SCENARIO, rule_ids)

    def __iter__(self) -> Iterator[Check]:
        return iter(self._checks.values())

    def __len__(self) -> int:
        return len(self._checks)

    def of_scope(self, scope: Scope) -> list[Check]:
        """The checks of one scope, in registration order."""
        return [check for check in self._checks.values() if check.scope is scope]

    def in_suite(self, suite: str) -> list[Check]:
        """The scenario checks of one suite, in registration order."""
        return [c for c in self._checks.values() if c.scope is Scope.SCENARIO and c.suite == suite]

    def declared_rules(self) -> set[str]:
        """Ids of every rule some check may report."""
        return {rule.id for check in self._checks.values() for rule in check.rules}


CHECKS = CheckRegistry()


def load_checks() -> CheckRegistry:
    """Import every check module (which registers its checks) and return the registry."""
    for module in CHECK_MODULES:
        importlib.import_module(module)
    return CHECKS
