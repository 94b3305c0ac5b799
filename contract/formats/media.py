"""The four formats, their media types, and what a request's Content-Type says about its body.

Media types are ServiceStack's (`MimeTypes.cs`): JSON `application/json`, JSV `application/jsv`,
XML `application/xml`, CSV `text/csv`. Only JSON responses get `; charset=utf-8`: that is the
whole of `HostConfig.AppendUtf8CharsetOnContentTypes` (CONTRACT.md section 6).
"""

from __future__ import annotations

import enum
from typing import Literal
from urllib.parse import parse_qsl

from evokit.contract.formats.errors import UnknownFormatError

FORM_MEDIA_TYPE = "application/x-www-form-urlencoded"


class Format(enum.Enum):
    """A wire format; the value is its name in `.ext` suffixes, `?format=` and `/{name}/reply/`."""

    JSON = "json"
    JSV = "jsv"
    XML = "xml"
    CSV = "csv"

    @classmethod
    def from_name(cls, name: str) -> Format:
        """The format called `name`, in any letter case; raises `UnknownFormatError` otherwise."""
        try:
            return cls(name.lower())
        except ValueError:
            raise UnknownFormatError(name) from None

    @property
    def media_type(self) -> str:
        """The canonical media type, e.g. `application/jsv`."""
        return MEDIA_TYPES[self]

    @property
    def content_type(self) -> str:
        """The response `Content-Type` ServiceStack sends for this format."""
        return CONTENT_TYPES[self]


MEDIA_TYPES: dict[Format, str] = {
    Format.JSON: "application/json",
    Format.JSV: "application/jsv",
    Format.XML: "application/xml",
    Format.CSV: "text/csv",
}

CONTENT_TYPES: dict[Format, str] = {
    Format.JSON: "application/json; charset=utf-8",
    Format.JSV: "application/jsv",
    Format.XML: "application/xml",
    Format.CSV: "text/csv",
}

# `ContentFormat.ContentTypeAliases`: the `text/*` spellings ServiceStack reads as the canonical type.
ALIASES: dict[str, str] = {
    "text/json": "application/json",
    "text/jsv": "application/jsv",
    "text/xml": "application/xml",
}

# Section 2: the request bodies the service reads. ServiceStack would also read XML and CSV
# bodies (`ContentTypes.ContentTypeDeserializers`, `CsvFormat`), but the contract lists only these.
_BODY_FORMATS: dict[str, Format | Literal["form"]] = {
    "application/json": Format.JSON,
    "text/json": Format.JSON,
    "application/jsv": Format.JSV,
    "text/jsv": Format.JSV,
    FORM_MEDIA_TYPE: "form",
}


def media_type(header: str | None) -> str | None:
    """The bare media type of a Content-Type or Accept item: parameters dropped, trimmed, lower case.

    Mirrors `MimeTypes.GetRealContentType`; None for a missing or blank header.
    """
    if header is None:
        return None
    bare = header.split(";", 1)[0].strip().lower()
    return bare or None


def body_format(content_type: str | None) -> Format | Literal["form"] | None:
    """How to read a request body with this Content-Type (section 2).

    JSON (`application/json`, `text/json`), JSV (`application/jsv`, `text/jsv`) or `"form"`
    (`application/x-www-form-urlencoded`); None for a missing or unknown type, whose body is ignored.
    Parameters such as `; charset=utf-8` and letter case do not matter.
    """
    bare = media_type(content_type)
    return _BODY_FORMATS.get(bare) if bare is not None else None


def format_of_media_type(header: str | None) -> Format | None:
    """The format a response Content-Type names, aliases included (`text/jsv` is JSV)."""
    bare = media_type(header)
    if bare is None:
        return None
    bare = ALIASES.get(bare, bare)
    return next((fmt for fmt, known in MEDIA_TYPES.items() if known == bare), None)


def decode_form(data: bytes | str) -> dict[str, str]:
    """An `application/x-www-form-urlencoded` body as ServiceStack sees it: one string per name.

    ASP.NET Core groups form fields case-insensitively (`KeyValueAccumulator`) and ServiceStack
    copies each group into a `NameValueCollection` as one comma-joined string (`NetCoreRequest.
    FormData`), so `purpose=a&Purpose=b` reads as `{"purpose": "a,b"}`: all values, joined with
    `,`, under the first spelling of the name. A field without `=` has the empty value.
    """
    text = data.decode("utf-8", "replace") if isinstance(data, bytes) else data
    names: dict[str, str] = {}
    values: dict[str, list[str]] = {}
    for name, value in parse_qsl(text, keep_blank_values=True, encoding="utf-8", errors="replace"):
        folded = name.casefold()
        names.setdefault(folded, name)
        values.setdefault(folded, []).append(value)
    return {names[folded]: ",".join(group) for folded, group in values.items()}
