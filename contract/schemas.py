"""A `Service`'s types as JSON Schema 2020-12: inheritance resolved, generics closed, wire order kept.

Pure functions. Every class, every enum and every closed generic type the service uses
(`ListResponse<AISessionInfo>` as `ListResponseOfAISessionInfo`, the way DataContract names it)
gets one schema; a generic definition has none of its own, since `T` has no schema. What JSON
Schema cannot say about the .NET types (a property's declared type, a generic type's parameters,
the class hierarchy, the namespace) travels in `x-dto`, so the model can be read back from the
contract (`evokit.contract.metadata.service_from_contract`). References are written through a `ref`
callback, so the same schemas serve the bundle (`#/$defs/X`) and OpenAPI (`#/components/schemas/X`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from evokit.contract.errors import ContractError
from evokit.contract.service import ARRAY, STRING, DtoType, Property, Service, TypeRef
from evokit.contract.servicestack import FRAMEWORK_DTOS, xml_namespace

Schema = dict[str, Any]
RefWriter = Callable[[str], str]

_STRING, _INTEGER, _NUMBER = {"type": "string"}, {"type": "integer"}, {"type": "number"}
# .NET value types and strings as JSON writes them: dates, ids and spans are text in ServiceStack's JSON.
BUILTINS: dict[str, Schema] = {
    "String": _STRING, "Char": _STRING, "Guid": _STRING, "DateTime": _STRING, "DateTimeOffset": _STRING,
    "DateOnly": _STRING, "TimeOnly": _STRING, "TimeSpan": _STRING, "Uri": _STRING,
    "Byte": _INTEGER, "Int16": _INTEGER, "Int32": _INTEGER, "Int64": _INTEGER,
    "UInt16": _INTEGER, "UInt32": _INTEGER, "UInt64": _INTEGER,
    "Single": _NUMBER, "Double": _NUMBER, "Decimal": _NUMBER,
    "Boolean": {"type": "boolean"}, "Object": {},
}
COLLECTIONS = frozenset({ARRAY, "List`1", "IList`1", "ICollection`1", "IEnumerable`1", "HashSet`1"})
DICTIONARIES = frozenset({"Dictionary`2", "IDictionary`2"})
NULLABLE = "Nullable`1"

# The members the contract guarantees in every instance, by declaring class; every other member
# may be absent, since ServiceStack omits nulls (CONTRACT.md section 4). An entity always carries
# its `id` (sections 4 and 8: the answer's `id` is the id acted on; an action is addressed by its
# own), and an error its `responseStatus` with `errorCode` and `errors` (section 5: `errors` is
# always present). They are the contract's facts, not the sources': both sources mark every member
# optional ("Required: No"), so the model read back from the contract leaves them out again.
GUARANTEED: dict[str, tuple[str, ...]] = {
    "EntityInfo": ("id",),
    "AISessionActionInfo": ("id",),
    "ErrorResponse": ("responseStatus",),
    "ResponseStatus": ("errorCode", "errors"),
}


def pascal_case(name: str) -> str:
    """The .NET member name behind a camelCase wire name."""
    return name[:1].upper() + name[1:]


def schema_name(ref: TypeRef) -> str:
    """The schema's name for a DTO use: its own name, or DataContract's `ListResponseOfAISessionInfo`."""
    if ref.is_array:
        return f"ArrayOf{schema_name(ref.args[0])}"
    if not ref.args:
        return ref.name
    return ref.bare_name + "Of" + "".join(schema_name(arg) for arg in ref.args)


class TypeTable:
    """The service's types and ServiceStack's, by name, with the closed generic uses resolved."""

    def __init__(self, service: Service) -> None:
        self.types: dict[str, DtoType] = {dto.name: dto for dto in FRAMEWORK_DTOS}
        for dto in service.types:
            if dto.name in self.types:
                raise ContractError(f"{dto.name} is ServiceStack's own DTO and cannot be redefined")
            self.types[dto.name] = dto

    def definition(self, ref: TypeRef) -> DtoType | None:
        return self.types.get(ref.name)

    def bindings(self, ref: TypeRef) -> dict[str, TypeRef]:
        dto = self.types[ref.name]
        return dict(zip(dto.generic_params, ref.args, strict=True))

    def resolved(self, ref: TypeRef) -> list[tuple[TypeRef, Property, TypeRef]]:
        """(declaring class, property as declared, its type closed) in wire order: a class's own
        properties, then its base's (CONTRACT.md section 1)."""
        dto = self.types[ref.name]
        bindings = self.bindings(ref)
        own = [(ref, prop, prop.type.substitute(bindings)) for prop in dto.properties]
        if dto.base is None:
            return own
        return own + self.resolved(dto.base.substitute(bindings))

    def lineage(self, ref: TypeRef) -> list[TypeRef]:
        """`ref` and its bases, the root base first."""
        dto = self.types[ref.name]
        if dto.base is None:
            return [ref]
        return [*self.lineage(dto.base.substitute(self.bindings(ref))), ref]

    def uses(self, roots: list[TypeRef]) -> dict[str, TypeRef]:
        """Every non-generic type and every closed generic one reachable from `roots`, by schema name."""
        found: dict[str, TypeRef] = {}
        pending = list(roots)
        while pending:
            ref = pending.pop()
            for dto_ref in self._dto_refs(ref):
                name = schema_name(dto_ref)
                if name in found:
                    continue
                found[name] = dto_ref
                dto = self.types[dto_ref.name]
                bindings = self.bindings(dto_ref)
                pending.extend(prop.type.substitute(bindings) for prop in dto.properties)
                if dto.base is not None:
                    pending.append(dto.base.substitute(bindings))
        return found

    def _dto_refs(self, ref: TypeRef) -> Iterator[TypeRef]:
        if ref.name in self.types:
            dto = self.types[ref.name]
            if len(ref.args) != len(dto.generic_params):
                raise ContractError(f"{ref} gives {len(ref.args)} generic argument(s) to {dto.name}")
            yield ref
        elif ref.name not in BUILTINS and ref.name not in COLLECTIONS | DICTIONARIES | {NULLABLE}:
            raise ContractError(f"unknown type {ref}")
        for arg in ref.args:
            yield from self._dto_refs(arg)

    def type_schema(self, ref: TypeRef, write_ref: RefWriter) -> Schema:
        """The JSON Schema of a closed type."""
        if ref.name in self.types:
            return {"$ref": write_ref(schema_name(ref))}
        if ref.name == NULLABLE:  # nulls are never written (section 4): the value's own schema
            return self.type_schema(ref.args[0], write_ref)
        if ref.name in COLLECTIONS:
            return {"type": "array", "items": self.type_schema(ref.args[0], write_ref)}
        if ref.name in DICTIONARIES:
            return {"type": "object", "additionalProperties": self.type_schema(ref.args[1], write_ref)}
        if ref.name in BUILTINS:
            return dict(BUILTINS[ref.name])
        raise ContractError(f"unknown type {ref}")


