"""ServiceStack's Python client (`servicestack` on PyPI) against the running mock, end to end, with
no hand-written DTO: the mock's `/types/python` ("Add ServiceStack Reference") is written to a file
and imported, and its DTOs drive the client: Basic auth, a credentials login carried by the `ss-id`
cookie, the user route with `patch_url`, a request DTO on the pre-defined `/api/` route (sent by
`patch` and by `send`, which takes the verb from the DTO's `IPatch`), a GetAISession, a page of
ListAISessions read as the closed generic `ListResponse[AISessionInfo]`, and
`WebServiceException` for 403 and 404."""

from __future__ import annotations

from collections.abc import Iterator
from types import ModuleType
from typing import Any

import pytest
import requests
from servicestack import JsonServiceClient, WebServiceException  # type: ignore[import-untyped]
from servicestack.log import Log, NullLogger  # type: ignore[import-untyped]
from servicestack.types import Authenticate, AuthenticateResponse  # type: ignore[import-untyped]

from tests.clients.support import CUSTOMER, SID, SYSADMIN, dtos, fresh, live
from tests.mockserver.server import LiveServer
from tests.mockserver.support import CONTRACT, SESSIONS

__all__ = ["dtos", "fresh", "live"]
pytestmark = pytest.mark.socket


@pytest.fixture(autouse=True)
def quiet_client_log() -> Iterator[None]:
    """The client prints a line when an error body is not JSON (the 403 is text); keep it quiet."""
    logger = Log.logger
    Log.logger = NullLogger()
    yield
    Log.logger = logger


def present(dto: Any) -> dict[str, Any]:
    """The members a DTO holds; None is an absent member (ServiceStack writes no nulls)."""
    return {name: value for name, value in dto.to_dict().items() if value is not None}


def admin_client(url: str) -> Any:
    client = JsonServiceClient(url)
    client.set_credentials(str(SYSADMIN["userName"]), str(SYSADMIN["password"]))
    return client


def test_basic_auth_and_patch_url_on_the_user_route(fresh: LiveServer, dtos: ModuleType) -> None:
    session = admin_client(fresh.url).patch_url(f"/ai/sessions/{SID}", {"purpose": "via patch_url"},
                                                response_as=dtos.AISessionInfo)
    assert isinstance(session, dtos.AISessionInfo) and isinstance(session, dtos.EntityInfo)
    assert (session.id, session.purpose, session.last_modified_by) == (SID, "via patch_url", SYSADMIN["userId"])
    assert CONTRACT.violations("AISessionInfo", present(session)) == []


def test_credentials_login_then_the_cookie_and_a_request_dto_on_api(fresh: LiveServer, dtos: ModuleType) -> None:
    client = JsonServiceClient(fresh.url)
    # /types/python leaves ServiceStack's own DTOs to the package, which the file imports.
    assert (dtos.Authenticate, dtos.AuthenticateResponse) == (Authenticate, AuthenticateResponse)
    login = client.post(Authenticate(provider="credentials", user_name=str(SYSADMIN["userName"]),
                                     password=str(SYSADMIN["password"])))
    assert isinstance(login, AuthenticateResponse)
    assert (login.user_name, login.roles) == (SYSADMIN["userName"], SYSADMIN["roles"]) and login.session_id
    assert client.token_cookie is None and client._session.cookies[CONTRACT.session_cookie] == login.session_id
    session = client.patch(dtos.PatchAISession(session_id=SID, purpose="via the DTO"))  # PATCH /api/PatchAISession
    assert isinstance(session, dtos.AISessionInfo) and (session.id, session.purpose) == (SID, "via the DTO")
    assert session.last_modified_by == SYSADMIN["userId"]
    sent = client.send(dtos.PatchAISession(session_id=SID, purpose="via send"))  # the verb from IPatch
    assert isinstance(sent, dtos.AISessionInfo) and sent.purpose == "via send"
    journal = requests.get(f"{fresh.url}/__mock/requests", timeout=5).json()
    assert [(e["method"], e["path"], e["status"], e["user"]) for e in journal[-2:]] == [
        ("PATCH", "/api/PatchAISession", 200, SYSADMIN["userName"])] * 2


def test_get_a_session_with_the_generated_dto(fresh: LiveServer, dtos: ModuleType) -> None:
    session = admin_client(fresh.url).get(dtos.GetAISession(session_id=SID))  # GET /api/GetAISession
    assert isinstance(session, dtos.AISessionInfo) and session.id == SID
    assert CONTRACT.violations("AISessionInfo", present(session)) == []


def test_a_page_of_the_list_reads_as_the_closed_generic_response(fresh: LiveServer, dtos: ModuleType) -> None:
    page = admin_client(fresh.url).get(dtos.ListAISessions(count_per_page=2))  # IReturn[ListResponse[AISessionInfo]]
    assert isinstance(page, dtos.ListResponse)
    assert [type(item) for item in page.items] == [dtos.AISessionInfo] * 2
    assert (page.total_count, page.has_more_pages) == (len(SESSIONS), True)


def test_403_is_a_web_service_exception(fresh: LiveServer, dtos: ModuleType) -> None:
    client = JsonServiceClient(fresh.url)
    client.set_credentials(str(CUSTOMER["userName"]), str(CUSTOMER["password"]))
    with pytest.raises(WebServiceException) as caught:
        client.patch(dtos.PatchAISession(session_id=SID, purpose="not allowed"))
    # The 403 body is text (CONTRACT.md section 3), so the client falls back to the status code.
    assert caught.value.status_code == 403
    assert (caught.value.response_status.error_code, caught.value.response_status.message) == ("403", "Forbidden")


def test_404_is_a_web_service_exception_with_the_response_status(fresh: LiveServer, dtos: ModuleType) -> None:
    with pytest.raises(WebServiceException) as caught:
        admin_client(fresh.url).patch(dtos.PatchAISession(session_id="no-such-session", purpose="x"))
    assert caught.value.status_code == 404
    assert caught.value.response_status.error_code == "NotFound"
    assert caught.value.response_status.message == "AI session 'no-such-session' not found"
    assert caught.value.response_status.errors == []


def test_wrong_password_is_401_with_its_response_status(fresh: LiveServer) -> None:
    client = JsonServiceClient(fresh.url)
    with pytest.raises(WebServiceException) as caught:
        client.post(Authenticate(provider="credentials", user_name="sysadmin", password="wrong"))
    assert caught.value.status_code == 401
    assert caught.value.response_status.message == "Invalid Username or Password"
