"""The codec registry, media types and request bodies; and the property that every codec agrees."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given

from evokit.contract.formats import (
    CONTENT_TYPES,
    DEFAULT_REGISTRY,
    Codec,
    CodecRegistry,
    Format,
    FunctionCodec,
    UnknownFormatError,
    body_format,
    decode_form,
    format_of_media_type,
    normalize_status,
)

from .shapes import NOT_FOUND, SESSION, SHAPE, VALIDATION
from .strategies import fast, session_values, xml_text


@pytest.mark.parametrize(
    ("fmt", "content_type"),
    [
        (Format.JSON, "application/json; charset=utf-8"),
        (Format.JSV, "application/jsv"),
        (Format.XML, "application/xml"),
        (Format.CSV, "text/csv"),
    ],
    ids=lambda v: v.name if isinstance(v, Format) else v,
)
def test_each_format_has_a_codec_sending_servicestacks_content_type(fmt: Format, content_type: str) -> None:
    codec = DEFAULT_REGISTRY.for_format(fmt)
    assert (codec.format, codec.content_type, fmt.content_type) == (fmt, content_type, content_type)
    assert CONTENT_TYPES[fmt] == content_type


LOOKUPS = [
    ("application/json; charset=utf-8", Format.JSON),
    ("text/json", Format.JSON),
    ("Application/JSV", Format.JSV),
    ("text/jsv", Format.JSV),
    ("application/xml", Format.XML),
    ("text/xml; charset=utf-8", Format.XML),
    ("text/csv", Format.CSV),
    ("text/html", None),
    ("text/plain", None),
    ("", None),
    (None, None),
]


@pytest.mark.parametrize(("header", "fmt"), LOOKUPS, ids=[repr(h) for h, _ in LOOKUPS])
def test_codec_for_content_type(header: str | None, fmt: Format | None) -> None:
    codec = DEFAULT_REGISTRY.for_content_type(header)
    assert (codec.format if codec else None) is fmt
    assert format_of_media_type(header) is fmt


BODIES = [
    ("application/json", Format.JSON),
    ("application/json; charset=utf-8", Format.JSON),
    ("text/json", Format.JSON),
    ("APPLICATION/JSON", Format.JSON),
    ("application/jsv", Format.JSV),
    (" text/jsv ; charset=utf-8", Format.JSV),
    ("application/x-www-form-urlencoded", "form"),
    ("application/x-www-form-urlencoded; charset=utf-8", "form"),
    ("application/xml", None),
    ("text/csv", None),
    ("multipart/form-data; boundary=x", None),
    ("text/plain", None),
    ("", None),
    (None, None),
]


@pytest.mark.parametrize(("header", "kind"), BODIES, ids=[repr(h) for h, _ in BODIES])
def test_body_format(header: str | None, kind: Format | str | None) -> None:
    assert body_format(header) == kind


FORMS = [
    ("simple", b"sessionId=s1&purpose=Hello", {"sessionId": "s1", "purpose": "Hello"}),
    ("plus-and-percent", "purpose=a+b%2Cc%20%F0%9F%98%80", {"purpose": "a b,c 😀"}),
    ("repeated-joined-with-comma", "purpose=a&purpose=b", {"purpose": "a,b"}),
    ("names-fold-case-first-spelling-kept", "Purpose=a&purpose=b", {"Purpose": "a,b"}),
    ("blank-and-bare", "purpose=&flag", {"purpose": "", "flag": ""}),
    ("empty", b"", {}),
]


@pytest.mark.parametrize(("body", "fields"), [f[1:] for f in FORMS], ids=[f[0] for f in FORMS])
def test_decode_form(body: bytes | str, fields: dict[str, str]) -> None:
    assert decode_form(body) == fields


def test_format_from_name() -> None:
    assert Format.from_name("JSV") is Format.JSV
    with pytest.raises(UnknownFormatError) as caught:
        Format.from_name("html")
    assert caught.value.name == "html"


def test_registry_is_immutable_and_checked() -> None:
    json_codec = DEFAULT_REGISTRY.for_format(Format.JSON)
    assert isinstance(json_codec, FunctionCodec)
    custom = replace(json_codec, content_type="application/json")
    registry = DEFAULT_REGISTRY.with_codec(custom)
    assert registry.for_format(Format.JSON) is custom
    assert DEFAULT_REGISTRY.for_format(Format.JSON) is json_codec
    assert set(registry.formats) == set(Format)
    with pytest.raises(ValueError, match="one codec per format"):
        CodecRegistry((json_codec, custom))
    with pytest.raises(UnknownFormatError):
        CodecRegistry((json_codec,)).for_format(Format.XML)


@pytest.mark.parametrize("codec", list(DEFAULT_REGISTRY), ids=lambda c: c.format.name)
def test_every_codec_round_trips_the_sample_and_errors(codec: Codec) -> None:
    assert isinstance(codec, Codec)
    assert codec.decode_dto(codec.encode_dto(SESSION, SHAPE), SHAPE) == SESSION
    for status in (NOT_FOUND, VALIDATION):
        assert codec.decode_error(codec.encode_error(status)) == {"responseStatus": normalize_status(status)}


# Non-empty values: CSV cannot tell the empty string from an absent member.
@fast
@given(session_values(xml_text.filter(bool)))
def test_all_codecs_agree_on_any_session(value: dict[str, object]) -> None:
    decoded = [codec.decode_dto(codec.encode_dto(value, SHAPE), SHAPE) for codec in DEFAULT_REGISTRY]
    assert all(result == value for result in decoded)
