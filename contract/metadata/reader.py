"""Reading a ServiceStack `MetadataTypes` document (`GET /types/metadata`) into a `Service`.

The document's shape is ServiceStack's (`ServiceStack.Client/MetadataTypes.cs`, written by
`NativeTypesMetadata.GetMetadataTypes`), in camelCase JSON:

- `operations[]`: `request` (a type), `response` (a type, or absent), `returnType` (the `IReturn<T>`
  marker's type name, the only place a generic response's arguments appear), `returnsVoid`,
  `routes[]` of `{path, verbs}` (`verbs` comma-separated, absent for every verb), `requiresAuth`,
  `requiredRoles`, `requiresAnyRole`;
- `types[]`: every other type the operations reach. A generic type appears once, as its definition
  (`ListResponse`1` with `genericArgs: ["T"]`); a type used as a response appears under its operation
  only, not in `types`;
- a type has `name`, `namespace`, `genericArgs`, `inherits` (a type name with `genericArgs`),
  `description`, `isEnum`, `enumNames`, `enumValues` and `properties[]`, each with its .NET `name`
  (PascalCase; the wire name is its camelCase, or `dataMember.name`), `type` (`String`, `List`1`,
  `Nullable`1`, `String[]`), `genericArgs`, `description` and `isRequired`.

Types and operations in ServiceStack's own namespace are skipped: the contract defines the
framework's DTOs itself (`evokit.contract.servicestack`). Anything unreadable raises `MetadataError`
naming the member by its JSON path; unknown members are ignored, as ServiceStack adds some in
every version.
"""

from __future__ import annotations

from typing import Any

from evokit.contract.metadata.nodes import Node
from evokit.contract.schemas import BUILTINS, COLLECTIONS, DICTIONARIES, NULLABLE
from evokit.contract.service import (
    DtoType,
    Property,
    Route,
    Service,
    ServiceOperation,
    TypeRef,
    TypeSyntaxError,
    generic_name,
    parse_type,
)
from evokit.contract.servicestack import FRAMEWORK_DTOS, FRAMEWORK_NAMESPACE

_ARITY = {**{name: 1 for name in COLLECTIONS}, **{name: 2 for name in DICTIONARIES}, NULLABLE: 1}


def camel_case(name: str) -> str:
    """ServiceStack.Text's camelCase of a .NET name: the leading capitals lowered, but the last of
    them when a lowercase letter follows it (`Id` -> `id`, `AIMinutes` -> `aiMinutes`, `ID` -> `id`)."""
    chars = list(name)
    for index, char in enumerate(chars):
        following = chars[index + 1] if index + 1 < len(chars) else "A"
        if char.isupper() and (following.isupper() or index == 0):
            chars[index] = char.lower()
        else:
            break
    return "".join(chars)


def _expression(node: Node, text: str) -> TypeRef:
    try:
        return parse_type(text)
    except TypeSyntaxError as exc:
        raise node.error(str(exc)) from None


def _type_name(node: Node) -> TypeRef:
    """A `MetadataTypeName` (or a type's own name) with its `genericArgs`, as a closed `TypeRef`."""
    name = node.string("name")
    args = node.optional_strings("genericArgs")
    return _with_args(node, name, [_expression(node.child("genericArgs"), arg) for arg in args])


def _with_args(node: Node, name: str, args: list[TypeRef]) -> TypeRef:
    if name.endswith("[]") and not args:
        return _expression(node.child("name"), name)
    bare, _, arity = name.partition("`")
    if arity and (not arity.isdigit() or int(arity) != len(args)):
        raise node.child("genericArgs").error(f"{name} takes {arity} generic argument(s), got {len(args)}")
    if not arity and args:
        return TypeRef(generic_name(bare, len(args)), tuple(args))
    return TypeRef(name, tuple(args))


def _property(node: Node) -> tuple[Property, Node]:
    dotnet = node.string("name")
    data_member = node.optional_object("dataMember")
    wire = data_member.optional_string("name") if data_member else None
    type_node = node.child("type")
    args = [_expression(node.child("genericArgs"), arg) for arg in node.optional_strings("genericArgs")]
    ref = _with_args(node, node.string("type"), args)
    prop = Property(
        name=wire or camel_case(dotnet),
        type=ref,
        description=node.optional_string("description") or "",
        required=node.optional_bool("isRequired"),
    )
    return prop, type_node


