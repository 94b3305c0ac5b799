"""Merging the contract's two sources: the DTO page and the MetadataTypes document.

The rule: the page is the authority for what it states, and the document must agree with it on
every such fact; the document adds what the page does not state. So

- an operation both describe must be identical in both (description, response, routes, auth, roles);
- a type both describe must agree on its namespace, base, description and generic parameters where
  the page states them (the page shows no namespace but the fixed ones of `PAGE_NAMESPACES`, and no
  description but the request DTO's), and the document must hold every property of the page's, the
  same in type and description and in the page's relative order. It may add properties: a later
  version of the service added `actions` and `log` to `AISessionInfo` (CONTRACT.md section 8), and
  the merged type is the document's;
- operations and types only one source describes are taken as they are.

A disagreement is a `SourceConflictError` naming the operation or type and the fact at issue.
"""

from __future__ import annotations

from dataclasses import fields

from evokit.contract.errors import SourceConflictError
from evokit.contract.service import DtoType, Service, ServiceOperation


def _conflict(what: str, fact: str, page: object, document: object) -> SourceConflictError:
    return SourceConflictError(f"{what}: the DTO page says {fact} {page!r}, the metadata document {document!r}")


def _merge_operation(page: ServiceOperation, document: ServiceOperation) -> ServiceOperation:
    for item in fields(ServiceOperation):
        ours, theirs = getattr(page, item.name), getattr(document, item.name)
        if ours != theirs:
            raise _conflict(f"operation {page.name}", item.name, str(ours), str(theirs))
    return page


def _merge_type(page: DtoType, document: DtoType) -> DtoType:
    what = f"type {page.name}"
    stated = ["base", "generic_params", "is_enum", "enum_names", "enum_values"]
    if page.namespace is not None:
        stated.append("namespace")
    if page.description:
        stated.append("description")
    for name in stated:
        ours, theirs = getattr(page, name), getattr(document, name)
        if ours != theirs:
            raise _conflict(what, name, str(ours), str(theirs))
    positions = []
    for prop in page.properties:
        other = document.property(prop.name)
        if other is None:
            raise _conflict(what, "it has the property", prop.name, "nothing of that name")
        if other != prop:
            raise _conflict(f"{what}.{prop.name}", "", prop, other)
        positions.append([p.name for p in document.properties].index(prop.name))
    if positions != sorted(positions):
        raise _conflict(what, "the wire order", [p.name for p in page.properties], [p.name for p in document.properties])
    return document


def merge(page: Service, document: Service) -> Service:
    """The service both sources describe together; `SourceConflictError` where they disagree."""
    if page.name != document.name:
        raise _conflict("the service", "its name is", page.name, document.name)
    operations = {op.name: op for op in document.operations}
    for op in page.operations:
        operations[op.name] = _merge_operation(op, operations[op.name]) if op.name in operations else op
    types = {dto.name: dto for dto in document.types}
    for dto in page.types:
        types[dto.name] = _merge_type(dto, types[dto.name]) if dto.name in types else dto
    return Service(page.name, tuple(operations.values()), tuple(types.values()))
