"""The verifier's parts without a server: rules and registry, findings, calls, config, timestamps,
expected formats and the reporters."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime

import pytest
from requests.structures import CaseInsensitiveDict

from evokit.contract.formats import Format
from evokit.contract.verify.checks import timestamps
from evokit.contract.verify.config import VerifyConfig
from evokit.contract.verify.errors import UsageError
from evokit.contract.verify.report.findings import (
    AssumptionWarning,
    Failure,
    Finding,
    FindingLog,
    Violation,
)
from evokit.contract.verify.run.http import Call, Exchange
from evokit.contract.verify.checks.registry import CheckRegistry, Scope, load_checks
from evokit.contract.verify.report.reporters import as_json, as_junit, describe
from evokit.contract.verify.report.result import RunResult
from evokit.contract.verify.rules.table import RULES, Severity, rule
from evokit.contract.verify.run.wire import accepts_unrecognised_jsv, expected_format

BASE = "http://127.0.0.1:9"


def test_rule_table_is_consistent_and_fully_checked() -> None:
    registry = load_checks()
    assert {r.section for r in RULES.values()} == {"1", "1.1", "2", "3", "4", "5", "6", "7", "8"}
    assert registry.declared_rules() == set(RULES)
    assert {c.scope for c in registry} == {Scope.RESPONSE, Scope.SCENARIO}
    assert all(check.description for check in registry)


def test_assumed_rules_are_warnings() -> None:
    warnings = {r.id for r in RULES.values() if r.severity is Severity.WARNING}
    assert warnings == {"www-authenticate-realm", "empty-purpose", "date-format", "last-modified-by",
                        "accept-text-jsv", "cors", "x-powered-by",
                        # Section 8 marks these "(assumed)": the list's paging and its edges, the
                        # create's account check, the actions' writes, the usage ranges, the 204.
                        "family-create-account", "list-paging", "list-filter", "list-sort", "list-bad-request",
                        "apply-actions", "clear-actions", "usage-range", "auth-status-anonymous"}


def test_registry_refuses_duplicates_and_undeclared_rules() -> None:
    registry = CheckRegistry()

    def a_check(probe: object) -> list[Violation]:
        """A check."""
        return []

    registry.scenario("auth", "anonymous-401")(a_check)
    with pytest.raises(ValueError, match="twice"):
        registry.scenario("auth", "anonymous-401")(a_check)
    with pytest.raises(ValueError, match="declare"):
        registry.scenario("auth")(a_check)
    with pytest.raises(KeyError):
        registry.response("no-such-rule")


def exchange(call: Call | None = None, status: int = 200, body: bytes = b"{}", **headers: str) -> Exchange:
    call = call or Call("PATCH", "/ai/sessions/a", "/ai/sessions/{sessionId}")
    return Exchange(call, status, CaseInsensitiveDict(headers), body)


def test_findings_are_deduplicated_and_minimal_examples_win() -> None:
    log = FindingLog()
    violation = Violation(rule("vary-accept"), "missing", "Vary: Accept", "none", exchange())
    first = Finding.from_violation(violation, base_url=BASE)
    assert isinstance(first, Failure) and log.add(first)
    minimal = Violation(violation.rule, "missing", "Vary: Accept", "none (minimal)", exchange(), example="ex")
    assert not log.add(Finding.from_violation(minimal, base_url=BASE), preferred=True)
    (kept,) = list(log)
    assert (kept.observed, kept.example, kept.occurrences) == ("none (minimal)", "ex", 2)
    warning = Finding.from_violation(Violation(rule("cors"), "k", "e", "o"), base_url=BASE)
    assert isinstance(warning, AssumptionWarning) and warning.route == "-"


def test_curl_reproduces_headers_and_control_characters() -> None:
    call = Call("PATCH", "/ai/sessions/a", "/ai/sessions/{sessionId}", (("format", "jsv"),),
                (("Authorization", "Basic eA=="), ("Content-Type", "application/json")), b'{"purpose":"a\r\nb\'"}')
    curl = call.curl(BASE)
    assert curl.startswith(f"curl -i -X PATCH '{BASE}/ai/sessions/a?format=jsv' -H 'Authorization: Basic eA=='")
    assert curl.endswith("""--data-binary $'{"purpose":"a\\r\\nb\\'"}'""")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"base_url": "ftp://x"}, "absolute http"),
        ({"base_url": "http://x/?q=1"}, "query"),
        ({"admin_auth": "Basic x"}, "go together"),
        ({"admin_auth": "Basic YQ==", "user_auth": "Basic Yg==", "session_ids": ("a", "a")}, "distinct"),
        ({"admin_auth": "Basic a\nb", "user_auth": "Basic Yg==", "session_ids": ("a",)}, "single-line"),
        ({"admin_auth": "c3lzYWRtaW46c3lzYWRtaW4=", "user_auth": "Basic Yg==", "session_ids": ("a",)}, "put 'Basic '"),
        ({"admin_auth": "Basic YQ==", "user_auth": "token", "session_ids": ("a",)}, "user-auth.*no scheme"),
        ({"max_examples": 0}, "at least 1"),
        ({"suites": ("nope",)}, "unknown suite"),
    ],
)
def test_config_is_validated_on_creation(options: dict[str, object], message: str) -> None:
    values: dict[str, object] = {"base_url": BASE, **options}
    with pytest.raises(UsageError, match=message):
        VerifyConfig(**values)  # type: ignore[arg-type]


