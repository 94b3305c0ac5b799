"""Section 2 scenarios: how the request DTO is built from the body, the path and the query string.

Each scenario sets a fresh marker purpose and reads the session back with a purpose-less PATCH, so
a server that accepts the request but binds it wrongly is told apart from one that rejects it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from evokit.contract.formats import Format, predefined_format
from evokit.contract.verify.report.findings import Violation
from evokit.contract.verify.run.http import Exchange
from evokit.contract.verify.run.probe import ABSENT, BODY_TYPES, Probe, encode_body
from evokit.contract.verify.checks.registry import CHECKS
from evokit.contract.verify.rules.table import rule

SERIALIZATION_ERROR = "SerializationException"
# Section 2: bodies whose first non-blank character is not `{`, per body type.
MALFORMED_BODIES: tuple[tuple[str, bytes], ...] = (
    ("json", b"[1,2]"),
    ("json", b'"text"'),
    ("json", b"123"),
    ("json", b"not json"),
    ("jsv", b"[a,b]"),
    ("text/json", b"  ]"),
)
# Section 2: Content-Types whose body the service ignores (none at all, or one it does not read).
IGNORED_CONTENT_TYPES = (("missing", ""), ("text/plain", "text/plain"), ("octet-stream", "application/octet-stream"))
# Section 2: lenient JSON values for the purpose, and the text the service stores for each.
LENIENT_VALUES: tuple[tuple[str, str, str | None], ...] = (
    ("number", "123", "123"),
    ("true", "true", "true"),
    ("false", "false", "false"),
    ("object", '{"a":1}', '{"a":1}'),
    ("array", '[1,"x"]', '[1,"x"]'),
    ("null", "null", None),  # null is absent: the purpose stays as it was
)


def marker(probe: Probe, label: str) -> str:
    """A purpose no earlier step has stored."""
    return f"evokit {label} {probe.rng.getrandbits(48):012x}"


def stored_purpose(probe: Probe, session: str) -> object:
    """The session's purpose as a purpose-less PATCH reads it (`ABSENT` when it has none)."""
    _, body = probe.read(session)
    return ABSENT if body is None else body.get(probe.members.purpose, ABSENT)


def show_value(value: object) -> str:
    """A purpose for a report: its repr, or `(absent)`."""
    return "(absent)" if value is ABSENT else repr(value)


def expect_purpose(
    probe: Probe, exchange: Exchange, session: str, expected: object, rule_id: str, kind: str
) -> Iterator[Violation]:
    """The update answered 200 for `session`, and a read-back holds `expected`."""
    body = probe.body(exchange)
    if exchange.status != 200 or (body is not None and body.get(probe.members.id) != session):
        yield Violation(rule(rule_id), kind, f"200 acting on {session}", exchange.describe(), exchange)
        return
    seen = stored_purpose(probe, session)
    if seen != expected:
        yield Violation(rule(rule_id), kind, f"purpose {show_value(expected)}", f"purpose {show_value(seen)}", exchange)


@CHECKS.scenario("request", "body-content-types")
def body_content_types(probe: Probe) -> Iterator[Violation]:
    """JSON, JSV, their text/ aliases and form bodies set the purpose (section 2)."""
    session = probe.sessions[0]
    for body_type in BODY_TYPES:
        purpose = marker(probe, body_type)
        exchange = probe.patch(probe.operation.user_route, session, probe.purpose(purpose), body_type=body_type)
        yield from expect_purpose(probe, exchange, session, purpose, "body-content-types", body_type)


@CHECKS.scenario("request", "unknown-content-type-ignored")
def unknown_content_type(probe: Probe) -> Iterator[Violation]:
    """A body without a Content-Type, or with one the service does not read, is ignored (section 2)."""
    session = probe.sessions[0]
    before = stored_purpose(probe, session)
    payload = json.dumps(probe.purpose(marker(probe, "ignored"))).encode()
    for kind, content_type in IGNORED_CONTENT_TYPES:
        exchange = probe.patch(probe.operation.user_route, session, payload, body_type=content_type)
        yield from expect_purpose(probe, exchange, session, before, "unknown-content-type-ignored", kind)


@CHECKS.scenario("request", "path-over-body", "query-over-body")
def precedence(probe: Probe) -> Iterator[Violation]:
    """Body < path < query string (section 2)."""
    route, session = probe.operation.user_route, probe.sessions[0]
    other = probe.sessions[1] if len(probe.sessions) > 1 else probe.unknown_id()
    other_before = stored_purpose(probe, other) if other in probe.sessions else ABSENT
    purpose = marker(probe, "path")
    exchange = probe.patch(route, session, {probe.members.session_id: other, **probe.purpose(purpose)})
    yield from expect_purpose(probe, exchange, session, purpose, "path-over-body", "id")
    if other in probe.sessions and stored_purpose(probe, other) != other_before:
        yield Violation(rule("path-over-body"), "other-session", f"{other} unchanged", "it changed", exchange)
    query_purpose = marker(probe, "query")
    for body_type in ("json", "form"):
        exchange = probe.patch(route, session, probe.purpose(marker(probe, "body")), body_type=body_type,
                               query=((probe.members.purpose, query_purpose),))
        yield from expect_purpose(probe, exchange, session, query_purpose, "query-over-body", f"purpose-{body_type}")


