"""JSON as ServiceStack writes it: one golden table drives encoding and decoding."""

from __future__ import annotations

import json
from types import MappingProxyType

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evokit.contract.formats import EncodeError, JsonDecodeError, jsonfmt
from evokit.contract.model import load_contract

from .shapes import NOT_FOUND, SESSION, SHAPE, VALIDATION
from .strategies import fast, utf8_text

# (id, value, wire): `value` encodes to `wire` and `wire` decodes back to `value`.
CASES = [
    ("plain", {"accountName": "Acme Corp"}, '{"accountName":"Acme Corp"}'),
    ("raw-utf8-unicode", {"p": "héllo 😀 שלום"}, '{"p":"héllo 😀 שלום"}'),
    ("short-escapes", {"p": '"\\\n\r\t\f\b'}, r'{"p":"\"\\\n\r\t\f\b"}'),
    ("c0-control-upper-hex", {"p": "\x01\x1f"}, r'{"p":"\u0001\u001F"}'),
    ("del-and-c1-controls-escaped", {"p": "\x7f\x85\x9f"}, r'{"p":"\u007F\u0085\u009F"}'),
    ("slash-and-html-raw", {"p": "</a>&'="}, '{"p":"</a>&\'="}'),
    ("line-separator-raw", {"p": "\u2028"}, '{"p":"\u2028"}'),
    ("nested", {"a": [{"b": True}, 1, 2.5, None]}, '{"a":[{"b":true},1,2.5,null]}'),
    ("empty-string", {"p": ""}, '{"p":""}'),
]


