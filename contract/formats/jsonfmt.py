"""JSON as ServiceStack writes it: compact, raw UTF-8, nulls left out (CONTRACT.md sections 4, 6).

Named `jsonfmt` so it never shadows the standard `json` module it builds on.

Writing mirrors `ServiceStack.Text.Json.JsonUtils.WriteString`: `"` `\\` LF CR TAB FF BS get their
short escapes, every other control character (`char.IsControl`: U+0000-U+001F and U+007F-U+009F)
becomes `\\uXXXX` with upper-case hex (`JsonUtils.IntToHex`), and everything else -- all non-ASCII
text included -- is written raw (`JsConfig.EscapeUnicode` is off by default). Doubles are written
as `double.ToString(CultureInfo.InvariantCulture)` writes them (`1`, `1E-05`: both valid JSON).
Objects keep the mapping's order with `None` members omitted; the output has no whitespace.

Reading is strict JSON (RFC 8259): `NaN` and `Infinity` are rejected, and every failure is a
`JsonDecodeError` carrying the 0-based offset, line and column.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any

from evokit.contract.formats._text import (
    Writer,
    WriterTable,
    flat_strings,
    from_utf8,
    to_utf8,
    write_by_type,
)
from evokit.contract.formats.errors import EncodeError, JsonDecodeError
from evokit.contract.formats.scalars import format_double
from evokit.contract.formats.shape import DtoShape
from evokit.contract.formats.status import normalize_status

_SHORT_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\f": "\\f", "\b": "\\b"}
_CONTROL = [*range(0x20), *range(0x7F, 0xA0)]
_ESCAPES: dict[int, str] = {code: f"\\u{code:04X}" for code in _CONTROL} | {
    ord(char): escape for char, escape in _SHORT_ESCAPES.items()
}

# Characters whose escape differs between ServiceStack and the standard library's C encoder (which
# writes lower-case `\u001f` and leaves U+007F-U+009F raw); strings without them take the C path.
_STDLIB_DIFFERS = re.compile("[\x00-\x07\x0b\x0e-\x1f\x7f-\x9f]")
_c_quote: Callable[[str], str] = json.encoder.encode_basestring  # type: ignore[attr-defined]

# A string, skipped whole, or one of the constants Python's json accepts but JSON does not.
_CONSTANT = re.compile(r'"(?:[^"\\]|\\.)*"|(-?Infinity|NaN)')


def quote(text: str) -> str:
    """`text` as a JSON string literal, escaped as ServiceStack escapes it."""
    if _STDLIB_DIFFERS.search(text) is None:  # the same text, an order of magnitude faster
        return _c_quote(text)
    return '"' + text.translate(_ESCAPES) + '"'


# --- writing -------------------------------------------------------------------------------------

_Writer = Writer


def _write_float(value: float, out: list[str], path: str) -> None:
    if not math.isfinite(value):
        raise EncodeError(f"JSON cannot write {value!r}", path=path)
    out.append(format_double(value))  # JsonTypeSerializer.WriteDouble: `1`, `1E-05`, not `1.0`, `1e-05`


def _write_mapping(value: Mapping[object, object], out: list[str], path: str) -> None:
    out.append("{")
    first = True
    for key, item in value.items():
        if not isinstance(key, str):
            raise EncodeError(f"JSON object keys must be strings, got {key!r}", path=path)
        if item is None:  # nulls are never written (section 4)
            continue
        out.append("" if first else ",")
        first = False
        out.append(quote(key) + ":")
        _write(item, out, f"{path}.{key}")
    out.append("}")


def _write_list(value: list[object] | tuple[object, ...], out: list[str], path: str) -> None:
    out.append("[")
    for index, item in enumerate(value):
        out.append("," if index else "")
        _write(item, out, f"{path}[{index}]")
    out.append("]")


# Checked in order: bool before int (a bool is an int).
_WRITERS: WriterTable = (
    (type(None), lambda value, out, path: out.append("null")),
    (bool, lambda value, out, path: out.append("true" if value else "false")),
    (int, lambda value, out, path: out.append(str(value))),
    (float, _write_float),
    (str, lambda value, out, path: out.append(quote(value))),
    (Mapping, _write_mapping),
    ((list, tuple), _write_list),
)


def _write(value: object, out: list[str], path: str) -> None:
    write_by_type(_WRITERS, value, out, path, "JSON")


class _NotPlain(Exception):
    """A value `_write_plain` leaves to the general writers."""


def _write_plain(value: object, out: list[str]) -> None:
    """What every stored session is made of -- exactly str, bool, int, dict, MappingProxyType,
    list and tuple -- written as the general writers write it, without their per-value type table
    and JSON-path bookkeeping (the dearest part of encoding a session with `actions`). Anything
    else (floats, None in a list, other mappings, non-string keys) raises `_NotPlain`."""
    kind = type(value)
    if kind is str:
        out.append(quote(value))  # type: ignore[arg-type]
    elif kind is dict or kind is MappingProxyType:
        separator = "{"
        for key, item in value.items():  # type: ignore[attr-defined]
            if item is None:  # nulls are never written (section 4)
                continue
            if type(key) is not str:
                raise _NotPlain
            out.append(separator + quote(key) + ":")
            separator = ","
            _write_plain(item, out)
        out.append("{}" if separator == "{" else "}")
    elif kind is list or kind is tuple:
        separator = "["
        for item in value:  # type: ignore[attr-defined]
            out.append(separator)
            separator = ","
            _write_plain(item, out)
        out.append("[]" if separator == "[" else "]")
    elif kind is bool:
        out.append("true" if value else "false")
    elif kind is int:
        out.append(str(value))
    else:
        raise _NotPlain


def dumps(value: object) -> str:
    """Serialize `value` as compact JSON; `None` members of mappings are left out."""
    out: list[str] = []
    try:
        _write_plain(value, out)
    except _NotPlain:
        out = []
        _write(value, out, "$")
    return "".join(out)


# --- reading -------------------------------------------------------------------------------------


class _Constant(ValueError):
    """Raised from `parse_constant`: NaN and Infinity are not JSON."""


def _reject_constant(name: str) -> object:
    raise _Constant(name)


def _utf8_error(reason: str, offset: int) -> JsonDecodeError:
    return JsonDecodeError(reason, offset=offset)


def loads(text: str | bytes) -> object:
    """Parse strict JSON (`bytes` are read as UTF-8); raises `JsonDecodeError` on any failure."""
    text = from_utf8(text, _utf8_error)
    try:
        return json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise JsonDecodeError(exc.msg, offset=exc.pos, line=exc.lineno, column=exc.colno) from None
    except _Constant as exc:
        found = next((m.start() for m in _CONSTANT.finditer(text) if m.group(1) == exc.args[0]), 0)
        raise JsonDecodeError(f"{exc.args[0]} is not a JSON value", offset=found) from None
    except RecursionError:
        raise JsonDecodeError("nesting too deep", offset=0) from None


def loads_object(text: str | bytes) -> dict[str, Any]:
    """Parse JSON that must be an object; anything else raises `JsonDecodeError`."""
    value = loads(text)
    if not isinstance(value, dict):
        raise JsonDecodeError(f"expected an object, got {type(value).__name__}", offset=0)
    return value


# --- the codec -----------------------------------------------------------------------------------


# --- a DTO by its shape: the hot path ---------------------------------------------------------

# Quoted texts by text. A session's ids, names and dates repeat from response to response, and a
# dict lookup costs a fraction of the escape check and the encoder; short texts only, and the table
# starts again empty when full, so a fuzzer's stream of new texts cannot grow it.
_QUOTED: dict[str, str] = {}
_QUOTED_MAX, _QUOTED_LONGEST = 4096, 128


def _quote_known(text: str) -> str:
    quoted = _QUOTED.get(text)
    if quoted is None:
        quoted = quote(text)
        if len(text) <= _QUOTED_LONGEST:
            if len(_QUOTED) >= _QUOTED_MAX:
                _QUOTED.clear()
            _QUOTED[text] = quoted
    return quoted


# A shape's members as (name, `"name":`, the plan of its rows or None), and its names.
_Plan = tuple[tuple[tuple[str, str, "_Plan | None"], ...], frozenset[str]]
_PLANS: dict[int, tuple[DtoShape, _Plan]] = {}


def _plan(shape: DtoShape) -> _Plan:
    """The writing plan of `shape`, made once per shape (the shape is kept, so its id stays its own)."""
    known = _PLANS.get(id(shape))
    if known is not None and known[0] is shape:
        return known[1]
    members = tuple(
        (member.name, quote(member.name) + ":", _plan(member.item) if member.item is not None else None)
        for member in shape.members
    )
    plan: _Plan = (members, frozenset(member.name for member in shape.members))
    _PLANS[id(shape)] = (shape, plan)
    return plan


def _write_shaped(value: Mapping[str, object], plan: _Plan, out: list[str]) -> None:
    """A DTO whose members are texts, booleans, integers and lists (of rows of a known shape), in
    wire order, with the names written once per shape; anything else raises `_NotPlain`, and the
    general writers take the whole DTO."""
    members, names = plan
    if any(key not in names for key in value):
        raise _NotPlain
    separator = "{"
    for name, key_text, rows in members:
        item = value.get(name)
        if item is None:
            continue
        kind = type(item)
        if kind is str:
            out.append(separator + key_text + _quote_known(item))  # type: ignore[arg-type]
        elif rows is not None and (kind is list or kind is tuple):
            out.append(separator + key_text)
            row_separator = "["
            for row in item:  # type: ignore[attr-defined]
                if type(row) is not dict and type(row) is not MappingProxyType:
                    raise _NotPlain
                out.append(row_separator)
                row_separator = ","
                _write_shaped(row, rows, out)
            out.append("[]" if row_separator == "[" else "]")
        elif kind is bool or kind is int:
            out.append(separator + key_text + ("true" if item is True else "false" if item is False else str(item)))
        else:
            raise _NotPlain
        separator = ","
    out.append("{}" if separator == "{" else "}")


def encode_dto(value: Mapping[str, object], shape: DtoShape) -> bytes:
    """The DTO as UTF-8 JSON, members in wire order, absent and None members left out."""
    out: list[str] = []
    try:
        _write_shaped(value, _plan(shape), out)
        return to_utf8("".join(out))
    except _NotPlain:
        pass
    present = shape.present(value)
    flat = flat_strings(present, quote)
    return to_utf8(flat if flat is not None else dumps({member.name: item for member, item in present}))


def encode_error(status: Mapping[str, object]) -> bytes:
    """`{"responseStatus": status}` as UTF-8 JSON; `status` is the inner ResponseStatus."""
    return to_utf8(dumps({"responseStatus": normalize_status(status)}))


def decode_dto(data: bytes | str, shape: DtoShape) -> dict[str, Any]:
    """The JSON object as written: wire names as keys, nulls kept as None so callers see them.

    `shape` is not needed (JSON already carries the wire names); the codec interface passes it.
    """
    return loads_object(data)


def decode_error(data: bytes | str) -> dict[str, Any]:
    """An error body, `{"responseStatus": {...}}`, as written."""
    return loads_object(data)
