"""CSV as ServiceStack's `CsvSerializer` writes one DTO (CONTRACT.md section 6).

For a DTO without a collection property, `CsvSerializer<T>` writes the object itself through
`CsvWriter<T>.Write` (`ServiceStack.Text/CsvSerializer.cs`, `CsvWriter.cs`):

* a header row naming every readable property, present or not, in declaration order -- the wire
  order -- then one row of values; each row ends with CRLF (`CsvConfig.RowSeparatorString`),
  the last one too;
* a null value is an empty field, and so is the empty string: CSV cannot tell them apart, so
  `decode_dto` leaves empty fields out (null is absent, section 4);
* a field is quoted, inner `"` doubled (`TextExtensions.ToCsvField`), when it holds `"` `,` CR or
  LF -- RFC 4180's rule -- or, as `CsvWriter.HasAnyEscapeChars` adds, when it *starts* with `[` or
  `{` (so a reader does not take it for JSV); booleans are `True`/`False`; numbers as .NET writes
  them (`1`, `1E-05`); a nested object or list is written as JSV.

An error is an `ErrorResponse`, whose only property is `ResponseStatus`: one column, the status
written as JSV and quoted (it starts with `{`).

Headers: `CsvWriter<T>` heads columns with the CLR property name (`PropertyInfo.Name`, or a
`[DataMember(Name)]`), i.e. PascalCase, ignoring `JsConfig.TextCase`. Section 6 assumes camelCase,
so that is the default here; `header_case="pascal"` writes what the source shows. Decoding accepts
either spelling, in any letter case, with spaces around it.

Reading follows `CsvReader.ParseLines`/`ParseFields`/`EatValue`: empty lines are skipped, an
unquoted cell may hold a whole JSV list or object (`[a,b]`), headers are trimmed. What ServiceStack
reads only by losing text -- an open quote, text after a closing quote -- raises `CsvDecodeError`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

from evokit.contract.formats import jsv
from evokit.contract.formats._text import from_utf8, to_utf8
from evokit.contract.formats._jsv_reader import KEY_WHITESPACE
from evokit.contract.formats.errors import CsvDecodeError, DecodeError, EncodeError
from evokit.contract.formats.scalars import format_number, read_as, read_members
from evokit.contract.formats.shape import DtoShape, Member
from evokit.contract.formats.status import ERROR_RESPONSE, normalize_status

ROW_SEPARATOR = "\r\n"
HeaderCase = Literal["camel", "pascal"]

_NEEDS_QUOTES = re.compile(r'[",\r\n]|^[\[{]')
_UNQUOTED = re.compile(r'[^,"\r\n]*')
_ROW_END = re.compile(r"\r\n|\n|\r")


def field(text: str) -> str:
    """`text` as one CSV field, quoted only when ServiceStack's `ToCsvField` quotes it."""
    if _NEEDS_QUOTES.search(text) is None:
        return text
    return '"' + text.replace('"', '""') + '"'