def _x_dto(dto: DtoType, ref: TypeRef) -> Schema:
    extra: Schema = {}
    if dto.namespace is not None:
        extra["namespace"] = dto.namespace
    if ref.args:
        extra["type"] = str(ref)
        extra["genericParams"] = list(dto.generic_params)
    return extra


def enum_schema(dto: DtoType) -> Schema:
    """An enum: ServiceStack writes its members by name."""
    schema: Schema = {
        "title": dto.name,
        "type": "string",
        "enum": list(dto.enum_names),
        "xml": {"name": dto.name, "namespace": xml_namespace(dto.namespace)},
        "x-dto": {**_x_dto(dto, TypeRef(dto.name)), **({"enumValues": list(dto.enum_values)} if dto.enum_values else {})},
    }
    if dto.description:
        schema["description"] = dto.description
    return schema


def dto_schema(table: TypeTable, ref: TypeRef, write_ref: RefWriter) -> Schema:
    """The schema of one class or closed generic type.

    A derived class is an `allOf` over its base's schema plus its own properties, so that code
    generators produce the same hierarchy (`AISessionInfo extends EntityInfo`); `flattened` merges
    them back into one object schema. Properties are optional unless the source marks them required
    or the contract guarantees them (`GUARANTEED`): ServiceStack omits nulls and never writes
    `null` (CONTRACT.md section 4), hence a plain type without `null`. Unknown properties stay
    allowed: later versions add members (section 8), and ServiceStack ignores unknown ones on
    input (section 2).
    """
    dto = table.types[ref.name]
    if dto.is_enum:
        return enum_schema(dto)
    properties: Schema = {}
    declared_by: dict[str, str] = {}
    required: list[str] = []
    for owner, prop, closed in table.resolved(ref):
        schema = table.type_schema(closed, write_ref)
        if "$ref" not in schema:
            schema["description"] = prop.description
        else:  # 2020-12 allows siblings of $ref, but OpenAPI tools read them unevenly
            schema = {"allOf": [schema], "description": prop.description}
        owner_dto = table.types[owner.name]
        schema["xml"] = {"name": pascal_case(prop.name), "namespace": xml_namespace(owner_dto.namespace)}
        if prop.type != STRING:  # the .NET type as declared, where JSON Schema loses it (Int32, List<T>)
            schema["x-dto"] = {"type": str(prop.type)}
        declared_by[prop.name] = schema_name(owner)
        if owner != ref:  # the base's schema holds it
            continue
        properties[prop.name] = schema
        if prop.required or prop.name in GUARANTEED.get(dto.name, ()):
            required.append(prop.name)
    name = schema_name(ref)
    result: Schema = {
        "title": name,
        "type": "object",
        "properties": properties,
        "xml": {"name": name, "namespace": xml_namespace(dto.namespace)},
        "x-dto": {
            "lineage": [schema_name(cls) for cls in table.lineage(ref)],
            "declaredBy": declared_by,
            **_x_dto(dto, ref),
        },
    }
    if dto.base is not None:  # the form generators read as a subclass: the base, then the own members
        own: Schema = {"type": "object", "properties": result.pop("properties")}
        if required:
            own["required"] = required
        result["allOf"] = [{"$ref": write_ref(schema_name(dto.base.substitute(table.bindings(ref))))}, own]
    elif required:
        result["required"] = required
    if dto.description:
        result["description"] = dto.description
    return result


