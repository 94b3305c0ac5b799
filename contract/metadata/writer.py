"""Writing a `Service` as ServiceStack's `MetadataTypes` document, the shape `GET /types/metadata` has.

The inverse of `evokit.contract.metadata.reader`, laid out as `NativeTypesMetadata.GetMetadataTypes` lays
it out: a request type and a response type appear under their operation and not in `types`; a
generic response is the closed type under the operation, with `returnType` naming its arguments,
and its definition in `types`; nulls and `false` flags are left out. ServiceStack's own DTOs are
listed too, in its namespace, with the Authenticate service, so that a client generated from this
document can log in; the reader skips them.
"""

from __future__ import annotations

from typing import Any

from evokit.contract.schemas import BUILTINS, COLLECTIONS, DICTIONARIES, NULLABLE, pascal_case
from evokit.contract.metadata.reader import camel_case
from evokit.contract.service import DtoType, Property, Route, Service, ServiceOperation, TypeRef
from evokit.contract.servicestack import AUTHENTICATE_REQUEST, AUTHENTICATE_RESPONSE, FRAMEWORK_DTOS

Document = dict[str, Any]

# The .NET reference types among the built-ins; every other built-in is a value type.
_REFERENCE_TYPES = frozenset({"String", "Object", "Uri"})
# The routes ServiceStack's AuthenticateService is registered on (AuthFeature's defaults).
_AUTH_ROUTES = (Route("/auth", ("GET", "POST")), Route("/auth/{provider}", ("GET", "POST")))


class _Writer:
    def __init__(self, service: Service) -> None:
        self.types = {dto.name: dto for dto in (*FRAMEWORK_DTOS, *service.types)}

    def namespace(self, ref: TypeRef) -> str | None:
        if ref.name in self.types:
            return self.types[ref.name].namespace
        if ref.name in COLLECTIONS | DICTIONARIES and not ref.is_array:
            return "System.Collections.Generic"
        return "System"

    def type_name(self, ref: TypeRef) -> Document:
        name: Document = {"name": ref.name, "namespace": self.namespace(ref)}
        if ref.args and not ref.is_array:
            name["genericArgs"] = [str(arg) for arg in ref.args]
        return _compact(name)

    def property(self, prop: Property) -> Document:
        ref = prop.type
        underlying = ref.args[0] if ref.name == NULLABLE else ref
        is_enum = underlying.name in self.types and self.types[underlying.name].is_enum
        value_type = is_enum or ref.name == NULLABLE or (ref.name in BUILTINS and ref.name not in _REFERENCE_TYPES)
        document: Document = {
            "name": pascal_case(prop.name),
            "type": str(ref) if ref.is_array else ref.name,
            "namespace": self.namespace(ref),
            "genericArgs": [str(arg) for arg in ref.args] if ref.args and not ref.is_array else None,
            "isValueType": value_type or None,
            "isEnum": is_enum or None,
            "description": prop.description or None,
            "isRequired": prop.required or None,
        }
        if camel_case(document["name"]) != prop.name:  # a wire name camelCase cannot give: [DataMember(Name)]
            document["dataMember"] = {"name": prop.name}
        return _compact(document)

    def type(self, dto: DtoType, closed: TypeRef | None = None) -> Document:
        """A type; with `closed`, a generic one as its operation lists it, the arguments substituted."""
        bindings = dict(zip(dto.generic_params, closed.args)) if closed is not None else {}
        document: Document = {
            "name": dto.name,
            "namespace": dto.namespace,
            "genericArgs": list(dto.generic_params) or None,
            "inherits": self.type_name(dto.base.substitute(bindings)) if dto.base else None,
            "description": dto.description or None,
            "isEnum": dto.is_enum or None,
            "isGenericTypeDef": (bool(dto.generic_params) and closed is None) or None,
            "enumNames": list(dto.enum_names) or None,
            "enumValues": list(dto.enum_values) or None,
            "properties": [
                self.property(Property(p.name, p.type.substitute(bindings), p.description, p.required))
                for p in dto.properties
            ] or (None if dto.is_enum else []),
        }
        return _compact(document)

    def operation(self, op: ServiceOperation) -> Document:
        response = self.types.get(op.response.name) if op.response is not None else None
        document: Document = {
            "request": self.type(self.types[op.name]),
            "response": self.type(response, op.response) if response is not None and op.response else None,
            "returnsVoid": (op.response is None) or None,
            "returnType": self.type_name(op.response) if op.response is not None else None,
            "routes": [_compact({"path": r.path, "verbs": ",".join(r.verbs) or None}) for r in op.routes] or None,
            "requiresAuth": op.requires_auth or None,
            "requiredRoles": list(op.required_roles) or None,
            "requiresAnyRole": list(op.any_of_roles) or None,
        }
        return _compact(document)


def _compact(document: Document) -> Document:
    """ServiceStack's JSON leaves nulls out."""
    return {key: value for key, value in document.items() if value is not None}


def write_metadata(service: Service) -> Document:
    """The MetadataTypes document describing `service` (and ServiceStack's own DTOs)."""
    writer = _Writer(service)
    auth = ServiceOperation(AUTHENTICATE_REQUEST, response=TypeRef(AUTHENTICATE_RESPONSE), routes=_AUTH_ROUTES)
    operations = [*service.operations, auth]
    listed_elsewhere = {op.name for op in operations}
    listed_elsewhere |= {op.response.name for op in operations if op.response is not None and not op.response.args}
    types = [writer.type(dto) for dto in (*FRAMEWORK_DTOS, *service.types) if dto.name not in listed_elsewhere]
    namespaces = sorted({dto.namespace for dto in writer.types.values() if dto.namespace} | {"System"})
    return {
        "config": {},
        "namespaces": namespaces,
        "types": types,
        "operations": [writer.operation(op) for op in operations],
    }

