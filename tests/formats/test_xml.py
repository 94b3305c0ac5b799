""".NET DataContract XML (CONTRACT.md section 6): golden documents drive encoding and decoding."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evokit.contract.formats import DtoShape, EncodeError, Member, XmlDecodeError, xml

from .shapes import NOT_FOUND, SESSION, SHAPE, VALIDATION, VOICE_API, VOICE_API_AI
from .strategies import fast, session_values, xml_text

HEAD = '<?xml version="1.0" encoding="utf-8"?>'
XSI = 'xmlns:i="http://www.w3.org/2001/XMLSchema-instance"'
ARRAYS = "http://schemas.microsoft.com/2003/10/Serialization/Arrays"


def base(name: str, text: str) -> str:
    """A base-class (EntityInfo) member: DataContractSerializer re-declares the default namespace."""
    return f'<{name} xmlns="{VOICE_API}">{text}</{name}>'


def session_doc(members: str) -> bytes:
    root = f'AISessionInfo {XSI} xmlns="{VOICE_API_AI}"'
    return (f"{HEAD}<{root}>{members}</AISessionInfo>" if members else f"{HEAD}<{root} />").encode()


FULL = session_doc(
    base("CreatedBy", "user-1")
    + base("DateCreated", "2024-05-01T10:00:00Z")
    + base("DateLastModified", "2024-05-02T11:30:00Z")
    + base("Id", "sess-1")
    + base("LastModifiedBy", "user-2")
    + "<AccountId>acc-1</AccountId><AccountName>Acme Corp</AccountName>"
    + "<Purpose>Triage inbound calls</Purpose>"
)

# (id, value, document): `value` encodes to `document` and `document` decodes back to `value`.
DTO_CASES = [
    ("full", SESSION, FULL),
    (
        "absent-members-omitted",
        {"id": "s", "purpose": "p"},
        session_doc(base("Id", "s") + "<Purpose>p</Purpose>"),
    ),
    ("empty-string-is-empty-element", {"purpose": ""}, session_doc("<Purpose />")),
    (
        "markup-escaped",
        {"purpose": "a<b>&c \"q\" 'a'"},
        session_doc("<Purpose>a&lt;b&gt;&amp;c \"q\" 'a'</Purpose>"),
    ),
    ("cr-kept-as-character-reference", {"purpose": "a\r\nb"}, session_doc("<Purpose>a&#xD;\nb</Purpose>")),
    ("unicode-raw-utf8", {"purpose": "héllo 😀 שלום"}, session_doc("<Purpose>héllo 😀 שלום</Purpose>")),
    ("spaces-and-tab-kept", {"purpose": "  a\tb  "}, session_doc("<Purpose>  a\tb  </Purpose>")),
    ("no-members", {}, session_doc("")),
]


@pytest.mark.parametrize(("value", "document"), [c[1:] for c in DTO_CASES], ids=[c[0] for c in DTO_CASES])
def test_encode_dto(value: dict[str, object], document: bytes) -> None:
    assert xml.encode_dto(value, SHAPE) == document


@pytest.mark.parametrize(("value", "document"), [c[1:] for c in DTO_CASES], ids=[c[0] for c in DTO_CASES])
def test_decode_dto(value: dict[str, object], document: bytes) -> None:
    assert xml.decode_dto(document, SHAPE) == value


def test_surrogate_pair_written_as_one_character() -> None:
    assert xml.encode_dto({"purpose": "\ud83d\ude00"}, SHAPE) == session_doc("<Purpose>😀</Purpose>")


def test_null_members_are_omitted() -> None:
    assert xml.encode_dto({"purpose": None, "id": "s"}, SHAPE) == session_doc(base("Id", "s"))


NS = 'xmlns="http://schemas.servicestack.net/types"'
ERROR_CASES = [
    (
        "not-found",
        NOT_FOUND,
        f"{HEAD}<ErrorResponse {XSI} {NS}><ResponseStatus><ErrorCode>NotFound</ErrorCode>"
        "<Message>AI session 'sess-9' was not found</Message><Errors /></ResponseStatus></ErrorResponse>",
    ),
    (
        "field-errors-and-meta",
        VALIDATION,
        f"{HEAD}<ErrorResponse {XSI} {NS}><ResponseStatus><ErrorCode>ValidationException</ErrorCode>"
        "<Message>Purpose is too long</Message><Errors><ResponseError><ErrorCode>MaxLength</ErrorCode>"
        "<FieldName>purpose</FieldName><Message>Too long</Message>"
        f'<Meta xmlns:d5p1="{ARRAYS}"><d5p1:KeyValueOfstringstring><d5p1:Key>max</d5p1:Key>'
        "<d5p1:Value>4000</d5p1:Value></d5p1:KeyValueOfstringstring></Meta></ResponseError></Errors>"
        f'<Meta xmlns:d3p1="{ARRAYS}"><d3p1:KeyValueOfstringstring><d3p1:Key>traceId</d3p1:Key>'
        "<d3p1:Value>t-1</d3p1:Value></d3p1:KeyValueOfstringstring></Meta></ResponseStatus></ErrorResponse>",
    ),
]


@pytest.mark.parametrize(
    ("status", "document"), [c[1:] for c in ERROR_CASES], ids=[c[0] for c in ERROR_CASES]
)
def test_encode_error(status: dict[str, object], document: str) -> None:
    assert xml.encode_error(status) == document.encode()


@pytest.mark.parametrize(
    ("status", "document"), [c[1:] for c in ERROR_CASES], ids=[c[0] for c in ERROR_CASES]
)
def test_decode_error(status: dict[str, object], document: str) -> None:
    assert xml.decode_error(document.encode()) == {"responseStatus": status}


def test_error_members_follow_datamember_order_whatever_the_input_order() -> None:
    shuffled = {"errors": [], "message": "m", "errorCode": "E"}
    assert b"<ErrorCode>E</ErrorCode><Message>m</Message><Errors />" in xml.encode_error(shuffled)


def test_decode_accepts_what_datacontractserializer_writes_for_nulls_and_prefixes() -> None:
    """A real server may write nulls as i:nil and bind namespaces to prefixes; both decode."""
    document = (
        f'{HEAD}<AISessionInfo {XSI} xmlns:d2p1="{VOICE_API}" xmlns="{VOICE_API_AI}">'
        '<d2p1:Id>s</d2p1:Id><AccountId i:nil="true" /><Purpose>p</Purpose>'
        "<Actions><AIAction>a</AIAction><AIAction>b</AIAction></Actions></AISessionInfo>"
    ).encode()
    expected = {"id": "s", "accountId": None, "purpose": "p", "actions": ["a", "b"]}
    assert xml.decode_dto(document, SHAPE) == expected


def test_decode_error_reads_nil_stack_trace_as_none() -> None:
    document = (
        f"{HEAD}<ErrorResponse {XSI} {NS}><ResponseStatus><ErrorCode>E</ErrorCode>"
        '<StackTrace i:nil="true" /><Errors /><Meta i:nil="true" /></ResponseStatus></ErrorResponse>'
    )
    status: dict[str, object] = {"errorCode": "E", "stackTrace": None, "errors": [], "meta": None}
    assert xml.decode_error(document.encode()) == {"responseStatus": status}


DECODE_ERRORS = [
    ("wrong-root", f'{HEAD}<Other xmlns="{VOICE_API_AI}" />', "expected root <AISessionInfo>"),
    ("root-in-wrong-namespace", f'{HEAD}<AISessionInfo xmlns="{VOICE_API}" />', "expected root"),
    (
        "member-in-wrong-namespace",
        f'<AISessionInfo xmlns="{VOICE_API_AI}"><Id>s</Id></AISessionInfo>',
        "<Id>",
    ),
    ("dtd", f'<!DOCTYPE x []><AISessionInfo xmlns="{VOICE_API_AI}" />', "DTDForbidden"),
    (
        "entity-expansion",
        '<!DOCTYPE x [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><AISessionInfo>&b;</AISessionInfo>',
        "forbidden construct",
    ),
    ("external-entity", '<!DOCTYPE x SYSTEM "file:///etc/passwd"><x/>', "forbidden construct"),
]


@pytest.mark.parametrize(
    ("document", "reason"), [c[1:] for c in DECODE_ERRORS], ids=[c[0] for c in DECODE_ERRORS]
)
def test_decode_rejects_with_typed_error(document: str, reason: str) -> None:
    with pytest.raises(XmlDecodeError) as caught:
        xml.decode_dto(document.encode(), SHAPE)
    assert reason in caught.value.reason
    assert caught.value.line is None


MALFORMED = [
    ("unclosed-root", b"<AISessionInfo>", 1, 15),
    ("mismatched-tag", b"<a>\n<b></a>", 2, 5),
    ("not-xml", b"{purpose:x}", 1, 0),
    ("empty", b"", 1, 0),
    ("invalid-utf8", b"<a>\xff</a>", 1, 3),
]


@pytest.mark.parametrize(
    ("data", "line", "column"), [m[1:] for m in MALFORMED], ids=[m[0] for m in MALFORMED]
)
def test_malformed_reports_line_and_column(data: bytes, line: int, column: int) -> None:
    with pytest.raises(XmlDecodeError) as caught:
        xml.decode_error(data)
    assert (caught.value.line, caught.value.column) == (line, column)
    assert f"line {line}, column {column}" in str(caught.value)


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ({"purpose": "bell\x07"}, "U+0007"),
        ({"purpose": "\ufffe"}, "U+FFFE"),
        ({"purpose": "lone\udc00"}, "U+DC00"),
        ({"purpose": {"nested": "x"}}, "scalars"),
        ({"sessionId": "x"}, "sessionId"),
    ],
    ids=["control-char", "noncharacter", "lone-surrogate", "nested-value", "unknown-member"],
)
def test_encode_rejects_what_xml_cannot_carry(value: dict[str, object], problem: str) -> None:
    with pytest.raises(EncodeError, match=re.escape(problem)):
        xml.encode_dto(value, SHAPE)


@fast
@given(session_values(xml_text))
def test_round_trip_with_the_shape(value: dict[str, object]) -> None:
    assert xml.decode_dto(xml.encode_dto(value, SHAPE), SHAPE) == value


@fast
@given(st.binary() | st.text(alphabet="<>/=\"' ?!xmlns:aAI[]&;#").map(str.encode))
def test_arbitrary_input_gives_a_value_or_the_typed_error(data: bytes) -> None:
    try:
        xml.decode_dto(data, SHAPE)
    except XmlDecodeError as exc:
        assert exc.reason


# --- List<string> members (AuthenticateResponse's roles and permissions) -----------------------

SS_TYPES = "http://schemas.servicestack.net/types"


def _ss_member(name: str) -> Member:
    return Member(name, name[0].upper() + name[1:], SS_TYPES)


# A cut of AuthenticateResponse: DataContract order is alphabetical, wire order is declaration order.
_AUTH = {name: _ss_member(name) for name in ("userId", "userName", "roles", "permissions")}
AUTH_SHAPE = DtoShape(
    "AuthenticateResponse", SS_TYPES, tuple(_AUTH.values()),
    tuple(_AUTH[name] for name in ("permissions", "roles", "userId", "userName")),
)


def auth_doc(members: str) -> bytes:
    return f'{HEAD}<AuthenticateResponse {XSI} xmlns="{SS_TYPES}">{members}</AuthenticateResponse>'.encode()


def arrays(name: str, *items: str) -> str:
    """A List<string> member as DataContractSerializer writes it under the root (depth 2)."""
    body = "".join(f"<d2p1:string>{item}</d2p1:string>" for item in items)
    declaration = f'xmlns:d2p1="{ARRAYS}"'
    return f"<{name} {declaration}>{body}</{name}>" if body else f"<{name} {declaration} />"


LIST_CASES = [
    (
        "roles-and-empty-permissions",
        {"userId": "u1", "userName": "sysadmin", "roles": ["SystemAdministrator"], "permissions": []},
        auth_doc(arrays("Permissions") + arrays("Roles", "SystemAdministrator")
                 + "<UserId>u1</UserId><UserName>sysadmin</UserName>"),
    ),
    (
        "several-items-escaped",
        {"roles": ["Admin", "a<b>&c"]},
        auth_doc(arrays("Roles", "Admin", "a&lt;b&gt;&amp;c")),
    ),
    ("empty-string-item", {"roles": [""]}, auth_doc(arrays("Roles", "").replace("<d2p1:string></d2p1:string>", "<d2p1:string />"))),
]


@pytest.mark.parametrize(("value", "document"), [c[1:] for c in LIST_CASES], ids=[c[0] for c in LIST_CASES])
def test_encode_string_lists(value: dict[str, object], document: bytes) -> None:
    assert xml.encode_dto(value, AUTH_SHAPE) == document


@pytest.mark.parametrize(("value", "document"), [c[1:] for c in LIST_CASES], ids=[c[0] for c in LIST_CASES])
def test_decode_string_lists(value: dict[str, object], document: bytes) -> None:
    assert xml.decode_dto(document, AUTH_SHAPE) == value


def test_an_empty_element_without_the_arrays_namespace_stays_a_string() -> None:
    assert xml.decode_dto(auth_doc("<Roles />"), AUTH_SHAPE) == {"roles": ""}
    assert xml.decode_dto(auth_doc(f'<Roles xmlns:d2p1="{ARRAYS}" i:nil="true" />'), AUTH_SHAPE) == {"roles": None}


def test_arrays_prefix_declared_on_the_root_still_reads_as_a_list() -> None:
    document = (f'{HEAD}<AuthenticateResponse {XSI} xmlns:a="{ARRAYS}" xmlns="{SS_TYPES}">'
                "<Roles><a:string>x</a:string></Roles></AuthenticateResponse>").encode()
    assert xml.decode_dto(document, AUTH_SHAPE) == {"roles": ["x"]}


@pytest.mark.parametrize(("value", "problem"), [
    ({"roles": [1]}, "roles[0]: XML lists hold strings only"),
    ({"roles": [["nested"]]}, "roles[0]"),
    ({"roles": ["bell\x07"]}, "roles[0]"),
], ids=["number", "nested-list", "control-char"])
def test_string_lists_reject_what_they_cannot_write(value: dict[str, object], problem: str) -> None:
    with pytest.raises(EncodeError, match=re.escape(problem)):
        xml.encode_dto(value, AUTH_SHAPE)


@pytest.mark.parametrize(
    ("data", "line", "column"), [m[1:] for m in MALFORMED], ids=[m[0] for m in MALFORMED]
)
def test_decode_dto_reports_malformed_input_like_decode_error(data: bytes, line: int, column: int) -> None:
    with pytest.raises(XmlDecodeError) as caught:
        xml.decode_dto(data, SHAPE)
    assert (caught.value.line, caught.value.column) == (line, column)


@fast
@given(st.fixed_dictionaries({}, optional={
    "userId": xml_text, "roles": st.lists(xml_text, max_size=4), "permissions": st.lists(xml_text, max_size=4),
}))
def test_round_trip_with_string_lists(value: dict[str, object]) -> None:
    assert xml.decode_dto(xml.encode_dto(value, AUTH_SHAPE), AUTH_SHAPE) == value


@pytest.mark.parametrize(
    ("value", "text"),
    [(1.0, "1"), (1e-05, "1E-05"), (-1.5e20, "-1.5E+20"), (float("inf"), "INF"), (float("-inf"), "-INF"), (7, "7")],
)
def test_numbers_as_xmlconvert_writes_them(value: float, text: str) -> None:
    """DataContractSerializer writes a double with XmlConvert.ToString: "R", INF for infinity."""
    assert xml.encode_dto({"purpose": value}, SHAPE) == session_doc(f"<Purpose>{text}</Purpose>")
