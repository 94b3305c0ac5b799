"""What the verifier reports: typed findings, each naming the contract rule it breaks.

Checks yield `Violation`s (a rule, what was expected, what was seen, the exchange that showed it);
the runner turns each into a `Finding` - a `Failure` when the rule is one the service must keep, an
`AssumptionWarning` when the rule is an assumed framework default (CONTRACT.md preamble). Usage
errors are not findings: they are `VerifyError`s (see `errors.py`) and never reach a report.

Causes: a 5xx, a timeout or a reset is a *root cause*. A violation seen on such an answer, or drawn
from a scenario that met one earlier, carries it as its `cause` and becomes a *consequence*: it is
reported under its root (`caused_by`) and draws no verdict on its own rule, because a server that
failed mid-scenario leaves the expected state unknown. One server fault is then one story, not
twenty broken rules.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

from evokit.contract.verify.run.http import Exchange
from evokit.contract.verify.rules.table import Rule, Severity, rule

SERVER_ERROR_RULE = "no-server-error"
SIZE_RULE = "response-size"
# Rules judged on every answer, server errors included: a stack trace leaks whatever the status.
ROOT_RULES = frozenset({SERVER_ERROR_RULE, SIZE_RULE, "no-stack-trace"})
# What a Hypothesis failure carries when Hypothesis attached no example to it.
NO_EXAMPLE = "(no example recorded)"
# A server error is one cause whatever route it was met on: its finding is keyed by method and status.
ANY_ROUTE = "*"


def is_server_error(exchange: Exchange | None) -> bool:
    """A 5xx, no HTTP answer at all (a timeout, a reset, a refused connection), or an answer too
    large to read: nothing that follows from it can be judged."""
    return exchange is not None and (exchange.status == 0 or exchange.status >= 500 or exchange.cut_short)


def server_error_violation(exchange: Exchange) -> Violation:
    """The root-cause violation of a server error: one per method and status, on any route."""
    if exchange.cut_short:
        return Violation(rule(SIZE_RULE), f"{exchange.call.method} {exchange.status}",
                         f"a body of at most {len(exchange.body)} bytes", exchange.describe(), exchange,
                         route=ANY_ROUTE)
    status = "no-answer" if exchange.status == 0 else str(exchange.status)
    expected = "an HTTP response" if exchange.status == 0 else "a status below 500"
    return Violation(rule(SERVER_ERROR_RULE), f"{exchange.call.method} {status}", expected, exchange.describe(),
                     exchange, route=ANY_ROUTE)


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
    cause: Exchange | None = None

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
    caused_by: str | None = None
    occurrences: int = field(default=1, compare=False)
    id: str = field(default="", compare=False)
    seen_on: tuple[str, ...] = field(default=(), compare=False)

    @property
    def key(self) -> tuple[str, str, str, str | None]:
        """Same rule, route template, kind and cause: the same finding (counted, not repeated)."""
        return (self.rule.id, self.route, self.kind, self.caused_by)

    @property
    def is_root(self) -> bool:
        """Whether the finding stands on its own (it follows from no other)."""
        return self.caused_by is None

    @staticmethod
    def from_violation(violation: Violation, *, base_url: str, caused_by: str | None = None) -> Finding:
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
            example=violation.example if violation.example != NO_EXAMPLE else None,
            caused_by=caused_by,
            seen_on=(exchange.call.route,) if exchange is not None else (),
        )

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready view, used by the JSON report."""
        return {
            "id": self.id,
            "causedBy": self.caused_by,
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
            "seenOn": list(self.seen_on),
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

    A new finding gets the next id (`F1`, `F2`, ...). A later finding with the same key only bumps
    the count and adds its routes, unless it is `preferred` (a minimal example from Hypothesis),
    which replaces the one kept (under the same id).
    """

    def __init__(self) -> None:
        self._items: dict[tuple[str, str, str, str | None], Finding] = {}

    def add(self, finding: Finding, *, preferred: bool = False) -> bool:
        """Record a finding; returns whether it is new."""
        old = self._items.get(finding.key)
        if old is None:
            self._items[finding.key] = dataclasses.replace(finding, id=f"F{len(self._items) + 1}")
            return True
        keep = finding if preferred else old
        seen_on = old.seen_on + tuple(route for route in finding.seen_on if route not in old.seen_on)
        self._items[finding.key] = dataclasses.replace(
            keep, occurrences=old.occurrences + 1, id=old.id, seen_on=seen_on
        )
        return False

    def root_id(self, root: Finding) -> str:
        """The id of a root finding, recording it first if it is not known yet."""
        if root.key not in self._items:
            self.add(root)
        return self._items[root.key].id

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


def failures_in(findings: Iterable[Finding]) -> list[Finding]:
    """Only the failures."""
    return [f for f in findings if f.severity is Severity.FAILURE]
