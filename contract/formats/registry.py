"""The codec registry: one codec per format, found by format or by media type.

A codec is any object with the attributes and methods of `Codec`; the four built-in ones bind the
functions of the format modules. A `CodecRegistry` is immutable: `with_codec` returns a new one, so
the mock and the verifier can each hold their own without shared mutable state.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable

from evokit.contract.formats import csv, jsonfmt, jsv, xml
from evokit.contract.formats.errors import UnknownFormatError
from evokit.contract.formats.media import ALIASES, Format, media_type
from evokit.contract.formats.shape import DtoShape

__all__ = ["DEFAULT_REGISTRY", "Codec", "CodecRegistry", "Format", "FunctionCodec"]


@runtime_checkable
class Codec(Protocol):
    """What the mock and the verifier need of a format. Every member is required.

    `content_type` is the response header value; `media_types` the bare types the codec answers
    to, canonical first. `encode_error` takes the inner ResponseStatus mapping (`errorCode`,
    `message`, `errors`, ...). Decoders raise a `DecodeError` subclass for malformed input.
    """

    @property
    def format(self) -> Format: ...

    @property
    def content_type(self) -> str: ...

    @property
    def media_types(self) -> tuple[str, ...]: ...

    def encode_dto(self, value: Mapping[str, object], shape: DtoShape, /) -> bytes: ...

    def encode_error(self, status: Mapping[str, object], /) -> bytes: ...

    def decode_dto(self, data: bytes, shape: DtoShape, /) -> dict[str, Any]: ...

    def decode_error(self, data: bytes, /) -> dict[str, Any]: ...


@dataclass(frozen=True)
class FunctionCodec:
    """A codec made of four functions, such as a format module's."""

    format: Format
    content_type: str
    media_types: tuple[str, ...]
    encode_dto: Callable[[Mapping[str, object], DtoShape], bytes]
    encode_error: Callable[[Mapping[str, object]], bytes]
    decode_dto: Callable[[bytes, DtoShape], dict[str, Any]]
    decode_error: Callable[[bytes], dict[str, Any]]


def _media_types(fmt: Format) -> tuple[str, ...]:
    return (fmt.media_type, *(alias for alias, canonical in ALIASES.items() if canonical == fmt.media_type))


def _module_codec(fmt: Format, module: Any) -> FunctionCodec:
    return FunctionCodec(
        format=fmt,
        content_type=fmt.content_type,
        media_types=_media_types(fmt),
        encode_dto=module.encode_dto,
        encode_error=module.encode_error,
        decode_dto=module.decode_dto,
        decode_error=module.decode_error,
    )


@dataclass(frozen=True)
class CodecRegistry:
    """Codecs by format and by media type; checked on creation for one codec per format and type."""

    codecs: tuple[Codec, ...]

    def __post_init__(self) -> None:
        formats = [codec.format for codec in self.codecs]
        types = [bare for codec in self.codecs for bare in codec.media_types]
        if len(set(formats)) != len(formats) or len(set(types)) != len(types):
            raise ValueError("a CodecRegistry holds one codec per format and per media type")

    def __iter__(self) -> Iterator[Codec]:
        return iter(self.codecs)

    @property
    def formats(self) -> tuple[Format, ...]:
        """The formats registered, in registration order."""
        return tuple(codec.format for codec in self.codecs)

    def for_format(self, fmt: Format) -> Codec:
        """The codec of `fmt`; raises `UnknownFormatError` if none is registered."""
        for codec in self.codecs:
            if codec.format is fmt:
                return codec
        raise UnknownFormatError(fmt.value)

    def for_content_type(self, header: str | None) -> Codec | None:
        """The codec for a Content-Type header (parameters and case ignored, aliases such as
        `text/jsv` included), or None when no codec reads it."""
        bare = media_type(header)
        for codec in self.codecs:
            if bare in codec.media_types:
                return codec
        return None

    def with_codec(self, codec: Codec) -> CodecRegistry:
        """A new registry with `codec` in place of the one for its format (or added)."""
        kept = tuple(existing for existing in self.codecs if existing.format is not codec.format)
        return CodecRegistry((*kept, codec))


DEFAULT_REGISTRY = CodecRegistry(
    (
        _module_codec(Format.JSON, jsonfmt),
        _module_codec(Format.JSV, jsv),
        _module_codec(Format.XML, xml),
        _module_codec(Format.CSV, csv),
    )
)
