"""The handlers of the session operations: get, list, create, patch, delete (CONTRACT.md sections 4, 8).

Each is `handler(call, request) -> answer`: `request` is the bound DTO (values read as their
types), the answer the response DTO as a mapping, or None for a void operation (204).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from evokit.mockserver.core.errors import ArgumentFailure
from evokit.mockserver.core.operation import CREATED, ID, MODIFIED, MODIFIED_BY, Record, format_ticks, not_found, patch_session, ticks_of
from evokit.mockserver.operations.listing import ListQuery, order, page_of
from evokit.mockserver.control.seeding import new_object_id

if TYPE_CHECKING:
    from evokit.mockserver.operations import Call

SESSION_ID = "sessionId"


def session_or_404(call: Call, request: Mapping[str, object]) -> Record:
    """The stored session the request's `sessionId` names; `NotFound` when there is none."""
    session_id = request.get(SESSION_ID)
    record = call.mock.store.get(session_id) if isinstance(session_id, str) and session_id else None
    if record is None:
        raise not_found(session_id)
    return record


def get_session(call: Call, request: Mapping[str, object]) -> Record:
    """`GetAISession`: the session as stored."""
    return session_or_404(call, request)


def patch(call: Call, request: Mapping[str, object]) -> Record:
    """`PatchAISession`: the update of section 4."""
    return patch_session(call.mock.store, request, rules=call.mock.rules, user_id=call.user_id, clock=call.mock.clock)


def delete_session(call: Call, request: Mapping[str, object]) -> None:
    """`DeleteAISession`: the session is gone for every route; void, so a 204."""
    session_id = request.get(SESSION_ID)
    if not (isinstance(session_id, str) and session_id and call.mock.store.delete(session_id)):
        raise not_found(session_id)


def new_session(call: Call, request: Mapping[str, object]) -> Record:
    """`NewAISession`: a session of a known account, created now by the caller (section 8)."""
    account_id = request.get("accountId")
    if not isinstance(account_id, str) or not account_id:
        raise ArgumentFailure("An account id is required", field="AccountId")
    account_name = call.mock.fixtures.accounts.get(account_id)
    if account_name is None:
        raise ArgumentFailure(f"Account '{account_id}' not found", field="AccountId")
    now = call.mock.clock()
    stamp = format_ticks(ticks_of(now))
    record = call.mock.rules.record({
        "accountId": account_id,
        "accountName": account_name,
        "purpose": request.get("purpose"),
        ID: new_object_id(now),
        CREATED: stamp,
        MODIFIED: stamp,
        "createdBy": call.user_id,
        MODIFIED_BY: call.user_id,
    })
    call.mock.store.put(str(record[ID]), record)
    return record


def list_sessions(call: Call, request: Mapping[str, object]) -> dict[str, object]:
    """`ListAISessions`: filters, order and paging of `listing`, over the default order the mock
    keeps ready (`SessionIndex`), so paging through many sessions costs a page, not a sort."""
    query = ListQuery.from_request(request)
    records = call.mock.index.ordered(call.mock.store)
    return page_of(order(records, query, call.mock.rules.wire_order), query)
