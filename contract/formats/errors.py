"""Typed errors of the wire formats; every one derives from `FormatError`.

Decoding errors say where the input went wrong (a 0-based character offset, or a line and column
for XML, whose parser reports those) and why, in attributes the callers read instead of parsing the
message. Encoding errors name the value the format cannot carry.
"""

from __future__ import annotations

import enum

from evokit.contract.errors import ContractError


class FormatError(ContractError, ValueError):
    """Root of every error of `evokit.contract.formats`; a `ValueError`, so bad input reads as bad input."""


class UnknownFormatError(FormatError):
    """A format name (`json`, `jsv`, `xml`, `csv`) that is not one of the four."""

    def __init__(self, name: str) -> None:
        self.name = name
        super().__init__(f"unknown format {name!r}: expected one of json, jsv, xml, csv")


class EncodeError(FormatError):
    """A value the format cannot write, e.g. a nested object in an XML string member."""

    def __init__(self, message: str, *, path: str = "") -> None:
        self.message = message
        self.path = path
        super().__init__(f"{path}: {message}" if path else message)


class DecodeError(FormatError):
    """Input that is not well-formed in its format.

    `offset` is the 0-based character offset of the problem (None when the parser gives a line and
    column instead); `reason` is the message without the position.
    """

    format_name = "input"

    def __init__(self, reason: str, *, offset: int | None = None) -> None:
        self.reason = reason
        self.offset = offset
        super().__init__(f"malformed {self.format_name}{self._where()}: {reason}")

    def _where(self) -> str:
        return f" at offset {self.offset}" if self.offset is not None else ""


class JsvErrorKind(enum.Enum):
    """What is wrong with a JSV text, so callers and tests need not read the message."""

    UNTERMINATED_QUOTE = "unterminated quoted string"
    UNTERMINATED_OBJECT = "object not closed with '}'"
    UNTERMINATED_LIST = "list not closed with ']'"
    MISSING_COLON = "key not followed by ':'"
    EXPECTED_SEPARATOR = "expected ',' or the closing bracket"
    TRAILING_TEXT = "text after the end of the value"
    TOO_DEEP = "nesting deeper than the reader allows"
    NOT_AN_OBJECT = "expected an object"
    INVALID_UTF8 = "bytes are not UTF-8"


class JsvDecodeError(DecodeError):
    """Malformed JSV; `kind` says what, `offset` where (0-based)."""

    format_name = "JSV"

    def __init__(self, kind: JsvErrorKind, *, offset: int, detail: str = "") -> None:
        self.kind = kind
        super().__init__(f"{kind.value}{': ' + detail if detail else ''}", offset=offset)


class JsonDecodeError(DecodeError):
    """Malformed JSON; `offset` is 0-based, `line` and `column` 1-based as the json module counts."""

    format_name = "JSON"

    def __init__(self, reason: str, *, offset: int, line: int = 0, column: int = 0) -> None:
        self.line = line
        self.column = column
        super().__init__(reason, offset=offset)


class XmlDecodeError(DecodeError):
    """XML that is malformed, forbidden (DTD, entities) or not the expected DTO.

    `line` (1-based) and `column` (0-based, as expat counts) locate syntax errors; both are None for
    documents that parse but hold the wrong thing, whose `reason` says what.
    """

    format_name = "XML"

    def __init__(self, reason: str, *, line: int | None = None, column: int | None = None) -> None:
        self.line = line
        self.column = column
        super().__init__(reason)

    def _where(self) -> str:
        return f" at line {self.line}, column {self.column}" if self.line is not None else ""


class CsvDecodeError(DecodeError):
    """CSV that is malformed (an unterminated quote, ragged rows) or not one header and one row."""

    format_name = "CSV"