def flattened(schema: Schema, lookup: Callable[[str], Schema]) -> Schema:
    """`schema` as one object schema: the members its `allOf` holds and those of the bases it names
    merged in, in wire order (its own properties, then its base's: CONTRACT.md section 1), and
    their `required` joined; `lookup` gives a schema by its `$ref`."""
    parts = schema.get("allOf", ())
    if not parts:
        return schema
    own = [schema, *(part for part in parts if "$ref" not in part)]
    bases = [flattened(lookup(part["$ref"]), lookup) for part in parts if "$ref" in part]
    result = {key: value for key, value in schema.items() if key != "allOf"}
    result["properties"] = {}
    required: list[str] = []
    for part in own + bases:
        result["properties"].update(part.get("properties", {}))
        required += [name for name in part.get("required", ()) if name not in required]
    if required:
        result["required"] = required
    return result


def schema_bundle(service: Service, write_ref: RefWriter) -> dict[str, Schema]:
    """Schemas of every type the contract holds, by name, in name order: the operations' DTOs,
    everything they reach, and ServiceStack's own DTOs."""
    table = TypeTable(service)
    roots = [TypeRef(dto.name) for dto in table.types.values() if not dto.generic_params]
    roots += [op.response for op in service.operations if op.response is not None]
    uses = table.uses(roots)
    return {name: dto_schema(table, uses[name], write_ref) for name in sorted(uses)}