@CHECKS.scenario("request", "predefined-body", "predefined-query")
def predefined_routes(probe: Probe) -> Iterator[Violation]:
    """The pre-defined routes read a body in their own format and let the query only fill the
    gaps the body left (section 1.1)."""
    session, name = probe.sessions[0], probe.members.purpose
    for route in probe.routes:
        own = predefined_format(route.path)
        if own is None or own not in (Format.JSON, Format.JSV):
            continue
        body_type = "jsv" if own is Format.JSV else "json"
        for kind, content_type in (("no-content-type", ""), ("text-plain", "text/plain")):
            purpose = marker(probe, kind)
            payload = encode_body({probe.members.session_id: session, name: purpose}, body_type)
            exchange = probe.patch(route, session, payload, body_type=content_type)
            yield from expect_purpose(probe, exchange, session, purpose, "predefined-body", kind)
        body_purpose, query_purpose = marker(probe, "body"), marker(probe, "query")
        exchange = probe.patch(route, session, probe.purpose(body_purpose), query=((name, query_purpose),))
        yield from expect_purpose(probe, exchange, session, body_purpose, "predefined-query", "body-wins")
        exchange = probe.patch(route, session, {}, query=((name, query_purpose),))
        yield from expect_purpose(probe, exchange, session, query_purpose, "predefined-query", "query-fills")
        exchange = probe.patch(route, session, {}, query=((probe.members.session_id, probe.unknown_id()),))
        yield from expect_purpose(probe, exchange, session, stored_purpose(probe, session),
                                  "predefined-query", "body-id-wins")


@CHECKS.scenario("request", "property-names")
def property_names(probe: Probe) -> Iterator[Violation]:
    """Names match case-insensitively; unknown properties are ignored (section 2)."""
    route, session = probe.operation.user_route, probe.sessions[0]
    name = probe.members.purpose
    immutable = probe.members.immutable[-1]
    cases: tuple[tuple[str, str, str, dict[str, Any]], ...] = tuple(
        (kind, body_type, purpose, {spelling: purpose, **extra})
        for kind, body_type, spelling, extra in (
            ("upper", "json", name.upper(), {}),
            ("pascal", "jsv", name[0].upper() + name[1:], {}),
            # Unknown members are ignored, and so are members of the response the request lacks.
            ("unknown", "json", name, {"evokitUnknown": 1, immutable: "ignored"}),
        )
        for purpose in (marker(probe, kind),)
    )
    for kind, body_type, purpose, body in cases:
        exchange = probe.patch(route, session, body, body_type=body_type)
        yield from expect_purpose(probe, exchange, session, purpose, "property-names", kind)


@CHECKS.scenario("request", "lenient-values")
def lenient_values(probe: Probe) -> Iterator[Violation]:
    """Numbers, booleans, objects, arrays become their text; null is absent (section 2)."""
    route, session = probe.operation.user_route, probe.sessions[0]
    for kind, value, stored in LENIENT_VALUES:
        before = stored_purpose(probe, session)
        payload = f'{{"{probe.members.purpose}":{value}}}'.encode()
        exchange = probe.patch(route, session, payload, body_type="json")
        yield from expect_purpose(probe, exchange, session, before if stored is None else stored,
                                  "lenient-values", kind)


def _serialization_error(exchange: Exchange) -> bool:
    """A 400 whose error (in whatever format) names SerializationException."""
    return exchange.status == 400 and SERIALIZATION_ERROR in exchange.text


@CHECKS.scenario("request", "malformed-body", "malformed-before-auth")
def malformed_bodies(probe: Probe) -> Iterator[Violation]:
    """Non-object bodies are a 400 SerializationException, before auth; empty bodies are fine (section 2)."""
    session = probe.sessions[0]
    for route in probe.routes:
        for body_type, payload in MALFORMED_BODIES:
            for identity in ("admin", "anonymous", "user"):
                exchange = probe.patch(route, session, payload, body_type=body_type, identity=identity)
                if not _serialization_error(exchange):
                    rule_id = "malformed-body" if identity == "admin" else "malformed-before-auth"
                    kind = f"{body_type}" if identity == "admin" else identity
                    yield Violation(rule(rule_id), kind, f"400 {SERIALIZATION_ERROR}", exchange.describe(), exchange)
        if route.path_params:
            exchange = probe.patch(route, session, b"", body_type="json")
            if exchange.status != 200:
                yield Violation(rule("malformed-body"), "empty", "200: an empty body is an empty DTO",
                                exchange.describe(), exchange)
