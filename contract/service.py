"""The neutral model of a service: what every source of DTOs says, whatever its form.

Both readers produce a `Service`: the DTO page (`evokit.contract.page_service`) and a ServiceStack
`MetadataTypes` document (`evokit.contract.metadata`). The generator consumes nothing else, so a fact
either source can state is a field here, and the two sources can be merged and compared.

Type names are .NET's, as ServiceStack's metadata writes them: `String`, `Int32`, a generic type
with its arity (`List`1`, `ListResponse`1`) and its arguments, an array as `[]` of its item. A
`TypeRef` is written and read in the C#-like form `ListResponse<AISessionInfo>`, `String[]`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

ARRAY = "[]"
# ServiceStack's `[Route]` without verbs matches every verb; an empty `verbs` tuple says the same.
ANY_VERB: tuple[str, ...] = ()


class TypeSyntaxError(ValueError):
    """A type expression that is not `Name`, `Name<Arg,...>` or `Item[]`."""


@dataclass(frozen=True)
class TypeRef:
    """A .NET type: `name` (with the generic arity, `List`1`) and its generic arguments."""

    name: str
    args: tuple[TypeRef, ...] = ()

    @property
    def is_array(self) -> bool:
        return self.name == ARRAY

    @property
    def bare_name(self) -> str:
        """The name without its arity: `List` for `List`1`."""
        return self.name.split("`", 1)[0]

    def substitute(self, bindings: dict[str, TypeRef]) -> TypeRef:
        """This type with each generic parameter replaced by its binding (`T` -> `AISessionInfo`)."""
        if not self.args:
            return bindings.get(self.name, self)
        return TypeRef(self.name, tuple(arg.substitute(bindings) for arg in self.args))

    def __str__(self) -> str:
        if self.is_array:
            return f"{self.args[0]}[]"
        if not self.args:
            return self.name
        return f"{self.bare_name}<{','.join(str(arg) for arg in self.args)}>"


def generic_name(bare: str, arity: int) -> str:
    """`List`, 1 -> `List`1`: how .NET (and so ServiceStack's metadata) names a generic type."""
    return f"{bare}`{arity}" if arity else bare


_TOKEN = re.compile(r"\s*(?:(?P<name>[A-Za-z_][\w.]*(?:`\d+)?)|(?P<punct>[<>,]|\[\]))")


def parse_type(text: str) -> TypeRef:
    """Read `ListResponse<AISessionInfo>`, `Dictionary<String,List<Int32>>`, `String[]`."""
    tokens = [m["name"] or m["punct"] for m in _TOKEN.finditer(text)]
    if "".join(tokens) != re.sub(r"\s+", "", text) or not tokens:
        raise TypeSyntaxError(f"unreadable type expression {text!r}")
    ref, rest = _parse(tokens, text)
    if rest:
        raise TypeSyntaxError(f"unreadable type expression {text!r}")
    return ref


def _parse(tokens: list[str], text: str) -> tuple[TypeRef, list[str]]:
    head, rest = tokens[0], tokens[1:]
    if head in "<>,[]":
        raise TypeSyntaxError(f"unreadable type expression {text!r}")
    name = head.split("`", 1)[0]
    args: list[TypeRef] = []
    if rest[:1] == ["<"]:
        rest = rest[1:]
        while True:
            if not rest:
                raise TypeSyntaxError(f"unclosed '<' in {text!r}")
            arg, rest = _parse(rest, text)
            args.append(arg)
            if rest[:1] == [","]:
                rest = rest[1:]
            elif rest[:1] == [">"]:
                rest = rest[1:]
                break
            else:
                raise TypeSyntaxError(f"unreadable type expression {text!r}")
    ref = TypeRef(generic_name(name, len(args)), tuple(args))
    while rest[:1] == [ARRAY]:
        rest = rest[1:]
        ref = TypeRef(ARRAY, (ref,))
    return ref, rest


STRING = TypeRef("String")


@dataclass(frozen=True)
class Property:
    """A member of a DTO: camelCase wire name, .NET type, description, whether it is required."""

    name: str
    type: TypeRef = STRING
    description: str = ""
    required: bool = False


@dataclass(frozen=True)
class DtoType:
    """A class or enum of the service.

    A generic definition (`ListResponse`1`) names its parameters in `generic_params`; its properties
    use them (`List<T>`). An enum has `enum_names` (and `enum_values` only when they are not the
    default 0, 1, 2...: ServiceStack leaves them out then).
    """

    name: str
    namespace: str | None = None
    description: str = ""
    base: TypeRef | None = None
    generic_params: tuple[str, ...] = ()
    properties: tuple[Property, ...] = ()
    is_enum: bool = False
    enum_names: tuple[str, ...] = ()
    enum_values: tuple[str, ...] = ()

    def property(self, name: str) -> Property | None:
        return next((prop for prop in self.properties if prop.name == name), None)


@dataclass(frozen=True, order=True)
class Route:
    """A user route: its path template and verbs (`ANY_VERB` for every verb)."""

    path: str
    verbs: tuple[str, ...] = ANY_VERB


@dataclass(frozen=True)
class ServiceOperation:
    """An operation: its request DTO is the type of the same name; `response` None means void."""

    name: str
    description: str = ""
    response: TypeRef | None = None
    routes: tuple[Route, ...] = ()
    requires_auth: bool = False
    required_roles: tuple[str, ...] = ()
    any_of_roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class Service:
    """A service: operations and types, each in name order (the order carries no meaning, and a
    fixed one keeps the generated files deterministic whatever order a source lists them in)."""

    name: str
    operations: tuple[ServiceOperation, ...] = ()
    types: tuple[DtoType, ...] = field(default=())

    def __post_init__(self) -> None:
        object.__setattr__(self, "operations", tuple(sorted(self.operations, key=lambda op: op.name)))
        object.__setattr__(self, "types", tuple(sorted(self.types, key=lambda dto: dto.name)))

    def type(self, name: str) -> DtoType | None:
        return next((dto for dto in self.types if dto.name == name), None)

    def operation(self, name: str) -> ServiceOperation | None:
        return next((op for op in self.operations if op.name == name), None)
