"""What the verifier reports: typed findings, each naming the contract rule it breaks.

Checks yield `Violation`s (a rule, what was expected, what was seen, the exchange that showed it);
the runner turns each into a `Finding` - a `Failure` when the rule is one the service must keep, an
`AssumptionWarning` when the rule is an assumed framework default (CONTRACT.md preamble). Usage
errors are not findings: they are `VerifyError`s (see `errors.py`) and never reach a report.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

from contract.verify.http import Exchange
from contract.verify.rules import Rule, Severity


@dataclass(frozen=True)
class Violation:
    """One way a response broke a rule, as a check sees it.

    `kind` distinguishes violations of one rule on one route (e.g. `status` vs `body`); together with
    the rule and the route template it is the de-duplication key. `example` carries the minimal
    falsifying example when Hypothesis found the violation.
    """

    rule: Rule
    kind: str
    expected: str
    observed: str
    exchange: Exchange | None = None
    example: str | None = None
    route: str | None = None

    @property
    def route_template(self) -> str:
        """The route the violation was seen on: explicit, else the exchange's, else `-`."""
        if self.route is not None:
            return self.route
        return self.exchange.call.route if self.exchange is not None else "-"


@dataclass(frozen=True)
class Finding:
    """A reported violation of a contract rule. Build one with `Finding.from_violation`."""

    severity: ClassVar[Severity]

    rule: Rule
    route: str
    kind: str
    expected: str
    observed: str
    curl: str | None = None
    example: str | None = None
    occurrences: int = field(default=1, compare=False)

    @property
    def key(self) -> tuple[str, str, str]:
        """Same rule, same route template, same kind: the same finding (it is counted, not repeated)."""
        return (self.rule.id, self.route, self.kind)

    @staticmethod
    def from_violation(violation: Violation, *, base_url: str) -> Finding:
        """The finding a violation makes; its class follows the rule's severity."""
        cls = Failure if violation.rule.severity is Severity.FAILURE else AssumptionWarning
        exchange = violation.exchange
        return cls(
            rule=violation.rule,
            route=violation.route_template,
            kind=violation.kind,
            expected=violation.expected,
            observed=violation.observed,
            curl=exchange.call.curl(base_url) if exchange is not None else None,
            example=violation.example,
        )

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready view, used by the JSON report."""
        return {
            "rule": self.rule.id,
            "section": self.rule.section,
            "severity": self.severity.value,
            "route": self.route,
            "kind": self.kind,
            "expected": self.expected,
            "observed": self.observed,
            "curl": self.curl,
            "example": self.example,
            "occurrences": self.occurrences,
        }


@dataclass(frozen=True)
class Failure(Finding):
    """A broken rule the service must keep: the run fails."""

    severity: ClassVar[Severity] = Severity.FAILURE


@dataclass(frozen=True)
class AssumptionWarning(Finding):
    """A deviation from an assumed framework default (CONTRACT.md "(assumed)"): reported, not failed."""

    severity: ClassVar[Severity] = Severity.WARNING


class FindingLog:
    """Findings of one run, de-duplicated by `Finding.key`, in the order first seen.

    A later finding with the same key only bumps the count, unless it is `preferred` (a minimal
    example from Hypothesis), which replaces the one kept.
    """

    def __init__(self) -> None:
        self._items: dict[tuple[str, str, str], Finding] = {}

    def add(self, finding: Finding, *, preferred: bool = False) -> bool:
        """Record a finding; returns whether it is new."""
        old = self._items.get(finding.key)
        if old is None:
            self._items[finding.key] = finding
            return True
        keep = finding if preferred else old
        self._items[finding.key] = _with_count(keep, old.occurrences + 1)
        return False

    def __iter__(self) -> Iterator[Finding]:
        return iter(self._items.values())

    def __len__(self) -> int:
        return len(self._items)

    def of(self, severity: Severity) -> list[Finding]:
        """The findings of one severity."""
        return [f for f in self._items.values() if f.severity is severity]

    def rule_ids(self) -> set[str]:
        """Ids of every rule with at least one finding."""
        return {f.rule.id for f in self._items.values()}


def _with_count(finding: Finding, occurrences: int) -> Finding:
    return dataclasses.replace(finding, occurrences=occurrences)


def failures_in(findings: Iterable[Finding]) -> list[Finding]:
    """Only the failures."""
    return [f for f in findings if f.severity is Severity.FAILURE]
