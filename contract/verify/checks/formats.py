"""Sections 6 and 7 scenarios: every way of choosing a format, their precedence, and CORS.

The negotiation matrix only sends requests: the response checks judge each answer's Content-Type,
decoding, schema and JSV bytes against the format `evokit.contract.formats.negotiate` expects.
"""

from __future__ import annotations

from collections.abc import Iterator

from evokit.contract.formats import Format
from evokit.contract.verify.report.findings import Violation
from evokit.contract.verify.run.http import Call
from evokit.contract.verify.run.probe import Probe
from evokit.contract.verify.checks.registry import CHECKS
from evokit.contract.verify.rules.table import rule

# Section 6, step 3: Accept values, recognised or not (an unsupported one must still be a 200 JSON).
ACCEPTS = (
    "application/json", "application/xml", "application/jsv", "text/csv", "text/jsv", "*/*",
    "image/png", "application/xml, application/json", "text/plain;q=0.9, application/jsv",
)
# (suffix, ?format=, Accept): conflicting inputs, the highest precedence must win.
PRECEDENCE: tuple[tuple[str | None, str | None, str | None], ...] = (
    ("jsv", "xml", "application/json"),
    ("csv", None, "application/xml"),
    (None, "csv", "application/xml"),
    (None, "JSV", "application/json"),
    ("xml", "json", None),
)
# Section 7 (assumed): what a preflight answers.
CORS_METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD")
CORS_HEADER = "content-type"
CORS_MAX_AGE = "600"


@CHECKS.scenario("formats", "update-response")
def negotiation_matrix(probe: Probe) -> Iterator[Violation]:
    """Suffixes, `?format=`, reply prefixes and Accept, alone and in conflict (section 6)."""
    session = probe.sessions[0]
    user = probe.operation.user_route
    probe.patch(user, session, {})
    for accept in ACCEPTS:
        probe.patch(user, session, {}, accept=accept)
    for fmt in Format:
        probe.patch(user, session, {}, query=(("format", fmt.value),))
        exchange = probe.patch(user, session, {}, suffix=fmt.value)
        body = probe.body(exchange)
        if exchange.status != 200 or body is None or body.get(probe.members.id) != session:
            # Section 6: `/ai/sessions/abc.jsv` acts on `abc`.
            yield Violation(rule("update-response"), f"suffix-{fmt.value}", f"200 acting on {session}",
                            exchange.describe(), exchange)
    for suffix, query, conflicting in PRECEDENCE:
        probe.patch(user, session, {}, suffix=suffix, accept=conflicting, query=(("format", query),) if query else ())
    for route in probe.routes:
        if route.kind == "reply":
            probe.patch(route, session, {}, accept="application/xml")
            probe.patch(route, session, {}, query=(("format", "csv"),))
            probe.patch(route, session, b"[]", body_type="json")
    for fmt in Format:  # errors, too, come in the negotiated format (section 5)
        probe.patch(user, session, b"[]", body_type="json", query=(("format", fmt.value),))


@CHECKS.scenario("formats", "cors")
def cors_preflight(probe: Probe) -> Iterator[Violation]:
    """OPTIONS answers 200, empty, with the CORS headers, before routing and auth (section 7)."""
    cors = rule("cors")
    for route in probe.routes:
        path = probe.build(route, probe.unknown_id()).path
        headers = (("Origin", "https://example.com"), ("Access-Control-Request-Method", route.method),
                   ("Access-Control-Request-Headers", "Content-Type"))
        exchange = probe.send(Call("OPTIONS", path, route.path, (), headers))
        if exchange.status != 200 or exchange.body:
            yield Violation(cors, "preflight-status", "200 with an empty body", exchange.describe(), exchange)
            continue
        methods = {m.strip().upper() for m in (exchange.headers.get("Access-Control-Allow-Methods") or "").split(",")}
        allowed = {h.strip().lower() for h in (exchange.headers.get("Access-Control-Allow-Headers") or "").split(",")}
        problems = [f"methods lack {m}" for m in CORS_METHODS if m not in methods]
        problems += [] if CORS_HEADER in allowed else ["headers lack Content-Type"]
        if exchange.headers.get("Access-Control-Max-Age") != CORS_MAX_AGE:
            problems.append(f"max-age {exchange.headers.get('Access-Control-Max-Age')!r}")
        if problems:
            yield Violation(cors, "preflight-headers", "the CORS preflight headers of section 7",
                            "; ".join(problems), exchange)
