"""The DTO page as a `Service`: one operation, its request DTO and the classes the page shows.

The page writes JavaScript DTOs, so it states less than ServiceStack's metadata: JSDoc types
instead of .NET ones, no namespaces, and the response DTO only through its sample body. What it
cannot show is filled in here by the rules below, each the way ServiceStack's JavaScript generator
maps .NET back (`string` is `String`, `T[]` a `List<T>`), and checked against the MetadataTypes
document when the two are merged (`evokit.contract.merge`).
"""

from __future__ import annotations

from evokit.contract.dto_page import DtoClass, DtoPage
from evokit.contract.errors import DtoPageError
from evokit.contract.jsdoc_types import DictionaryOf, DtoRef, ListOf, Primitive, parse_type
from evokit.contract.jsdoc_types import TypeRef as JsType
from evokit.contract.service import DtoType, Property, Route, Service, ServiceOperation, TypeRef

# JSDoc primitives as .NET types. `number` says no more than "a number"; `Double` is the .NET type
# whose JSON Schema is the same `number`.
_PRIMITIVES = {"string": "String", "boolean": "Boolean", "number": "Double"}

# .NET namespaces of the page's classes (section 6): the page cannot show them.
PAGE_NAMESPACES: dict[str, str] = {
    "EntityInfo": "Voice.Api",
    "AISessionInfo": "Voice.Api.AI",
    "PatchAISession": "Voice.Api.AI",
}


def _dotnet(js: JsType) -> TypeRef:
    if isinstance(js, Primitive):
        return TypeRef(_PRIMITIVES[js.json_type])
    if isinstance(js, ListOf):
        return TypeRef("List`1", (_dotnet(js.item),))
    if isinstance(js, DictionaryOf):
        return TypeRef("Dictionary`2", (TypeRef("String"), _dotnet(js.value)))
    if isinstance(js, DtoRef):
        return TypeRef(js.name)
    raise TypeError(f"unsupported JSDoc type {js!r}")


def _dto_type(dto: DtoClass, known: frozenset[str], description: str) -> DtoType:
    return DtoType(
        name=dto.name,
        namespace=PAGE_NAMESPACES.get(dto.name),
        description=description,
        base=TypeRef(dto.base) if dto.base else None,
        properties=tuple(
            Property(prop.name, _dotnet(parse_type(prop.type, known)), prop.description) for prop in dto.properties
        ),
    )


def wire_properties(dto: DtoClass, classes: dict[str, DtoClass]) -> list[str]:
    """Property names in wire order: the class's own, then its bases' (CONTRACT.md section 1)."""
    names = [prop.name for prop in dto.properties]
    return names + (wire_properties(classes[dto.base], classes) if dto.base else [])


def response_dto(page: DtoPage) -> str:
    """The response DTO: the class whose properties, in wire order, are the sample response's."""
    classes = {dto.name: dto for dto in page.classes}
    wanted = list(page.sample_response_fields)
    for dto in page.classes:
        if wire_properties(dto, classes) == wanted:
            return dto.name
    raise DtoPageError(f"no DTO matches the sample response fields {wanted}", line=1)


def service_from_page(page: DtoPage) -> Service:
    """The page's operation and classes; raises `DtoPageError` when it lacks the request DTO."""
    known = frozenset(dto.name for dto in page.classes)
    if page.operation not in known:
        raise DtoPageError(f"the page defines no request DTO class {page.operation}", line=1)
    operation = ServiceOperation(
        name=page.operation,
        description=page.description,
        response=TypeRef(response_dto(page)),
        routes=tuple(sorted(Route(route.path, (route.method,)) for route in page.routes)),
        requires_auth=page.requires_authentication,
        required_roles=page.required_roles,
        any_of_roles=page.any_of_roles,
    )
    types = tuple(
        _dto_type(dto, known, page.description if dto.name == page.operation else "") for dto in page.classes
    )
    return Service(page.service, (operation,), types)
