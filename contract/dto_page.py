"""Reader for ServiceStack DTO metadata pages (the "JavaScript DTOs" form of `/json/metadata?op=`).

The page is one of the contract's two sources (the other is a ServiceStack MetadataTypes document,
`evokit.contract.metadata`). It is read line by line into a `DtoPage`, which `evokit.contract.page_service` turns
into the neutral service model; anything the reader does not understand stops it with a
`DtoPageError` naming the line, because a half-read page would silently produce a wrong contract.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from evokit.contract.errors import DtoPageError
from evokit.contract.jsdoc_types import UnknownTypeError, parse_type

HTTP_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")

_ROUTE = re.compile(rf"^(?P<method>{'|'.join(HTTP_METHODS)})\s*(?P<path>/\S*)\s*$")
_CLASS = re.compile(r"^export class (?P<name>[A-Za-z_]\w*)(?: extends (?P<base>[A-Za-z_]\w*))? \{$")
_PROPERTY = re.compile(r"^(?P<name>[A-Za-z_$][\w$]*);$")
_TYPE_TAG = re.compile(r"@type \{(?P<type>[^}]*(?:\}[^}]*)*)\}")
_DESCRIPTION_TAG = re.compile(r"@description (?P<text>.*?)\s*(?:\*/)?$")
_ROLE = re.compile(r"^Requires the role:\s*(?P<role>\S.*?)\s*$")
_ANY_ROLE = re.compile(r"^Requires any of the roles:\s*(?P<roles>\S.*?)\s*$")
_SAMPLE_STATUS = re.compile(r"^HTTP/1\.1 200 OK\s*$")
_SAMPLE_FIELD = re.compile(r"^(?P<name>[A-Za-z_]\w*):\s*(?P<type>[^,]+?),?$")


@dataclass(frozen=True)
class Route:
    """One `METHOD /path` line of the page."""

    method: str
    path: str
    line: int = field(compare=False, default=0)


@dataclass(frozen=True)
class DtoProperty:
    """A property of a DTO class: its JSDoc type expression and description."""

    name: str
    type: str
    description: str
    line: int = field(compare=False, default=0)


@dataclass(frozen=True)
class DtoClass:
    """An `export class` of the page, with the properties it declares itself (not inherited)."""

    name: str
    base: str | None
    properties: tuple[DtoProperty, ...]
    line: int = field(compare=False, default=0)


@dataclass(frozen=True)
class DtoPage:
    """Everything the page says about one operation."""

    service: str
    operation: str
    description: str
    requires_authentication: bool
    required_roles: tuple[str, ...]
    any_of_roles: tuple[str, ...]
    routes: tuple[Route, ...]
    classes: tuple[DtoClass, ...]
    sample_response_fields: tuple[str, ...]

    def dto(self, name: str) -> DtoClass:
        """The class called `name`; KeyError when the page has none."""
        for dto in self.classes:
            if dto.name == name:
                return dto
        raise KeyError(name)


class _Lines:
    """A cursor over the page's lines that knows its 1-based line number for error messages."""

    def __init__(self, text: str, source: str) -> None:
        self.lines = text.splitlines()
        self.index = 0
        self.source = source

    @property
    def line_no(self) -> int:
        return min(self.index, len(self.lines) - 1) + 1 if self.lines else 1

    def error(self, message: str, line: int | None = None) -> DtoPageError:
        return DtoPageError(message, line=line if line is not None else self.line_no, source=self.source)

    def at_end(self) -> bool:
        return self.index >= len(self.lines)

    def peek(self) -> str:
        return self.lines[self.index].strip()

    def take(self) -> str:
        line = self.lines[self.index].strip()
        self.index += 1
        return line

    def next_nonblank(self, what: str) -> str:
        while not self.at_end():
            line = self.take()
            if line:
                return line
        raise self.error(f"page ends where {what} was expected")


def parse_dto_page(text: str, *, source: str = "<page>") -> DtoPage:
    """Read a DTO metadata page; raises `DtoPageError` naming the first line it cannot read."""
    cursor = _Lines(text, source)
    service = cursor.next_nonblank("the service name")
    back_link = cursor.next_nonblank("the '<back to all web services' link")
    if not back_link.startswith("<back to all web services"):
        raise cursor.error("expected the '<back to all web services' link", cursor.index)
    operation = cursor.next_nonblank("the operation name")
    if not re.fullmatch(r"[A-Za-z_]\w*", operation):
        raise cursor.error(f"expected an operation name, found {operation!r}", cursor.index)
    description = ""
    requires_auth = False
    roles: list[str] = []
    any_roles: list[str] = []
    while True:
        line = cursor.next_nonblank("the route list")
        if line.startswith("The following routes are available"):
            break
        if line == "Requires Authentication":
            requires_auth = True
        elif match := _ROLE.match(line):
            roles.append(match["role"])
        elif match := _ANY_ROLE.match(line):
            any_roles.extend(role.strip() for role in match["roles"].split(","))
        elif not description and not requires_auth:
            description = line
        else:
            raise cursor.error(f"unexpected line before the route list: {line!r}", cursor.index)
    routes = _read_routes(cursor)
    classes = _read_classes(cursor)
    _check_types(classes, cursor)
    sample = _read_sample_response(cursor)
    return DtoPage(
        service=service,
        operation=operation,
        description=description,
        requires_authentication=requires_auth,
        required_roles=tuple(roles),
        any_of_roles=tuple(any_roles),
        routes=routes,
        classes=classes,
        sample_response_fields=sample,
    )


