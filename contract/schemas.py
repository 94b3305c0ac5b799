"""DTO classes to JSON Schema 2020-12: inheritance resolved, wire order kept, XML names attached.

Pure functions: a parsed page (plus the framework's DTOs) in, schema dictionaries out. References
between DTOs are written through a `ref` callback so the same schemas serve the standalone bundle
(`#/$defs/X`) and the OpenAPI document (`#/components/schemas/X`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from contract.dto_page import DtoClass, DtoProperty
from contract.jsdoc_types import DictionaryOf, DtoRef, ListOf, Primitive, TypeRef, parse_type
from contract.servicestack import DATA_CONTRACT_NAMESPACES, FRAMEWORK_DTOS, SERVICESTACK_NAMESPACE

Schema = dict[str, Any]
RefWriter = Callable[[str], str]


def resolved_properties(dto: DtoClass, classes: dict[str, DtoClass]) -> list[tuple[DtoClass, DtoProperty]]:
    """Every property of `dto` with the class declaring it, in wire order.

    ServiceStack serialises a derived class's own properties before the inherited ones, which is
    the order of the page's `@param {{...}} [init]` and of its sample response (CONTRACT.md section 1).
    """
    own = [(dto, prop) for prop in dto.properties]
    if dto.base is None:
        return own
    return own + resolved_properties(classes[dto.base], classes)


def lineage(dto: DtoClass, classes: dict[str, DtoClass]) -> list[DtoClass]:
    """`dto` and its bases, the root base first."""
    chain = [dto]
    while chain[0].base is not None:
        chain.insert(0, classes[chain[0].base])
    return chain


def pascal_case(name: str) -> str:
    """The .NET member name behind a camelCase wire name."""
    return name[:1].upper() + name[1:]


def xml_namespace(dto_name: str) -> str:
    """The DataContract namespace of a DTO; ServiceStack's own types live in its types namespace."""
    return DATA_CONTRACT_NAMESPACES.get(dto_name, SERVICESTACK_NAMESPACE)


def type_schema(type_ref: TypeRef, ref: RefWriter) -> Schema:
    """The JSON Schema of one JSDoc type."""
    if isinstance(type_ref, Primitive):
        return {"type": type_ref.json_type}
    if isinstance(type_ref, ListOf):
        return {"type": "array", "items": type_schema(type_ref.item, ref)}
    if isinstance(type_ref, DictionaryOf):
        return {"type": "object", "additionalProperties": type_schema(type_ref.value, ref)}
    if isinstance(type_ref, DtoRef):
        return {"$ref": ref(type_ref.name)}
    raise TypeError(f"unsupported type reference {type_ref!r}")


def dto_schema(dto: DtoClass, classes: dict[str, DtoClass], ref: RefWriter, description: str = "") -> Schema:
    """The schema of one DTO.

    Properties are optional (ServiceStack omits nulls and never writes `null`, CONTRACT.md section 4,
    hence a plain type without `null`). Unknown properties stay allowed: later versions of the service
    add members (section 8), and ServiceStack ignores unknown ones on input (section 2).
    """
    known = frozenset(classes)
    properties: Schema = {}
    for owner, prop in resolved_properties(dto, classes):
        schema = type_schema(parse_type(prop.type, known), ref)
        if "$ref" not in schema:
            schema["description"] = prop.description
        else:  # 2020-12 allows siblings of $ref, but OpenAPI tools read them unevenly
            schema = {"allOf": [schema], "description": prop.description}
        schema["xml"] = {"name": pascal_case(prop.name), "namespace": xml_namespace(owner.name)}
        properties[prop.name] = schema
    result: Schema = {
        "title": dto.name,
        "type": "object",
        "properties": properties,
        "xml": {"name": dto.name, "namespace": xml_namespace(dto.name)},
        "x-dto": {
            "lineage": [cls.name for cls in lineage(dto, classes)],
            "declaredBy": {prop.name: owner.name for owner, prop in resolved_properties(dto, classes)},
        },
    }
    if description:
        result["description"] = description
    return result


def all_classes(page_classes: Iterable[DtoClass]) -> dict[str, DtoClass]:
    """The page's DTOs and ServiceStack's, by name; a page type shadowing a framework one is an error."""
    classes = {dto.name: dto for dto in FRAMEWORK_DTOS}
    for dto in page_classes:
        if dto.name in classes:
            raise ValueError(f"the page redefines ServiceStack's own DTO {dto.name}")
        classes[dto.name] = dto
    return classes


def schema_bundle(classes: dict[str, DtoClass], descriptions: dict[str, str], ref: RefWriter) -> dict[str, Schema]:
    """Schemas of every DTO, by name, in name order."""
    return {
        name: dto_schema(classes[name], classes, ref, descriptions.get(name, ""))
        for name in sorted(classes)
    }
