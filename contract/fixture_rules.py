"""The rules a fixture folder's files are held to: one pure function per file, over parsed JSON.

Every function returns *every* problem it finds, each with the file, the JSON path of the value at
fault and a message, so a broken folder is mended in one pass. `evokit.contract.fixtures_check` reads the
files and calls these; the mock's loader calls the same, so `evokit contract check` and `evokit
mock` refuse exactly the same folders. A file's schema, where the contract has one, comes from the
contract; what the schema cannot say (an id that is not empty, a date that reads, a member the
mock would silently drop) is a rule of the kit's own, named in the message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from evokit.contract.model import Contract
from evokit.contract.timestamps import parse_ticks, read_moment

# EntityInfo's members that the update keeps (CONTRACT.md section 4), and an action row's date.
ID, CREATED, MODIFIED, ROW_DATE = "id", "dateCreated", "dateLastModified", "date"
# users.json members: name -> holds a list of strings. The login answers the required ones
# (`AuthenticateResponse`, section 3); `GetAuthStatus` adds the optional profile (section 8).
USER_MEMBERS: Mapping[str, bool] = {
    "userId": False, "userName": False, "password": False, "displayName": False,
    "roles": True, "permissions": True,
}
PROFILE_MEMBERS: Mapping[str, bool] = {
    "firstName": False, "lastName": False, "emailAddress": False, "avatarUrl": False, "accountIds": True,
}
_MAY_BE_EMPTY = {"displayName"}
# Each user must be unique by these: a login finds its user by name, a session by id.
_USER_KEYS = ("userId", "userName")
ACCOUNT_MEMBERS = ("id", "name")
# A usage record is an `AICustomerUsage` row (section 8) with the date it was used on.
USAGE_ROW_DTO, USAGE_DATE = "AICustomerUsage", "date"
USAGE_MEMBERS = (USAGE_DATE, "accountId", "customerId", "aiMinutes")


@dataclass(frozen=True)
class FixtureProblem:
    """One thing wrong with a fixture file: the file's name, the JSON path of the value at fault
    (`$[2].roles`; empty for the file as a whole) and what is wrong."""

    file: str
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.path}: {self.message}" if self.path else f"{self.file}: {self.message}"


def json_type(value: object) -> str:
    """A JSON value's type in JSON's own words (`object`, not Python's `dict`)."""
    for kind, name in ((bool, "a boolean"), (dict, "an object"), (list, "a list"), (str, "a string")):
        if isinstance(value, kind):
            return name
    return "null" if value is None else "a number"


def _is_strings(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) and item for item in value)


def _at(index: int, violation_path: str) -> str:
    """`$[index]` followed by a schema violation's path inside the item (`$.purpose`)."""
    return f"$[{index}]{violation_path.removeprefix('$')}"


def _duplicates(file: str, values: Iterable[tuple[str, object]], what: str) -> list[FixtureProblem]:
    """A problem at every repeat of a value, naming where it first appeared."""
    first: dict[object, str] = {}
    problems = []
    for path, value in values:
        if isinstance(value, str) and value:
            if value in first:
                problems.append(FixtureProblem(file, path, f"duplicate {what} {value!r} (first at {first[value]})"))
            first.setdefault(value, path)
    return problems


def user_problems(
    file: str, document: Sequence[Any], answer_violations: Callable[[Mapping[str, Any]], Iterable[object]]
) -> list[FixtureProblem]:
    """users.json: the members of each user, what a login answers about it (`answer_violations`,
    whose items read `path: message`), unique ids and names, and at least one user."""
    problems: list[FixtureProblem] = []
    for index, item in enumerate(document):
        own = _user_member_problems(file, index, item)
        problems.extend(own)
        if not own:  # the answer's schema would restate a wrong member's type
            answer = {k: v for k, v in item.items() if k != "password" and k not in PROFILE_MEMBERS}
            problems.extend(
                FixtureProblem(file, f"$[{index}]", f"as AuthenticateResponse: {violation}")
                for violation in answer_violations(answer)
            )
    for key in _USER_KEYS:
        rows = [(f"$[{i}].{key}", item.get(key)) for i, item in enumerate(document) if isinstance(item, Mapping)]
        problems.extend(_duplicates(file, rows, key))
    if not document:
        problems.append(FixtureProblem(file, "$", "no users: at least one is needed to call the operation"))
    return problems


