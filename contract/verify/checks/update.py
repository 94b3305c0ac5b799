"""Section 4 scenarios: unknown ids, the partial update, the fields that never change, the dates,
and purposes that must survive the trip exactly (in JSON, JSV and form bodies)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from evokit.contract.formats import Format
from evokit.contract.verify.checks import timestamps
from evokit.contract.verify.checks.auth import NOT_FOUND_CODE
from evokit.contract.verify.checks.request import marker, show_value
from evokit.contract.verify.report.findings import Violation
from evokit.contract.verify.run.http import Exchange
from evokit.contract.verify.checks.members import Members
from evokit.contract.verify.run.probe import ABSENT, Probe
from evokit.contract.verify.checks.registry import CHECKS
from evokit.contract.verify.rules.table import rule

# Section 4 ("stored exactly as sent"): purposes that trip up codecs, trimming and length limits.
TRICKY_PURPOSES: tuple[tuple[str, str], ...] = (
    ("unicode", "Zoë 日本語 עברית 🙂 e\u0301 \u200b"),
    ("separators", "a,b:c;d|e=f&g"),
    ("quotes", 'say "hi" and \'bye\' ""'),
    ("crlf", "line one\r\nline two\nthree\r"),
    ("braces", "{purpose:x} [1,2] {\"a\":1}"),
    ("padding", "  padded  \t"),
    ("jsv-like", '"quoted"'),
    ("backslash", "C:\\path\\to\\file \\u0041"),
    ("keywords", "null"),
    ("long", "Long purpose: " + "0123456789abcdef" * 320),
)
ROUND_TRIP_BODIES = ("json", "jsv", "form")


def _violation(rule_id: str, kind: str, expected: str, observed: str, exchange: Exchange) -> Violation:
    return Violation(rule(rule_id), kind, expected, observed, exchange)


@CHECKS.scenario("update", "not-found-404")
def unknown_ids(probe: Probe) -> Iterator[Violation]:
    """Random ids are a 404 NotFound on every route, in every format (section 4)."""
    for route in probe.routes:
        for fmt in (None, *Format):
            query = (("format", fmt.value),) if fmt and route.kind != "reply" else ()
            exchange = probe.patch(route, probe.unknown_id(), probe.purpose("x"), query=query)
            if exchange.status != 404 or NOT_FOUND_CODE not in exchange.text:
                kind = fmt.value if fmt else "default"
                yield _violation("not-found-404", kind, f"404 with errorCode {NOT_FOUND_CODE}", exchange.describe(),
                                 exchange)


def compare_states(
    members: Members, before: dict[str, Any], after: dict[str, Any], exchange: Exchange
) -> Iterator[Violation]:
    """What an update may not do to a session: change an immutable field, move the date backwards."""
    for name in members.immutable:
        if after.get(name) != before.get(name):
            yield _violation("immutable-fields", name, f"{name} {before.get(name)!r}", repr(after.get(name)), exchange)
    modified = members.modified
    old, new = timestamps.parse(before.get(modified)), timestamps.parse(after.get(modified))
    if new is None and after.get(modified) is None:
        yield _violation("date-last-modified", "missing", f"{modified} set by the update", "absent", exchange)
    elif old is not None and new is not None and not new > old:
        yield _violation("date-last-modified", "advance", f"later than {before.get(modified)}",
                         repr(after.get(modified)), exchange)


@CHECKS.scenario(
    "update", "update-response", "partial-update", "empty-purpose", "immutable-fields", "date-last-modified"
)
def update_semantics(probe: Probe) -> Iterator[Violation]:
    """A full update, a purpose-less one and an empty purpose, on every session and route (section 4)."""
    members = probe.members
    for index, session in enumerate(probe.sessions):
        route = probe.routes[index % len(probe.routes)]
        _, before = probe.read(session)
        if before is None:
            continue  # the read itself is judged by the response checks
        purpose = marker(probe, "update")
        exchange = probe.patch(route, session, probe.purpose(purpose))
        body = probe.body(exchange)
        if exchange.status != 200 or body is None or (body.get(members.id), body.get(members.purpose)) != (
            session, purpose
        ):
            yield _violation("update-response", route.kind, f"200 AISessionInfo of {session} with purpose {purpose!r}",
                             exchange.describe(), exchange)
            continue
        yield from compare_states(members, before, body, exchange)
        exchange, after = probe.read(session)
        if after is not None:
            yield from compare_states(members, body, after, exchange)
            if after.get(members.purpose) != purpose:
                yield _violation("partial-update", "absent", f"purpose {purpose!r} kept",
                                 show_value(after.get(members.purpose, ABSENT)), exchange)
        exchange = probe.patch(route, session, probe.purpose(""))
        _, emptied = probe.read(session)
        if emptied is not None and emptied.get(members.purpose) != "":
            yield _violation("empty-purpose", "empty", "purpose ''", show_value(emptied.get(members.purpose, ABSENT)),
                             exchange)


@CHECKS.scenario("update", "stored-exactly")
def tricky_purposes(probe: Probe) -> Iterator[Violation]:
    """Purposes with Unicode, separators, quotes, CR/LF, braces and thousands of characters come back
    exactly, sent as JSON, JSV and form bodies (sections 2, 4)."""
    session, name = probe.sessions[-1], probe.members.purpose
    for body_type in ROUND_TRIP_BODIES:
        for kind, purpose in TRICKY_PURPOSES:
            exchange = probe.patch(probe.operation.user_route, session, probe.purpose(purpose), body_type=body_type)
            body = probe.body(exchange)
            if exchange.status != 200 or body is None:
                yield _violation("stored-exactly", f"{body_type}-{kind}", "200", exchange.describe(), exchange)
                continue
            if body.get(name) != purpose:
                yield _violation("stored-exactly", f"{body_type}-{kind}", f"response purpose {purpose!r}",
                                 show_value(body.get(name, ABSENT)), exchange)
                continue  # the read-back would only repeat it
            _, after = probe.read(session)
            if after is not None and after.get(name) != purpose:
                yield _violation("stored-exactly", f"{body_type}-{kind}-read", f"stored purpose {purpose!r}",
                                 show_value(after.get(name, ABSENT)), exchange)
