"""Every format for success and for every error status (CONTRACT.md sections 3, 5 and 6), chosen by
suffix, `?format=` and Accept; and the Authenticate service's answers in XML and CSV."""

from __future__ import annotations

import json
from dataclasses import dataclass

import pytest

from evokit.contract.formats import DEFAULT_REGISTRY, Format, csv, xml
from evokit.mockserver.auth.service import RESPONSE_MEMBERS
from tests.mockserver.frontend import SID, USER_PATH, make
from tests.mockserver.support import (
    CONTRACT,
    OP,
    PURPOSE,
    SYSADMIN,
    USERS,
    Mock,
    basic,
    user_named,
)

SHAPE = CONTRACT.shape(OP.response)
ACCEPT = {fmt: fmt.media_type for fmt in Format}
LIMIT = 256


@dataclass(frozen=True)
class Case:
    """One request the service answers with `status` (and, for errors, `error_code`)."""

    method: str
    session: str
    body: bytes
    auth: dict[str, str]
    status: int
    error_code: str | None = None


CUSTOMER = user_named("customer")
CASES = {
    "200": Case("PATCH", SID, json.dumps({PURPOSE: "Café <&> \"x\", y"}).encode(), SYSADMIN, 200),
    "400": Case("PATCH", SID, b"[1]", SYSADMIN, 400, "SerializationException"),
    "401-with-body": Case("PATCH", SID, b"{}", basic("sysadmin", "wrong"), 401, "Unauthorized"),
    "403-text": Case("PATCH", SID, b"{}", basic(str(CUSTOMER["userName"]), str(CUSTOMER["password"])), 403),
    "404": Case("PATCH", "no-such-session", b"{}", SYSADMIN, 404, "NotFound"),
    "405": Case("PUT", SID, b"", SYSADMIN, 405, "NotImplementedException"),  # no operation has PUT there
    "413": Case("PATCH", SID, b'{"purpose":"' + b"x" * LIMIT + b'"}', SYSADMIN, 413, "RequestEntityTooLarge"),
}
# How a format is asked for (section 6): a `.ext` suffix, `?format=`, or the Accept header.
HOW = ("suffix", "query", "accept")


@pytest.fixture(scope="module")
def shared() -> Mock:
    return make(max_body_bytes=LIMIT)


def send(mock: Mock, case: Case, fmt: Format, how: str):  # type: ignore[no-untyped-def]
    path = USER_PATH.format(case.session)
    headers = dict(case.auth)
    if how == "suffix":
        path += f".{fmt.value}"
    elif how == "query":
        path += f"?format={fmt.value}"
    else:
        headers["Accept"] = ACCEPT[fmt]
    return mock.client.open(path, method=case.method, data=case.body, headers=headers, content_type="application/json")


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize("fmt", list(Format), ids=[fmt.value for fmt in Format])
@pytest.mark.parametrize("name", list(CASES))
def test_format_by_status(shared: Mock, name: str, fmt: Format, how: str) -> None:
    case = CASES[name]
    response = send(shared, case, fmt, how)
    codec = DEFAULT_REGISTRY.for_format(fmt)
    assert response.status_code == case.status
    assert response.headers["Vary"] == "Accept" and response.headers["X-Powered-By"].startswith("ServiceStack/")
    if case.status == 403:  # section 3: text whatever the format
        assert response.headers["Content-Type"] == "text/plain"
        assert response.data.decode().startswith("Forbidden\n\nRequest.HttpMethod: PATCH\n")
        return
    assert response.headers["Content-Type"] == codec.content_type
    if case.status == 200:
        session = codec.decode_dto(response.data, SHAPE)
        assert CONTRACT.violations(OP.response, session) == []
        assert (session["id"], session[PURPOSE]) == (SID, "Café <&> \"x\", y")
        return
    document = codec.decode_error(response.data)
    assert CONTRACT.violations("ErrorResponse", document) == []
    assert document["responseStatus"]["errorCode"] == case.error_code
    assert document["responseStatus"]["errors"] == [] and "stackTrace" not in document["responseStatus"]