def _user_member_problems(file: str, index: int, item: object) -> list[FixtureProblem]:
    if not isinstance(item, Mapping):
        return [FixtureProblem(file, f"$[{index}]", f"expected an object, found {json_type(item)}")]
    problems = []
    for name, is_list in {**USER_MEMBERS, **PROFILE_MEMBERS}.items():
        value = item.get(name)
        if value is None and name in PROFILE_MEMBERS:
            continue
        if name not in item:
            problems.append(FixtureProblem(file, f"$[{index}]", f"missing member {name!r}"))
        elif is_list and not _is_strings(value):
            problems.append(FixtureProblem(file, f"$[{index}].{name}", "expected a list of non-empty strings"))
        elif not is_list and not isinstance(value, str):
            problems.append(FixtureProblem(file, f"$[{index}].{name}", f"expected a string, found {json_type(value)}"))
        elif not is_list and not value and name in USER_MEMBERS and name not in _MAY_BE_EMPTY:
            problems.append(FixtureProblem(file, f"$[{index}].{name}", "expected a non-empty string"))
    known = USER_MEMBERS.keys() | PROFILE_MEMBERS.keys()
    problems.extend(FixtureProblem(file, f"$[{index}]", f"unknown member {key!r}") for key in item if key not in known)
    return problems


def session_problems(file: str, document: Sequence[Any], contract: Contract, dto: str) -> list[FixtureProblem]:
    """The sessions file: each session valid against the contract's `dto`, with known members only
    (the mock would drop others unseen), a non-empty unique id, readable ISO 8601 UTC dates that
    keep section 4's order, and actions with known members and non-empty ids unique in their session."""
    problems: list[FixtureProblem] = []
    members = contract.properties(dto)
    rows = {m.name: tuple(r.name for r in m.item.members) for m in contract.shape(dto).members if m.item is not None}
    for index, item in enumerate(document):
        # A DTO's schema is an allOf over its base, so one wrong value can break both: say it once.
        violations = contract.violations(dto, item)
        schema = list(dict.fromkeys(FixtureProblem(file, _at(index, v.path), v.message) for v in violations))
        if not isinstance(item, Mapping):
            problems.extend(schema or [FixtureProblem(file, f"$[{index}]", f"expected an object, found {json_type(item)}")])
            continue
        if not item.get(ID):  # first, in the kit's words: the schema requires an id, not a non-empty one
            problems.append(FixtureProblem(file, f"$[{index}].{ID}", "every session needs a non-empty id"))
        problems.extend(schema)
        problems.extend(FixtureProblem(file, f"$[{index}]", f"unknown member {key!r}") for key in item if key not in members)
        problems.extend(_date_problems(file, index, item))
        for name, row_members in rows.items():
            if isinstance(item.get(name), list):
                problems.extend(_row_problems(file, f"$[{index}].{name}", item[name], row_members))
    ids = [(f"$[{i}].{ID}", item.get(ID)) for i, item in enumerate(document) if isinstance(item, Mapping)]
    problems.extend(_duplicates(file, ids, ID))
    return problems


def row_problems_of(item: Mapping[str, Any], contract: Contract, dto: str) -> list[FixtureProblem]:
    """The problems of one session's DTO rows (`actions`) alone, for a session that comes one at a
    time (the control plane's seeding), with paths from the session (`actions[1].id`)."""
    rows = {m.name: tuple(r.name for r in m.item.members) for m in contract.shape(dto).members if m.item is not None}
    return [problem for name, members in rows.items() if isinstance(item.get(name), list)
            for problem in _row_problems("", name, item[name], members)]


def _date_problems(file: str, index: int, item: Mapping[str, Any]) -> list[FixtureProblem]:
    """Unreadable dates (a non-string is the schema's to report), and a `dateLastModified` before
    `dateCreated`, which section 4 keeps from ever happening."""
    problems = []
    ticks = {}
    for name in (CREATED, MODIFIED):
        value = item.get(name)
        if isinstance(value, str):
            ticks[name] = parse_ticks(value)
            if ticks[name] is None:
                problems.append(FixtureProblem(file, f"$[{index}].{name}", f"{value!r} is not an ISO 8601 UTC timestamp"))
    created, modified = ticks.get(CREATED), ticks.get(MODIFIED)
    if created is not None and modified is not None and modified < created:
        problems.append(FixtureProblem(file, f"$[{index}].{MODIFIED}", f"is before {CREATED}"))
    return problems


def _row_problems(file: str, where: str, rows: list[Any], members: Sequence[str]) -> list[FixtureProblem]:
    """A session's list of DTO rows (`actions`): the schema has checked the types; known members,
    a non-empty id unique in the list (an action is deleted by it) and a readable date."""
    problems = []
    for index, row in enumerate(rows):
        if not isinstance(row, Mapping):
            continue  # the schema's to report
        path = f"{where}[{index}]"
        problems.extend(FixtureProblem(file, path, f"unknown member {key!r}") for key in row if key not in members)
        if ID in members and row.get(ID) == "":
            problems.append(FixtureProblem(file, f"{path}.{ID}", "expected a non-empty id"))
        date = row.get(ROW_DATE)
        if ROW_DATE in members and isinstance(date, str) and parse_ticks(date) is None:
            problems.append(FixtureProblem(file, f"{path}.{ROW_DATE}", f"{date!r} is not an ISO 8601 UTC timestamp"))
    ids = [(f"{where}[{i}].{ID}", row.get(ID)) for i, row in enumerate(rows) if isinstance(row, Mapping)]
    return problems + _duplicates(file, ids, ID)


