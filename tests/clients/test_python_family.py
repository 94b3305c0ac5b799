"""The whole AI-session family through ServiceStack's Python client (`servicestack` on PyPI), with
the DTOs of the mock's `/types/python` only, on a fresh mock each test: a credentials login whose
cookie carries every later call, GetAuthStatus to pick the account, NewAISession, ListAISessions by
`specificIds` and paged, GetAISession, PatchAISession, DeleteAISession (void, then a 404 thrown as
`WebServiceException`), ApplyAISession, DeleteAISessionAction, ClearAISessionActions and GetAIUsage.
Every expectation is read from the fixture files; the mock's journal shows the verbs and statuses
the client's DTO markers (`IPost`, `IDelete`, `IReturnVoid`, ...) led to."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import pytest
import requests
from servicestack import JsonServiceClient, WebServiceException  # type: ignore[import-untyped]
from servicestack.types import Authenticate  # type: ignore[import-untyped]

from tests.clients.support import SYSADMIN, dtos, fresh, live, sorted_usage, usage_rows
from tests.mockserver.family import ACCOUNTS, USAGE, WITH_PENDING
from tests.mockserver.server import LiveServer
from tests.mockserver.support import CONTRACT, SESSION_IDS, SESSIONS

__all__ = ["dtos", "fresh", "live"]
pytestmark = pytest.mark.socket
ACCOUNT_NAMES = {account["id"]: account["name"] for account in ACCOUNTS}


def logged_in(url: str, dtos: ModuleType) -> tuple[Any, str]:
    """A client holding only the login's cookies (no Basic credentials), and the account the
    frontend works in: the first of GetAuthStatus's `accountIds`."""
    client = JsonServiceClient(url)
    client.post(Authenticate(provider="credentials", user_name=str(SYSADMIN["userName"]),
                             password=str(SYSADMIN["password"])))
    assert client.username is None and client.bearer_token is None
    status = client.get(dtos.GetAuthStatus())
    return client, status.account_ids[0]


def journal(server: LiveServer, since: int = 0) -> list[tuple[str, str, int]]:
    entries = requests.get(f"{server.url}/__mock/requests", timeout=5).json()
    return [(e["method"], e["path"], e["status"]) for e in entries[since:]]


def ids(page: Any) -> list[str]:
    return [item.id for item in page.items]


def action_states(session: Any) -> list[tuple[str, bool]]:
    return [(action.id, action.can_be_applied) for action in session.actions]


def test_get_auth_status_after_a_cookie_login_names_the_user_and_its_accounts(fresh: LiveServer,
                                                                               dtos: ModuleType) -> None:
    assert JsonServiceClient(fresh.url).get(dtos.GetAuthStatus()) is None  # anonymous: 204, null
    client, account_id = logged_in(fresh.url, dtos)
    status = client.get(dtos.GetAuthStatus())
    assert isinstance(status, dtos.UserInfo)
    assert (status.id, status.is_authenticated, status.roles) == (SYSADMIN["userId"], True, SYSADMIN["roles"])
    assert status.account_ids == SYSADMIN["accountIds"] and account_id == status.account_ids[0]
    assert status.account_names == [ACCOUNT_NAMES[i] for i in status.account_ids]
    assert journal(fresh) == [("GET", "/api/GetAuthStatus", 204), ("POST", "/api/Authenticate", 200),
                              ("GET", "/api/GetAuthStatus", 200), ("GET", "/api/GetAuthStatus", 200)]


