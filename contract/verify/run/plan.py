"""How many requests each suite is expected to send: the totals the progress display counts against.

A suite's requests are a fixed part (its deterministic checks, per route and format) and a part per
Hypothesis example; both were measured against the kit's mock, which answers every request in full.
A server that breaks rules makes Hypothesis replay and shrink, so a run may pass its plan: the
display then grows the total rather than show more than all of it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from evokit.contract.verify.config import VerifyConfig
from evokit.contract.verify.checks.registry import CheckRegistry

# suite -> requests for a given --max-examples (the deterministic suites send a fixed number).
REQUESTS: Mapping[str, Callable[[int], float]] = {
    "auth": lambda n: 41,
    "request": lambda n: 155,
    "update": lambda n: 90,
    "formats": lambda n: 37,
    "family": lambda n: 330 + 9 * n,
    "stateful": lambda n: 16.9 * n - 13,
    "properties": lambda n: 4 * n,
    # Schemathesis: half the examples, positive and negative, on each of the four routes.
    "schemathesis": lambda n: 8 * max(1, n // 2),
}

# A read-only run sends the family's reads alone, whatever the examples.
READ_ONLY_REQUESTS: Mapping[str, Callable[[int], float]] = {"family": lambda n: 180}


def planned_requests(registry: CheckRegistry, config: VerifyConfig) -> dict[str, int]:
    """The expected requests of every selected suite that has checks."""
    plan = {}
    for suite in config.suites:
        if not registry.in_suite(suite):
            continue
        estimate = READ_ONLY_REQUESTS.get(suite) if config.read_only else None
        estimate = estimate or REQUESTS.get(suite, lambda n: 0)
        plan[suite] = max(1, round(estimate(config.max_examples)))
    return plan
