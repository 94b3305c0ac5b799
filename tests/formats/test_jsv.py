"""JSV (CONTRACT.md section 6): one golden table drives encoding and decoding."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evokit.contract.formats import EncodeError, JsvDecodeError, JsvErrorKind, jsv

from .shapes import NOT_FOUND, SESSION, SHAPE
from .strategies import fast

_SAME = object()


@dataclass(frozen=True)
class Case:
    """`value` encodes to `wire`; `wire` decodes to `decoded` (by default `value` itself)."""

    id: str
    value: object
    wire: str
    decoded: object = _SAME
    encodes: bool = field(default=True)

    @property
    def expected(self) -> object:
        return self.value if self.decoded is _SAME else self.decoded


CASES = [
    Case("plain", {"accountName": "Acme Corp"}, "{accountName:Acme Corp}"),
    Case(
        "iso-date-holds-colon",
        {"dateCreated": "2024-05-01T10:00:00Z"},
        '{dateCreated:"2024-05-01T10:00:00Z"}',
    ),
    *(
        Case(f"trigger-{name}", {"p": f"a{char}b"}, f'{{p:"a{char.replace(chr(34), chr(34) * 2)}b"}}')
        for name, char in [
            ("quote", '"'),
            ("colon", ":"),
            ("comma", ","),
            ("lbrace", "{"),
            ("rbrace", "}"),
            ("lbracket", "["),
            ("rbracket", "]"),
            ("cr", "\r"),
            ("lf", "\n"),
        ]
    ),
    Case("doubled-quotes", {"p": 'say "hi"'}, '{p:"say ""hi"""}'),
    Case("only-a-quote", {"p": '"'}, '{p:""""}'),
    Case("empty-string", {"p": ""}, '{p:""}'),
    Case("leading-trailing-spaces-unquoted", {"p": "  padded  "}, "{p:  padded  }"),
    Case("tab-unquoted", {"p": "a\tb"}, "{p:a\tb}"),
    Case("unicode-emoji-rtl", {"p": "héllo 😀 שלום مرحبا"}, "{p:héllo 😀 שלום مرحبا}"),
    Case("nested-object-and-list", {"a": {"b": ["c", "d"], "e": {}}}, "{a:{b:[c,d],e:{}}}"),
    Case("list-of-objects", [{"a": "1"}, {"b": "2"}], "[{a:1},{b:2}]"),
    Case("empty-list-and-empty-string-item", {"a": [], "b": [""]}, '{a:[],b:[""]}'),
    Case("list-of-one-space", [" "], "[ ]"),
    Case("null-member-omitted", {"a": None, "b": "c"}, "{b:c}", decoded={"b": "c"}),
    Case("null-list-item-is-empty", ["a", None, "b"], "[a,,b]"),
    Case("booleans", {"t": True, "f": False}, "{t:True,f:False}", decoded={"t": "True", "f": "False"}),
    Case("numbers-as-text", {"n": 12, "x": -1.5}, "{n:12,x:-1.5}", decoded={"n": "12", "x": "-1.5"}),
    # Doubles as .NET's double.ToString(InvariantCulture) writes them (JsvTypeSerializer.WriteDouble).
    Case(
        "numbers-as-dotnet-writes-them",
        {"whole": 1.0, "small": 1e-05, "big": -1.5e20},
        "{whole:1,small:1E-05,big:-1.5E+20}",
        decoded={"whole": "1", "small": "1E-05", "big": "-1.5E+20"},
    ),
    Case("key-needing-quotes", {"a:b": "c"}, '{"a:b":c}'),
    Case("top-level-string", "a,b", '"a,b"'),
    Case("top-level-bare-string", "  spaced", "  spaced"),
    Case("top-level-empty-string", "", '""'),
    Case("top-level-none", None, ""),
    Case("purpose-null", {"purpose": None}, "{purpose:}", encodes=False),
    Case("keys-trimmed-values-not", {"a": " b ", "c": "d\n"}, "{ a : b , c :d\n}", encodes=False),
    Case(
        "seed-sample-pretty-printed",
        {"sessionId": " String", "purpose": " String\n"},
        "{\n\tsessionId: String,\n\tpurpose: String\n}",
        encodes=False,
    ),
    Case("blank-around-top-level", {"a": "b"}, "  {a:b}\r\n", encodes=False),
    Case("literal-specials-inside-unquoted-value", {"a": "b:c{d"}, "{a:b:c{d}", encodes=False),
    Case("empty-object-with-blank", {}, "{ }", encodes=False),
]


@pytest.mark.parametrize("case", [c for c in CASES if c.encodes], ids=lambda c: c.id)
def test_dumps(case: Case) -> None:
    assert jsv.dumps(case.value) == case.wire


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_loads(case: Case) -> None:
    assert jsv.loads(case.wire) == case.expected