def test_xml_success_is_datacontract_xml(shared: Mock) -> None:
    response = send(shared, CASES["200"], Format.XML, "suffix")
    text = response.data.decode()
    assert text.startswith('<?xml version="1.0" encoding="utf-8"?><AISessionInfo xmlns:i="http://www.w3.org/2001/XMLSchema-instance"'
                           ' xmlns="http://schemas.datacontract.org/2004/07/Voice.Api.AI">')
    assert '<CreatedBy xmlns="http://schemas.datacontract.org/2004/07/Voice.Api">' in text
    assert text.index("<LastModifiedBy") < text.index("<AccountId>") and "<Purpose>Café &lt;&amp;&gt; \"x\", y</Purpose>" in text


def test_csv_success_is_a_header_and_one_row(shared: Mock) -> None:
    response = send(shared, CASES["200"], Format.CSV, "query")
    header, row, end = response.data.decode().split("\r\n")
    assert header.split(",") == list(CONTRACT.properties(OP.response)) and end == ""
    assert '"Café <&> ""x"", y"' in row


LOGIN = {"userName": "sysadmin", "password": "sysadmin"}


@pytest.mark.parametrize("fmt", [Format.XML, Format.CSV], ids=["xml", "csv"])
def test_login_answers_in_xml_and_csv_with_the_roles(fmt: Format) -> None:
    mock = make()
    response = mock.client.post(f"/auth/credentials?format={fmt.value}", json=LOGIN)
    assert response.status_code == 200 and response.headers["Content-Type"] == fmt.content_type
    answer = DEFAULT_REGISTRY.for_format(fmt).decode_dto(response.data, CONTRACT.shape("AuthenticateResponse"))
    user = USERS[0]
    assert answer["userName"] == user["userName"] and answer["sessionId"] == "sess0001"
    # CSV writes a list as JSV in one field; the codec reads an array member's cell back as a list.
    assert (answer["roles"], answer["permissions"]) == (user["roles"], user["permissions"])
    assert CONTRACT.violations("AuthenticateResponse", answer) == []
    assert set(RESPONSE_MEMBERS) - {"permissions"} <= set(answer)


def test_login_xml_golden() -> None:
    response = make().client.post("/auth/credentials", json=LOGIN, headers={"Accept": "application/xml"})
    arrays = 'xmlns:d2p1="http://schemas.microsoft.com/2003/10/Serialization/Arrays"'
    assert response.data.decode() == (
        '<?xml version="1.0" encoding="utf-8"?><AuthenticateResponse xmlns:i="http://www.w3.org/2001/XMLSchema-instance"'
        ' xmlns="http://schemas.servicestack.net/types"><DisplayName>System Administrator</DisplayName>'
        f"<Permissions {arrays} /><Roles {arrays}><d2p1:string>SystemAdministrator</d2p1:string></Roles>"
        f"<SessionId>sess0001</SessionId><UserId>{USERS[0]['userId']}</UserId><UserName>sysadmin</UserName>"
        "</AuthenticateResponse>"
    )
    assert xml.decode_dto(response.data, CONTRACT.shape("AuthenticateResponse"))["roles"] == ["SystemAdministrator"]


@pytest.mark.parametrize("fmt", [Format.XML, Format.CSV], ids=["xml", "csv"])
def test_login_errors_in_xml_and_csv(fmt: Format) -> None:
    response = make().client.post(f"/auth/credentials?format={fmt.value}", json={"userName": "sysadmin", "password": "no"})
    assert response.status_code == 401 and response.headers["Content-Type"] == fmt.content_type
    status = DEFAULT_REGISTRY.for_format(fmt).decode_error(response.data)["responseStatus"]
    assert (status["errorCode"], status["message"]) == ("Unauthorized", "Invalid Username or Password")


def test_unknown_paths_answer_404_in_the_negotiated_format() -> None:
    client = make().client
    assert csv.decode_error(client.get("/nope.csv").data)["responseStatus"]["errorCode"] == "NotFound"
    assert xml.decode_error(client.get("/nope", headers={"Accept": "application/xml"}).data)["responseStatus"]["errorCode"] == "NotFound"