def read_dto_page(path: Path) -> DtoPage:
    """Read and parse the page stored at `path`."""
    return parse_dto_page(path.read_text(encoding="utf-8"), source=str(path))


def _read_routes(cursor: _Lines) -> tuple[Route, ...]:
    heading_line = cursor.index
    routes: list[Route] = []
    while not cursor.at_end() and (match := _ROUTE.match(cursor.peek())):
        cursor.take()
        routes.append(Route(match["method"], match["path"], cursor.index))
    if not routes:
        found = cursor.peek() if not cursor.at_end() else "the end of the page"
        raise cursor.error(f"no route follows the route list heading (found {found!r})", heading_line)
    return tuple(routes)


def _read_classes(cursor: _Lines) -> tuple[DtoClass, ...]:
    classes: list[DtoClass] = []
    while not cursor.at_end():
        line = cursor.peek()
        if line in ('"use strict";', ""):
            cursor.take()
            continue
        if not line.startswith("export class"):
            break
        classes.append(_read_class(cursor))
    if not classes:
        raise cursor.error("no `export class` DTO follows the routes")
    return tuple(classes)


def _read_class(cursor: _Lines) -> DtoClass:
    header_line = cursor.index + 1
    header = cursor.take()
    match = _CLASS.match(header)
    if not match:
        raise cursor.error(f"malformed class declaration: {header!r}", header_line)
    properties: list[DtoProperty] = []
    while True:
        if cursor.at_end():
            raise cursor.error(f"class {match['name']} is never closed with '}}'", header_line)
        line = cursor.peek()
        if line == "}":
            cursor.take()
            break
        if line.startswith("/** @param") or line.startswith("constructor("):
            cursor.take()  # the generated constructor carries no information the properties lack
        elif line.startswith("/**"):
            properties.append(_read_property(cursor))
        elif line:
            raise cursor.error(f"unexpected line in class {match['name']}: {line!r}", cursor.index + 1)
        else:
            cursor.take()
    names = [prop.name for prop in properties]
    for prop in properties:
        if names.count(prop.name) > 1:
            raise cursor.error(f"property {prop.name!r} declared twice in {match['name']}", prop.line)
    return DtoClass(match["name"], match["base"], tuple(properties), header_line)


def _read_property(cursor: _Lines) -> DtoProperty:
    start = cursor.index + 1
    doc: list[str] = []
    while True:
        if cursor.at_end():
            raise cursor.error("JSDoc comment is never closed with '*/'", start)
        line = cursor.take()
        doc.append(line)
        if line.endswith("*/"):
            break
    comment = " ".join(doc)
    type_match = _TYPE_TAG.search(comment)
    if not type_match:
        raise cursor.error("property comment has no @type {...} tag", start)
    description = ""
    for line in doc:
        if match := _DESCRIPTION_TAG.search(line):
            description = match["text"]
    if cursor.at_end():
        raise cursor.error("JSDoc comment is not followed by a property", start)
    prop_line = cursor.index + 1
    declaration = cursor.take()
    prop = _PROPERTY.match(declaration)
    if not prop:
        raise cursor.error(f"expected a property declaration `name;`, found {declaration!r}", prop_line)
    return DtoProperty(prop["name"], type_match["type"].strip(), description, prop_line)


def _check_types(classes: tuple[DtoClass, ...], cursor: _Lines) -> None:
    known = {dto.name for dto in classes}
    for dto in classes:
        if dto.base is not None and dto.base not in known:
            raise cursor.error(f"class {dto.name} extends {dto.base}, which the page does not define", dto.line)
        for prop in dto.properties:
            try:
                parse_type(prop.type, known)
            except UnknownTypeError as exc:
                raise cursor.error(f"property {dto.name}.{prop.name}: {exc}", prop.line) from None


def _read_sample_response(cursor: _Lines) -> tuple[str, ...]:
    """The property names of the sample 200 response body, in their order (empty when absent)."""
    while not cursor.at_end() and not _SAMPLE_STATUS.match(cursor.peek()):
        cursor.take()
    if cursor.at_end():
        return ()
    while not cursor.at_end() and cursor.peek() != "{":
        cursor.take()
    fields: list[str] = []
    cursor.take() if not cursor.at_end() else None
    while not cursor.at_end():
        line = cursor.take()
        if line == "}":
            return tuple(fields)
        if match := _SAMPLE_FIELD.match(line):
            fields.append(match["name"])
        elif line:
            raise cursor.error(f"unreadable line in the sample response: {line!r}", cursor.index)
    raise cursor.error("the sample response body is never closed with '}'")
