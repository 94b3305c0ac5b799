"""JSDoc type expressions of a DTO page, as a small typed tree that the generator turns into JSON Schema.

ServiceStack's JavaScript DTOs use a handful of forms: the primitives `string`, `number` and
`boolean`; `T[]` for lists; `{ [index:string]: T; }` for dictionaries; and the name of another DTO
on the page. Anything else is rejected rather than guessed at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Union

PRIMITIVES = {"string": "string", "number": "number", "boolean": "boolean"}

_DICTIONARY = re.compile(r"^\{\s*\[\s*\w+\s*:\s*string\s*\]\s*:\s*(?P<value>.+?)\s*;?\s*\}$")
_NAME = re.compile(r"^[A-Za-z_]\w*$")


class UnknownTypeError(ValueError):
    """A type expression the reader does not support, or that names no DTO of the page."""


@dataclass(frozen=True)
class Primitive:
    """A JSON primitive: `string`, `number` or `boolean`."""

    json_type: str


@dataclass(frozen=True)
class ListOf:
    """`T[]`."""

    item: "TypeRef"


@dataclass(frozen=True)
class DictionaryOf:
    """`{ [index:string]: T; }`: an object with string keys."""

    value: "TypeRef"


@dataclass(frozen=True)
class DtoRef:
    """The name of another DTO."""

    name: str


TypeRef = Union[Primitive, ListOf, DictionaryOf, DtoRef]


def parse_type(expression: str, known_dtos: set[str] | frozenset[str]) -> TypeRef:
    """Parse one `@type {...}` expression; raises `UnknownTypeError` for anything unsupported."""
    text = expression.strip()
    if text in PRIMITIVES:
        return Primitive(PRIMITIVES[text])
    if text.endswith("[]"):
        return ListOf(parse_type(text[:-2], known_dtos))
    if match := _DICTIONARY.match(text):
        return DictionaryOf(parse_type(match["value"], known_dtos))
    if _NAME.match(text) and text in known_dtos:
        return DtoRef(text)
    raise UnknownTypeError(f"unknown type {{{text}}}")
