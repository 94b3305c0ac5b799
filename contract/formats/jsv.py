"""JSV, ServiceStack's text format (`TypeSerializer`), as CONTRACT.md section 6 describes it.

Writing (`JsvTypeSerializer`, `JsvWriter`): compact, no whitespace; objects `{key:value,...}` in
the mapping's order, `None` members left out (`IncludeNullValues => false`); lists `[a,b]`;
booleans `True`/`False` (.NET `bool.ToString()`); numbers as their text. A string is quoted only
when it holds one of `JsWriter.EscapeChars` -- `"` `:` `,` `{` `}` `[` `]` CR LF -- and then every
inner `"` is doubled (`StringExtensions.EncodeJsv`); the empty string is `""`
(`JsvTypeSerializer.WriteString`). Nothing else triggers quotes: leading or trailing spaces, TAB
and any other Unicode are written as they are.

Reading (`JsvTypeSerializer.EatMapKey`/`EatValue`, `DeserializeTypeRefJsv`): keys are trimmed,
values are not; an unquoted value runs to the next `,` or the closing bracket, so `:` `{` `[` `"`
after its first character are literal, as in ServiceStack. `{purpose:}` reads as
`{"purpose": None}` -- the key is kept with a null value so callers can tell it was sent; the mock
treats null as absent (section 2). JSV is untyped: every scalar reads back as `str`.

Unlike ServiceStack, which guesses its way through broken text, `loads` is strict and raises
`JsvDecodeError` (kind, 0-based offset) for an unterminated quote, an unclosed bracket, a key
without `:`, a missing separator, or text after the value. One more deliberate difference: `[ ]`
reads as `[" "]` (what `dumps` writes for it), where ServiceStack's `StripList` reads `[]`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from contract.formats._text import (
    Writer,
    WriterTable,
    flat_strings,
    from_utf8,
    to_utf8,
    write_by_type,
)
from contract.formats.errors import EncodeError, JsvDecodeError, JsvErrorKind
from contract.formats.shape import DtoShape
from contract.formats.status import normalize_status

# JsWriter.EscapeChars: the characters that make EncodeJsv wrap a string in quotes.
QUOTE_TRIGGERS = frozenset('":,{}[]\r\n')
_NEEDS_QUOTES = re.compile("[" + re.escape("".join(sorted(QUOTE_TRIGGERS))) + "]")

# The reader nests by recursion; deeper input is rejected rather than exhausting the stack.
MAX_DEPTH = 100

_WHITESPACE = " \t\r\n"
# What `ReadOnlySpan<char>.Trim()` removes from keys: .NET `char.IsWhiteSpace`.
KEY_WHITESPACE = (
    "\t\n\v\f\r \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000"
)
_BLANK = re.compile(r"[ \t\r\n]*")
_KEY = re.compile(r"[^:,}]*")
_SCALAR_IN = {"}": re.compile(r"[^,}]*"), "]": re.compile(r"[^,\]]*")}
_UNTERMINATED = {"}": JsvErrorKind.UNTERMINATED_OBJECT, "]": JsvErrorKind.UNTERMINATED_LIST}


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
    ((int, float), _write_scalar(lambda v: quote(str(v)))),
    (str, _write_scalar(quote)),
    (Mapping, _write_mapping),
    ((list, tuple), _write_list),
)


def _write(value: object, out: list[str], path: str) -> None:
    write_by_type(_WRITERS, value, out, path, "JSV")


# --- reading -------------------------------------------------------------------------------------


def loads(text: str) -> object:
    """Parse JSV `text`: objects to dicts, lists to lists, scalars to `str`, `{key:}` to None.

    Whitespace around a top-level object, list or quoted string is ignored; any other top-level
    text is a bare scalar and returned as it is. The empty text is `None`.
    """
    start = len(text) - len(text.lstrip(_WHITESPACE))
    if start == len(text):
        return None if text == "" else text
    if text[start] not in '{["':
        return text
    reader = _Reader(text)
    value, end = reader.top(start)
    extra = reader.skip_blank(end)
    if extra < len(text):
        raise JsvDecodeError(JsvErrorKind.TRAILING_TEXT, offset=extra, detail=repr(text[extra : extra + 20]))
    return value


def loads_object(text: str) -> dict[str, object]:
    """Parse JSV `text` that must be an object (a DTO); anything else raises `JsvDecodeError`."""
    value = loads(text)
    if not isinstance(value, dict):
        start = len(text) - len(text.lstrip(_WHITESPACE))
        raise JsvDecodeError(JsvErrorKind.NOT_AN_OBJECT, offset=min(start, len(text)))
    return value


class _Reader:
    """Recursive-descent reader over one text; positions are offsets into it."""

    def __init__(self, text: str) -> None:
        self.text = text

    def skip_blank(self, pos: int) -> int:
        """The offset of the first non-whitespace character at or after `pos`."""
        match = _BLANK.match(self.text, pos)
        assert match is not None  # the pattern matches the empty string
        return match.end()

    def top(self, pos: int) -> tuple[object, int]:
        """The top-level object, list or quoted string at `pos`."""
        return _OPENERS[self.text[pos]](self, pos, 1)

    def value(self, pos: int, *, closer: str, depth: int) -> tuple[object, int]:
        """Read the value at `pos` inside a container closed by `closer`; return it and its end."""
        char = self.text[pos : pos + 1]
        if char in _OPENERS:
            return _OPENERS[char](self, pos, depth + 1)
        if char in ("", ",", closer):  # `{purpose:}`: the key is there, its value null
            return None, pos
        match = _SCALAR_IN[closer].match(self.text, pos)
        assert match is not None
        return match.group(), match.end()

    def read_quoted(self, pos: int, depth: int = 0) -> tuple[str, int]:
        """A `"`-quoted string starting at `pos`; `""` inside stands for one `"`.

        (`depth` is unused: it keeps the signature of the other readers in `_OPENERS`.)
        """
        text = self.text
        cursor = pos + 1
        while True:
            found = text.find('"', cursor)
            if found < 0:
                raise JsvDecodeError(JsvErrorKind.UNTERMINATED_QUOTE, offset=pos)
            if text.startswith('""', found):
                cursor = found + 2
                continue
            return text[pos + 1 : found].replace('""', '"'), found + 1

    def read_object(self, pos: int, depth: int) -> tuple[dict[str, object], int]:
        """`{key:value,...}` starting at `pos`; keys trimmed, values as written."""
        self._check_depth(pos, depth)
        result: dict[str, object] = {}
        blank = self.skip_blank(pos + 1)
        if self.text[blank : blank + 1] == "}":  # `{}`, or `{ }` read as empty too
            return result, blank + 1
        cursor = pos + 1
        while True:
            key, colon = self.key(cursor)
            result[key], cursor = self.value(colon + 1, closer="}", depth=depth)
            cursor, closed = self._separator(cursor, "}")
            if closed:
                return result, cursor

    def key(self, pos: int) -> tuple[str, int]:
        """A key starting at `pos`, trimmed; returns it and the offset of its `:`."""
        text = self.text
        lead = self.skip_blank(pos)
        if text[lead : lead + 1] == '"':
            key, end = self.read_quoted(lead)
            end = self.skip_blank(end)
        else:
            match = _KEY.match(text, pos)
            assert match is not None
            key, end = match.group().strip(KEY_WHITESPACE), match.end()
        if text[end : end + 1] != ":":
            if end >= len(text):
                raise JsvDecodeError(JsvErrorKind.UNTERMINATED_OBJECT, offset=end)
            raise JsvDecodeError(JsvErrorKind.MISSING_COLON, offset=end, detail=f"after key {key!r}")
        return key, end

    def read_list(self, pos: int, depth: int) -> tuple[list[object], int]:
        """`[a,b,...]` starting at `pos`; an empty element reads as None."""
        self._check_depth(pos, depth)
        result: list[object] = []
        # Only `[]` is empty: `[ ]` is a list of one " " here, as `dumps([" "])` writes it, where
        # ServiceStack's `StripList` would read an empty list.
        if self.text[pos + 1 : pos + 2] == "]":
            return result, pos + 2
        cursor = pos + 1
        while True:
            value, cursor = self.value(cursor, closer="]", depth=depth)
            result.append(value)
            cursor, closed = self._separator(cursor, "]")
            if closed:
                return result, cursor

    def _separator(self, pos: int, closer: str) -> tuple[int, bool]:
        """Consume the `,` or `closer` at `pos`; return the offset after it and whether it closed."""
        char = self.text[pos : pos + 1]
        if char == "":
            raise JsvDecodeError(_UNTERMINATED[closer], offset=pos)
        if char != "," and char != closer:
            raise JsvDecodeError(JsvErrorKind.EXPECTED_SEPARATOR, offset=pos, detail=f"found {char!r}")
        return pos + 1, char == closer

    def _check_depth(self, pos: int, depth: int) -> None:
        if depth > MAX_DEPTH:
            raise JsvDecodeError(JsvErrorKind.TOO_DEEP, offset=pos, detail=f"limit {MAX_DEPTH}")


# What a value starting with each of these characters is read as.
_OPENERS: dict[str, Callable[[_Reader, int, int], tuple[object, int]]] = {
    "{": _Reader.read_object,
    "[": _Reader.read_list,
    '"': _Reader.read_quoted,
}


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
    """The JSV object as written (`{purpose:}` gives None); `shape` is not needed, JSV carries
    the wire names."""
    return loads_object(from_utf8(data, _utf8_error))


def decode_error(data: bytes | str) -> dict[str, object]:
    """An error body, `{responseStatus:{...}}`, as written."""
    return loads_object(from_utf8(data, _utf8_error))