def test_a_credential_in_error_is_never_echoed() -> None:
    with pytest.raises(UsageError) as refused:
        VerifyConfig(base_url=BASE, admin_auth="s3cret-token", user_auth="Basic Yg==", session_ids=("a",))
    assert "s3cret-token" not in str(refused.value)


def test_user_password_is_shorthand_for_basic() -> None:
    config = VerifyConfig(base_url=BASE, admin_auth="sysadmin:pa:ss", user_auth="Bearer t", session_ids=("a",))
    assert config.admin_auth == "Basic " + base64.b64encode(b"sysadmin:pa:ss").decode()
    assert config.user_auth == "Bearer t"


def test_timestamps() -> None:
    assert timestamps.is_iso_utc("2024-05-01T10:00:00.1234567Z")
    assert not timestamps.is_iso_utc("2024-05-01T10:00:00+02:00")
    assert timestamps.parse("2024-05-01T10:00:00.1234567Z") == datetime(2024, 5, 1, 10, 0, 0, 123456, UTC)
    assert timestamps.parse("/Date(1714557600000)/") == datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
    assert timestamps.parse("yesterday") is None and timestamps.parse(None) is None


@pytest.mark.parametrize(
    ("suffix", "query", "prefix", "accept", "expected"),
    [
        (None, (), None, None, Format.JSON),
        ("jsv", (("format", "xml"),), None, "application/json", Format.JSV),
        (None, (("format", "csv"),), "jsv", "application/xml", Format.CSV),
        (None, (), "jsv", "application/xml", Format.JSV),
        (None, (), None, "application/xml, application/json", Format.JSON),
        (None, (), None, "image/png", Format.JSON),
        (None, (), None, "text/csv", Format.CSV),
    ],
)
def test_expected_format_follows_section_6(
    suffix: str | None, query: tuple[tuple[str, str], ...], prefix: str | None, accept: str | None, expected: Format
) -> None:
    headers = (("Accept", accept),) if accept else ()
    call = Call("PATCH", "/x", "/ai/sessions/{sessionId}", query, headers, b"", "admin", suffix, prefix)
    assert expected_format(call) is expected


def test_text_jsv_accept_is_only_assumed() -> None:
    call = Call("PATCH", "/x", "/x", (), (("Accept", "text/jsv"),))
    assert accepts_unrecognised_jsv(call)
    assert not accepts_unrecognised_jsv(Call("PATCH", "/x", "/x", (("format", "jsv"),), (("Accept", "text/jsv"),)))


def sample_result() -> RunResult:
    failure = Finding.from_violation(
        Violation(rule("no-stack-trace"), "member", "no stackTrace", "stackTrace: at ...", exchange()), base_url=BASE
    )
    warning = Finding.from_violation(Violation(rule("cors"), "allow-origin", "*", "None"), base_url=BASE)
    status = dict.fromkeys(RULES, "passed") | {"no-stack-trace": "failed", "cors": "warned", "session-auth": "not-run"}
    return RunResult(BASE, 7, (failure, warning), status, ("auth",), 12, 0.5, (("some_check", "KeyError: 'x'"),))


def test_json_report_carries_everything() -> None:
    document = json.loads(json.dumps(as_json(sample_result())))
    assert document["exitCode"] == 1 and document["seed"] == 7
    assert [f["rule"] for f in document["findings"]] == ["no-stack-trace", "cors"]
    assert document["findings"][0]["curl"].startswith("curl -i -X PATCH")
    assert document["errors"] == [{"check": "some_check", "error": "KeyError: 'x'"}]


def test_junit_has_a_case_per_rule() -> None:
    suite = as_junit(sample_result()).find("testsuite")
    assert suite is not None
    assert suite.get("tests") == str(len(RULES) + 1)
    assert (suite.get("failures"), suite.get("errors"), suite.get("skipped")) == ("1", "1", "1")
    failed = suite.find("testcase[@name='no-stack-trace']/failure")
    assert failed is not None and "§5 no-stack-trace" in (failed.text or "")


def test_describe_names_rule_and_reproduction() -> None:
    text = describe(sample_result().findings[0])
    assert text.startswith("FAILURE §5 no-stack-trace on /ai/sessions/{sessionId} [member]")
    assert "reproduce: curl" in text


def test_a_ctrl_c_while_a_create_is_in_flight_waits_for_its_answer() -> None:
    import signal

    from evokit.contract.verify.run.family import interrupts_deferred

    done = []
    with pytest.raises(KeyboardInterrupt):
        with interrupts_deferred():
            signal.raise_signal(signal.SIGINT)  # Ctrl-C before the new session's id is read
            done.append("the answer was read and the session noted")
    assert done == ["the answer was read and the session noted"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
