"""CSV as ServiceStack's CsvSerializer writes one DTO: golden tables drive encoding and decoding."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evokit.contract.formats import CsvDecodeError, EncodeError, csv

from .shapes import NOT_FOUND, SESSION, SHAPE, VALIDATION
from .strategies import fast, session_values, utf8_text

HEADER = "accountId,accountName,purpose,id,dateCreated,dateLastModified,createdBy,lastModifiedBy\r\n"
PASCAL_HEADER = "AccountId,AccountName,Purpose,Id,DateCreated,DateLastModified,CreatedBy,LastModifiedBy\r\n"

# (id, text, field): how one value is written as a CSV field.
FIELDS = [
    ("plain", "Acme Corp", "Acme Corp"),
    ("empty", "", ""),
    ("comma", "a,b", '"a,b"'),
    ("quote-doubled", 'say "hi"', '"say ""hi"""'),
    ("cr", "a\rb", '"a\rb"'),
    ("lf", "a\nb", '"a\nb"'),
    ("crlf", "a\r\nb", '"a\r\nb"'),
    ("leading-bracket", "[x", '"[x"'),
    ("leading-brace", "{x", '"{x"'),
    ("inner-bracket-unquoted", "x[y]{z}", "x[y]{z}"),
    ("colon-unquoted", "10:30", "10:30"),
    ("spaces-unquoted", "  a  ", "  a  "),
    ("unicode-unquoted", "😀 שלום", "😀 שלום"),
]


@pytest.mark.parametrize(("text", "written"), [f[1:] for f in FIELDS], ids=[f[0] for f in FIELDS])
def test_field_quoting(text: str, written: str) -> None:
    assert csv.field(text) == written


@pytest.mark.parametrize(
    ("text", "written"), [f[1:] for f in FIELDS if f[1]], ids=[f[0] for f in FIELDS if f[1]]
)
def test_field_reads_back(text: str, written: str) -> None:
    assert csv.parse_rows(f"h\r\n{written}\r\n") == [["h"], [text]]


ROW = (
    "acc-1,Acme Corp,Triage inbound calls,sess-1,2024-05-01T10:00:00Z,2024-05-02T11:30:00Z,user-1,user-2\r\n"
)
DTO_CASES = [
    ("full", SESSION, HEADER + ROW),
    ("absent-members-are-empty-fields", {"id": "s", "purpose": "a,b"}, HEADER + ',,"a,b",s,,,,\r\n'),
    ("none-is-empty-too", {"id": "s", "purpose": None}, HEADER + ",,,s,,,,\r\n"),
]


@pytest.mark.parametrize(("value", "text"), [c[1:] for c in DTO_CASES], ids=[c[0] for c in DTO_CASES])
def test_encode_dto(value: dict[str, object], text: str) -> None:
    assert csv.encode_dto(value, SHAPE) == text.encode()


@pytest.mark.parametrize(("value", "text"), [c[1:] for c in DTO_CASES], ids=[c[0] for c in DTO_CASES])
def test_decode_dto_leaves_empty_fields_out(value: dict[str, object], text: str) -> None:
    assert csv.decode_dto(text.encode(), SHAPE) == {k: v for k, v in value.items() if v is not None}


def test_pascal_case_headers_as_the_clr_writes_them() -> None:
    body = csv.encode_dto(SESSION, SHAPE, header_case="pascal")
    assert body == (PASCAL_HEADER + ROW).encode()
    assert csv.decode_dto(body, SHAPE) == SESSION


def test_decode_maps_headers_in_any_case_and_keeps_unknown_columns() -> None:
    text = "PURPOSE,id,Actions\r\np,s,x\r\n"
    assert csv.decode_dto(text, SHAPE) == {"purpose": "p", "id": "s", "Actions": "x"}


def test_decode_accepts_lf_only_and_a_missing_final_row_end() -> None:
    assert csv.decode_dto("id,purpose\nsess,p", SHAPE) == {"id": "sess", "purpose": "p"}


