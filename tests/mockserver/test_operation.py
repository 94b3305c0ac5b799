"""Section 4: the update rules and the timestamps, as pure functions."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from evokit.mockserver.core.errors import NotFound
from evokit.mockserver.core.operation import (
    CREATED,
    ID,
    IMMUTABLE,
    MODIFIED,
    MODIFIED_BY,
    PatchRules,
    apply_patch,
    format_ticks,
    next_modified,
    parse_ticks,
    patch_session,
    ticks_of,
)
from evokit.mockserver.core.store import InMemoryStore
from tests.mockserver.support import CONTRACT, ID_PARAM, OP, SESSIONS, FakeClock

RULES = PatchRules.from_contract(CONTRACT, OP.name)
PURPOSE = RULES.patchable[0]
RECORD = RULES.record(SESSIONS[0])


def test_rules_come_from_the_contract() -> None:
    assert RULES.response == OP.response
    assert RULES.wire_order == CONTRACT.properties(OP.response)
    assert RULES.id_param == ID_PARAM
    assert RULES.patchable == tuple(p for p in CONTRACT.properties(OP.request) if p != ID_PARAM)


@pytest.mark.parametrize(("text", "ticks"), [
    ("1970-01-01T00:00:00Z", 0),
    ("1970-01-01T00:00:00.0000001Z", 1),
    ("1970-01-01T00:00:01.5Z", 15_000_000),
    ("2024-05-01T10:00:00.1234567Z", 17_145_576_001_234_567),
    ("2024-05-01T10:00:00.1234567+00:00", 17_145_576_001_234_567),
])
def test_parse_ticks(text: str, ticks: int) -> None:
    assert parse_ticks(text) == ticks


@pytest.mark.parametrize("text", ["", "2024-05-01", "2024-05-01T10:00:00", "2024-13-01T00:00:00Z",
                                  "2024-05-01T10:00:00.12345678Z", "2024-05-01T10:00:00+02:00", "x"])
def test_parse_ticks_rejects(text: str) -> None:
    assert parse_ticks(text) is None


# Ticks from 1970 to the end of year 9999, the range both functions cover.
MAX_TICKS = ticks_of(datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)) + 9


@settings(deadline=None)
@given(st.integers(min_value=0, max_value=MAX_TICKS))
def test_format_and_parse_round_trip(ticks: int) -> None:
    assert parse_ticks(format_ticks(ticks)) == ticks


def test_format_is_seven_digit_utc() -> None:
    assert format_ticks(ticks_of(datetime(2024, 5, 1, 10, 0, 0, 123456, tzinfo=UTC))) == "2024-05-01T10:00:00.1234560Z"


def test_next_modified_is_now_when_the_clock_has_moved() -> None:
    later = parse_ticks(RECORD[MODIFIED]) + 10**7  # type: ignore[operator]
    assert next_modified(RECORD, later) == later


def test_next_modified_is_strictly_after_the_previous_value_within_one_tick() -> None:
    previous = parse_ticks(RECORD[MODIFIED])
    assert next_modified(RECORD, previous) == previous + 1  # type: ignore[operator]
    assert next_modified(RECORD, 0) == previous + 1  # type: ignore[operator]  # clock went back


def test_next_modified_is_never_before_date_created() -> None:
    record = RULES.record({**SESSIONS[0], MODIFIED: None})
    assert next_modified(record, 0) == parse_ticks(record[CREATED])


def test_apply_patch_sets_purpose_exactly_and_maintains_the_entity_fields() -> None:
    now = ticks_of(datetime(2030, 1, 1, tzinfo=UTC))
    updated = apply_patch(RECORD, {ID_PARAM: RECORD[ID], PURPOSE: "  ünïcode\n\"x\"  "}, rules=RULES, user_id="u9", now=now)
    assert updated[PURPOSE] == "  ünïcode\n\"x\"  "
    assert updated[MODIFIED] == "2030-01-01T00:00:00.0000000Z"
    assert updated[MODIFIED_BY] == "u9"
    assert all(updated.get(name) == RECORD.get(name) for name in (ID, *IMMUTABLE))
    assert list(updated) == [name for name in RULES.wire_order if name in updated]


def test_apply_patch_without_purpose_changes_only_the_two_fields() -> None:
    updated = apply_patch(RECORD, {ID_PARAM: RECORD[ID]}, rules=RULES, user_id="u9", now=0)
    assert {k: v for k, v in updated.items() if k not in (MODIFIED, MODIFIED_BY)} == \
           {k: v for k, v in RECORD.items() if k not in (MODIFIED, MODIFIED_BY)}


def test_apply_patch_empty_purpose_sets_empty_and_absent_members_stay_absent() -> None:
    sparse = next(s for s in SESSIONS if PURPOSE not in s)
    updated = apply_patch(RULES.record(sparse), {PURPOSE: ""}, rules=RULES, user_id="u", now=0)
    assert updated[PURPOSE] == ""
    assert set(updated) == set(sparse) | {PURPOSE, MODIFIED, MODIFIED_BY}
    assert None not in updated.values()


def test_patch_session_unknown_and_missing_ids_are_not_found() -> None:
    store = InMemoryStore([(RECORD[ID], RECORD)])
    for request in ({ID_PARAM: "nope"}, {}, {ID_PARAM: ""}):
        with pytest.raises(NotFound) as caught:
            patch_session(store, request, rules=RULES, user_id="u", clock=FakeClock())
        assert caught.value.status == 404 and caught.value.error_code == "NotFound"


def test_patch_session_timestamps_increase_under_a_frozen_clock() -> None:
    store = InMemoryStore([(RECORD[ID], RECORD)])
    frozen = FakeClock(datetime(2030, 1, 1, tzinfo=UTC), step=timedelta(0))
    stamps = [patch_session(store, {ID_PARAM: RECORD[ID]}, rules=RULES, user_id="u", clock=frozen)[MODIFIED]
              for _ in range(5)]
    assert stamps == sorted(set(stamps)) and len(stamps) == 5
    assert stamps[0] == "2030-01-01T00:00:00.0000000Z" and stamps[4] == "2030-01-01T00:00:00.0000004Z"
