"""The handlers of a session's actions: apply, clear, delete one (CONTRACT.md section 8).

No public operation creates actions (they come from the AI conversation); fixtures and
`POST /__mock/sessions` seed them. Each change happens inside the store's atomic `update`, and sets
`dateLastModified` and `lastModifiedBy` as a PATCH does (`touched`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from evokit.mockserver.core.errors import NotFound
from evokit.mockserver.core.operation import Record, not_found, ticks_of, touched
from evokit.mockserver.operations.sessions import SESSION_ID

if TYPE_CHECKING:
    from collections.abc import Callable

    from evokit.mockserver.operations import Call

ACTIONS, LOG, CAN_BE_APPLIED = "actions", "log", "canBeApplied"


def _rows(record: Record) -> list[Mapping[str, object]]:
    rows = record.get(ACTIONS)
    return [row for row in rows if isinstance(row, Mapping)] if isinstance(rows, list) else []


def applied_line(action: Mapping[str, object]) -> str:
    """The log line of one applied action: its function, arguments and description."""
    line = f"Applied {action.get('functionName') or 'action'}({action.get('arguments') or ''})"
    return f"{line}: {action['description']}" if action.get("description") else line


def _change(call: Call, request: Mapping[str, object], change: Callable[[Record], Mapping[str, object]]) -> Record:
    session_id = request.get(SESSION_ID)
    if not isinstance(session_id, str) or not session_id:
        raise not_found(session_id)
    rules, user_id, clock = call.mock.rules, call.user_id, call.mock.clock
    updated = call.mock.store.update(
        session_id, lambda record: touched(record, change(record), rules=rules, user_id=user_id, now=ticks_of(clock()))
    )
    if updated is None:
        raise not_found(session_id)
    return updated


def apply_session(call: Call, request: Mapping[str, object]) -> Record:
    """`ApplyAISession`: every pending action (`canBeApplied: true`) applied; the log holds one
    line per action applied, replacing the previous one, and stays as it was with nothing pending."""

    def apply(record: Record) -> Mapping[str, object]:
        rows = _rows(record)
        pending = [row for row in rows if row.get(CAN_BE_APPLIED) is True]
        if not pending:
            return {}
        actions = [{**row, CAN_BE_APPLIED: False} if row.get(CAN_BE_APPLIED) is True else row for row in rows]
        return {ACTIONS: actions, LOG: "\n".join(applied_line(row) for row in pending)}

    return _change(call, request, apply)


def clear_actions(call: Call, request: Mapping[str, object]) -> Record:
    """`ClearAISessionActions`: `actions: []`."""
    return _change(call, request, lambda record: {ACTIONS: []})


def delete_action(call: Call, request: Mapping[str, object]) -> Record:
    """`DeleteAISessionAction`: the one action gone; 404 when the session has no action with that id."""
    action_id = request.get("actionId")

    def remove(record: Record) -> Mapping[str, object]:
        rows = _rows(record)
        kept = [row for row in rows if row.get("id") != action_id]
        if not action_id or len(kept) == len(rows):
            raise NotFound(f"Action '{action_id or ''}' not found in AI session '{record.get('id')}'")
        return {ACTIONS: kept}

    return _change(call, request, remove)
