"""JSV forms ServiceStack.Text writes or accepts, each from its own tests or reader source.

Sources (ServiceStack.Text): `src/ServiceStack.Text/Common/DeserializeTypeRefJsv.cs`
(`StringToType`), `Jsv/JsvTypeSerializer.cs` (`EatMapKey`, `EatValue`), `StringSpanExtensions.cs`
(`FromCsvField`), `Common/DeserializeListWithElements.cs` (`StripList`, `ParseStringList`),
`Json/JsonTypeSerializer.cs` (`IsEmptyMap`), and the tests under `tests/ServiceStack.Text.Tests/`.
"""

from __future__ import annotations

import pytest

from evokit.contract.formats import JsvDecodeError, JsvErrorKind, jsv
from tests.formats.shapes import typed_shape

# (id, source, text, what ServiceStack reads -- and so the kit).
ACCEPTED = [
    (
        "list-element-whitespace-kept",
        "JsvTests/TypeSerializerToStringListTests.cs, Can_serialize_values_with_whitespace",
        "[ A ]",
        [" A "],
    ),
    (
        "plain-list-elements-keep-leading-whitespace",
        "DeserializeListWithElements.ParseStringList: EatValue starts at the element's first character",
        "[a, b,  c]",
        ["a", " b", "  c"],
    ),
    (
        "whitespace-before-nested-list-skipped",
        "DeserializeListWithElements.StripList: `value.Trim()` before the brackets come off",
        "[[a], [b,c]]",
        [["a"], ["b", "c"]],
    ),
    (
        "whitespace-before-list-element-object-skipped",
        # Lenient: ParseGenericList calls EatWhitespace here, a no-op in JSV, where ServiceStack
        # then fails; the writer never puts whitespace there, and reading it loses nothing.
        "DeserializeListWithElements.ParseGenericList: EatWhitespace before an element `{`",
        "[{a:1},\n {b:2}]",
        [{"a": "1"}, {"b": "2"}],
    ),
    (
        "whitespace-before-quoted-list-element-skipped",
        # Lenient as the case above: a plain element never starts with whitespace and a `"`, since
        # the writer quotes any string holding one.
        "DeserializeListWithElements.StripList / ParseStringList",
        '[a, "b,c"]',
        ["a", "b,c"],
    ),
    (
        "object-ended-by-the-text",
        "DeserializeTypeRefJsv.StringToType: `while (index < strTypeLength)`",
        "{a:b",
        {"a": "b"},
    ),
    (
        "nested-objects-ended-by-the-text",
        "DeserializeTypeRefJsv.StringToType; JsvTypeSerializer.EatValue runs a `{` to the end",
        "{a:{b:c",
        {"a": {"b": "c"}},
    ),
    (
        "separator-then-the-end",
        "DeserializeTypeRefJsv.StringToType: `if (index != strType.Length) index++`",
        "{a:b,",
        {"a": "b"},
    ),
    (
        "key-colon-then-the-end",
        "JsvTypeSerializer.EatValue: `if (i == valueLength) return default`",
        "{a:",
        {"a": None},
    ),
    (
        "open-brace-alone",
        "JsonTypeSerializer.IsEmptyMap: a `{` with only whitespace after it",
        "{ ",
        {},
    ),
    (
        "quote-left-open-before-the-brace",
        "JsvTypeSerializer.EatValue takes the rest; FromCsvField drops its last char",
        '{a:"b}',
        {"a": "b"},
    ),
    (
        "quote-left-open-keeps-doubled-quotes",
        "JsvTypeSerializer.EatValue (isLiteralQuote); FromCsvField replaces `\"\"`",
        '{a:"x""}',
        {"a": 'x"'},
    ),
    (
        "quote-left-open-in-a-nested-object",
        "EatValue runs the nested `{` to the end; StringToType then reads `{b:\"c}}`",
        '{a:{b:"c}}',
        {"a": {"b": "c}"}},
    ),
    (
        "keys-trimmed-values-not",
        "DeserializeTypeRefJsv.StringToType: `EatMapKey(strType, ref index).Trim()`",
        "{ a : b }",
        {"a": " b "},
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"), [case[2:] for case in ACCEPTED], ids=[case[0] for case in ACCEPTED]
)
def test_reads_what_servicestack_reads(text: str, expected: object) -> None:
    assert jsv.loads(text) == expected


def test_unfinished_request_body_reads_as_servicestack_binds_it() -> None:
    # The mock binds request bodies with the same reader: `{purpose:"x}` sets purpose to "x".
    assert jsv.loads_object('{purpose:"x}') == {"purpose": "x"}
    assert jsv.loads_object("{purpose:x") == {"purpose": "x"}


# Stricter on purpose: ServiceStack reads each of these only by dropping text.
REFUSED = [
    # FromCsvField drops the last character of an open quote: ServiceStack reads {a:"b"}, "c" lost.
    ('{a:"bc', JsvErrorKind.UNTERMINATED_QUOTE),
    # The same at the top level: "abc" would read as "ab".
    ('"abc', JsvErrorKind.UNTERMINATED_QUOTE),
    # StripList drops the `]` it assumes is last: `[a,b` reads as ["a", null], "b" lost.
    ("[a,b", JsvErrorKind.UNTERMINATED_LIST),
    # StripList first takes the `]` off `[a,"b]`, then FromCsvField reads `"b` as "".
    ('[a,"b]', JsvErrorKind.UNTERMINATED_QUOTE),
]


@pytest.mark.parametrize(("text", "kind"), REFUSED, ids=[text for text, _ in REFUSED])
def test_refuses_what_servicestack_reads_only_by_losing_text(text: str, kind: JsvErrorKind) -> None:
    with pytest.raises(JsvDecodeError) as caught:
        jsv.loads(text)
    assert caught.value.kind is kind


def test_one_space_list_reads_as_written_not_as_strip_list_reads_it() -> None:
    # TypeSerializer writes [" "] as `[ ]`; StripList reads that back as an empty list, losing the
    # element. The kit reads what was written.
    assert jsv.dumps([" "]) == "[ ]"
    assert jsv.loads("[ ]") == [" "]


_TYPED = typed_shape(
    "ModelWithFloatTypes",
    ("Float", "number"),
    ("Double", "number"),
    ("Decimal", "number"),
    ("Count", "integer"),
    ("On", "boolean"),
)


def test_model_with_float_types_as_servicestack_writes_it() -> None:
    """JsvTests/JsvBasicDataTests.cs, Can_serialize_ModelWithFloatTypes."""
    value = {"Float": 1.1, "Double": 2.2, "Decimal": 3.3}
    assert jsv.encode_dto(value, _TYPED) == b"{Float:1.1,Double:2.2,Decimal:3.3}"
    assert jsv.decode_dto(b"{Float:111111.1,Double:2222222.22,Decimal:33333333.333}", _TYPED) == {
        "Float": 111111.1,
        "Double": 2222222.22,
        "Decimal": 33333333.333,
    }


@pytest.mark.parametrize(
    ("text", "number"),
    [("1", 1), ("1.0", 1.0), ("1E-05", 1e-05), ("1e-05", 1e-05), ("-1.5E+20", -1.5e20)],
)
def test_number_members_read_every_dotnet_form(text: str, number: float) -> None:
    """DefaultMemory.ParseDouble: NumberStyles.Float | AllowThousands, InvariantCulture."""
    assert jsv.decode_dto(f"{{Double:{text}}}", _TYPED) == {"Double": number}


def test_typed_members_round_trip_through_the_dotnet_text() -> None:
    value = {"Double": 1e-05, "Count": 3, "On": True}
    body = jsv.encode_dto(value, _TYPED)
    assert body == b"{Double:1E-05,Count:3,On:True}"
    assert jsv.decode_dto(body, _TYPED) == value


def test_text_that_is_not_its_member_s_type_stays_text() -> None:
    # The schema check then names the bad value; the body itself is well-formed JSV.
    assert jsv.decode_dto("{Double:abc,On:yes,Other:1}", _TYPED) == {"Double": "abc", "On": "yes", "Other": "1"}