def test_booleans_numbers_and_nested_values() -> None:
    body = csv.encode_dto({"purpose": True, "id": 7, "accountName": {"a": "b"}}, SHAPE)
    assert body.split(b"\r\n")[1] == b',"{a:b}",True,7,,,,'
    with pytest.raises(EncodeError):
        csv.encode_dto({"purpose": b"bytes"}, SHAPE)


ERROR_CASES = [
    (
        "not-found",
        NOT_FOUND,
        "responseStatus\r\n\"{errorCode:NotFound,message:AI session 'sess-9' was not found,errors:[]}\"\r\n",
    ),
    (
        "validation",
        VALIDATION,
        'responseStatus\r\n"{errorCode:ValidationException,message:Purpose is too long,'
        "errors:[{errorCode:MaxLength,fieldName:purpose,message:Too long,meta:{max:4000}}],"
        'meta:{traceId:t-1}}"\r\n',
    ),
]


@pytest.mark.parametrize(("status", "text"), [c[1:] for c in ERROR_CASES], ids=[c[0] for c in ERROR_CASES])
def test_encode_error(status: dict[str, object], text: str) -> None:
    assert csv.encode_error(status) == text.encode()


@pytest.mark.parametrize(("status", "text"), [c[1:] for c in ERROR_CASES], ids=[c[0] for c in ERROR_CASES])
def test_decode_error(status: dict[str, object], text: str) -> None:
    assert csv.decode_error(text.encode()) == {"responseStatus": status}


def test_error_header_as_the_clr_writes_it() -> None:
    body = csv.encode_error(NOT_FOUND, header_case="pascal")
    assert body.startswith(b'ResponseStatus\r\n"{errorCode:NotFound')
    assert csv.decode_error(body) == {"responseStatus": NOT_FOUND}


MALFORMED = [
    ("unterminated-quote", 'id\r\n"abc\r\n', 4),
    ("text-after-closing-quote", 'id\r\n"a"b\r\n', 7),
    ("quote-inside-unquoted-field", 'id\r\na"b\r\n', 5),
    ("invalid-utf8", b"id\r\n\xff\r\n", 4),
]


@pytest.mark.parametrize(("text", "offset"), [m[1:] for m in MALFORMED], ids=[m[0] for m in MALFORMED])
def test_malformed_raises_typed_error_with_offset(text: str | bytes, offset: int) -> None:
    with pytest.raises(CsvDecodeError) as caught:
        csv.decode_dto(text, SHAPE)
    assert caught.value.offset == offset


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "found 0 row"),
        ("id\r\n", "found 1 row"),
        ("id\r\na\r\nb\r\n", "found 3 row"),
        ("id,purpose\r\na\r\n", "2 header(s) but 1 value"),
    ],
    ids=["empty", "header-only", "two-rows", "ragged"],
)
def test_not_one_record_raises_typed_error(text: str, reason: str) -> None:
    with pytest.raises(CsvDecodeError) as caught:
        csv.decode_dto(text, SHAPE)
    assert reason in caught.value.reason


def test_error_cell_that_is_not_jsv_raises_csv_error() -> None:
    with pytest.raises(CsvDecodeError, match="not a JSV object"):
        csv.decode_error('responseStatus\r\n"{errorCode:""E"\r\n')


# Empty fields read as absent, so the round trip holds for non-empty values.
@fast
@given(session_values(utf8_text.filter(bool)))
def test_round_trip_with_the_shape(value: dict[str, object]) -> None:
    assert csv.decode_dto(csv.encode_dto(value, SHAPE), SHAPE) == value


# A row of one empty field is an empty line, which CsvReader.ParseLines skips: no writer can send it.
@fast
@given(st.lists(st.lists(utf8_text, min_size=1, max_size=4).filter(lambda row: row != [""]), min_size=1, max_size=4))
def test_rows_round_trip(rows: list[list[str]]) -> None:
    text = "".join(",".join(map(csv.field, row)) + "\r\n" for row in rows)
    assert csv.parse_rows(text) == rows


@fast
@given(st.text(alphabet='a,"\r\n '))
def test_arbitrary_text_gives_rows_or_the_typed_error(text: str) -> None:
    try:
        csv.parse_rows(text)
    except CsvDecodeError as exc:
        assert exc.offset is not None and 0 <= exc.offset <= len(text)
