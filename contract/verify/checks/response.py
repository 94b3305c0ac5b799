"""Checks run on every exchange of every suite: what any single response must look like.

They know nothing of the scenario that sent the request; what they expect follows from the request
alone (its route, its negotiation inputs, its caller) and from the contract.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from evokit.contract.formats import Format, predefined_format
from evokit.contract.verify.checks import timestamps
from evokit.contract.verify.report.findings import Violation, is_server_error, server_error_violation
from evokit.contract.verify.run.http import Exchange
from evokit.contract.verify.run.probe import CheckContext
from evokit.contract.verify.checks.registry import CHECKS
from evokit.contract.verify.checks.scope import dto_of, is_operation_call, layout_left_open, writes_session
from evokit.contract.verify.rules.table import rule
from evokit.contract.verify.run.wire import (
    ERROR_DTO,
    accepts_unrecognised_jsv,
    decode,
    encode,
    expected_format,
    format_named_by,
)

# Section 5: what a leaked stack trace looks like - a .NET frame, a Python traceback, a Java frame.
TRACE_TEXT = re.compile(
    r"Traceback \(most recent call last\)|^\s*at [\w.`<>]+\(.*\)( in .*:line \d+)?$|"
    r'File "[^"]+", line \d+|^\s+at [\w.$]+\([\w.]+:\d+\)',
    re.MULTILINE,
)
STACK_KEY = re.compile(r"stack_?trace", re.IGNORECASE)
VARY_TOKEN = "accept"
CORS_ORIGIN = "*"
POWERED_BY_PREFIX = "ServiceStack"


def _decoded(ctx: CheckContext, exchange: Exchange) -> tuple[str, Any] | None:
    """(dto, decoded body) for an operation response that carries a DTO and decodes; else None."""
    if not is_operation_call(ctx, exchange) or not exchange.body:
        return None
    dto = dto_of(ctx, exchange)
    if dto is None:
        return None
    decoded = decode(ctx.contract, exchange, dto)
    if decoded is None or decoded.value is None:
        return None
    return dto, decoded.value


def _violation(rule_id: str, kind: str, expected: str, observed: str, exchange: Exchange) -> Violation:
    return Violation(rule(rule_id), kind, expected, observed, exchange)


@CHECKS.response("no-server-error", "response-size")
def no_server_error(ctx: CheckContext, exchange: Exchange) -> Iterator[Violation]:
    """A response is never a 5xx, and the server always answers (section 5). Such an answer is a
    root cause: whatever else it breaks is reported under it (see `findings`)."""
    if is_server_error(exchange):
        yield server_error_violation(exchange)


@CHECKS.response("status-codes")
def documented_status(ctx: CheckContext, exchange: Exchange) -> Iterator[Violation]:
    """The operation only answers the statuses its OpenAPI document lists (sections 1, 3, 4, 5)."""
    if not is_operation_call(ctx, exchange) or exchange.status == 0 or exchange.status >= 500:
        return
    documented = ctx.contract.openapi["paths"][exchange.call.route][exchange.call.method.lower()]["responses"]
    if str(exchange.status) not in documented:
        yield _violation(
            "status-codes", str(exchange.status), f"one of {', '.join(documented)}", exchange.describe(), exchange
        )


def _keys(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _keys(item)
    elif isinstance(value, list):
        for item in value:
            yield from _keys(item)


def _strings(value: Any, skip: frozenset[str]) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key not in skip:
                yield from _strings(item, skip)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item, skip)
    elif isinstance(value, str):
        yield value


@CHECKS.response("no-stack-trace")
def no_stack_trace(ctx: CheckContext, exchange: Exchange) -> Iterator[Violation]:
    """No `stackTrace` member and no stack-trace text in any response (section 5)."""
    decoded = _decoded(ctx, exchange)
    if decoded is not None:
        # The purpose is the caller's own text echoed back: a purpose that looks like a trace is not a leak.
        keys = [key for key in _keys(decoded[1]) if STACK_KEY.fullmatch(key)]
        texts = list(_strings(decoded[1], frozenset({ctx.members.purpose})))
    else:
        keys = STACK_KEY.findall(exchange.text) if exchange.status >= 400 else []
        texts = [exchange.text] if exchange.status >= 400 or not is_operation_call(ctx, exchange) else []
    if keys:
        yield _violation("no-stack-trace", "member", "no stackTrace member", exchange.describe(), exchange)
    if any(TRACE_TEXT.search(text) for text in texts):
        yield _violation("no-stack-trace", "text", "no stack-trace text", exchange.describe(), exchange)


@CHECKS.response("vary-accept")
def vary_accept(ctx: CheckContext, exchange: Exchange) -> Iterator[Violation]:
    """Every response carries `Vary: Accept` (section 7)."""
    if exchange.status == 0:
        return
    tokens = {token.strip().lower() for token in (exchange.headers.get("Vary") or "").split(",")}
    if VARY_TOKEN not in tokens and "*" not in tokens:
        yield _violation("vary-accept", "missing", "Vary: Accept", f"Vary: {exchange.headers.get('Vary')}", exchange)


@CHECKS.response("cors", "x-powered-by")
def framework_headers(ctx: CheckContext, exchange: Exchange) -> Iterator[Violation]:
    """CORS origin and X-Powered-By on every response (section 7, both framework defaults)."""
    if exchange.status == 0:
        return
    origin = exchange.headers.get("Access-Control-Allow-Origin")
    if origin != CORS_ORIGIN:
        yield _violation("cors", "allow-origin", "Access-Control-Allow-Origin: *", f"{origin!r}", exchange)
    powered = exchange.headers.get("X-Powered-By") or ""
    if not powered.startswith(POWERED_BY_PREFIX):
        yield _violation("x-powered-by", "missing", "X-Powered-By: ServiceStack/...", repr(powered), exchange)


@CHECKS.response("response-format", "predefined-format", "accept-text-jsv")
def negotiated_format(ctx: CheckContext, exchange: Exchange) -> Iterator[Violation]:
    """Bodies and errors (but the 401 and 403) come in the negotiated format (section 6)."""
    if not is_operation_call(ctx, exchange) or exchange.status not in (200, 400, 404):
        return
    call = exchange.call
    named = format_named_by(exchange)
    if accepts_unrecognised_jsv(call):
        # Assumed: ServiceStack answers JSON here; a server answering JSV deviates from the default.
        if named is not Format.JSON:
            yield _violation("accept-text-jsv", "format", "JSON", exchange.media_type or "(none)", exchange)
        return
    expected = expected_format(call)
    # Section 1.1: a pre-defined route's format is a rule of its own, not section 6's negotiation.
    rule_id = "predefined-format" if predefined_format(call.path) is not None else "response-format"
    if named is not expected:
        decided = "suffix" if call.suffix else "query" if call.query_value("format") else (
            "prefix" if call.prefix else "accept" if call.header("Accept") else "default"
        )
        kind = f"{'error' if exchange.status >= 400 else 'body'}-{decided}"
        yield _violation(
            rule_id, kind, f"Content-Type {expected.media_type}",
            f"Content-Type {exchange.headers.get('Content-Type')!r} for status {exchange.status}", exchange,
        )


def _has_null(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, dict):
        return any(_has_null(item) for item in value.values())
    if isinstance(value, list):
        return any(_has_null(item) for item in value)
    return False


def _without_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _without_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [_without_nulls(item) for item in value]
    return value


@CHECKS.response("schema", "no-null")
def schema_conformance(ctx: CheckContext, exchange: Exchange) -> Iterator[Violation]:
    """Every DTO body decodes in its Content-Type's format and matches its schema (sections 4, 6)."""
    if not is_operation_call(ctx, exchange):
        return
    dto = dto_of(ctx, exchange)
    if dto is None:
        return
    if exchange.status == 401 and not exchange.body:
        return  # the anonymous 401 is empty by design (section 3)
    if layout_left_open(ctx, exchange, dto):
        return
    decoded = decode(ctx.contract, exchange, dto)
    if decoded is None:
        yield _violation("schema", "content-type", "a body in JSON, JSV, XML or CSV", exchange.describe(), exchange)
        return
    kind = decoded.format.value
    if decoded.value is None:
        yield _violation("schema", f"{kind}-decode", f"a {dto} in {kind}", f"{decoded.error}", exchange)
        return
    if _has_null(decoded.value):
        yield _violation("no-null", kind, "absent properties omitted", exchange.describe(), exchange)
    problems = ctx.contract.violations(dto, _without_nulls(decoded.value))
    if problems:
        text = "; ".join(str(problem) for problem in problems[:5])
        yield _violation("schema", kind, f"a {dto} matching its schema", text, exchange)


