"""Schemathesis over the generated OpenAPI document, with the kit's response checks alongside.

Every operation of the document (the service's route and ServiceStack's pre-defined ones) gets
positive and negative cases, sent as the admin. Schemathesis' own checks judge each response, the
kit's response checks run as one more Schemathesis check (`evokit_contract`), and the JSV, XML and
CSV codecs are registered so Schemathesis can read (and send) those bodies. Its failures become the
kit's findings, each mapped to the contract rule it breaks.

Built-in checks disabled, and why:
- `negative_data_rejection`: section 2 makes binding lenient - a number, boolean, object or array
  sent as `purpose` becomes text and unknown properties are ignored - so a schema-invalid body is
  rightly answered 200;
- `positive_data_acceptance`: schema-valid cases name random session ids, and section 4 answers an
  unknown id with 404;
- `unsupported_method`: section 8 - the live service answers GET and DELETE on the same path;
- `use_after_free`, `ensure_resource_availability`, `object_level_authorization`: they need
  create/delete links or per-user resources; the document holds the operation under test alone,
  once per route, and roles are checked by the kit's auth matrix (section 3);
- `missing_required_header`, `allow_header_conformance`, `max_response_time`: the operation has no
  required header, never answers 405 by contract (an undocumented status is caught by
  `status_code_conformance`), and the contract sets no latency.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import requests
from hypothesis import given
from hypothesis import strategies as st

from evokit.contract.formats import DEFAULT_REGISTRY, Format, jsv
from evokit.contract.model import Contract, Route
from evokit.contract.verify.run.falsify import (
    RuleBroken,
    broken,
    fail_on,
    hypothesis_settings,
    run_falsifying,
)
from evokit.contract.verify.report.findings import SERVER_ERROR_RULE, Violation, is_server_error, server_error_violation
from evokit.contract.verify.run.http import Call, Exchange
from evokit.contract.verify.run.probe import Probe
from evokit.contract.verify.checks.registry import CHECKS
from evokit.contract.verify.rules.table import Severity, rule
from evokit.contract.verify.run.wire import ERROR_DTO, documented_as_text, dto_for_status

# Schemathesis check -> the contract rule its failure breaks.
ENABLED_CHECKS: dict[str, str] = {
    "not_a_server_error": "no-server-error",
    "status_code_conformance": "status-codes",
    "content_type_conformance": "response-format",
    "response_schema_conformance": "schema",
    "response_headers_conformance": "www-authenticate",
    "ignored_auth": "anonymous-401",
}
DISABLED_CHECKS = (
    "negative_data_rejection", "positive_data_acceptance", "unsupported_method", "use_after_free",
    "ensure_resource_availability", "object_level_authorization", "missing_required_header",
    "allow_header_conformance", "max_response_time",
)
KIT_CHECK = "evokit_contract"
CODEC_MEDIA_TYPES = {fmt.media_type: fmt for fmt in (Format.JSV, Format.XML, Format.CSV)}


def _explained_by_contract(name: str, exchange: Exchange) -> bool:
    """Complaints the contract itself explains: the anonymous 401 has an empty body and so no
    Content-Type (section 3), though the document describes the bad-credentials 401 body."""
    return name in ("content_type_conformance", "response_schema_conformance") and (
        exchange.status == 401 and not exchange.body
    )


def install_codecs(contract: Contract) -> None:
    """Register the kit's JSV, XML and CSV codecs with Schemathesis (additive: it learns to read and
    send media types it did not know; registering again replaces the same functions)."""
    import schemathesis
    from schemathesis.core.transport import Response

    def deserialize(ctx: schemathesis.DeserializationContext, response: Response) -> Any:
        codec = DEFAULT_REGISTRY.for_content_type(response.headers.get("content-type", [""])[0])
        if codec is None:
            raise ValueError("no codec reads this Content-Type")
        media_type = response.headers.get("content-type", [""])[0].split(";", 1)[0].strip()
        if documented_as_text(contract, ctx.operation.path, response.status_code, ctx.operation.method, media_type):
            return response.content.decode("utf-8", "replace")  # the kit's own check reads the DTO
        dto = dto_for_status(contract, ctx.operation.path, response.status_code, ctx.operation.method)
        if dto == ERROR_DTO:
            return codec.decode_error(response.content)
        if dto is None:
            raise ValueError(f"status {response.status_code} carries no DTO")
        return codec.decode_dto(response.content, contract.shape(dto))

    schemathesis.deserializer(*CODEC_MEDIA_TYPES)(deserialize)

    @schemathesis.serializer("application/jsv")
    def serialize_jsv(ctx: schemathesis.SerializationContext, value: Any) -> bytes:
        try:
            return jsv.dumps(value).encode()
        except ValueError:  # negative cases may hold values JSV cannot write; send their text
            return str(value).encode()


def _exchange(probe: Probe, route: Route, response: Any) -> Exchange:
    """The kit's view of one Schemathesis request and response."""
    from requests.structures import CaseInsensitiveDict

    received = CaseInsensitiveDict({name: ", ".join(values) for name, values in response.headers.items()})
    return _exchange_of(probe, route, response.request, response.status_code, received, response.content,
                        response.elapsed)


