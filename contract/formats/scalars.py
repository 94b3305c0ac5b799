"""Numbers and booleans as .NET writes and reads them in JSV, CSV and JSON text.

Writing: ServiceStack writes an integer with `writer.Write(long)` and a double with
`double.ToString(CultureInfo.InvariantCulture)` (`JsvTypeSerializer.WriteDouble`,
`JsonTypeSerializer.WriteDouble`). Since .NET Core 3.0 that is the shortest text that reads back
as the same double, laid out by the general ("G") format: `1` for a whole double (not Python's
`1.0`), `1E-05` (not `1e-05`), `1.5E+20`, `1234567890123456` without an exponent. `format_double`
writes exactly that.

Reading: `double.Parse(text, NumberStyles.Float | NumberStyles.AllowThousands,
CultureInfo.InvariantCulture)` (`DefaultMemory.ParseDouble`) -- surrounding whitespace, a sign, a
decimal point, `e` or `E` with a signed exponent, `,` group separators, and `NaN`/`Infinity`.
`read_number` accepts those forms. Booleans read as `bool.TryParse` does: `true`/`false` in any
letter case (`DefaultMemory.TryParseBoolean`).

The codecs themselves know no types; these helpers serve callers that hold a JSON-schema type
for a member (`Member.kind`). No I/O.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from evokit.contract.formats.shape import DtoShape

# The general format switches to scientific notation when the decimal exponent would exceed the
# digits shown (at least 15, .NET's `DoublePrecision`) or fall below -5 (`Number.Formatting`'s
# `FormatGeneral`: scale > digits or scale < -3).
_DOUBLE_PRECISION = 15
_LOWEST_FIXED_SCALE = -3

# NumberStyles.Float | AllowThousands: group separators only before the decimal point.
_NET_FLOAT = re.compile(r"[+-]?(?:\d[\d,]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_NET_INTEGER = re.compile(r"[+-]?\d+")
_SPECIALS = {"nan": math.nan, "infinity": math.inf, "+infinity": math.inf, "-infinity": -math.inf}
# What `NumberStyles.AllowLeadingWhite | AllowTrailingWhite` skip: U+0009-U+000D and U+0020.
_NUMBER_WHITESPACE = "\t\n\v\f\r "


def format_double(value: float) -> str:
    """`value` as .NET's `double.ToString(CultureInfo.InvariantCulture)` writes it."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    sign = "-" if math.copysign(1.0, value) < 0 else ""
    if value == 0:
        return sign + "0"  # .NET Core 3.0+ keeps the sign of negative zero: "-0"
    # repr is the shortest text that reads back as `value`, the digits .NET chooses too.
    shortest = Decimal(repr(abs(value))).normalize().as_tuple()
    digits = "".join(map(str, shortest.digits))
    scale = len(digits) + int(shortest.exponent)  # the decimal point sits after `scale` digits
    if scale > max(len(digits), _DOUBLE_PRECISION) or scale < _LOWEST_FIXED_SCALE:
        power = scale - 1
        tail = "." + digits[1:] if len(digits) > 1 else ""
        return f"{sign}{digits[0]}{tail}E{'-' if power < 0 else '+'}{abs(power):02d}"
    if scale <= 0:
        return f"{sign}0.{'0' * -scale}{digits}"
    if scale >= len(digits):
        return sign + digits + "0" * (scale - len(digits))
    return f"{sign}{digits[:scale]}.{digits[scale:]}"


def format_number(value: int | float) -> str:
    """An int or float as .NET writes a `long` or a `double`."""
    return format_double(value) if isinstance(value, float) else str(value)


def read_number(text: str) -> int | float | None:
    """The number `text` holds in any form `double.Parse` accepts, else None.

    Integral text without a point or an exponent reads as an `int` (so `1` stays exact however
    long); everything else as a `float`.
    """
    stripped = text.strip(_NUMBER_WHITESPACE)
    special = _SPECIALS.get(stripped.casefold())
    if special is not None:
        return special
    if _NET_FLOAT.fullmatch(stripped) is None:
        return None
    plain = stripped.replace(",", "")
    if _NET_INTEGER.fullmatch(plain):
        return int(plain)
    return float(plain)


def read_integer(text: str) -> int | None:
    """The integer `text` holds as `long.Parse` reads it (sign and surrounding white only)."""
    stripped = text.strip(_NUMBER_WHITESPACE)
    return int(stripped) if _NET_INTEGER.fullmatch(stripped) else None


def read_boolean(text: str) -> bool | None:
    """`True`/`False` in any letter case, as `bool.TryParse` reads them; else None."""
    # DefaultMemory.TryParseBoolean compares without trimming, so " true" is not a boolean.
    return {"true": True, "false": False}.get(text.casefold())


_READERS = {"number": read_number, "integer": read_integer, "boolean": read_boolean}


def read_as(value: object, kind: str | None) -> object:
    """`value`, decoded from JSV or CSV text, read as the JSON Schema type `kind`.

    Only text of a `number`, `integer` or `boolean` member changes; text that does not read as its
    type is returned as it is, so the schema check names the bad value instead of the decoder
    failing the whole body. (A .NET `decimal` keeps trailing zeros, `1.0`; it reads as the float
    1.0, which `format_double` writes back as `1`.)
    """
    reader = _READERS.get(kind) if isinstance(value, str) else None
    if reader is None:
        return value
    typed = reader(value)  # type: ignore[arg-type]
    return value if typed is None else typed


def read_members(value: Mapping[str, object], shape: DtoShape) -> dict[str, object]:
    """A decoded DTO with the text of every typed member read as its type (`read_as`), lists of
    DTOs (`Member.item`) read element by element; keys the shape does not know stay as written."""
    members = shape.by_name()
    result: dict[str, object] = {}
    for key, item in value.items():
        member = members.get(key)
        if member is None:
            result[key] = item
        elif member.item is not None and isinstance(item, list):
            shape_of = member.item
            result[key] = [read_members(row, shape_of) if isinstance(row, Mapping) else row for row in item]
        else:
            result[key] = read_as(item, member.kind)
    return result