@CHECKS.response("error-shape")
def error_shape(ctx: CheckContext, exchange: Exchange) -> Iterator[Violation]:
    """Errors are `{responseStatus:{errorCode,message,errors:[...]}}`, `errors` always there (section 5)."""
    decoded = _decoded(ctx, exchange)
    if decoded is None or decoded[0] != ERROR_DTO:
        return
    status = decoded[1].get("responseStatus")
    missing = ["responseStatus"] if not isinstance(status, dict) else [
        name for name, kind in (("errorCode", str), ("message", str), ("errors", list))
        if not isinstance(status.get(name), kind)
    ]
    if missing:
        yield _violation("error-shape", "members", "responseStatus with errorCode, message, errors",
                         f"missing or mistyped: {', '.join(missing)}", exchange)


@CHECKS.response("wire-order", "jsv-wire")
def wire_layout(ctx: CheckContext, exchange: Exchange) -> Iterator[Violation]:
    """Members in the DTO's order (section 1); JSV byte-exact as ServiceStack writes it (section 6)."""
    decoded = _decoded(ctx, exchange)
    if decoded is None:
        return
    dto, value = decoded
    fmt = format_named_by(exchange)
    if dto != ERROR_DTO and fmt is not None and not layout_left_open(ctx, exchange, dto):
        shape = ctx.contract.shape(dto)
        members = shape.xml_members if fmt is Format.XML else shape.members
        order = [member.name for member in members]
        seen = [key for key in value if key in order]
        if seen != sorted(seen, key=order.index):
            yield _violation("wire-order", fmt.value, ", ".join(order), ", ".join(seen), exchange)
    if fmt is Format.JSV:
        canonical = encode(ctx.contract, fmt, value, dto)
        if canonical != exchange.body:
            yield _violation("jsv-wire", "bytes", canonical.decode(errors="replace")[:300],
                             exchange.text[:300], exchange)


