"""Reading JSV as ServiceStack.Text reads it, refusing only what it would read with data lost.

ServiceStack.Text reads JSV with `DeserializeTypeRefJsv.StringToType` (objects),
`DeserializeListWithElements` (lists) and `JsvTypeSerializer.EatMapKey`/`EatValue` (tokens):

* keys are trimmed (`EatMapKey(...).Trim()`), values are not; an unquoted value runs to the next
  `,` or the closing bracket, so `:` `{` `[` `"` after its first character are literal;
* `{purpose:}` reads as `{"purpose": None}`: the key is kept so callers can tell it was sent;
* an object may end with the text: `StringToType` loops `while (index < strTypeLength)`, so
  `{a:b` reads as `{a:b}`, `{a:b,` too, and `{` alone (`IsEmptyMap`) as `{}`;
* a quoted value left open inside an object runs to the end of the text, and `FromCsvField` takes
  its last character for the closing quote: `{a:"b}` reads as `{a:b}`;
* whitespace before a list element that is a list, an object or a quoted string is skipped
  (`StripList` trims a nested list's text before taking its brackets off); a plain element keeps
  its leading whitespace, as `ParseStringList` keeps it.

Where ServiceStack's reading loses text, this reader raises `JsvDecodeError` (kind, 0-based offset)
instead of guessing: see `_unterminated_quote` and `_separator` for the cases and the reasons.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from evokit.contract.formats.errors import JsvDecodeError, JsvErrorKind

# The reader nests by recursion; deeper input is rejected rather than exhausting the stack.
MAX_DEPTH = 100

WHITESPACE = " \t\r\n"
# What `ReadOnlySpan<char>.Trim()` removes from keys: .NET `char.IsWhiteSpace`.
KEY_WHITESPACE = (
    "\t\n\v\f\r \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B))) + "\u2028\u2029\u202f\u205f\u3000"
)
_BLANK = re.compile(r"[ \t\r\n]*")
_KEY = re.compile(r"[^:,}]*")
_SCALAR_IN = {"}": re.compile(r"[^,}]*"), "]": re.compile(r"[^,\]]*")}
# Characters that open a list element read as a token of its own, whitespace before them skipped.
_STRUCTURED = '{["'


def loads(text: str) -> object:
    """Parse JSV `text`: objects to dicts, lists to lists, scalars to `str`, `{key:}` to None.

    Whitespace around a top-level object, list or quoted string is ignored; any other top-level
    text is a bare scalar and returned as it is. The empty text is `None`.
    """
    start = len(text) - len(text.lstrip(WHITESPACE))
    if start == len(text):
        return None if text == "" else text
    if text[start] not in _STRUCTURED:
        return text
    reader = _Reader(text)
    value, end = reader.top(start)
    extra = reader.skip_blank(end)
    if extra < len(text):
        raise JsvDecodeError(JsvErrorKind.TRAILING_TEXT, offset=extra, detail=repr(text[extra : extra + 20]))
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
        text = self.text
        if closer == "]":
            lead = self.skip_blank(pos)
            if text[lead : lead + 1] in tuple(_STRUCTURED):  # `[a, [b]]`, `[{a:b}, {c:d}]`
                pos = lead
        char = text[pos : pos + 1]
        if char == '"' and closer == "}":
            return self.read_quoted(pos, in_object=True)
        if char in _OPENERS:
            return _OPENERS[char](self, pos, depth + 1)
        if char in ("", ",", closer):  # `{purpose:}`: the key is there, its value null
            return None, pos
        match = _SCALAR_IN[closer].match(text, pos)
        assert match is not None
        return match.group(), match.end()

    def read_quoted(self, pos: int, depth: int = 0, *, in_object: bool = False) -> tuple[str, int]:
        """A `"`-quoted string starting at `pos`; `""` inside stands for one `"`.

        (`depth` is unused: it keeps the signature of the other readers in `_OPENERS`.)
        """
        text = self.text
        cursor = pos + 1
        while True:
            found = text.find('"', cursor)
            if found < 0:
                return self._unterminated_quote(pos, in_object)
            if text.startswith('""', found):
                cursor = found + 2
                continue
            return text[pos + 1 : found].replace('""', '"'), found + 1

    def _unterminated_quote(self, pos: int, in_object: bool) -> tuple[str, int]:
        """A quoted value with no closing quote: `EatValue` takes the rest of the text and
        `FromCsvField` drops its last character as if it were the quote.

        That loses nothing only when the value sits in an object and the text ends with `}`: the
        brace is what goes, and `{a:"b}` reads `b` with the object closed by the end of the text.
        Anywhere else the dropped character is data -- `{a:"bc` would read `b`, a top-level `"abc`
        `ab`, a list element `[a,"b]` the empty string (`StripList` takes the `]` first) -- so the
        kit refuses the text rather than silently cut a value.
        """
        text = self.text
        if in_object and text.endswith("}"):
            return text[pos + 1 : -1].replace('""', '"'), len(text)
        raise JsvDecodeError(JsvErrorKind.UNTERMINATED_QUOTE, offset=pos)

    def read_object(self, pos: int, depth: int) -> tuple[dict[str, object], int]:
        """`{key:value,...}` starting at `pos`; keys trimmed, values as written."""
        self._check_depth(pos, depth)
        result: dict[str, object] = {}
        blank = self.skip_blank(pos + 1)
        if self.text[blank : blank + 1] in ("}", ""):  # `{}`, `{ }`; `{` at the end: IsEmptyMap
            return result, min(blank + 1, len(self.text))
        cursor = pos + 1
        while True:
            key, colon = self.key(cursor)
            result[key], cursor = self.value(colon + 1, closer="}", depth=depth)
            cursor, closed = self._separator(cursor, "}")
            if closed or cursor == len(self.text):  # `{a:b,` ends with the text, as in StringToType
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
            # `{ab` fails in ServiceStack too: EatMapKey runs off the end looking for the `:`.
            if end >= len(text):
                raise JsvDecodeError(JsvErrorKind.UNTERMINATED_OBJECT, offset=end)
            raise JsvDecodeError(JsvErrorKind.MISSING_COLON, offset=end, detail=f"after key {key!r}")
        return key, end

    def read_list(self, pos: int, depth: int) -> tuple[list[object], int]:
        """`[a,b,...]` starting at `pos`; an empty element reads as None."""
        self._check_depth(pos, depth)
        result: list[object] = []
        # Only `[]` is empty: `[ ]` is a list of one " " here, as `dumps([" "])` writes it (and
        # ServiceStack's TypeSerializer too), where ServiceStack's `StripList` reads an empty list
        # and so loses the element its own writer wrote.
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
        """Consume the `,` or `closer` at `pos`; return the offset after it and whether it closed.

        The end of the text closes an object (`StringToType` stops there) but not a list:
        `StripList` takes a list's last character for its `]` whatever it is, so `[a,bc` would
        read as `[a,b]` -- the kit refuses an unclosed list rather than cut its last element.
        """
        char = self.text[pos : pos + 1]
        if char == "":
            if closer == "}":
                return pos, True
            raise JsvDecodeError(JsvErrorKind.UNTERMINATED_LIST, offset=pos)
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
