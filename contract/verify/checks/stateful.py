"""A Hypothesis state machine over the sessions under test: it keeps a model of each session and,
after every step, compares the server's state with it (sections 2-4).

Rules: PATCH with a purpose (JSON, JSV or form body, any route), PATCH without one, unauthorised
attempts (anonymous, bad credentials, no role), unknown ids. The invariant reads one session back
with a purpose-less PATCH and holds it against the model.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
)

from evokit.contract.verify.checks.update import compare_states
from evokit.contract.verify.run.falsify import fail_on, run_machine
from evokit.contract.verify.report.findings import Violation, is_server_error
from evokit.contract.verify.run.http import Exchange
from evokit.contract.verify.run.probe import Probe, route_paths
from evokit.contract.verify.checks.registry import CHECKS
from evokit.contract.verify.rules.table import rule as contract_rule

# Steps per example: enough to interleave every kind of rule, few enough to shrink quickly.
STEPS = 8
MACHINE_BODY_TYPES = ("json", "jsv", "form")
LONG_PURPOSE = 4000
REJECTED = {"anonymous": 401, "bad": 401, "user": 403}


# XML 1.0 cannot carry these code points, so a purpose holding one cannot be answered in XML at
# all (ServiceStack's XmlWriter refuses them); the other characters of Unicode are all fair game.
NOT_IN_XML = "".join(map(chr, [*range(0x9), 0xB, 0xC, *range(0xE, 0x20), 0xFFFE, 0xFFFF]))


def purposes() -> st.SearchStrategy[str]:
    """Non-empty purposes: any Unicode text XML can carry (no lone surrogates, no C0 controls but
    TAB, LF and CR), tricky characters made likely, now and then thousands of characters (section 4)."""
    chars = st.characters(exclude_categories=["Cs"], exclude_characters=NOT_IN_XML)
    text = st.text(chars, min_size=1, max_size=30)
    tricky = st.text(st.sampled_from(list(' ",:{}[]\r\n\t\'\\=&%+') + ["é", "日", "🙂"]), min_size=1, max_size=12)
    # Thousands of characters, but at most LONG_PURPOSE: even percent-encoded 4-byte characters
    # then stay far below the body limits servers commonly set (the contract sets none).
    long = st.builds(lambda unit, n: (unit * n)[:LONG_PURPOSE], st.text(chars, min_size=1, max_size=8),
                     st.integers(300, 700))
    return st.one_of(text, tricky, long)


def _expect(rule_id: str, kind: str, expected: str, exchange: Exchange, observed: str | None = None) -> Violation:
    return Violation(contract_rule(rule_id), kind, expected, observed or exchange.describe(), exchange)


def machine_for(probe: Probe) -> type[RuleBasedStateMachine]:
    """The state machine class for this run's sessions and routes."""
    sessions = st.sampled_from(probe.sessions)
    routes = route_paths(probe)
    members = probe.members

    class SessionMachine(RuleBasedStateMachine):
        """Sessions under test and what the server should hold for each."""

        def __init__(self) -> None:
            super().__init__()
            self.model: dict[str, dict[str, Any]] = {}
            # Sessions whose purpose a server error left unknown: the update may or may not have
            # been applied, so the next answer is adopted rather than judged.
            self.unsure: set[str] = set()
            self.turn = 0

        def _send(self, route: str, session: str, body: Any, **options: Any) -> tuple[Exchange, list[Violation]]:
            with probe.capturing() as captured:
                exchange = probe.patch(probe.route(route), session, body, **options)
            return exchange, captured

        def _accept(self, session: str, exchange: Exchange, found: list[Violation], purpose: Any) -> None:
            """Judge a PATCH that must succeed, then move the model forward."""
            if is_server_error(exchange):
                self.unsure.add(session)  # the no-server-error finding is all this answer says
                fail_on(probe, found)
                return
            body = probe.body(exchange)
            if body is None or body.get(members.id) != session:
                found.append(_expect("update-response", "stateful", f"200 AISessionInfo of {session}", exchange))
            else:
                expected = self.model[session].get(members.purpose) if purpose is None else purpose
                seen = body.get(members.purpose)
                if purpose is None and session in self.unsure:
                    expected = seen
                self.unsure.discard(session)
                if seen != expected:
                    rule_id = "partial-update" if purpose is None else "stored-exactly"
                    found.append(_expect(rule_id, "stateful", f"purpose {expected!r}", exchange, repr(seen)))
                found.extend(compare_states(members, self.model[session], body, exchange))
                self.model[session] = body
            fail_on(probe, found)

        @initialize()
        def load(self) -> None:
            for session in probe.sessions:
                with probe.capturing() as found:
                    exchange, body = probe.read(session)
                if body is None:
                    found.append(_expect("update-response", "read", f"200 AISessionInfo of {session}", exchange))
                    fail_on(probe, found)
                    return
                self.model[session] = body
                fail_on(probe, found)

        @rule(session=sessions, route=routes, purpose=purposes(), body_type=st.sampled_from(MACHINE_BODY_TYPES))
        def patch_purpose(self, session: str, route: str, purpose: str, body_type: str) -> None:
            exchange, found = self._send(route, session, probe.purpose(purpose), body_type=body_type)
            self._accept(session, exchange, found, purpose)

        @rule(session=sessions, route=routes, body_type=st.sampled_from(MACHINE_BODY_TYPES))
        def patch_without_purpose(self, session: str, route: str, body_type: str) -> None:
            exchange, found = self._send(route, session, {}, body_type=body_type)
            self._accept(session, exchange, found, None)

        @rule(session=sessions, route=routes, purpose=purposes(), who=st.sampled_from(sorted(REJECTED)))
        def unauthorised(self, session: str, route: str, purpose: str, who: str) -> None:
            exchange, found = self._send(route, session, probe.purpose(purpose), identity=who)
            if exchange.status != REJECTED[who]:
                rule_id = {"anonymous": "anonymous-401", "bad": "bad-credentials", "user": "forbidden-403"}[who]
                found.append(_expect(rule_id, "stateful", str(REJECTED[who]), exchange))
            fail_on(probe, found)

        @rule(route=routes, purpose=purposes())
        def unknown_session(self, route: str, purpose: str) -> None:
            exchange, found = self._send(route, probe.unknown_id(), probe.purpose(purpose))
            if exchange.status != 404:
                found.append(_expect("not-found-404", "stateful", "404", exchange))
            fail_on(probe, found)

        @invariant()
        def server_matches_model(self) -> None:
            if not self.model:
                return
            session = probe.sessions[self.turn % len(probe.sessions)]
            self.turn += 1
            with probe.capturing() as found:
                exchange, body = probe.read(session)
            if body is not None:
                model = self.model[session]
                if session in self.unsure:
                    model = model | {members.purpose: body.get(members.purpose)}
                    self.unsure.discard(session)
                if body.get(members.purpose) != model.get(members.purpose):
                    found.append(_expect("stored-exactly", "stateful-read", f"purpose {model.get(members.purpose)!r}",
                                         exchange, repr(body.get(members.purpose))))
                changed = [name for name in members.immutable if body.get(name) != model.get(name)]
                if changed:
                    found.append(_expect("immutable-fields", "stateful-read", "unchanged " + ", ".join(changed),
                                         exchange, repr({name: body.get(name) for name in changed})))
                self.model[session] = body
            fail_on(probe, found)

    return SessionMachine


@CHECKS.scenario(
    "stateful", "update-response", "partial-update", "stored-exactly", "immutable-fields",
    "date-last-modified", "anonymous-401", "bad-credentials", "forbidden-403", "not-found-404",
)
def session_state_machine(probe: Probe) -> Iterator[Violation]:
    """Random interleavings of updates, reads and refused attempts keep the server equal to a model."""
    yield from run_machine(probe, machine_for(probe), STEPS)
