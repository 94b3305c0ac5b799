"""One cause, one story: a server error is a root cause and what rests on its answer is folded
under it, in the log, the verdicts and both reports."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
import requests
from requests.structures import CaseInsensitiveDict

from evokit.contract.model import load_contract
from evokit.contract.verify.config import VerifyConfig
from evokit.contract.verify.report.events import Emitter, FindingReported
from evokit.contract.verify.run.falsify import RuleBroken, fail_on
from evokit.contract.verify.report.findings import ANY_ROUTE, Finding, FindingLog, Violation, server_error_violation
from evokit.contract.verify.run.http import Call, Client, Exchange
from evokit.contract.verify.checks.members import Members
from evokit.contract.verify.run.probe import CheckContext, Identities, Probe
from evokit.contract.verify.checks.registry import CheckRegistry
from evokit.contract.verify.report.reporters import as_json
from evokit.contract.verify.report.result import RunResult
from evokit.contract.verify.rules.table import RULES, rule
from evokit.contract.verify.run.runner import _Run
from tests.verify.servers import run_cli

BASE = "http://127.0.0.1:1"
USER_ROUTE, API_ROUTE = "/ai/sessions/{sessionId}", "/api/PatchAISession"


def exchange(status: int, route: str = USER_ROUTE, method: str = "PATCH") -> Exchange:
    return Exchange(Call(method, route.replace("{sessionId}", "a"), route), status, CaseInsensitiveDict(), b"{}")


def probe() -> Probe:
    contract = load_contract()
    operation = contract.operation("PatchAISession")
    context = CheckContext(contract, operation, Members.from_contract(contract, operation))
    return Probe(context, Client(BASE, timeout=1), Identities("a", "u", ("b",)), ("s",), 0, 1, (), lambda v: None)


def stored_exactly(seen_on: Exchange) -> Violation:
    return Violation(rule("stored-exactly"), "stateful", "purpose 'x'", "'y'", seen_on)


def test_a_server_error_is_one_root_whatever_the_route() -> None:
    log = FindingLog()
    for route in (USER_ROUTE, API_ROUTE):
        log.add(Finding.from_violation(server_error_violation(exchange(500, route)), base_url=BASE))
    (root,) = list(log)
    assert (root.id, root.route, root.kind, root.occurrences) == ("F1", ANY_ROUTE, "PATCH 500", 2)
    assert root.seen_on == (USER_ROUTE, API_ROUTE) and root.is_root


def test_a_consequence_is_its_own_finding_under_its_root() -> None:
    log = FindingLog()
    root_id = log.root_id(Finding.from_violation(server_error_violation(exchange(503)), base_url=BASE))
    real = Finding.from_violation(stored_exactly(exchange(200)), base_url=BASE)
    folded = Finding.from_violation(stored_exactly(exchange(200)), base_url=BASE, caused_by=root_id)
    assert log.add(real) and log.add(folded), "the same symptom with and without a cause are two findings"
    assert [(f.id, f.caused_by) for f in log] == [("F1", None), ("F2", None), ("F3", "F1")]
    assert log.root_id(Finding.from_violation(server_error_violation(exchange(503)), base_url=BASE)) == "F1"


def test_a_violation_seen_on_a_server_error_rests_on_it() -> None:
    failed = exchange(500)
    assert probe().attributed(stored_exactly(failed)).cause is failed


def test_a_server_error_explains_what_follows_in_its_case_only() -> None:
    subject = probe()
    failed = exchange(500)
    subject.inspect(failed)
    later = subject.attributed(stored_exactly(exchange(200)))
    assert later.cause is failed
    subject.begin_case()
    assert subject.attributed(stored_exactly(exchange(200))).cause is None


def test_server_errors_and_stack_traces_are_always_roots() -> None:
    subject = probe()
    subject.inspect(exchange(500))
    trace = Violation(rule("no-stack-trace"), "text", "no stack-trace text", "at X()", exchange(500))
    assert subject.attributed(trace).cause is None
    assert subject.attributed(server_error_violation(exchange(500))).cause is None


def test_a_hypothesis_example_is_one_case() -> None:
    subject = probe()
    failed = exchange(502)
    subject.inspect(failed)
    with pytest.raises(RuleBroken) as raised:
        fail_on(subject, [stored_exactly(exchange(200))])
    assert raised.value.violations[0].cause is failed
    assert subject.case_error is None, "the next example starts afresh"


def test_reports_lead_with_causes_and_count_them() -> None:
    log = FindingLog()
    log.add(Finding.from_violation(server_error_violation(exchange(500)), base_url=BASE))
    log.add(Finding.from_violation(stored_exactly(exchange(200)), base_url=BASE, caused_by="F1"))
    status = dict.fromkeys(RULES, "passed") | {"no-server-error": "failed"}
    result = RunResult(BASE, 1, tuple(log), status, ("stateful",), 3, 0.1)
    assert [f.rule.id for f in result.failures] == ["no-server-error"]
    assert [f.id for f in result.consequences_of(result.causes[0])] == ["F2"]
    document = as_json(result)
    assert document["causes"] == 1
    assert [(f["id"], f["causedBy"]) for f in document["findings"]] == [("F1", None), ("F2", "F1")]


@pytest.mark.socket
def test_a_server_failing_30_percent_of_patches_tells_one_story(mock_url: str, tmp_path: Path) -> None:
    fault = {"route": "/**", "method": "PATCH", "status": 500, "rate": 0.3, "seed": 7}
    requests.post(f"{mock_url}/__mock/faults", json=fault, timeout=5).raise_for_status()
    report = tmp_path / "report.json"
    code, out, err = run_cli("verify", "--base-url", mock_url, "--seed", "1", "--quiet", "--json-report", str(report))
    assert code == 1 and err == "", out + err
    findings = json.loads(report.read_text(encoding="utf-8"))["findings"]
    roots = [f for f in findings if f["causedBy"] is None]
    assert 1 <= len(roots) <= 3, [(f["rule"], f["kind"]) for f in roots]
    assert ("no-server-error", "PATCH 500") in {(f["rule"], f["kind"]) for f in roots}
    assert {f["causedBy"] for f in findings} - {None} <= {f["id"] for f in roots}
    assert len(findings) > len(roots), "the 500s broke other checks' expectations: they are folded, not lost"
    assert out.split("\n\n", 2)[1].startswith("FAILURE §5 no-server-error"), "the report leads with the cause"


def test_a_cause_met_first_through_its_consequence_is_reported_as_found() -> None:
    seen: list[object] = []

    class Collector:
        def handle(self, event: object) -> None:
            seen.append(event)

    run = _Run(VerifyConfig(base_url=BASE), Emitter([Collector()]), CheckRegistry())
    failed = exchange(500)
    run.record(dataclasses.replace(stored_exactly(exchange(200)), cause=failed))
    run.record(server_error_violation(failed))
    reported = [event.finding.rule.id for event in seen if isinstance(event, FindingReported)]
    assert sorted(reported) == ["no-server-error", "stored-exactly"], "each finding is announced once"
