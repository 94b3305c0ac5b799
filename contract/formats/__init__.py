"""The wire formats of the kit: JSON, JSV, XML and CSV as ServiceStack writes and reads them.

Pure functions only -- no I/O, no web framework -- shared by the mock server and the verifier.
The codecs know no schema: a `DtoShape` tells them a DTO's members. `DEFAULT_REGISTRY` finds a codec
by format or media type, `negotiate` picks a response format, `body_format` reads a request's
Content-Type. See CONTRACT.md sections 2 and 6.
"""

from evokit.contract.formats import csv, jsonfmt, jsv, xml
from evokit.contract.formats.errors import (
    CsvDecodeError,
    DecodeError,
    EncodeError,
    FormatError,
    JsonDecodeError,
    JsvDecodeError,
    JsvErrorKind,
    UnknownFormatError,
    XmlDecodeError,
)
from evokit.contract.formats.media import (
    CONTENT_TYPES,
    MEDIA_TYPES,
    Format,
    body_format,
    decode_form,
    format_of_media_type,
    media_type,
)
from evokit.contract.formats.negotiation import (
    accept_format,
    negotiate,
    path_prefix,
    predefined_format,
    split_suffix,
)
from evokit.contract.formats.registry import (
    DEFAULT_REGISTRY,
    Codec,
    CodecRegistry,
    FunctionCodec,
)
from evokit.contract.formats.shape import DtoShape, Member
from evokit.contract.formats.status import normalize_status

__all__ = [
    "CONTENT_TYPES",
    "DEFAULT_REGISTRY",
    "MEDIA_TYPES",
    "Codec",
    "CodecRegistry",
    "CsvDecodeError",
    "DecodeError",
    "DtoShape",
    "EncodeError",
    "Format",
    "FormatError",
    "FunctionCodec",
    "JsonDecodeError",
    "JsvDecodeError",
    "JsvErrorKind",
    "Member",
    "UnknownFormatError",
    "XmlDecodeError",
    "accept_format",
    "body_format",
    "csv",
    "decode_form",
    "format_of_media_type",
    "jsonfmt",
    "jsv",
    "media_type",
    "negotiate",
    "normalize_status",
    "path_prefix",
    "predefined_format",
    "split_suffix",
    "xml",
]