def _exchange_of(probe: Probe, route: Route, request: Any, status: int, received: Any, content: bytes,
                 elapsed: float) -> Exchange:
    url = urlsplit(request.url)
    base_path = urlsplit(probe.client.base_url).path.rstrip("/")
    headers = tuple((name, value) for name, value in request.headers.items())
    auth = request.headers.get("Authorization")
    identity = next((who for who in ("admin", "user", "superuser") if probe.identities.header(who) == auth),
                    "anonymous" if auth is None else "bad")
    body = request.body or b""
    call = Call(
        request.method, url.path[len(base_path):], route.path, tuple(parse_qsl(url.query, keep_blank_values=True)),
        headers, body.encode() if isinstance(body, str) else body, identity,
        None, route.format if route.kind == "reply" else None,
    )
    return Exchange(call, status, received, content, elapsed, cut_short=probe.client.bounded.was_cut(request))


def _violations(name: str, group: Any, exchange: Exchange, side: list[Exchange]) -> Iterator[Violation]:
    """The kit's violations for one Schemathesis check's failures (a `FailureGroup`).

    `side` holds the answers to requests a check sent on its own (`ignored_auth` re-sends the case
    without credentials): a failure met on a server error there, or on the case's own answer, is
    that server error's consequence, and the server error itself is the kit's one root cause.
    """
    from schemathesis.core.failures import CustomFailure

    failed_side = next((other for other in side if is_server_error(other)), None)
    for failure in group.exceptions:
        if isinstance(failure, CustomFailure) and isinstance(failure.exception, RuleBroken):
            yield from failure.exception.violations
        elif ENABLED_CHECKS[name] == SERVER_ERROR_RULE and is_server_error(exchange):
            yield server_error_violation(exchange)
        elif not _explained_by_contract(name, exchange):
            yield Violation(rule(ENABLED_CHECKS[name]), f"schemathesis-{name}", f"{name} passes",
                            f"{failure.title}: {failure.message}"[:500], exchange, cause=failed_side)


def _side_answers(probe: Probe, route: Route, side: list[Exchange]) -> Callable[..., None]:
    """A `requests` response hook keeping the answers to a check's own requests."""

    def keep(response: Any, *args: Any, **kwargs: Any) -> None:
        side.append(_exchange_of(probe, route, response.request, response.status_code, response.headers,
                                 response.content, response.elapsed.total_seconds()))

    return keep


def _kit_check(probe: Probe, route: Route) -> Callable[..., None]:
    def evokit_contract(ctx: Any, response: Any, case: Any) -> None:
        """The kit's response checks, as a Schemathesis check."""
        with probe.capturing() as found:
            probe.inspect(_exchange(probe, route, response))
        failures = [v for v in found if v.rule.severity is Severity.FAILURE]
        for warning in (v for v in found if v.rule.severity is Severity.WARNING):
            probe.report(warning)
        if failures:
            raise broken(failures[0].rule)(failures)

    return evokit_contract


@CHECKS.scenario(
    "schemathesis", "no-server-error", "status-codes", "response-format", "schema", "www-authenticate",
    "anonymous-401",
)
def schemathesis_checks(probe: Probe) -> Iterator[Violation]:
    """Schemathesis' positive and negative cases on every route of the OpenAPI document."""
    import schemathesis
    from schemathesis.checks import CHECKS as ST_CHECKS
    from schemathesis.checks import load_all_checks
    from schemathesis.core.result import Err

    install_codecs(probe.contract)
    load_all_checks()
    # Only the operation under test: the contract documents its whole family, which a server (the
    # mock) need not serve yet.
    document = probe.contract.openapi_of(probe.operation.name)
    schema = schemathesis.openapi.from_dict(document, config=schemathesis.Config())
    schema.config.update(base_url=probe.client.base_url)
    schema.config.checks.update(excluded_check_names=list(DISABLED_CHECKS))
    routes = {(route.method, route.path): route for route in probe.routes}
    for result in schema.get_all_operations():
        if isinstance(result, Err):
            raise result.err()  # the kit's own document: a load error is a bug of the contract
        operation = result.ok()
        route = routes[(operation.method.upper(), operation.path)]
        kit_check = _kit_check(probe, route)
        # Registered alongside the built-in checks for this operation only, so that other
        # Schemathesis runs in the same process are not affected.
        schemathesis.check(kit_check)
        checks = [(name, ST_CHECKS.get_one(name)) for name in ENABLED_CHECKS] + [(KIT_CHECK, kit_check)]
        try:
            for mode in (schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE):
                yield from run_falsifying(probe, _case_test(probe, route, _cases(probe, operation, mode), checks))
        finally:
            ST_CHECKS.unregister(KIT_CHECK)