def _cell(value: object, path: str) -> str:
    """A property value's text before quoting, as `CsvWriter<T>.Write` produces it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return format_number(value)  # JsvTypeSerializer.WriteDouble: `1`, `1E-05`
    if isinstance(value, (Mapping, list, tuple)):
        return jsv.dumps(value)  # TypeSerializer.SerializeToString(value).StripQuotes()
    raise EncodeError(f"CSV cannot write a {type(value).__name__}", path=path)


def _header(member: Member, header_case: HeaderCase) -> str:
    return member.xml_name if header_case == "pascal" else member.name


def _table(headers: list[str], row: list[str]) -> bytes:
    return to_utf8(",".join(headers) + ROW_SEPARATOR + ",".join(map(field, row)) + ROW_SEPARATOR)


def encode_dto(value: Mapping[str, object], shape: DtoShape, *, header_case: HeaderCase = "camel") -> bytes:
    """A header row of every member (wire order) and one row of values; absent ones empty."""
    present = dict(shape.present(value))
    headers = [_header(member, header_case) for member in shape.members]
    return _table(headers, [_cell(present.get(member), member.name) for member in shape.members])


def encode_error(status: Mapping[str, object], *, header_case: HeaderCase = "camel") -> bytes:
    """`ErrorResponse` as CSV: one `responseStatus` column holding the status as JSV."""
    (member,) = ERROR_RESPONSE.members
    return _table([_header(member, header_case)], [jsv.dumps(normalize_status(status))])


# --- reading -------------------------------------------------------------------------------------


def _quoted(text: str, pos: int) -> tuple[str, int]:
    """The quoted field opening at `pos`; returns its value and the offset after the quote.

    An unterminated quote raises: ServiceStack's `FromCsvField` would drop the last character of
    the rest of the text as if it were the closing quote, reading a value the text does not hold.
    """
    cursor = pos + 1
    while True:
        found = text.find('"', cursor)
        if found < 0:
            raise CsvDecodeError("unterminated quoted field", offset=pos)
        if text.startswith('""', found):
            cursor = found + 2
            continue
        return text[pos + 1 : found].replace('""', '"'), found + 1


def _bracketed(text: str, pos: int) -> int | None:
    """The end of the unquoted `[...]` or `{...}` field at `pos`, or None when it is not closed.

    `CsvReader.EatValue` reads such a field whole -- commas inside included, `"` toggling a quoted
    stretch -- so a JSV list or object may stand in a cell unquoted (`1,[a,b]`). Not closed on its
    line, the field is plain text (`[A,B` is `[A` and `B`: `Does_parse_fields_with_unmatchedJsMark`).
    """
    opener = text[pos]
    closer = "]" if opener == "[" else "}"
    depth, quoted = 0, False
    for index in range(pos, len(text)):
        char = text[index]
        if char == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif char in "\r\n":
            return None
        elif char == opener:
            depth += 1
        elif char == closer:
            depth -= 1
            if depth == 0:
                return index + 1
    return None


def _unquoted(text: str, pos: int) -> tuple[str, int]:
    """The unquoted field at `pos`: a whole `[...]`/`{...}` if it starts with one, else up to the
    next `,`, `"` or row end."""
    if text[pos : pos + 1] in ("[", "{"):
        end = _bracketed(text, pos)
        if end is not None:
            return text[pos:end], end
    match = _UNQUOTED.match(text, pos)
    assert match is not None  # the pattern matches the empty string
    return match.group(), match.end()


def parse_rows(text: str) -> list[list[str]]:
    """Split CSV text into rows of fields, as `CsvReader.ParseLines` and `ParseFields` do.

    Rows end with CRLF (LF or CR alone are accepted); a final row end is optional; empty lines are
    skipped (`ParseLines` keeps only lines of some length), so trailing blank lines read as none.
    Raises `CsvDecodeError` with the offset for a `"` inside an unquoted field (ServiceStack's
    `ParseLines` would take it for an opening quote and join the following rows into the field)
    and for text after a closing quote or bracket (`ParseFields` would skip its first character).
    """
    rows: list[list[str]] = []
    row: list[str] = []
    pos = 0
    while pos < len(text):
        if not row and (blank := _ROW_END.match(text, pos)) is not None:
            pos = blank.end()  # an empty line
            continue
        if text[pos] == '"':
            value, pos = _quoted(text, pos)
        else:
            value, pos = _unquoted(text, pos)
        row.append(value)
        end = _ROW_END.match(text, pos)
        if pos == len(text) or end is not None:
            rows.append(row)
            row = []
            pos = end.end() if end is not None else pos
        elif text[pos] == ",":
            pos += 1
            if pos == len(text):  # `a,` ends with an empty last field
                rows.append([*row, ""])
                row = []
        else:
            raise CsvDecodeError(f"unexpected {text[pos]!r} in a field", offset=pos)
    return rows


def _utf8_error(reason: str, offset: int) -> CsvDecodeError:
    return CsvDecodeError(reason, offset=offset)


def _is_blank(row: list[str]) -> bool:
    return len(row) == 1 and row[0].strip(KEY_WHITESPACE) == ""


def _single_record(data: bytes | str) -> list[tuple[str, str]]:
    """The (header, value) pairs of a text that is one header row and one data row.

    Header names are trimmed, as `CsvReader<T>.Read` trims them (`ParseFields(rows[0], s =>
    s.Trim())`); values are not. Blank rows after the record hold nothing and are dropped. A second
    record is refused: `ReadRow` would keep the first and silently drop the rest.
    """
    rows = parse_rows(from_utf8(data, _utf8_error))
    while len(rows) > 2 and _is_blank(rows[-1]):
        rows.pop()
    if len(rows) != 2:
        raise CsvDecodeError(f"expected a header row and one data row, found {len(rows)} row(s)")
    headers, values = rows
    if len(headers) != len(values):
        raise CsvDecodeError(f"{len(headers)} header(s) but {len(values)} value(s)")
    return [(header.strip(KEY_WHITESPACE), value) for header, value in zip(headers, values, strict=True)]


def _typed(value: str, member: Member | None) -> object:
    """A cell read as its member's type: a JSV list or object for `array`/`object` members (what
    `CsvWriter` puts in the cell, `JsvReader` reads back), numbers and booleans as .NET reads them;
    text that is not its type stays text for the schema check to name."""
    kind = member.kind if member is not None else None
    if kind in ("array", "object") and value[:1] in ("[", "{"):
        try:
            return jsv.loads(value)
        except DecodeError:
            return value
    return read_as(value, kind)


def decode_dto(data: bytes | str, shape: DtoShape) -> dict[str, Any]:
    """The row by camelCase wire name; headers may be camel- or PascalCase, empty fields are left out.

    Cells of typed members read as their type (`Member.kind`); columns the shape does not know are
    kept under their header, as text.
    """
    result: dict[str, Any] = {}
    for header, value in _single_record(data):
        member = shape.lookup(header)
        if value != "":
            result[member.name if member else header] = _typed(value, member)
    return read_members(result, shape)  # the rows of a list of DTOs, member by member


def decode_error(data: bytes | str) -> dict[str, Any]:
    """An `ErrorResponse` as `{"responseStatus": {...}}`, the status read back from its JSV."""
    (member,) = ERROR_RESPONSE.members
    result: dict[str, Any] = {}
    for header, value in _single_record(data):
        if ERROR_RESPONSE.lookup(header) is not member:
            result[header] = value
        elif value != "":
            try:
                result[member.name] = jsv.loads_object(value)
            except DecodeError as exc:
                raise CsvDecodeError(f"responseStatus is not a JSV object: {exc.reason}") from None
    return result