def account_problems(file: str, document: Sequence[Any]) -> list[FixtureProblem]:
    """accounts.json: `{id, name}` objects, a non-empty id and a string name, ids unique."""
    problems = []
    for index, item in enumerate(document):
        if not isinstance(item, Mapping):
            problems.append(FixtureProblem(file, f"$[{index}]", f"expected an object, found {json_type(item)}"))
            continue
        problems.extend(_exact_members(file, index, item, ACCOUNT_MEMBERS))
        if "id" in item and not (isinstance(item["id"], str) and item["id"]):
            problems.append(FixtureProblem(file, f"$[{index}].id", "expected a non-empty string"))
        if "name" in item and not isinstance(item["name"], str):
            problems.append(FixtureProblem(file, f"$[{index}].name", "expected a string"))
    rows = [(f"$[{i}].id", item.get("id")) for i, item in enumerate(document) if isinstance(item, Mapping)]
    return problems + _duplicates(file, rows, "id")


def _exact_members(file: str, index: int, item: Mapping[str, Any], members: Sequence[str]) -> list[FixtureProblem]:
    missing = [FixtureProblem(file, f"$[{index}]", f"missing member {name!r}") for name in members if name not in item]
    unknown = [FixtureProblem(file, f"$[{index}]", f"unknown member {key!r}") for key in item if key not in members]
    return missing + unknown


def usage_problems(file: str, document: Sequence[Any], contract: Contract) -> list[FixtureProblem]:
    """usage.json: each record exactly `{date, accountId, customerId, aiMinutes}`, the last three an
    `AICustomerUsage` row by the contract, with non-empty ids, whole minutes from 0, a readable date."""
    problems = []
    for index, item in enumerate(document):
        if not isinstance(item, Mapping):
            problems.append(FixtureProblem(file, f"$[{index}]", f"expected an object, found {json_type(item)}"))
            continue
        problems.extend(_exact_members(file, index, item, USAGE_MEMBERS))
        row = {name: item[name] for name in USAGE_MEMBERS[1:] if name in item}
        violations = contract.violations(USAGE_ROW_DTO, row)
        problems.extend(FixtureProblem(file, _at(index, v.path), v.message) for v in violations)
        wrong = {v.path.removeprefix("$.") for v in violations}
        for name in ("accountId", "customerId"):
            if row.get(name) == "" and name not in wrong:
                problems.append(FixtureProblem(file, f"$[{index}].{name}", "expected a non-empty string"))
        minutes = row.get("aiMinutes")
        if "aiMinutes" in row and "aiMinutes" not in wrong and not (type(minutes) is int and minutes >= 0):
            problems.append(FixtureProblem(file, f"$[{index}].aiMinutes", "expected a whole number of minutes, 0 or more"))
        date = item.get(USAGE_DATE)
        if USAGE_DATE in item and not (isinstance(date, str) and read_moment(date) is not None):
            problems.append(FixtureProblem(file, f"$[{index}].{USAGE_DATE}", f"{date!r} is not an ISO 8601 date"))
    return problems


def account_names(sessions: Iterable[object], accounts: Iterable[object]) -> dict[str, str]:
    """Account names by id: the accounts the sessions name (an `accountId` with an `accountName`),
    then accounts.json's, which win. Items that are not well-formed are skipped: their problems
    are reported by the rules above."""
    names: dict[str, str] = {}
    for record in sessions:
        if isinstance(record, Mapping):
            account_id, name = record.get("accountId"), record.get("accountName")
            if isinstance(account_id, str) and isinstance(name, str):
                names.setdefault(account_id, name)
    for item in accounts:
        if isinstance(item, Mapping) and isinstance(item.get("id"), str) and isinstance(item.get("name"), str):
            names[item["id"]] = item["name"]
    return names


def account_reference_problems(
    file: str, users: Sequence[Any], known: Mapping[str, str], accounts_file: str
) -> list[FixtureProblem]:
    """Every account a user's `accountIds` names must be known: `GetAuthStatus` answers its name."""
    problems = []
    for index, item in enumerate(users):
        ids = item.get("accountIds") if isinstance(item, Mapping) else None
        for position, account in enumerate(ids if _is_strings(ids) else ()):
            if account not in known:
                problems.append(FixtureProblem(
                    file, f"$[{index}].accountIds[{position}]", f"unknown account {account!r}: add it to {accounts_file}"
                ))
    return problems