def _dto_type(node: Node, description: str | None = None) -> tuple[DtoType, list[tuple[TypeRef, Node]]]:
    """The type and every type reference in it, with the node to blame if it names nothing known."""
    name = node.string("name")
    params = tuple(node.optional_strings("genericArgs"))
    if "`" in name and len(params) != int(name.partition("`")[2] or 0):
        raise node.child("genericArgs").error(f"{name} is a generic definition; expected its parameters")
    refs: list[tuple[TypeRef, Node]] = []
    inherits = node.optional_object("inherits")
    base = _type_name(inherits) if inherits else None
    if base is not None and inherits is not None:
        refs.append((base, inherits.child("name")))
    is_enum = node.optional_bool("isEnum")
    if is_enum and node.optional_bool("isEnumInt"):
        raise node.child("isEnumInt").error("enums written as integers are not supported")
    properties = []
    seen: dict[str, int] = {}
    for index, prop_node in enumerate(node.optional_objects("properties")):
        prop, type_node = _property(prop_node)
        if prop.name in seen:
            raise prop_node.child("name").error(f"{prop.name} is declared twice (first at properties[{seen[prop.name]}])")
        seen[prop.name] = index
        properties.append(prop)
        refs.append((prop.type, type_node))
    dto = DtoType(
        name=name,
        namespace=node.optional_string("namespace"),
        description=description if description is not None else node.optional_string("description") or "",
        base=base,
        generic_params=params if "`" in name else (),
        properties=tuple(properties),
        is_enum=is_enum,
        enum_names=tuple(node.optional_strings("enumNames")) if is_enum else (),
        enum_values=tuple(node.optional_strings("enumValues")) if is_enum else (),
    )
    if is_enum and not dto.enum_names:
        raise node.child("enumNames").error("an enum needs its names")
    return dto, refs


class _Types:
    """The types read so far, each with where it was read, so a second, different definition is caught."""

    def __init__(self) -> None:
        self.types: dict[str, DtoType] = {}
        self.where: dict[str, str] = {}
        self.refs: list[tuple[TypeRef, Node, tuple[str, ...]]] = []

    def add(self, dto: DtoType, refs: list[tuple[TypeRef, Node]], *, node: Node) -> None:
        if dto.name in self.types and self.types[dto.name] != dto:
            raise node.error(f"{dto.name} differs from its definition at {self.where[dto.name]}")
        self.types.setdefault(dto.name, dto)
        self.where.setdefault(dto.name, node.path)
        self.refs.extend((ref, where, dto.generic_params) for ref, where in refs)

    def check_known(self) -> None:
        known = {**self.types, **{dto.name: dto for dto in FRAMEWORK_DTOS}}
        for ref, where, params in self.refs:
            _check_ref(ref, where, known, params)


def _check_ref(ref: TypeRef, where: Node, known: dict[str, DtoType], params: tuple[str, ...]) -> None:
    if ref.name in params and not ref.args:
        return
    if ref.is_array or ref.name in _ARITY:
        expected = 1 if ref.is_array else _ARITY[ref.name]
        if len(ref.args) != expected:
            raise where.error(f"{ref} needs {expected} generic argument(s)")
    elif ref.name in known:
        if len(ref.args) != len(known[ref.name].generic_params):
            raise where.error(f"{ref} does not match the parameters of {ref.name}")
    elif ref.name not in BUILTINS or ref.args:
        raise where.error(f"unknown type {ref}")
    for arg in ref.args:
        _check_ref(arg, where, known, params)


def _is_framework(node: Node) -> bool:
    return node.optional_string("namespace") == FRAMEWORK_NAMESPACE


def _operation(node: Node, types: _Types) -> ServiceOperation | None:
    request = node.object("request")
    if _is_framework(request):
        return None
    description = request.optional_string("description") or ""
    dto, refs = _dto_type(request, description)
    types.add(dto, refs, node=request)
    response: TypeRef | None = None
    return_type = node.optional_object("returnType")
    response_node = node.optional_object("response")
    if node.optional_bool("returnsVoid"):
        response = None
    elif return_type is not None:
        response = _type_name(return_type)
        types.refs.append((response, return_type.child("name"), ()))
    elif response_node is not None:
        if response_node.optional_strings("genericArgs"):
            raise response_node.error("a generic response needs the operation's returnType to close it")
        response = TypeRef(response_node.string("name"))
        types.refs.append((response, response_node.child("name"), ()))
    # A type used as a response is only listed here (NativeTypesMetadata keeps it out of `types`);
    # a generic one is the closed type, whose definition `types` holds.
    if response_node is not None and not response_node.optional_strings("genericArgs") and not _is_framework(response_node):
        types.add(*_dto_type(response_node), node=response_node)
    routes = []
    for route in node.optional_objects("routes"):
        verbs = route.optional_string("verbs")
        routes.append(Route(route.string("path"), tuple(v.strip().upper() for v in verbs.split(",")) if verbs else ()))
    return ServiceOperation(
        name=dto.name,
        description=description,
        response=response,
        routes=tuple(sorted(routes)),
        requires_auth=node.optional_bool("requiresAuth"),
        required_roles=tuple(node.optional_strings("requiredRoles")),
        any_of_roles=tuple(node.optional_strings("requiresAnyRole")),
    )


def read_metadata(document: Any, *, service_name: str, source: str | None = None) -> Service:
    """The service a decoded MetadataTypes document describes; `MetadataError` for what it cannot read."""
    root = Node(document, "$", source)
    root.require_object()
    types = _Types()
    operations: dict[str, ServiceOperation] = {}
    for node in root.optional_objects("types"):
        if not _is_framework(node):
            types.add(*_dto_type(node), node=node)
    for node in root.optional_objects("operations"):
        op = _operation(node, types)
        if op is None:
            continue
        if op.name in operations:
            raise node.child("request").child("name").error(f"operation {op.name} is listed twice")
        operations[op.name] = op
    types.check_known()
    return Service(service_name, tuple(operations.values()), tuple(types.types.values()))
