"""The `Service` a generated contract describes: the generator read backwards.

Everything the model holds is in the generated documents: the schemas' `x-dto` (declared .NET
types, class hierarchy, namespaces, generic parameters, enum values) and the user-route operations'
`x-servicestack` (the route's verbs, the response DTO). So `generate(service_from_contract(c))`
gives `c`'s files again, byte for byte, which the round-trip test holds.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from evokit.contract.model import Contract, requires_authentication
from evokit.contract.service import STRING, DtoType, Property, Route, Service, ServiceOperation, TypeRef, parse_type
from evokit.contract.schemas import GUARANTEED
from evokit.contract.servicestack import FRAMEWORK_NAMESPACE


def _type_of(schemas: Mapping[str, Any], name: str) -> TypeRef:
    """The .NET type a schema stands for (`ListResponseOfAISessionInfo` -> `ListResponse<AISessionInfo>`)."""
    declared = schemas[name].get("x-dto", {}).get("type")
    return parse_type(declared) if declared else TypeRef(name)


def _dto_type(schemas: Mapping[str, Any], name: str) -> DtoType:
    schema = schemas[name]
    meta = schema["x-dto"]
    if "enum" in schema:
        return DtoType(
            name, meta.get("namespace"), schema.get("description", ""), is_enum=True,
            enum_names=tuple(schema["enum"]), enum_values=tuple(meta.get("enumValues", ())),
        )
    # The members the contract guarantees are its own fact, which the sources do not state.
    required = set(schema.get("required", ())) - set(GUARANTEED.get(name, ()))
    properties = tuple(
        Property(prop, parse_type(spec["x-dto"]["type"]) if "x-dto" in spec else STRING, spec["description"],
                 prop in required)
        for prop, spec in schema["properties"].items()
        if meta["declaredBy"][prop] == name
    )
    lineage = meta["lineage"]
    return DtoType(
        name=_type_of(schemas, name).name,
        namespace=meta.get("namespace"),
        description=schema.get("description", ""),
        base=_type_of(schemas, lineage[-2]) if len(lineage) > 1 else None,
        generic_params=tuple(meta.get("genericParams", ())),
        properties=properties,
    )


def _operations(openapi: Mapping[str, Any], schemas: Mapping[str, Any]) -> list[ServiceOperation]:
    found: dict[str, dict[str, Any]] = {}
    for path, methods in openapi["paths"].items():
        for spec in methods.values():
            meta = spec["x-servicestack"]
            if meta["route"] != "user":
                continue
            entry = found.setdefault(meta["operation"], {"spec": spec, "routes": set()})
            verbs = meta["verbs"]
            entry["routes"].add(Route(path, tuple(verbs.split(",")) if verbs else ()))
    operations = []
    for name, entry in found.items():
        spec = entry["spec"]
        response = spec["x-servicestack"]["response"]
        operations.append(ServiceOperation(
            name=name,
            description=spec["summary"],
            response=_type_of(schemas, response) if response else None,
            routes=tuple(sorted(entry["routes"])),
            requires_auth=requires_authentication(spec),
            required_roles=tuple(spec.get("x-required-roles", ())),
            any_of_roles=tuple(spec.get("x-required-any-role", ())),
        ))
    return operations


def service_from_contract(contract: Contract) -> Service:
    """The service `contract` was generated from (ServiceStack's own DTOs left out: the generator
    adds them)."""
    openapi = contract.openapi
    # The bundle, not the OpenAPI components: those hold only the schemas an operation uses.
    schemas = {name: contract.schema(name) for name in contract.dto_names}
    types: dict[str, DtoType] = {}
    for name, schema in schemas.items():
        if schema["x-dto"].get("namespace") != FRAMEWORK_NAMESPACE:
            dto = _dto_type(schemas, name)
            types.setdefault(dto.name, dto)  # every closed use of a generic type gives its definition
    return Service(openapi["info"]["title"], tuple(_operations(openapi, schemas)), tuple(types.values()))
