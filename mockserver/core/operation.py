"""The update itself (CONTRACT.md section 4), as pure functions over records and a `Store`.

A record is an immutable mapping of an `AISessionInfo` in wire order with absent members left out.
Which member is which comes from the contract: the patchable members are the request DTO's
properties that the response DTO also has (bar the id), so `purpose` is found, not named.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from types import MappingProxyType

from evokit.contract.model import Contract
from evokit.contract.timestamps import EPOCH, EPOCH_ORDINAL, TICKS_PER_SECOND, parse_ticks
from evokit.mockserver.core.errors import NotFound
from evokit.mockserver.core.store import Store

# An AISessionInfo: text members, and lists of DTO rows (`actions`) whose members are in wire order.
Record = Mapping[str, object]

# .NET DateTime ticks (100 ns): dates are written with seven fractional digits, ISO 8601 UTC,
# the round-trip ("o") format of a UTC DateTime, e.g. 2024-05-01T10:00:00.1234567Z. The reader
# lives in `contract`, so that `contract check` judges fixture dates by the same rule.

# EntityInfo members the update maintains (section 4); checked against the contract on load.
ID, CREATED, MODIFIED, MODIFIED_BY = "id", "dateCreated", "dateLastModified", "lastModifiedBy"
# Members a PATCH never changes besides the id (section 4).
IMMUTABLE = ("accountId", "accountName", CREATED, "createdBy")


def format_ticks(ticks: int) -> str:
    """Ticks since the Unix epoch as `YYYY-MM-DDTHH:MM:SS.fffffffZ` (by day arithmetic: every
    write formats one, and a datetime with `strftime` costs several times as much)."""
    seconds, fraction = divmod(ticks, TICKS_PER_SECOND)
    days, second = divmod(seconds, 86_400)
    day = date.fromordinal(EPOCH_ORDINAL + days)
    hour, second = divmod(second, 3600)
    minute, second = divmod(second, 60)
    return "%04d-%02d-%02dT%02d:%02d:%02d.%07dZ" % (day.year, day.month, day.day, hour, minute, second, fraction)


def ticks_of(moment: datetime) -> int:
    """Ticks of an aware datetime (microsecond precision, as Python keeps it)."""
    return (moment - EPOCH) // timedelta(microseconds=1) * 10


@dataclass(frozen=True)
class PatchRules:
    """Which members of the operation's DTOs play which part in the update."""

    response: str
    id_param: str
    wire_order: tuple[str, ...]
    patchable: tuple[str, ...]
    # The wire order of the rows of each list-of-DTO member (`actions`: AISessionActionInfo's).
    row_orders: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def from_contract(cls, contract: Contract, operation: str) -> PatchRules:
        """Read the rules from the contract; raises `ValueError` if a member they need is missing."""
        op = contract.operation(operation)
        response = contract.properties(op.response)
        missing = [name for name in (ID, MODIFIED, MODIFIED_BY, *IMMUTABLE) if name not in response]
        if missing or len(op.user_route.path_params) != 1:
            raise ValueError(f"{op.response} lacks {missing} or the route has no single id parameter")
        id_param = op.user_route.path_params[0]
        patchable = tuple(p for p in contract.properties(op.request) if p in response and p != id_param)
        rows = {
            member.name: tuple(row.name for row in member.item.members)
            for member in contract.shape(op.response).members if member.item is not None
        }
        return cls(op.response, id_param, response, patchable, MappingProxyType(rows))

    def record(self, values: Mapping[str, object], *, based_on: Record | None = None) -> Record:
        """An immutable record in wire order; None and unknown members left out, also in rows.

        Rows that are still the very lists of `based_on` (a record, so already in order) are kept
        as they are: an update that leaves `actions` alone does not rebuild them."""
        ordered: dict[str, object] = {}
        for name in self.wire_order:
            value = values.get(name)
            if value is None:
                continue
            order = self.row_orders.get(name)
            kept = based_on is not None and value is based_on.get(name)
            if order is not None and isinstance(value, (list, tuple)) and not kept:
                # Plain lists and dicts, as the codecs write them; nothing changes a row in place.
                value = [
                    {key: row[key] for key in order if row.get(key) is not None} if isinstance(row, Mapping) else row
                    for row in value
                ]
            ordered[name] = value
        return MappingProxyType(ordered)


def next_modified(record: Record, now: int) -> int:
    """The new `dateLastModified` in ticks: `now`, but strictly after the previous value and
    never before `dateCreated`, even when the clock has not moved (or moved back) since."""
    floor = now
    previous = parse_ticks(str(record.get(MODIFIED, "")))
    if previous is not None:
        floor = max(floor, previous + 1)
    created = parse_ticks(str(record.get(CREATED, "")))
    if created is not None:
        floor = max(floor, created)
    return floor


def apply_patch(record: Record, request: Mapping[str, object], *, rules: PatchRules, user_id: str, now: int) -> Record:
    """The record after a PATCH: present patchable members copied exactly (no trimming; an empty
    string sets empty), `dateLastModified` and `lastModifiedBy` set, everything else kept."""
    updated = dict(record)
    updated.update({name: request[name] for name in rules.patchable if request.get(name) is not None})
    updated[MODIFIED] = format_ticks(next_modified(record, now))
    updated[MODIFIED_BY] = user_id
    return rules.record(updated, based_on=record)


def touched(record: Record, changes: Mapping[str, object], *, rules: PatchRules, user_id: str, now: int) -> Record:
    """`record` with `changes` and the two members every change sets: `dateLastModified` (strictly
    later, `next_modified`) and `lastModifiedBy` (section 4; the family's writes do the same)."""
    updated = {**record, **changes, MODIFIED: format_ticks(next_modified(record, now)), MODIFIED_BY: user_id}
    return rules.record(updated, based_on=record)


def not_found(session_id: object) -> NotFound:
    """The 404 of section 4 (the message text is the mock's own; the contract leaves it open)."""
    return NotFound(f"AI session '{session_id or ''}' not found")


def patch_session(
    store: Store[Record],
    request: Mapping[str, object],
    *,
    rules: PatchRules,
    user_id: str,
    clock: Callable[[], datetime],
) -> Record:
    """Apply a PATCH to the stored session; raises `NotFound` for an unknown or missing id.

    The clock is read inside the store's atomic update, so timestamps follow the order in which
    updates of one session are applied.
    """
    session_id = request.get(rules.id_param)
    if not session_id:
        raise not_found(session_id)
    updated = store.update(
        session_id,
        lambda record: apply_patch(record, request, rules=rules, user_id=user_id, now=ticks_of(clock())),
    )
    if updated is None:
        raise not_found(session_id)
    return updated
