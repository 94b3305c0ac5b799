"""ServiceStack's Python client (`servicestack` on PyPI) against the running mock, end to end:
Basic auth, a credentials login carried by the `ss-id` cookie, the user route with `patch_url`, a
request DTO on the pre-defined `/api/` route, and `WebServiceException` for 403 and 404."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Optional

import pytest
import requests
from dataclasses_json import LetterCase, Undefined, dataclass_json
from servicestack import JsonServiceClient, WebServiceException  # type: ignore[import-untyped]
from servicestack.log import Log, NullLogger  # type: ignore[import-untyped]
from servicestack.types import Authenticate, AuthenticateResponse, IPatch, IReturn  # type: ignore[import-untyped]

from tests.clients.support import CUSTOMER, SID, SYSADMIN, fresh, live
from tests.mockserver.server import LiveServer
from tests.mockserver.support import CONTRACT

__all__ = ["fresh", "live"]
pytestmark = pytest.mark.socket


# The DTOs as ServiceStack's "Add ServiceStack Reference" writes them for Python (the package's own
# DTOs in `servicestack.types` are written the same way). `Optional[str]`, not `str | None`: the
# client's `from_json` calls the annotation to convert a value, which a `types.UnionType` refuses.
@dataclass_json(letter_case=LetterCase.CAMEL, undefined=Undefined.EXCLUDE)  # type: ignore[call-overload]
@dataclass
class AISessionInfo:
    account_id: Optional[str] = None  # noqa: UP045
    account_name: Optional[str] = None  # noqa: UP045
    purpose: Optional[str] = None  # noqa: UP045
    id: Optional[str] = None  # noqa: UP045
    date_created: Optional[str] = None  # noqa: UP045
    date_last_modified: Optional[str] = None  # noqa: UP045
    created_by: Optional[str] = None  # noqa: UP045
    last_modified_by: Optional[str] = None  # noqa: UP045


# @Route("/ai/sessions/{sessionId}", "PATCH")
@dataclass_json(letter_case=LetterCase.CAMEL, undefined=Undefined.EXCLUDE)  # type: ignore[call-overload]
@dataclass
class PatchAISession(IReturn[AISessionInfo], IPatch):
    session_id: Optional[str] = None  # noqa: UP045
    purpose: Optional[str] = None  # noqa: UP045


@pytest.fixture(autouse=True)
def quiet_client_log() -> Iterator[None]:
    """The client prints a line when an error body is not JSON (the 403 is text); keep it quiet."""
    logger = Log.logger
    Log.logger = NullLogger()
    yield
    Log.logger = logger


def test_basic_auth_and_patch_url_on_the_user_route(fresh: LiveServer) -> None:
    client = JsonServiceClient(fresh.url)
    client.set_credentials(str(SYSADMIN["userName"]), str(SYSADMIN["password"]))
    session = client.patch_url(f"/ai/sessions/{SID}", {"purpose": "via patch_url"}, response_as=AISessionInfo)
    assert isinstance(session, AISessionInfo)
    assert (session.id, session.purpose, session.last_modified_by) == (SID, "via patch_url", SYSADMIN["userId"])
    assert CONTRACT.violations("AISessionInfo", session.to_dict()) == []  # type: ignore[attr-defined]


def test_credentials_login_then_the_cookie_and_a_request_dto_on_api(fresh: LiveServer) -> None:
    client = JsonServiceClient(fresh.url)
    login = client.post(Authenticate(provider="credentials", user_name=str(SYSADMIN["userName"]),
                                     password=str(SYSADMIN["password"])))
    assert isinstance(login, AuthenticateResponse)
    assert (login.user_name, login.roles) == (SYSADMIN["userName"], SYSADMIN["roles"]) and login.session_id
    assert client.token_cookie is None and client._session.cookies[CONTRACT.session_cookie] == login.session_id
    session = client.patch(PatchAISession(session_id=SID, purpose="via the DTO"))  # PATCH /api/PatchAISession
    assert isinstance(session, AISessionInfo) and (session.id, session.purpose) == (SID, "via the DTO")
    assert session.last_modified_by == SYSADMIN["userId"]
    journal = requests.get(f"{fresh.url}/__mock/requests", timeout=5).json()
    assert [(e["method"], e["path"], e["status"], e["user"]) for e in journal[-1:]] == [
        ("PATCH", "/api/PatchAISession", 200, SYSADMIN["userName"])]


def test_403_is_a_web_service_exception(fresh: LiveServer) -> None:
    client = JsonServiceClient(fresh.url)
    client.set_credentials(str(CUSTOMER["userName"]), str(CUSTOMER["password"]))
    with pytest.raises(WebServiceException) as caught:
        client.patch(PatchAISession(session_id=SID, purpose="not allowed"))
    # The 403 body is text (CONTRACT.md section 3), so the client falls back to the status code.
    assert caught.value.status_code == 403
    assert (caught.value.response_status.error_code, caught.value.response_status.message) == ("403", "Forbidden")


def test_404_is_a_web_service_exception_with_the_response_status(fresh: LiveServer) -> None:
    client = JsonServiceClient(fresh.url)
    client.set_credentials(str(SYSADMIN["userName"]), str(SYSADMIN["password"]))
    with pytest.raises(WebServiceException) as caught:
        client.patch(PatchAISession(session_id="no-such-session", purpose="x"))
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
