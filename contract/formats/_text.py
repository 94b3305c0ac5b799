"""Text <-> bytes the way a .NET service does it: UTF-8 without a byte order mark.

Every ServiceStack serializer writes UTF-8 without a BOM (`PclExport.GetUTF8Encoding(false)` in
`XmlSerializer`, `CsvSerializer.UseEncoding`, `JsConfig.UTF8Encoding`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from evokit.contract.formats.errors import DecodeError, EncodeError

if TYPE_CHECKING:
    from evokit.contract.formats.shape import Member

_BOM = "\ufeff"


def normalize_surrogates(text: str) -> str:
    """`text` as a .NET string would hold it: surrogate pairs joined, lone surrogates U+FFFD.

    A Python `str` can hold lone surrogates (JSON `"\\ud800"` decodes to one); .NET's UTF-8
    encoder replaces each with U+FFFD instead of failing, which this mirrors.
    """
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")


def join_surrogate_pairs(text: str) -> str:
    """`text` with surrogate pairs joined into one code point and lone surrogates left in place."""
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def to_utf8(text: str) -> bytes:
    """UTF-8 bytes of `text`, lone surrogates replaced as .NET's encoder replaces them."""
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return normalize_surrogates(text).encode("utf-8")


def from_utf8(data: bytes | str, error: Callable[[str, int], DecodeError]) -> str:
    """Decode UTF-8 `data` (a leading BOM dropped, as .NET's StreamReader drops it).

    `error(reason, offset)` builds the format's own typed error for bytes that are not UTF-8;
    `offset` is then a byte offset. A `str` passes through (BOM dropped).
    """
    if isinstance(data, str):
        return data.removeprefix(_BOM)
    try:
        text = bytes(data).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(f"invalid UTF-8 byte sequence ({exc.reason})", exc.start) from None
    return text.removeprefix(_BOM)


def flat_strings(present: Sequence[tuple[Member, object]], quote: Callable[[str], str]) -> str | None:
    """`{name:value,...}` when every present member is a string, else None.

    Every DTO the service answers with is flat strings; writing them in one join skips the general
    writers' type dispatch, the dearest part of encoding a response. `quote` writes a name or value.
    """
    if any(type(item) is not str for _, item in present):
        return None
    return "{" + ",".join(quote(member.name) + ":" + quote(item) for member, item in present) + "}"  # type: ignore[arg-type]


# A text writer's step: append `value`'s text to `out`; `path` names the value in error messages.
Writer = Callable[[Any, list[str], str], None]
WriterTable = tuple[tuple["type | tuple[type, ...]", Writer], ...]


def write_by_type(table: WriterTable, value: object, out: list[str], path: str, format_name: str) -> None:
    """Write `value` with the first writer of `table` whose types it is an instance of (the order
    matters: bool before int), or raise `EncodeError` naming the format that cannot write it."""
    for types, writer in table:
        if isinstance(value, types):
            writer(value, out, path)
            return
    raise EncodeError(f"{format_name} cannot write a {type(value).__name__}", path=path)
