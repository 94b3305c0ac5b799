"""JSV, ServiceStack's text format (`TypeSerializer`), as CONTRACT.md section 6 describes it.

Writing (`JsvTypeSerializer`, `JsvWriter`): compact, no whitespace; objects `{key:value,...}` in
the mapping's order, `None` members left out (`IncludeNullValues => false`); lists `[a,b]`;
booleans `True`/`False` (.NET `bool.ToString()`); numbers as .NET writes a `long` or a `double`
(`scalars.format_double`: `1`, `1E-05`, `1.5E+20`). A string is quoted only when it holds one of
`JsWriter.EscapeChars` -- `"` `:` `,` `{` `}` `[` `]` CR LF -- and then every inner `"` is doubled
(`StringExtensions.EncodeJsv`); the empty string is `""` (`JsvTypeSerializer.WriteString`).
Nothing else triggers quotes: leading or trailing spaces, TAB and any other Unicode are written as
they are.

Reading (`loads`, in `_jsv_reader`) follows ServiceStack.Text's `StringToType`, `EatMapKey`,
`EatValue` and `DeserializeListWithElements`, including the text it accepts unfinished (`{a:b`,
`{a:"b}`); keys are trimmed, values are not. JSV is untyped: every scalar reads back as `str`,
and `decode_dto` reads the text of a member the shape types (`Member.kind`) as that type. What
ServiceStack would read only by losing text -- an unclosed list, a quote left open outside an
object -- raises `JsvDecodeError` (kind, 0-based offset), as does a key without `:`, a missing
separator or text after the value. `[ ]` reads as `[" "]` (what `dumps` writes for it), where
ServiceStack's `StripList` reads `[]`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from evokit.contract.formats._jsv_reader import KEY_WHITESPACE, MAX_DEPTH, WHITESPACE, loads
from evokit.contract.formats._text import (
    Writer,
    WriterTable,
    flat_strings,
    from_utf8,
    to_utf8,
    write_by_type,
)
from evokit.contract.formats.errors import EncodeError, JsvDecodeError, JsvErrorKind
from evokit.contract.formats.scalars import format_number, read_members
from evokit.contract.formats.shape import DtoShape
from evokit.contract.formats.status import normalize_status

# JsWriter.EscapeChars: the characters that make EncodeJsv wrap a string in quotes.
QUOTE_TRIGGERS = frozenset('":,{}[]\r\n')
_NEEDS_QUOTES = re.compile("[" + re.escape("".join(sorted(QUOTE_TRIGGERS))) + "]")

__all__ = ["KEY_WHITESPACE", "MAX_DEPTH", "QUOTE_TRIGGERS", "dumps", "loads", "loads_object", "quote"]

def quote(text: str) -> str:
    """`text` as JSV writes a string: quoted (inner `"` doubled) only when it must be."""
    if text == "":
        return '""'
    if _NEEDS_QUOTES.search(text) is None:
        return text
    return '"' + text.replace('"', '""') + '"'


# --- writing -------------------------------------------------------------------------------------

_Writer = Writer


def dumps(value: object) -> str:
    """Serialize `value` (str, bool, int, float, None, mappings, lists) as compact JSV.

    A top-level `None` is the empty text; inside a list it is an empty element; inside a mapping
    the member is left out. Raises `EncodeError` for other types or non-string keys.
    """
    out: list[str] = []
    _write(value, out, "$")
    return "".join(out)


def _write_mapping(value: Mapping[object, object], out: list[str], path: str) -> None:
    out.append("{")
    first = True
    for key, item in value.items():
        if not isinstance(key, str):
            raise EncodeError(f"JSV object keys must be strings, got {key!r}", path=path)
        if item is None:  # JsvTypeSerializer.IncludeNullValues => false
            continue
        if not first:
            out.append(",")
        first = False
        out.append(quote(key))
        out.append(":")
        _write(item, out, f"{path}.{key}")
    out.append("}")


def _write_list(value: Sequence[object], out: list[str], path: str) -> None:
    out.append("[")
    for index, item in enumerate(value):
        if index:
            out.append(",")
        _write(item, out, f"{path}[{index}]")
    out.append("]")


def _write_scalar(text: Callable[[Any], str]) -> _Writer:
    def write(value: object, out: list[str], path: str) -> None:
        out.append(text(value))

    return write


# Checked in order: bool before int (a bool is an int), str before Sequence (a str is one).
_WRITERS: WriterTable = (
    (type(None), _write_scalar(lambda _: "")),
    (bool, _write_scalar(lambda v: "True" if v else "False")),
    ((int, float), _write_scalar(format_number)),  # never quoted: no number text holds an escape char
    (str, _write_scalar(quote)),
    (Mapping, _write_mapping),
    ((list, tuple), _write_list),
)


def _write(value: object, out: list[str], path: str) -> None:
    write_by_type(_WRITERS, value, out, path, "JSV")


# --- reading (contract.formats._jsv_reader) --------------------------------------------------------


def loads_object(text: str) -> dict[str, object]:
    """Parse JSV `text` that must be an object (a DTO); anything else raises `JsvDecodeError`."""
    value = loads(text)
    if not isinstance(value, dict):
        start = len(text) - len(text.lstrip(WHITESPACE))
        raise JsvDecodeError(JsvErrorKind.NOT_AN_OBJECT, offset=min(start, len(text)))
    return value


# --- the codec -----------------------------------------------------------------------------------


def _utf8_error(reason: str, offset: int) -> JsvDecodeError:
    return JsvDecodeError(JsvErrorKind.INVALID_UTF8, offset=offset, detail=reason)


def encode_dto(value: Mapping[str, object], shape: DtoShape) -> bytes:
    """The DTO as UTF-8 JSV, members in wire order, absent and None members left out."""
    present = shape.present(value)
    flat = flat_strings(present, quote)
    return to_utf8(flat if flat is not None else dumps({member.name: item for member, item in present}))


def encode_error(status: Mapping[str, object]) -> bytes:
    """`{responseStatus:{...}}` as UTF-8 JSV; `status` is the inner ResponseStatus."""
    return to_utf8(dumps({"responseStatus": normalize_status(status)}))


def decode_dto(data: bytes | str, shape: DtoShape) -> dict[str, object]:
    """The JSV object as written (`{purpose:}` gives None), the text of each member the shape
    types read as that type (`1E-05` for a number, `True` for a boolean); other keys as written."""
    return read_members(loads_object(from_utf8(data, _utf8_error)), shape)


def decode_error(data: bytes | str) -> dict[str, object]:
    """An error body, `{responseStatus:{...}}`, as written."""
    return loads_object(from_utf8(data, _utf8_error))
