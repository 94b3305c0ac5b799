"""Building a request DTO from an HTTP request, as ServiceStack does (CONTRACT.md section 2).

Pure: the view hands over the body bytes, the Content-Type, the path variables and the query pairs.
- The body is read by Content-Type (JSON, JSV or a form); a missing or unknown type: ignored.
- Precedence: body < path variables < query string.
- The pre-defined routes (section 1.1, ServiceStack's `GenericHandler`) differ: a body that is not
  a form is read in the route's own format whatever its Content-Type (none included), and query
  values only fill properties the body left null (`GenericHandler.CreateRequestAsync`).
- A form field or query name given twice reads
  as its values joined by `,` (`decode_form`, as ASP.NET's `NameValueCollection`).
- Property names match case-insensitively; unknown ones are ignored; JSON `null` is absent.
- Lenient values: every value becomes text. A JSON number keeps its literal text (`1.50`), a
  boolean becomes `true`/`false`, an object or array its raw JSON text, as ServiceStack.Text reads
  a non-string token into a `string` property.
- A JSON or JSV body whose first non-blank character is not `{`, or which does not parse, fails
  with `SerializationFailure` (400), which the caller raises before any auth check.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from json.decoder import scanstring  # type: ignore[attr-defined]  # public, but not in the stubs

from evokit.contract.formats import Format, body_format, decode_form, jsv
from evokit.contract.formats.errors import JsvDecodeError
from evokit.mockserver.core.errors import SerializationFailure

_BLANK = re.compile(r"[ \t\n\r]*")


@dataclass(frozen=True)
class RequestParts:
    """What of an HTTP request goes into its DTO."""

    body: bytes = b""
    content_type: str | None = None
    path_params: Mapping[str, str] | None = None
    query: bytes | str = b""
    # The route's own format on a pre-defined route (`evokit.contract.formats.predefined_format`), else None.
    predefined: Format | None = None


class _Malformed(ValueError):
    """A body that starts like a DTO but does not parse; the message is the detail."""


def _reject_constant(name: str) -> object:
    raise _Malformed(f"{name} is not a JSON value")


# Strict JSON, as the shared codec reads it: NaN/Infinity and raw control characters are errors.
_DECODER = json.JSONDecoder(parse_constant=_reject_constant)


def _json_text(value: object, raw: str) -> str | None:
    """A JSON value as the text a `string` property receives: strings as they are, null absent,
    anything else its literal text as sent."""
    if value is None or isinstance(value, str):
        return value
    return raw


def _expect(text: str, pos: int, chars: str) -> str:
    if pos >= len(text) or text[pos] not in chars:
        found = repr(text[pos]) if pos < len(text) else "the end"
        raise _Malformed(f"expected {' or '.join(map(repr, chars))} at offset {pos}, found {found}")
    return text[pos]


def json_members(text: str) -> list[tuple[str, str | None]]:
    """The members of the JSON object `text` as (name, text value) pairs.

    The common case, an object of strings and nulls, is one `json.loads`; any other value sends
    the text through `raw_json_members`, which keeps its literal.
    """
    value = _DECODER.decode(text)
    if not isinstance(value, dict):
        raise _Malformed(f"expected an object, found {type(value).__name__}")
    if all(item is None or isinstance(item, str) for item in value.values()):
        return list(value.items())
    return raw_json_members(text)


def raw_json_members(text: str) -> list[tuple[str, str | None]]:
    """The members of the JSON object `text` as (name, text value) pairs, raw text preserved.

    `json.JSONDecoder.raw_decode` parses each value and says where it ends, so the exact literal of
    numbers, objects and arrays is kept. Raises `_Malformed` (or `ValueError`) for anything else.
    """
    members: list[tuple[str, str | None]] = []
    pos = _BLANK.match(text, 0).end()  # type: ignore[union-attr]  # matches the empty string
    _expect(text, pos, "{")
    pos = _BLANK.match(text, pos + 1).end()  # type: ignore[union-attr]
    if text[pos : pos + 1] == "}":
        pos += 1
    else:
        while True:
            _expect(text, pos, '"')
            key, pos = scanstring(text, pos + 1, True)
            pos = _BLANK.match(text, pos).end()  # type: ignore[union-attr]
            _expect(text, pos, ":")
            start = _BLANK.match(text, pos + 1).end()  # type: ignore[union-attr]
            value, end = _DECODER.raw_decode(text, start)
            members.append((key, _json_text(value, text[start:end])))
            pos = _BLANK.match(text, end).end()  # type: ignore[union-attr]
            if _expect(text, pos, ",}") == "}":
                pos += 1
                break
            pos = _BLANK.match(text, pos + 1).end()  # type: ignore[union-attr]
    if _BLANK.match(text, pos).end() != len(text):  # type: ignore[union-attr]
        raise _Malformed(f"text after the object at offset {pos}")
    return members


def jsv_members(text: str) -> list[tuple[str, str | None]]:
    """The members of the JSV object `text`; nested objects and lists become their JSV text."""
    try:
        value = jsv.loads_object(text)
    except JsvDecodeError as exc:
        raise _Malformed(str(exc)) from None
    return [(key, item if item is None or isinstance(item, str) else jsv.dumps(item)) for key, item in value.items()]


_SURROGATE = re.compile("[\ud800-\udfff]")


def _normalize(text: str) -> str:
    """Lone surrogates (JSON `"\\ud800"`) as .NET strings end up holding them: U+FFFD. Only a
    JSON escape can put a surrogate in a value, so most values are returned after one scan."""
    if text.isascii() or _SURROGATE.search(text) is None:
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


class DtoBinder:
    """Builds one request DTO type from `RequestParts` (see the module doc for the rules).

    `type_name` is the .NET type name ServiceStack writes in a SerializationException message.
    """

    def __init__(self, properties: Sequence[str], *, type_name: str) -> None:
        self.properties = tuple(properties)
        self.type_name = type_name
        self._by_folded = {name.casefold(): name for name in self.properties}

    def bind(self, parts: RequestParts) -> dict[str, str]:
        """The DTO's present properties, in declaration order, every value text."""
        values: dict[str, str | None] = {}
        query = list(decode_form(parts.query).items()) if parts.query else []
        for layer in (
            self._body_members(parts.body, parts.content_type, parts.predefined),
            list((parts.path_params or {}).items()),
            query if parts.predefined is None else [],
        ):
            for key, value in layer:
                name = self._by_folded.get(key.strip().casefold())
                if name is not None and value is not None:
                    values[name] = value
        if parts.predefined is not None:
            for key, value in query:
                name = self._by_folded.get(key.strip().casefold())
                # GenericHandler skips empty query values and fills only what is still null.
                if name is not None and value and values.get(name) is None:
                    values[name] = value
        return {name: _normalize(value) for name in self.properties if (value := values.get(name)) is not None}

    def _body_members(
        self, body: bytes, content_type: str | None, predefined: Format | None = None
    ) -> list[tuple[str, str | None]]:
        kind = body_format(content_type) if content_type else None
        if predefined is not None and kind != "form":
            # Section 1.1: the route's own format, whatever the Content-Type says.
            kind = predefined
            content_type = predefined.media_type
        if kind is None or not body:
            return []
        try:
            text = body.decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError as exc:
            raise self._failure(content_type, f"invalid UTF-8 at byte {exc.start}") from None
        if kind == "form":
            return list(decode_form(text).items())
        if kind not in (Format.JSON, Format.JSV):
            return []  # a type the service does not read (section 2): the body is ignored
        stripped = text.lstrip()
        if not stripped:
            return []
        if not stripped.startswith("{"):
            raise self._failure(content_type, f"expected '{{' but found {stripped[0]!r}")
        try:
            return json_members(text) if kind == Format.JSON else jsv_members(text)
        except RecursionError:
            raise self._failure(content_type, "nesting too deep") from None
        except ValueError as exc:  # _Malformed and json.JSONDecodeError
            raise self._failure(content_type, str(exc)) from None

    def _failure(self, content_type: str | None, detail: str) -> SerializationFailure:
        media_type = (content_type or "").split(";", 1)[0].strip()
        # The message of ServiceStackHandlerBase.CreateContentTypeRequestAsync, stray quote included.
        return SerializationFailure(
            f"Could not deserialize '{media_type}' request using {self.type_name}'\nError: {detail}"
        )
