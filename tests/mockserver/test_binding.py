"""Section 2: building the request DTO, one table of cases, no Flask."""

from __future__ import annotations

import pytest

from evokit.mockserver.http.binding import DtoBinder, RequestParts
from evokit.mockserver.core.errors import SerializationFailure
from evokit.mockserver.core.state import dotnet_type_name
from tests.mockserver.support import CONTRACT, ID_PARAM, OP, PURPOSE

BINDER = DtoBinder(CONTRACT.properties(OP.request), type_name=dotnet_type_name(CONTRACT, OP.request))
JSON, JSV, FORM = "application/json", "application/jsv", "application/x-www-form-urlencoded"

# (id, body, content type, path params, query, expected DTO)
CASES: list[tuple[str, bytes, str | None, dict[str, str], str, dict[str, str]]] = [
    ("empty body is an empty DTO", b"", JSON, {}, "", {}),
    ("blank body is an empty DTO", b" \r\n\t", JSON, {}, "", {}),
    ("json", b'{"purpose":"x"}', JSON, {}, "", {PURPOSE: "x"}),
    ("text/json alias", b'{"purpose":"x"}', "text/json", {}, "", {PURPOSE: "x"}),
    ("charset parameter", b'{"purpose":"x"}', "Application/JSON; charset=utf-8", {}, "", {PURPOSE: "x"}),
    ("utf-8 byte order mark", '\ufeff{"purpose":"é"}'.encode(), JSON, {}, "", {PURPOSE: "é"}),
    ("no content type: body ignored", b'{"purpose":"x"}', None, {}, "", {}),
    ("unknown content type: body ignored, even if not an object", b"[1,2]", "text/plain", {}, "", {}),
    ("xml is not read", b"<PatchAISession/>", "application/xml", {}, "", {}),
    ("case-insensitive names", b'{"PURPOSE":"x","SessionID":"s"}', JSON, {}, "", {ID_PARAM: "s", PURPOSE: "x"}),
    ("unknown names ignored", b'{"foo":1,"purpose":"x"}', JSON, {}, "", {PURPOSE: "x"}),
    ("null is absent", b'{"purpose":null}', JSON, {}, "", {}),
    ("empty string kept", b'{"purpose":""}', JSON, {}, "", {PURPOSE: ""}),
    ("no trimming", b'{"purpose":"  x  "}', JSON, {}, "", {PURPOSE: "  x  "}),
    ("integer becomes its text", b'{"purpose":123}', JSON, {}, "", {PURPOSE: "123"}),
    ("decimal keeps its literal", b'{"purpose":1.50}', JSON, {}, "", {PURPOSE: "1.50"}),
    ("exponent keeps its literal", b'{"purpose":-2E+3}', JSON, {}, "", {PURPOSE: "-2E+3"}),
    ("true becomes text", b'{"purpose":true}', JSON, {}, "", {PURPOSE: "true"}),
    ("false becomes text", b'{"purpose":false}', JSON, {}, "", {PURPOSE: "false"}),
    ("object becomes raw JSON", b'{"purpose":{"a": [1, 2]}}', JSON, {}, "", {PURPOSE: '{"a": [1, 2]}'}),
    ("array becomes raw JSON", b'{"purpose":[ "a" ,1]}', JSON, {}, "", {PURPOSE: '[ "a" ,1]'}),
    ("escapes decoded", b'{"purpose":"a\\"b\\n\\u00e9"}', JSON, {}, "", {PURPOSE: 'a"b\né'}),
    ("lone surrogate becomes U+FFFD", b'{"purpose":"\\ud800"}', JSON, {}, "", {PURPOSE: "\ufffd"}),
    ("last duplicate wins", b'{"purpose":"a","Purpose":"b"}', JSON, {}, "", {PURPOSE: "b"}),
    ("path beats body", b'{"sessionId":"B"}', JSON, {ID_PARAM: "A"}, "", {ID_PARAM: "A"}),
    ("query beats body", b'{"purpose":"body"}', JSON, {}, "purpose=query", {PURPOSE: "query"}),
    ("query beats path", b"", None, {ID_PARAM: "A"}, "sessionId=Q", {ID_PARAM: "Q"}),
    ("query names case-insensitive", b"", None, {}, "PURPOSE=x", {PURPOSE: "x"}),
    ("query repeated joins with commas", b"", None, {}, "purpose=a&purpose=b", {PURPOSE: "a,b"}),
    ("query percent-decoding", b"", None, {}, "purpose=a%20b%2C%E2%82%AC+c", {PURPOSE: "a b,€ c"}),
    ("query format is no property", b"", None, {}, "format=jsv", {}),
    ("jsv", b"{purpose:hello world}", JSV, {}, "", {PURPOSE: "hello world"}),
    ("text/jsv alias", b"{purpose:x}", "text/jsv", {}, "", {PURPOSE: "x"}),
    ("jsv quoted", b'{purpose:"a,b:""c"""}', JSV, {}, "", {PURPOSE: 'a,b:"c"'}),
    ("jsv empty value is null", b"{purpose:}", JSV, {}, "", {}),
    ("jsv keys trimmed, values not", b"{ PURPOSE :x }", JSV, {}, "", {PURPOSE: "x "}),
    ("jsv object becomes its text", b"{purpose:{a:1}}", JSV, {}, "", {PURPOSE: "{a:1}"}),
    ("jsv list becomes its text", b"{purpose:[a,b]}", JSV, {}, "", {PURPOSE: "[a,b]"}),
    # DeserializeTypeRefJsv.StringToType reads to the end of the text; FromCsvField takes the last
    # character of an open quote (here the brace) for the closing one.
    ("jsv unclosed object", b"{purpose:x", JSV, {}, "", {PURPOSE: "x"}),
    ("jsv quote left open before the brace", b'{purpose:"x}', JSV, {}, "", {PURPOSE: "x"}),
    ("form", b"purpose=a+b%21&sessionId=s", FORM, {}, "", {ID_PARAM: "s", PURPOSE: "a b!"}),
    ("form repeated names join", b"purpose=a&PURPOSE=b", FORM, {}, "", {PURPOSE: "a,b"}),
    ("form empty value", b"purpose=", FORM, {}, "", {PURPOSE: ""}),
    ("form is not JSON", b'{"purpose":"x"}', FORM, {}, "", {}),
]


