"""Hypothesis property checks: purposes round-trip exactly in every body format (sections 2, 4),
every combination of negotiation inputs is answered as section 6 says, and random ids are 404."""

from __future__ import annotations

import string
from collections.abc import Iterator

from hypothesis import given
from hypothesis import strategies as st

from evokit.contract.formats import Format
from evokit.contract.verify.checks.formats import ACCEPTS
from evokit.contract.verify.run.falsify import fail_on, hypothesis_settings, run_falsifying
from evokit.contract.verify.report.findings import Violation
from evokit.contract.verify.run.probe import Probe, route_paths
from evokit.contract.verify.checks.registry import CHECKS
from evokit.contract.verify.rules.table import rule
from evokit.contract.verify.checks.stateful import MACHINE_BODY_TYPES, purposes

ID_ALPHABET = string.ascii_letters + string.digits + "-_"


@CHECKS.scenario("properties", "stored-exactly")
def purpose_round_trip(probe: Probe) -> Iterator[Violation]:
    """Any purpose, in any body format, on any route, is answered and stored exactly as sent."""
    session = probe.sessions[0]

    @hypothesis_settings(probe)
    @given(purpose=purposes(), body_type=st.sampled_from(MACHINE_BODY_TYPES), route=route_paths(probe))
    def round_trip(purpose: str, body_type: str, route: str) -> None:
        with probe.capturing() as found:
            exchange = probe.patch(probe.route(route), session, probe.purpose(purpose), body_type=body_type)
            body = probe.body(exchange)
            _, stored = probe.read(session)
        name = probe.members.purpose
        seen = {"response": (body or {}).get(name), "stored": (stored or {}).get(name)}
        wrong = next(((where, value) for where, value in seen.items() if value != purpose), None)
        if wrong is not None:  # the answer first: a wrong stored value would only repeat it
            found.append(Violation(rule("stored-exactly"), f"{body_type}-{wrong[0]}", repr(purpose), repr(wrong[1]),
                                   exchange))
        fail_on(probe, found)

    yield from run_falsifying(probe, round_trip)


def _format_names() -> st.SearchStrategy[str | None]:
    names = [fmt.value for fmt in Format]
    return st.none() | st.sampled_from(names)


@CHECKS.scenario("properties", "response-format")
def negotiation(probe: Probe) -> Iterator[Violation]:
    """Any mix of suffix, `?format=`, Accept and route is answered in the negotiated format."""
    session = probe.sessions[0]

    @hypothesis_settings(probe)
    @given(
        route=route_paths(probe),
        suffix=st.none() | st.sampled_from([fmt.value for fmt in Format]),
        query=_format_names(),
        accept=st.none() | st.sampled_from(ACCEPTS),
    )
    def negotiated(route: str, suffix: str | None, query: str | None, accept: str | None) -> None:
        with probe.capturing() as found:
            target = probe.route(route)
            probe.patch(target, session, {}, suffix=suffix if target.path_params else None, accept=accept,
                        query=(("format", query),) if query is not None else ())
        fail_on(probe, found)

    yield from run_falsifying(probe, negotiated)


@CHECKS.scenario("properties", "not-found-404")
def random_ids(probe: Probe) -> Iterator[Violation]:
    """Any id the server does not hold is a 404 on every route."""
    ids = st.text(ID_ALPHABET, min_size=1, max_size=40).filter(lambda text: text not in probe.sessions)

    @hypothesis_settings(probe)
    @given(session=ids, route=route_paths(probe))
    def unknown(session: str, route: str) -> None:
        with probe.capturing() as found:
            exchange = probe.patch(probe.route(route), session, probe.purpose("never stored"))
        if exchange.status != 404:
            found.append(Violation(rule("not-found-404"), "random-id", "404", exchange.describe(), exchange))
        fail_on(probe, found)

    yield from run_falsifying(probe, unknown)
