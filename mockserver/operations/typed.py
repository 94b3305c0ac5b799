"""Request properties read as their .NET types, as ServiceStack binds them (CONTRACT.md sections 2, 8).

`DtoBinder` gives every property as text (that is all a query string or a form holds, and what a
`string` property receives from JSON). The family's requests also have `int`, `bool`, enum and
`List<string>` properties; ServiceStack reads their text with the JSV parser
(`StringMapTypeDeserializer`): a list is comma-separated (`a,b`) or a JSV/JSON list (`[a,b]`), an
enum is its name in any letter case (or its number), a boolean `true`/`false` in any case.

A value that does not read as its type is a 400 `SerializationException`, before the auth checks
(section 8, like section 2): the message `Unable to bind to request 'ListAISessions'` and one field
error per property, `'x' is an Invalid value for 'Page'`, as `ServiceStackHost.Runtime` writes the
binding errors of `StringMapTypeDeserializer.PopulateFromMap`. Empty text is no value at all there
(`string.IsNullOrEmpty` skips it), so an empty `page=` is an absent page.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from evokit.contract.formats import jsv
from evokit.contract.formats.errors import DecodeError
from evokit.contract.formats.scalars import read_boolean, read_integer
from evokit.contract.model import Contract
from evokit.mockserver.core.errors import FieldError, SerializationFailure

SERIALIZATION_EXCEPTION = "SerializationException"
INT32 = (-(2**31), 2**31 - 1)


def _enum_values(contract: Contract, spec: Mapping[str, Any]) -> tuple[str, ...] | None:
    refs = [part.get("$ref") for part in spec.get("allOf", ())] + [spec.get("$ref")]
    for ref in refs:
        if ref:
            target = contract.schema(ref.rsplit("/", 1)[-1])
            if "enum" in target:
                return tuple(target["enum"])
    return None


def _read_list(text: str) -> list[str] | None:
    if text.startswith("["):
        try:
            value = json.loads(text)
        except ValueError:
            try:
                value = jsv.loads(text)
            except DecodeError:
                return None
        if isinstance(value, list) and all(isinstance(item, str) for item in value):
            return value
        return None
    return text.split(",")


def _read_enum(names: tuple[str, ...]) -> Callable[[str], str | None]:
    folded = {name.casefold(): name for name in names}

    def read(text: str) -> str | None:
        number = read_integer(text)
        if number is not None:  # Enum.Parse takes the underlying number too
            return names[number] if 0 <= number < len(names) else None
        return folded.get(text.strip().casefold())

    return read


def _read_int32(text: str) -> int | None:
    number = read_integer(text)
    return number if number is not None and INT32[0] <= number <= INT32[1] else None


@dataclass(frozen=True)
class TypedProperties:
    """How each property of one request DTO reads from text; string properties are left out."""

    type_name: str
    readers: Mapping[str, Callable[[str], object | None]]
    dotnet_names: Mapping[str, str]

    @classmethod
    def from_contract(cls, contract: Contract, dto: str) -> TypedProperties:
        """The readers of `dto`'s typed properties, from its schema."""
        readers: dict[str, Callable[[str], object | None]] = {}
        names: dict[str, str] = {}
        for name, spec in contract.schema(dto)["properties"].items():
            names[name] = spec["xml"]["name"]
            enum = _enum_values(contract, spec)
            kind = spec.get("type")
            if enum is not None:
                readers[name] = _read_enum(enum)
            elif kind == "integer":
                readers[name] = _read_int32
            elif kind == "boolean":
                readers[name] = read_boolean
            elif kind == "array":
                readers[name] = _read_list
        return cls(dto, readers, names)

    def read(self, values: Mapping[str, str]) -> dict[str, object]:
        """The bound text values with each typed property read as its type; raises
        `SerializationFailure` naming every property whose text does not read."""
        if not self.readers:
            return dict(values)  # every property a string (PatchAISession): nothing to read
        typed: dict[str, object] = {}
        errors: list[FieldError] = []
        for name, text in values.items():
            reader = self.readers.get(name)
            if reader is None:
                typed[name] = text
                continue
            if text == "":
                continue
            value = reader(text)
            if value is None:
                field = self.dotnet_names.get(name, name)
                errors.append(FieldError(SERIALIZATION_EXCEPTION, field, f"'{text}' is an Invalid value for '{field}'"))
            else:
                typed[name] = value
        if errors:
            raise SerializationFailure(f"Unable to bind to request '{self.type_name}'", errors=errors)
        return typed