def test_a_new_session_is_listed_read_patched_then_deleted(fresh: LiveServer, dtos: ModuleType) -> None:
    client, account_id = logged_in(fresh.url, dtos)
    created = client.post(dtos.NewAISession(account_id=account_id, purpose="created by python"))
    assert isinstance(created, dtos.AISessionInfo) and created.id not in SESSION_IDS and len(created.id) == 24
    assert (created.account_id, created.account_name, created.purpose) == (
        account_id, ACCOUNT_NAMES[account_id], "created by python")
    assert created.created_by == created.last_modified_by == SYSADMIN["userId"]
    assert created.date_created == created.date_last_modified

    # The new session and a fixture one by specificIds, a page of one each: paging over two matches.
    pair = [created.id, WITH_PENDING["id"]]
    first, second = (client.get(dtos.ListAISessions(specific_ids=pair, count_per_page=1, page=n)) for n in (0, 1))
    assert (ids(first), first.total_count, first.total_pages, first.has_more_pages) == (
        [WITH_PENDING["id"]], 2, 2, True)  # the default order: the older first
    assert (ids(second), second.total_count, second.total_pages, second.has_more_pages) == ([created.id], 2, 2, False)
    # The DTO's `page` and `count_per_page` are `int = 0` (non-nullable ints, as ServiceStack writes
    # them), so the client always sends countPerPage=0; `all` makes the mock ignore it (section 8).
    everything = client.get(dtos.ListAISessions(all=True))
    assert sorted(ids(everything)) == sorted([*SESSION_IDS, created.id])
    assert everything.total_count == len(SESSIONS) + 1

    got = client.get(dtos.GetAISession(session_id=created.id))
    assert isinstance(got, dtos.AISessionInfo) and got.to_dict() == created.to_dict()
    patched = client.patch(dtos.PatchAISession(session_id=created.id, purpose="patched by python"))
    assert (patched.id, patched.purpose) == (created.id, "patched by python")
    assert client.get(dtos.GetAISession(session_id=created.id)).purpose == "patched by python"

    since = len(journal(fresh))
    assert client.send(dtos.DeleteAISession(session_id=created.id)) is None  # IReturnVoid, by its IDelete
    with pytest.raises(WebServiceException) as caught:
        client.get(dtos.GetAISession(session_id=created.id))
    assert caught.value.status_code == 404
    assert caught.value.response_status.error_code == "NotFound" and created.id in caught.value.response_status.message
    after = client.get(dtos.ListAISessions(all=True))
    assert (sorted(ids(after)), after.total_count) == (sorted(SESSION_IDS), len(SESSIONS))
    assert journal(fresh, since) == [("DELETE", "/api/DeleteAISession", 204), ("GET", "/api/GetAISession", 404),
                                     ("GET", "/api/ListAISessions", 200)]


def test_apply_then_delete_one_action_then_clear_the_rest(fresh: LiveServer, dtos: ModuleType) -> None:
    client, _ = logged_in(fresh.url, dtos)
    session_id = WITH_PENDING["id"]
    pending = [a for a in WITH_PENDING["actions"] if a["canBeApplied"]]
    before = client.get(dtos.GetAISession(session_id=session_id))
    assert action_states(before) == [(a["id"], a["canBeApplied"]) for a in WITH_PENDING["actions"]] and pending

    applied = client.send(dtos.ApplyAISession(session_id=session_id))  # POST, by its IPost
    assert isinstance(applied, dtos.AISessionInfo)
    assert action_states(applied) == [(a["id"], False) for a in WITH_PENDING["actions"]]
    lines = applied.log.splitlines()  # one line per action applied, each naming its function
    assert len(lines) == len(pending) and all(a["functionName"] in line for a, line in zip(pending, lines))
    assert applied.date_last_modified > before.date_last_modified
    assert CONTRACT.violations("AISessionInfo", {k: v for k, v in applied.to_dict().items() if v is not None}) == []

    first = applied.actions[0].id
    trimmed = client.delete(dtos.DeleteAISessionAction(session_id=session_id, action_id=first))
    assert action_states(trimmed) == action_states(applied)[1:] and trimmed.log == applied.log
    with pytest.raises(WebServiceException) as caught:
        client.delete(dtos.DeleteAISessionAction(session_id=session_id, action_id=first))
    assert (caught.value.status_code, caught.value.response_status.error_code) == (404, "NotFound")

    cleared = client.send(dtos.ClearAISessionActions(session_id=session_id))  # DELETE, by its IDelete
    assert (cleared.actions, cleared.log) == ([], applied.log)
    assert client.get(dtos.GetAISession(session_id=session_id)).actions == []
    assert journal(fresh)[-5:] == [
        ("POST", "/api/ApplyAISession", 200), ("DELETE", "/api/DeleteAISessionAction", 200),
        ("DELETE", "/api/DeleteAISessionAction", 404), ("DELETE", "/api/ClearAISessionActions", 200),
        ("GET", "/api/GetAISession", 200)]


@pytest.mark.parametrize("verb", ["post", "get"])
def test_ai_usage_by_account_and_by_dates(fresh: LiveServer, dtos: ModuleType, verb: str) -> None:
    client, account_id = logged_in(fresh.url, dtos)
    call = getattr(client, verb)  # GetAIUsage answers every verb: the body on POST, the query on GET
    of_account = call(dtos.GetAIUsage(account_id=account_id))
    assert isinstance(of_account, dtos.AIUsage)
    assert sorted_usage(of_account.to_dict()) == usage_rows([r for r in USAGE if r["accountId"] == account_id])
    start, end = "2024-05-02", "2024-05-03"  # holds records of two accounts, and leaves some out
    in_range = [r for r in USAGE if start <= r["date"][:10] <= end]  # a bare date covers its whole day
    assert len({r["accountId"] for r in in_range}) > 1 and len(in_range) < len(USAGE)
    assert sorted_usage(call(dtos.GetAIUsage(start_date=start, end_date=end)).to_dict()) == usage_rows(in_range)