def _case_test(probe: Probe, route: Route, cases: Any, checks: list[tuple[str, Any]]) -> Callable[[], None]:
    """A Hypothesis test sending each case as the admin and judging it with every check."""
    from schemathesis.core.failures import FailureGroup

    admin = {"Authorization": probe.identities.admin}

    @hypothesis_settings(probe, max_examples=max(1, probe.max_examples // 2))
    @given(case=cases)
    def run_case(case: Any) -> None:
        # Through the run's bounded session: the same cap on bytes and time, the same count of
        # timeouts, as every other request of the run.
        try:
            response = case.call(base_url=probe.client.base_url, headers=admin, session=probe.client.session,
                                 timeout=probe.client.timeout)
        except requests.RequestException as exc:
            fail_on(probe, [server_error_violation(_unanswered(probe, route, case, exc))])
            return
        exchange = _exchange(probe, route, response)
        if exchange.cut_short:  # only its start was read: nothing else can be judged of it
            fail_on(probe, [server_error_violation(exchange)])
            return
        found: list[Violation] = []
        for name, check in checks:  # one at a time, so each failure is known by its check
            side: list[Exchange] = []
            hooks = {"hooks": {"response": [_side_answers(probe, route, side)]}, "timeout": probe.client.timeout}
            try:
                case.validate_response(response, checks=[check], headers=admin, transport_kwargs=hooks)
            except FailureGroup as group:
                found.extend(_violations(name, group, exchange, side))
            except (RecursionError, ValueError, requests.RequestException) as exc:
                # An answer the check could not even read (JSON nested past Python's limit, bytes
                # that are no format) breaks the rule that check judges.
                found.append(_unreadable(name, exchange, exc))
        fail_on(probe, found)

    return run_case


def _unanswered(probe: Probe, route: Route, case: Any, exc: Exception) -> Exchange:
    """The exchange of a case the server gave no HTTP answer to (a reset, a timeout, bytes that are
    not HTTP)."""
    request = getattr(exc, "request", None)
    if request is None:
        call = Call(case.method.upper(), case.formatted_path, route.path, identity="admin")
        return Exchange(call, 0, error=type(exc).__name__)
    from requests.structures import CaseInsensitiveDict

    exchange = _exchange_of(probe, route, request, 0, CaseInsensitiveDict(), b"", 0.0)
    return Exchange(exchange.call, 0, error=type(exc).__name__)


def _unreadable(name: str, exchange: Exchange, exc: BaseException) -> Violation:
    reason = "nested too deeply to read" if isinstance(exc, RecursionError) else type(exc).__name__
    kit_rule = ENABLED_CHECKS.get(name, "schema")
    return Violation(rule(kit_rule), f"schemathesis-{name}", "an answer the check can read",
                     f"{exchange.describe()[:300]}: {reason}", exchange)


def _cases(probe: Probe, operation: Any, mode: Any) -> Any:
    """Cases for `operation`; in positive mode half of them act on a session under test, so the
    success path is exercised and not only the 404 of random ids (section 4)."""
    headers = {"Authorization": probe.identities.admin}
    plain = operation.as_strategy(generation_mode=mode, headers=headers)
    if mode.name != "POSITIVE":
        return plain
    name = probe.members.session_id
    if "{" + name + "}" in operation.path:
        pinned = st.sampled_from(probe.sessions).flatmap(
            lambda sid: operation.as_strategy(generation_mode=mode, headers=headers, path_parameters={name: sid})
        )
        return st.one_of(plain, pinned)

    def pin(pair: tuple[Any, str]) -> Any:
        case, sid = pair
        if isinstance(case.body, dict):
            case.body[name] = sid
        return case

    return st.one_of(plain, st.tuples(plain, st.sampled_from(probe.sessions)).map(pin))
