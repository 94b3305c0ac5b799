"""Seeding one AISessionInfo through the control plane (`POST /__mock/sessions`). Pure; no Flask.

The document is held to the rules the fixture files are held to (`evokit.contract.fixture_rules`):
the contract's schema, known members only, a non-empty id, ISO 8601 UTC dates, actions with known
members, readable dates and unique non-empty ids;
and, as section 4 keeps it true after every update, `dateLastModified` not before `dateCreated`.
JSON `null` means absent (section 2). What the document leaves out and the entity always has is
generated, as the service would on creation:

* `id`: 24 lowercase hex digits, a MongoDB ObjectId's form (the service runs on MongoDB and the
  fixtures' ids are ObjectIds): 4 bytes of creation time, then 8 random bytes;
* `dateCreated`: now, in the update's timestamp format (seven fractional digits, `Z`);
* `dateLastModified`: `dateCreated` (an entity is last modified when it is created).

Nothing else is made up: `accountId`, `accountName`, `purpose`, `createdBy` and `lastModifiedBy`
stay absent unless given.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from datetime import datetime

from evokit.contract.fixture_rules import row_problems_of
from evokit.contract.model import Contract
from evokit.mockserver.core.errors import (
    INVALID_TYPE,
    INVALID_VALUE,
    NOT_EMPTY,
    UNKNOWN_MEMBER,
    FieldError,
    ValidationFailure,
)
from evokit.mockserver.core.operation import (
    CREATED,
    ID,
    MODIFIED,
    PatchRules,
    Record,
    format_ticks,
    parse_ticks,
    ticks_of,
)


def new_object_id(now: datetime) -> str:
    """An ObjectId-shaped id: creation seconds (8 hex digits), then 16 random hex digits."""
    return f"{int(now.timestamp()) & 0xFFFFFFFF:08x}{secrets.token_hex(8)}"


def _filled(document: Mapping[str, object], now: datetime) -> dict[str, object]:
    """The document without nulls, with the generated members it lacks."""
    values = {name: value for name, value in document.items() if value is not None}
    values.setdefault(ID, new_object_id(now))
    values.setdefault(CREATED, format_ticks(ticks_of(now)))
    created = values[CREATED]
    values.setdefault(MODIFIED, created if isinstance(created, str) else format_ticks(ticks_of(now)))
    return values


def _date_errors(values: Mapping[str, object], given: Mapping[str, object]) -> list[FieldError]:
    """Unreadable dates (each once: a copied `dateCreated` is not reported again), and a
    `dateLastModified` before `dateCreated`."""
    errors = []
    texts = {name: values[name] for name in (CREATED, MODIFIED) if isinstance(values[name], str)}
    ticks = {name: parse_ticks(texts[name]) if name in texts else None for name in (CREATED, MODIFIED)}
    for name in texts:  # a member that is no string at all is a schema violation already
        if ticks[name] is None and (name in given or name == CREATED):
            errors.append(FieldError(INVALID_VALUE, name, f"{values[name]!r} is not an ISO 8601 UTC timestamp"))
    created, modified = ticks[CREATED], ticks[MODIFIED]
    if created is not None and modified is not None and modified < created:
        errors.append(FieldError(INVALID_VALUE, MODIFIED, f"'{MODIFIED}' is before '{CREATED}'"))
    return errors


def seed_record(document: object, *, contract: Contract, rules: PatchRules, now: datetime) -> Record:
    """The record to store for a seeded session; raises `ValidationFailure` (400) with every
    problem found, each naming its member."""
    if not isinstance(document, Mapping):
        raise ValidationFailure([FieldError(INVALID_TYPE, "", f"an {rules.response} is a JSON object")])
    errors = [
        FieldError(UNKNOWN_MEMBER, str(name), f"{rules.response} has no member '{name}'")
        for name in document if name not in rules.wire_order
    ]
    given = {name: value for name, value in document.items() if name in rules.wire_order and value is not None}
    values = _filled(given, now)
    errors += [
        FieldError(INVALID_TYPE, violation.path.removeprefix("$").removeprefix("."), violation.message)
        for violation in contract.violations(rules.response, values)
    ]
    if values[ID] == "":
        errors.append(FieldError(NOT_EMPTY, ID, f"'{ID}' must not be empty"))
    errors += _date_errors(values, given)
    # The actions are held to the fixture files' rules too: known members, unique non-empty ids.
    errors += [FieldError(UNKNOWN_MEMBER if problem.message.startswith("unknown member") else INVALID_VALUE,
                          problem.path, problem.message)
               for problem in row_problems_of(values, contract, rules.response)]
    if errors:
        raise ValidationFailure(errors)
    return rules.record(values)
