"""A Hypothesis state machine over the whole family: it creates sessions of its own, reads them
through GET and the list, patches, applies and deletes them in random order, and holds every answer
against a model of what it wrote (section 8: one store behind every operation).

It touches no session it did not create; whatever an example leaves is deleted in its teardown,
and the run deletes anything left over at its end (`Probe.created`).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from evokit.contract.verify.checks.family import family_operations, known_account, lacking, violation
from evokit.contract.verify.checks.registry import CHECKS
from evokit.contract.verify.checks.stateful import purposes
from evokit.contract.verify.report.findings import Violation, is_server_error
from evokit.contract.verify.run import family as fam
from evokit.contract.verify.run.family import Answer, FamilyCaller
from evokit.contract.verify.run.falsify import fail_on, run_machine
from evokit.contract.verify.run.probe import Probe

STEPS = 10
# Sessions one example may hold at once: enough for the list to page, few enough to stay cheap.
MOST_SESSIONS = 4
# What the machine needs to run at all: it can only model sessions it creates and deletes itself.
NEEDED = frozenset({fam.NEW, fam.DELETE})


def machine_for(probe: Probe, account: str | None) -> type[RuleBasedStateMachine]:
    """The state machine class for this run's selection of operations."""
    caller = FamilyCaller(probe)
    members = probe.members
    selected = set(family_operations(probe)) | ({fam.PATCH} if probe.context.is_selected(fam.PATCH) else set())

    class FamilyMachine(RuleBasedStateMachine):
        """Sessions this example created, and the purpose each should hold."""

        def __init__(self) -> None:
            super().__init__()
            self.model: dict[str, str] = {}
            self.deleted: list[str] = []
            # Sessions a server error left uncertain (was the write applied?): the next answer is adopted.
            self.unsure: set[str] = set()
            self.turn = 0

        def _judge(self, found: list[Violation]) -> None:
            fail_on(probe, found)

        def _call(self, name: str, params: dict[str, Any]) -> tuple[Answer, list[Violation]]:
            with probe.capturing() as found:
                answer = caller.call(name, params)
            return answer, found

        def _expect_session(self, name: str, session: str, answer: Answer, found: list[Violation]) -> None:
            """A 200 AISessionInfo of `session` holding the modelled purpose; a 5xx is its own finding."""
            if is_server_error(answer.exchange):
                self.unsure.add(session)
                return
            seen = answer.member(members.purpose)
            if session in self.unsure and answer.status == 200:
                self.unsure.discard(session)
                self.model[session] = seen
            if answer.status != 200 or answer.member(members.id) != session or seen != self.model[session]:
                found.append(violation("family-state", name, f"200 {session} with purpose {self.model[session]!r}",
                                       answer.exchange, None if answer.status != 200 else f"purpose {seen!r}"))

        @initialize()
        def start(self) -> None:
            self.create(purpose="evokit verify: family state machine")

        @precondition(lambda self: len(self.model) < MOST_SESSIONS)
        @rule(purpose=purposes())
        def create(self, purpose: str) -> None:
            answer, found = self._call(fam.NEW, {fam.ACCOUNT_ID: account, members.purpose: purpose})
            session = answer.member(members.id)
            if answer.status == 200 and isinstance(session, str):
                self.model[session] = purpose
                self._expect_session(fam.NEW, session, answer, found)
            elif not is_server_error(answer.exchange):
                found.append(violation("family-state", fam.NEW, "200 with the new session", answer.exchange))
            self._judge(found)

        @invariant()
        def get_matches_model(self) -> None:
            """After every step GET reads one session back (in turn), so a stale read shows at once."""
            if not self.model or fam.GET not in selected:
                return
            session = sorted(self.model)[self.turn % len(self.model)]
            self.turn += 1
            answer, found = self._call(fam.GET, {members.session_id: session})
            self._expect_session(fam.GET, session, answer, found)
            self._judge(found)

        @precondition(lambda self: self.model and fam.PATCH in selected)
        @rule(data=st.data(), purpose=purposes())
        def patch(self, data: st.DataObject, purpose: str) -> None:
            session = data.draw(st.sampled_from(sorted(self.model)), label="session")
            answer, found = self._call(fam.PATCH, {members.session_id: session, members.purpose: purpose})
            self.model[session] = purpose
            self._expect_session(fam.PATCH, session, answer, found)
            self._judge(found)

        @precondition(lambda self: self.model and fam.APPLY in selected)
        @rule(data=st.data())
        def apply(self, data: st.DataObject) -> None:
            session = data.draw(st.sampled_from(sorted(self.model)), label="session")
            answer, found = self._call(fam.APPLY, {members.session_id: session})
            self._expect_session(fam.APPLY, session, answer, found)
            self._judge(found)

        @precondition(lambda self: self.model)
        @rule(data=st.data())
        def delete(self, data: st.DataObject) -> None:
            session = data.draw(st.sampled_from(sorted(self.model)), label="session")
            answer, found = self._call(fam.DELETE, {members.session_id: session})
            if answer.status == 204:
                del self.model[session]
                self.deleted.append(session)
                if session in probe.created:
                    probe.created.remove(session)
            elif is_server_error(answer.exchange):
                del self.model[session]  # deleted or not: left to the run's final clean-up
            else:
                found.append(violation("family-state", fam.DELETE, f"204: {session} deleted", answer.exchange))
            self._judge(found)

        @precondition(lambda self: self.deleted and fam.GET in selected)
        @rule(data=st.data())
        def gone(self, data: st.DataObject) -> None:
            session = data.draw(st.sampled_from(self.deleted), label="deleted")
            answer, found = self._call(fam.GET, {members.session_id: session})
            if answer.status != 404 and not is_server_error(answer.exchange):
                found.append(violation("family-state", "deleted", f"404: {session} was deleted", answer.exchange))
            self._judge(found)

        @precondition(lambda self: fam.LIST in selected and (self.model or self.deleted))
        @rule()
        def listed(self) -> None:
            asked = sorted(self.model) + self.deleted
            answer, found = self._call(fam.LIST, {fam.SPECIFIC_IDS: asked, fam.ALL: True})
            items = answer.member(fam.ITEMS)
            seen = {i.get(members.id): i.get(members.purpose) for i in items if isinstance(i, dict)} \
                if isinstance(items, list) else None
            if answer.status == 200 and not self.unsure and seen != self.model:
                found.append(violation("family-state", fam.LIST, f"exactly {self.model}", answer.exchange, repr(seen)))
            self._judge(found)

        def teardown(self) -> None:
            for session in list(self.model):
                answer = caller.call(fam.DELETE, {members.session_id: session})
                if answer.status == 204 and session in probe.created:
                    probe.created.remove(session)

    return FamilyMachine


@CHECKS.scenario("family", "family-state")
def family_state_machine(probe: Probe) -> Iterator[Violation]:
    """Random interleavings of create, get, list, patch, apply and delete keep the service equal to
    a model of the sessions the run created (section 8)."""
    if lacking(probe, set(NEEDED), "family-state"):
        return
    account, _ = known_account(FamilyCaller(probe))
    yield from run_machine(probe, machine_for(probe, account), STEPS)