@pytest.mark.parametrize(("body", "content_type", "path", "query", "expected"),
                         [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_binding(body: bytes, content_type: str | None, path: dict[str, str], query: str,
                 expected: dict[str, str]) -> None:
    assert BINDER.bind(RequestParts(body, content_type, path, query)) == expected


# (id, body, content type): every one a 400 SerializationException.
MALFORMED = [
    ("json list", b"[1]", JSON),
    ("json string", b'"x"', JSON),
    ("bare word", b"purpose", JSON),
    ("leading blank then list", b"  \n[", JSON),
    ("number", b"42", JSON),
    ("unclosed object", b'{"purpose":"x"', JSON),
    ("missing value", b'{"purpose":}', JSON),
    ("trailing comma", b'{"purpose":"x",}', JSON),
    ("single quotes", b"{'purpose':'x'}", JSON),
    ("text after the object", b'{"purpose":"x"} tail', JSON),
    ("NaN", b'{"purpose":NaN}', JSON),
    ("raw newline in string", b'{"purpose":"a\nb"}', JSON),
    ("invalid utf-8", b'{"purpose":"\xff"}', JSON),
    ("deep nesting", b'{"purpose":' + b"[" * 50_000, JSON),
    ("jsv bare text", b"purpose:x", JSV),
    ("jsv unterminated quote", b'{purpose:"xy', JSV),  # ServiceStack would read "x", losing "y"
    ("jsv unclosed list", b"{purpose:[a,b", JSV),
    ("jsv trailing text", b"{purpose:x} y", JSV),
    ("jsv deep nesting", b"{purpose:" + b"[" * 5_000, JSV),
]


@pytest.mark.parametrize(("body", "content_type"), [case[1:] for case in MALFORMED], ids=[case[0] for case in MALFORMED])
def test_malformed_bodies_fail_with_a_serialization_exception(body: bytes, content_type: str) -> None:
    with pytest.raises(SerializationFailure) as caught:
        BINDER.bind(RequestParts(body, content_type))
    failure = caught.value
    assert (failure.status, failure.error_code) == (400, "SerializationException")
    assert failure.message.startswith(f"Could not deserialize '{content_type}' request using Voice.Api.AI.{OP.request}'\nError: ")