@CHECKS.response("date-last-modified", "date-format")
def modification_date(ctx: CheckContext, exchange: Exchange) -> Iterator[Violation]:
    """A 200's dateLastModified is ISO 8601 UTC (assumed), near `Date`, not before dateCreated (section 4)."""
    decoded = _decoded(ctx, exchange)
    if decoded is None or decoded[0] == ERROR_DTO:
        return
    body, members = decoded[1], ctx.members
    raw = body.get(members.modified)
    if not isinstance(raw, str):
        return
    if not timestamps.is_iso_utc(raw):
        yield _violation("date-format", "iso8601", "an ISO 8601 UTC timestamp", repr(raw), exchange)
    modified = timestamps.parse(raw)
    created = timestamps.parse(body.get(members.created))
    if modified is not None and created is not None and modified < created:
        yield _violation("date-last-modified", "before-created", f"not before dateCreated {created}",
                         raw, exchange)
    date = exchange.date
    if not writes_session(ctx, exchange):
        return  # a read answers the last change, made at any time
    if modified is not None and date is not None and abs((modified - date).total_seconds()) > timestamps.TOLERANCE:
        yield _violation("date-last-modified", "date-header",
                         f"within {timestamps.TOLERANCE:.0f}s of the Date header {date.isoformat()}", raw, exchange)


@CHECKS.response("last-modified-by")
def modified_by_caller(ctx: CheckContext, exchange: Exchange) -> Iterator[Violation]:
    """A 200's lastModifiedBy is the caller's user id (section 4, assumed)."""
    caller = ctx.user_ids.get(exchange.call.identity) if writes_session(ctx, exchange) else None
    decoded = _decoded(ctx, exchange) if caller is not None else None
    if caller is None or decoded is None or decoded[0] == ERROR_DTO:
        return
    seen = decoded[1].get(ctx.members.modified_by)
    if seen != caller:
        yield _violation("last-modified-by", exchange.call.identity, repr(caller), repr(seen), exchange)