MALFORMED = [
    # ServiceStack's FromCsvField drops an open quote's last character: `{a:"bc` would read `b`.
    ("unterminated-quote-cuts-the-value", '{a:"bc', JsvErrorKind.UNTERMINATED_QUOTE, 3),
    ("unterminated-quote-top-level", '"abc', JsvErrorKind.UNTERMINATED_QUOTE, 0),
    ("unterminated-quote-in-list", '[a,"b]', JsvErrorKind.UNTERMINATED_QUOTE, 3),
    ("unterminated-quoted-key", '{"a:b}', JsvErrorKind.UNTERMINATED_QUOTE, 1),
    ("key-cut-by-the-end", "{a", JsvErrorKind.UNTERMINATED_OBJECT, 2),
    # StripList takes a list's last character for its `]`: `[a,b` would read `[a,]`.
    ("list-not-closed", "[a,b", JsvErrorKind.UNTERMINATED_LIST, 4),
    ("list-closed-by-brace", "{a:[b}", JsvErrorKind.UNTERMINATED_LIST, 6),
    ("object-in-unclosed-list", "[{a:b}", JsvErrorKind.UNTERMINATED_LIST, 6),
    ("extra-closing-brace", "{a:b}}", JsvErrorKind.TRAILING_TEXT, 5),
    ("text-after-object", "{a:b} x", JsvErrorKind.TRAILING_TEXT, 6),
    ("text-after-quoted", '"a"b', JsvErrorKind.TRAILING_TEXT, 3),
    ("key-without-colon", "{ab}", JsvErrorKind.MISSING_COLON, 3),
    ("second-key-without-colon", "{a:b,c}", JsvErrorKind.MISSING_COLON, 6),
    ("trailing-comma", "{a:b,}", JsvErrorKind.MISSING_COLON, 5),
    ("text-after-quoted-value", '{a:"x"y}', JsvErrorKind.EXPECTED_SEPARATOR, 6),
    ("text-after-nested-object", "{a:{b:c}d}", JsvErrorKind.EXPECTED_SEPARATOR, 8),
    ("too-deep", "[" * (jsv.MAX_DEPTH + 5), JsvErrorKind.TOO_DEEP, jsv.MAX_DEPTH),
]


@pytest.mark.parametrize(
    ("text", "kind", "offset"), [m[1:] for m in MALFORMED], ids=[m[0] for m in MALFORMED]
)
def test_malformed_raises_typed_error_with_offset(text: str, kind: JsvErrorKind, offset: int) -> None:
    with pytest.raises(JsvDecodeError) as caught:
        jsv.loads(text)
    assert (caught.value.kind, caught.value.offset) == (kind, offset)
    assert isinstance(caught.value, ValueError)


def test_error_message_names_kind_and_offset() -> None:
    with pytest.raises(JsvDecodeError) as caught:
        jsv.loads('{a:"bc')
    assert caught.value.reason == "unterminated quoted string"
    assert "offset 3" in str(caught.value)


@pytest.mark.parametrize("value", [{1: "a"}, {"a": object()}, b"bytes", {"a": {2, 3}}], ids=repr)
def test_dumps_rejects_what_jsv_cannot_write(value: object) -> None:
    with pytest.raises(EncodeError):
        jsv.dumps(value)


def test_codec_round_trip_of_dto_and_error() -> None:
    body = jsv.encode_dto(SESSION, SHAPE)
    assert body.startswith(b"{accountId:acc-1,accountName:Acme Corp,purpose:Triage inbound calls,id:sess-1,")
    assert jsv.decode_dto(body, SHAPE) == SESSION
    error = jsv.encode_error(NOT_FOUND)
    assert (
        error == b"{responseStatus:{errorCode:NotFound,message:AI session 'sess-9' was not found,errors:[]}}"
    )
    assert jsv.decode_error(error) == {"responseStatus": NOT_FOUND}


def test_decode_dto_requires_an_object_and_utf8() -> None:
    with pytest.raises(JsvDecodeError) as caught:
        jsv.decode_dto(b"[a]", SHAPE)
    assert caught.value.kind is JsvErrorKind.NOT_AN_OBJECT
    with pytest.raises(JsvDecodeError) as caught:
        jsv.decode_dto(b"{a:\xff}", SHAPE)
    assert (caught.value.kind, caught.value.offset) == (JsvErrorKind.INVALID_UTF8, 3)


# Keys are trimmed on reading (ServiceStack's rule), so only keys without surrounding .NET
# whitespace survive a round trip; values are never trimmed and may be anything.
_keys = st.text().filter(lambda key: key == key.strip(jsv.KEY_WHITESPACE))


@fast
@given(st.dictionaries(_keys, st.text()))
def test_round_trip_of_string_dicts(value: dict[str, str]) -> None:
    assert jsv.loads(jsv.dumps(value)) == value


@fast
@given(st.text())
def test_round_trip_of_top_level_strings(value: str) -> None:
    assert jsv.loads(jsv.dumps(value)) == value


_nested = st.recursive(
    st.text(), lambda inner: st.lists(inner) | st.dictionaries(_keys, inner), max_leaves=12
)


@fast
@given(_nested)
def test_round_trip_of_nested_values(value: object) -> None:
    assert jsv.loads(jsv.dumps(value)) == value


def _loads_or_typed_error(text: str) -> None:
    try:
        jsv.loads(text)
    except JsvDecodeError as exc:
        assert exc.offset is not None and 0 <= exc.offset <= len(text)


@fast
@given(st.text())
def test_arbitrary_text_gives_a_value_or_the_typed_error(text: str) -> None:
    _loads_or_typed_error(text)


@fast
@given(st.text(alphabet='{}[]:,"ab \r\n'))
def test_structural_noise_gives_a_value_or_the_typed_error(text: str) -> None:
    _loads_or_typed_error(text)


@fast
@given(st.dictionaries(st.sampled_from([m.name for m in SHAPE.members]), st.text() | st.none()))
def test_flat_string_dtos_encode_exactly_as_the_general_writer(value: dict[str, str | None]) -> None:
    # encode_dto writes flat string DTOs in one join; it must match dumps of the same members in wire order.
    ordered = {m.name: value[m.name] for m in SHAPE.members if m.name in value}
    assert jsv.encode_dto(value, SHAPE) == jsv.dumps(ordered).encode("utf-8")