@pytest.mark.parametrize(("value", "wire"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_dumps(value: object, wire: str) -> None:
    assert jsonfmt.dumps(value) == wire


@pytest.mark.parametrize(("value", "wire"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_loads(value: object, wire: str) -> None:
    assert jsonfmt.loads(wire) == value


def test_null_members_are_omitted() -> None:
    assert jsonfmt.dumps({"a": None, "b": "c"}) == '{"b":"c"}'


def test_codec_writes_wire_order_and_utf8_bytes() -> None:
    shuffled = dict(reversed(list(SESSION.items()))) | {"purpose": "Ünïcode", "lastModifiedBy": None}
    body = jsonfmt.encode_dto(shuffled, SHAPE)
    assert list(json.loads(body)) == [n for n in SESSION if n != "lastModifiedBy"]
    assert "Ünïcode".encode() in body
    assert jsonfmt.decode_dto(body, SHAPE) == {k: v for k, v in shuffled.items() if v is not None}


def test_error_body() -> None:
    assert jsonfmt.encode_error(NOT_FOUND) == (
        b'{"responseStatus":{"errorCode":"NotFound",'
        b'"message":"AI session \'sess-9\' was not found","errors":[]}}'
    )
    assert jsonfmt.decode_error(jsonfmt.encode_error(VALIDATION)) == {"responseStatus": VALIDATION}


def test_lone_surrogate_becomes_replacement_character() -> None:
    assert jsonfmt.encode_dto({"purpose": "a\ud800b"}, SHAPE) == '{"purpose":"a\ufffdb"}'.encode()


@pytest.mark.parametrize(
    "value",
    [{"a": float("nan")}, {"a": float("inf")}, {1: "a"}, {"a": object()}, {"a": b"x"}],
    ids=["nan", "inf", "int-key", "object", "bytes"],
)
def test_dumps_rejects_what_json_cannot_write(value: object) -> None:
    with pytest.raises(EncodeError):
        jsonfmt.dumps(value)


def test_encode_dto_rejects_unknown_members() -> None:
    with pytest.raises(EncodeError, match="sessionId"):
        jsonfmt.encode_dto({"sessionId": "x"}, SHAPE)


MALFORMED = [
    ("missing-value", '{"a":}', 5),
    ("nan", '{"a":NaN}', 5),
    ("minus-infinity-after-string", '{"NaN":"x","b":-Infinity}', 15),
    ("unterminated", '{"a":"b', 5),
    ("trailing-text", '{"a":1} x', 8),
    ("empty", "", 0),
    ("invalid-utf8", b'{"a":"\xff"}', 6),
    ("bom-then-garbage", "\ufeff{", 1),
    ("too-deep", "[" * 100_000, 0),
]


@pytest.mark.parametrize(("text", "offset"), [m[1:] for m in MALFORMED], ids=[m[0] for m in MALFORMED])
def test_malformed_raises_typed_error_with_offset(text: str | bytes, offset: int) -> None:
    with pytest.raises(JsonDecodeError) as caught:
        jsonfmt.loads(text)
    assert caught.value.offset == offset
    assert caught.value.reason


@pytest.mark.parametrize("text", ["[]", '"a"', "1", "null"])
def test_decode_dto_requires_an_object(text: str) -> None:
    with pytest.raises(JsonDecodeError, match="expected an object"):
        jsonfmt.decode_dto(text.encode(), SHAPE)


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | utf8_text,
    lambda inner: st.lists(inner) | st.dictionaries(utf8_text, inner.filter(lambda v: v is not None)),
    max_leaves=12,
)


@fast
@given(_json_values)
def test_round_trip_and_agreement_with_the_json_module(value: object) -> None:
    wire = jsonfmt.dumps(value)
    assert jsonfmt.loads(wire) == value
    assert json.loads(wire) == value


@fast
@given(st.text())
def test_arbitrary_text_gives_a_value_or_the_typed_error(text: str) -> None:
    try:
        jsonfmt.loads(text)
    except JsonDecodeError as exc:
        assert exc.offset is not None


@fast
@given(st.text(alphabet=st.characters(codec=None, max_codepoint=0x2FFF)))
def test_fast_quoting_writes_exactly_what_the_escape_table_writes(text: str) -> None:
    # `quote` hands text without ServiceStack-specific escapes to the C encoder; both must agree.
    assert jsonfmt.quote(text) == '"' + text.translate(jsonfmt._ESCAPES) + '"'


@fast
@given(st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.lists(inner, max_size=3).map(tuple)
    | st.dictionaries(st.text(max_size=5), inner, max_size=4)
    | st.dictionaries(st.text(max_size=5), inner, max_size=4).map(MappingProxyType),
    max_leaves=15,
))
def test_the_plain_writer_writes_what_the_general_writers_write(value: object) -> None:
    general: list[str] = []
    jsonfmt._write(value, general, "$")
    assert jsonfmt.dumps(value) == "".join(general)


def test_encode_dto_of_strings_matches_the_general_writer() -> None:
    value = {"purpose": 'a"\x01\x7f\n😀', "id": "x", "accountName": ""}
    assert jsonfmt.encode_dto(value, SHAPE) == jsonfmt.dumps({m.name: value[m.name] for m in SHAPE.members if m.name in value}).encode()


@pytest.mark.parametrize(
    ("value", "wire"),
    [(1.0, "1"), (1e-05, "1E-05"), (-1.5e20, "-1.5E+20"), (2.2, "2.2"), (1234567890123456.0, "1234567890123456")],
)
def test_doubles_as_servicestack_writes_them(value: float, wire: str) -> None:
    """JsonTypeSerializer.WriteDouble (double.ToString(InvariantCulture)); CustomSerializerTests.
    Can_serialize_custom_doubles writes 0.0 and 1.0 as `0` and `1`."""
    assert jsonfmt.dumps({"d": value}) == f'{{"d":{wire}}}'
    assert jsonfmt.loads(f'{{"d":{wire}}}') == {"d": value}


def _in_shape_order(shape_members: tuple[object, ...]) -> st.SearchStrategy[dict[str, object]]:
    """DTO values of a shape, members in wire order: texts (control characters and all),
    booleans, integers, None, and rows of the members' own shapes."""
    scalar = st.none() | st.booleans() | st.integers() | st.text(max_size=12)
    members: dict[str, st.SearchStrategy[object]] = {}
    for member in shape_members:
        item = member.item  # type: ignore[attr-defined]
        rows = st.lists(_in_shape_order(item.members), max_size=3) if item is not None else scalar
        members[member.name] = st.none() | rows  # type: ignore[attr-defined]
    return st.fixed_dictionaries({}, optional=members).map(
        lambda found: {m.name: found[m.name] for m in shape_members if m.name in found}  # type: ignore[attr-defined]
    )


_NESTED = load_contract().shape("ListResponseOfAISessionInfo")


@fast
@given(_in_shape_order(_NESTED.members))
def test_the_shaped_writer_writes_what_the_general_writers_write(value: dict[str, object]) -> None:
    # encode_dto writes DTOs of plain members by their shape; the general writers are the oracle.
    general: list[str] = []
    jsonfmt._write({name: item for name, item in value.items() if item is not None}, general, "$")
    assert jsonfmt.encode_dto(value, _NESTED) == "".join(general).encode()


def test_rows_with_members_their_shape_lacks_are_written_whole() -> None:
    page = {"items": [{"id": "s-1", "extra": "kept"}], "totalCount": 1}
    assert jsonfmt.encode_dto(page, _NESTED) == b'{"items":[{"id":"s-1","extra":"kept"}],"totalCount":1}'


def test_quoted_texts_are_remembered_boundedly() -> None:
    for number in range(jsonfmt._QUOTED_MAX + 10):
        jsonfmt._quote_known(f"text {number}")
    assert len(jsonfmt._QUOTED) <= jsonfmt._QUOTED_MAX
    assert jsonfmt._quote_known("x" * (jsonfmt._QUOTED_LONGEST + 1)) == '"' + "x" * (jsonfmt._QUOTED_LONGEST + 1) + '"'
    assert "x" * (jsonfmt._QUOTED_LONGEST + 1) not in jsonfmt._QUOTED
