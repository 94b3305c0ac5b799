"""No input makes the mock answer 5xx or leak a trace: random methods, paths, headers and bodies."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evokit.contract.formats import DEFAULT_REGISTRY, Format
from tests.mockserver.support import (
    CONTRACT,
    ID_PARAM,
    OP,
    SESSION_IDS,
    SYSADMIN,
    Mock,
    make_mock,
)

MOCK: Mock = make_mock(max_body_bytes=4096)
SHAPE = MOCK.app.extensions["evokit.mock"].response_shape

# Non-empty: an empty first segment would make the test client read `//x` as a host name.
segments = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="/?#%"), min_size=1, max_size=12)
paths = st.one_of(
    # Every route of the family, the session's own ones with a stored session (so DELETE can happen).
    st.sampled_from([r.path.replace("{" + ID_PARAM + "}", SESSION_IDS[0]).replace("{actionId}", "x") for r in CONTRACT.routes]),
    st.builds(lambda s, ext: OP.user_route.path.replace("{" + ID_PARAM + "}", s or "x") + ext,
              segments, st.sampled_from(["", ".json", ".jsv", ".xml", ".csv", ".JSV", ".txt"])),
    st.builds(lambda parts: "/" + "/".join(parts), st.lists(segments, max_size=4)),
    st.sampled_from(["/auth", "/auth/credentials", "/auth/logout", "/auth/basic", "/auth/x", "/api/Authenticate",
                     "/openapi.json", "/__mock/sessions", "/__mock/reset", "/__mock/users"]),
)
header_text = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=40)
content_types = st.one_of(st.none(), st.sampled_from([
    "application/json", "text/json", "application/jsv", "text/jsv", "application/x-www-form-urlencoded",
    "application/xml", "text/csv", "text/plain", "multipart/form-data; boundary=x", "application/json; charset=latin-1",
]), header_text)
bodies = st.one_of(
    st.binary(max_size=300),
    st.text(max_size=200).map(str.encode),
    st.sampled_from([b"{", b"{}", b'{"purpose":', b"{purpose:", b'{"purpose":{"a":[1,{"b":null}]}}', b"\xff\xfe",
                     b"[" * 3000, b'{"purpose":"' + b"x" * 5000 + b'"}']),
)
authorizations = st.one_of(
    st.none(), st.just(SYSADMIN["Authorization"]), header_text.map(lambda t: "Basic " + t), header_text,
)
queries = st.dictionaries(
    st.sampled_from(["format", "purpose", ID_PARAM, "FORMAT", "x", "page", "countPerPage", "all", "sortField",
                     "sortOrder", "specificIds", "accountIds", "simplifiedPaging", "accountId", "startDate", "endDate"]),
    st.text(max_size=10), max_size=3)
accepts = st.one_of(st.none(), st.sampled_from(["application/jsv", "application/xml", "text/csv", "*/*", "text/html", "a/b;q=0"]))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(method=st.sampled_from(["GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "HEAD", "TRACE"]), path=paths,
       content_type=content_types, body=bodies, authorization=authorizations, query=queries, accept=accepts)
def test_no_input_causes_a_server_error(method: str, path: str, content_type: str | None, body: bytes,
                                        authorization: str | None, query: dict[str, str], accept: str | None) -> None:
    headers = {name: value for name, value in (("Authorization", authorization), ("Accept", accept),
                                                ("Content-Type", content_type)) if value is not None}
    response = MOCK.client.open(path, method=method, data=body, headers=headers, query_string=query)
    assert response.status_code < 500, response.data
    if not path.startswith("/openapi"):  # the document itself describes the stackTrace member
        assert b"stackTrace" not in response.data and b"Traceback" not in response.data
    assert response.headers["Vary"] == "Accept"


@pytest.mark.parametrize("fmt", list(Format), ids=lambda fmt: fmt.value)
def test_every_registered_format_answers_success_and_errors(fmt: Format) -> None:
    mock = make_mock()  # the fuzzing above may have deleted the shared mock's sessions
    codec = DEFAULT_REGISTRY.for_format(fmt)
    path = OP.user_route.path.replace("{" + ID_PARAM + "}", SESSION_IDS[0])
    ok = mock.client.patch(f"{path}?format={fmt.value}", headers=SYSADMIN)
    assert ok.status_code == 200 and ok.headers["Content-Type"] == codec.content_type
    assert codec.decode_dto(ok.data, SHAPE)["id"] == SESSION_IDS[0]
    missing = mock.client.patch(f"{path}x?format={fmt.value}", headers=SYSADMIN)
    assert missing.status_code == 404 and missing.headers["Content-Type"] == codec.content_type
    assert codec.decode_error(missing.data)["responseStatus"]["errorCode"] == "NotFound"
