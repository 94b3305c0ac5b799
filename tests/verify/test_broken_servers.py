"""The verifier against deliberately broken servers: each breaks one rule, the verifier names it,
and every rule of the table is seen to fire on at least one of them."""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from evokit.contract.verify.rules.table import RULES, Severity
from tests.verify.broken_servers import BROKEN, BrokenServer, by_name
from tests.verify.servers import run_cli, serving
from tests.verify.tolerated_servers import TOLERATED, Tolerated

pytestmark = pytest.mark.socket

# Small runs: every broken rule here is found by the scenarios within a few examples.
ARGS = ("--seed", "1", "--max-examples", "5", "--quiet")


@dataclass(frozen=True)
class Outcome:
    code: int
    out: str
    fired: frozenset[str]


_OUTCOMES: dict[str, Outcome] = {}


def outcome(server: BrokenServer) -> Outcome:
    """Verify a broken server once per test session (the coverage test reuses the outcomes)."""
    if server.name not in _OUTCOMES:
        with serving(server.build()) as url, tempfile.TemporaryDirectory() as folder:
            report = Path(folder) / "report.json"
            code, out, err = run_cli("verify", "--base-url", url, *ARGS, *server.scope, "--json-report", str(report))
            assert err == "", err
            document = json.loads(report.read_text(encoding="utf-8"))
            assert document["errors"] == [], document["errors"]
        # Only root findings are verdicts: a consequence of a server error says nothing of its rule.
        roots = frozenset(f["rule"] for f in document["findings"] if f["causedBy"] is None)
        _OUTCOMES[server.name] = Outcome(code, out, roots)
    return _OUTCOMES[server.name]


def test_there_are_plenty_of_broken_servers() -> None:
    assert len(BROKEN) >= 15
    assert len({server.name for server in BROKEN}) == len(BROKEN)
    assert {server.rule for server in BROKEN} <= set(RULES)


@pytest.mark.parametrize("server", BROKEN, ids=lambda server: f"{server.name}-{server.rule}")
def test_the_verifier_names_the_broken_rule(server: BrokenServer) -> None:
    result = outcome(server)
    rule = RULES[server.rule]
    assert server.rule in result.fired, result.out
    assert f"{rule.label} on " in result.out
    assert result.code == (1 if rule.severity is Severity.FAILURE else 0), result.out


def test_every_rule_fires_on_some_broken_server() -> None:
    fired = set().union(*(outcome(server).fired for server in BROKEN))
    assert sorted(set(RULES) - fired) == []


def test_every_rule_has_a_server_breaking_it() -> None:
    assert sorted(set(RULES) - {server.rule for server in BROKEN}) == []


@pytest.mark.parametrize("server", TOLERATED, ids=lambda server: server.name)
def test_what_the_contract_allows_is_not_reported(server: Tolerated) -> None:
    with serving(server.build()) as url:
        code, out, _ = run_cli("verify", "--base-url", url, *ARGS, *server.scope)
    assert code == 0, out


def run_suites(server: str, *suites: str, max_examples: str = "5") -> list[dict[str, str]]:
    """The findings of a run of some suites against one broken server."""
    selected = [option for suite in suites for option in ("--suite", suite)]
    with serving(by_name()[server].build()) as url, tempfile.TemporaryDirectory() as folder:
        report = Path(folder) / "report.json"
        run_cli("verify", "--base-url", url, "--seed", "2", "--max-examples", max_examples, "--quiet",
                "--json-report", str(report), *selected)
        findings: list[dict[str, str]] = json.loads(report.read_text(encoding="utf-8"))["findings"]
    return findings


def test_hypothesis_failures_carry_their_minimal_example() -> None:
    findings = run_suites("answer_without_purpose", "stateful", "properties")
    findings = [f for f in findings if f["rule"] == "stored-exactly"]
    examples = [f["example"] or "" for f in findings]
    # The example is Hypothesis's replayable code, not its wording around it: the header line
    # changed between releases ("Falsifying example:", "Failing test case:"), the code did not.
    assert any("state = SessionMachine()" in example for example in examples), examples
    assert any(re.search(r"\bround_trip\(\s*purpose=", example) for example in examples), examples


@pytest.mark.parametrize(
    ("server", "rule", "check"),
    [
        ("numeric_account_name", "schema", "response_schema_conformance"),
        ("jsv_content_type", "response-format", "content_type_conformance"),
    ],
)
def test_schemathesis_failures_become_findings(server: str, rule: str, check: str) -> None:
    findings = run_suites(server, "schemathesis")
    assert any(f["rule"] == rule and f["kind"] == f"schemathesis-{check}" for f in findings), findings
