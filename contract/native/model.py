"""The MetadataTypes document as ServiceStack's DTO generators read it, shared by every language.

Ports of what `NativeTypesMetadata.cs`, `MetadataTypes.cs` and `NativeTypesService.cs` do before a
generator writes a line: validating the document, resolving each operation's HTTP method
(`ServiceClientUtils.GetHttpMethod`), listing the types in the order they must be declared
(`GetAllTypesOrdered`, then `OrderTypesByDeps`), and the property facts both languages ask
(`IsRequired()`, `GetTypeName`). Types stay the document's own dicts (`name`, `namespace`,
`genericArgs`, `inherits`, `implements`, `properties`, ...), so a generator reads them with the
member names the C# generators use.

The one fact this kit adds: the .NET interfaces a request DTO implements. A ServiceStack server
lists them (`implements`, e.g. `IPatch`), but the contract records no .NET interfaces, so a request
without `implements` is given the verb interface of its method (`IPatch` for a PATCH-only route),
the marker the official clients send it by; ServiceStack's `Authenticate` implements `IPost`.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from evokit.contract.errors import NativeTypesError
from evokit.contract.metadata import read_metadata

MetaType = dict[str, Any]
Key = tuple[str, str | None]

# The version the mock answers as (its X-Powered-By is "ServiceStack/8.0 ..."): `Env.VersionString`
# is `ServiceStackVersion.ToString()`, and 8.0 wrote `8.0m`.
SERVICESTACK_VERSION = "8.0"
# HelpMessages.NativeTypesDtoOptionsTip, formatted with the language's comment prefix.
OPTIONS_TIP = 'To override a DTO option, remove "{0}" prefix before updating'

# ServiceClientUtils.SupportedMethods, and the `IVerb` marker interface of each.
VERB_INTERFACES: dict[str, str] = {
    "GET": "IGet", "POST": "IPost", "PUT": "IPut", "PATCH": "IPatch", "DELETE": "IDelete", "OPTIONS": "IOptions",
}
_FRAMEWORK_INTERFACES: dict[Key, tuple[str, ...]] = {("Authenticate", "ServiceStack"): ("IPost",)}  # AuthDtos.cs
# ServiceMetadata's collection and dictionary type names.
COLLECTION_TYPES = frozenset({"List`1", "HashSet`1", "Queue`1", "Stack`1", "IEnumerable`1", "ICollection`1", "IEnumerable"})
DICTIONARY_TYPES = frozenset({
    "Dictionary`2", "OrderedDictionary", "StringDictionary", "IDictionary`2", "IOrderedDictionary`2", "IDictionary",
    "IOrderedDictionary",
})
_INTERFACE_COLLECTIONS = frozenset({"IEnumerable`1", "ICollection`1", "IEnumerable", "IDictionary`2",
                                    "IOrderedDictionary`2", "IDictionary", "IOrderedDictionary"})
_UNSAFE = ('"', "-", "+", "\\", "*", "=", "!")


@dataclass(frozen=True)
class Options:
    """The request-dependent facts a generated file states in its header."""

    base_url: str
    date: datetime
    version: str = SERVICESTACK_VERSION


@dataclass
class Op:
    """One `operations[]` entry: `request` (with its `implements` resolved), `response`, the
    `returnType` marker, the routes, and the method `ServiceClientUtils.GetHttpMethod` gives."""

    request: MetaType
    response: MetaType | None
    return_type: MetaType | None
    returns_void: bool
    routes: list[MetaType]
    method: str | None


@dataclass
class Metadata:
    """A validated, private copy of the document: generators may drop and add types freely."""

    types: list[MetaType]
    operations: list[Op] = field(default_factory=list)

    def drop(self, names: frozenset[str]) -> None:
        """`NativeTypesService` for a language whose client library defines these types itself."""
        self.operations = [op for op in self.operations if op.request["name"] not in names]
        for op in self.operations:
            if op.response is not None and op.response["name"] in names:
                op.response = None
        self.types = [t for t in self.types if t["name"] not in names]


def key(meta_type: Mapping[str, Any]) -> Key:
    """`MetadataType.Equals`: a type is its name and namespace."""
    return meta_type["name"], meta_type.get("namespace")


def safe_token(token: str) -> str:
    """`SafeToken`: a name written into code must be a token."""
    if any(char in token for char in _UNSAFE):
        raise NativeTypesError(f"MetadataTypes document: {token!r} is not a name that can be written as code")
    return token


def _single_route_method(routes: list[MetaType]) -> str | None:
    methods = {route["verbs"].upper() for route in routes if route.get("verbs")}
    methods &= VERB_INTERFACES.keys()
    return methods.pop() if len(methods) == 1 else None


def _op(entry: Mapping[str, Any]) -> Op:
    request = entry["request"]
    routes = list(entry.get("routes") or [])
    implements = request.get("implements")
    if implements is None:
        names = _FRAMEWORK_INTERFACES.get(key(request))
        if names is None:
            method = _single_route_method(routes)
            names = (VERB_INTERFACES[method],) if method else ()
        implements = [{"name": name, "namespace": "ServiceStack"} for name in names]
    request = {**request, "implements": implements}
    # GetIVerbMethod, then GetSingleRouteMethod: the interface wins over the routes.
    verbs = {name: verb for verb, name in VERB_INTERFACES.items()}
    method = entry.get("method") or next((verbs[i["name"]] for i in implements if i["name"] in verbs), None)
    return Op(
        request=request,
        response=entry.get("response"),
        return_type=entry.get("returnType"),
        returns_void=bool(entry.get("returnsVoid")),
        routes=routes,
        method=method or _single_route_method(routes),
    )


def read(document: Any) -> Metadata:
    """The document, checked (`MetadataError` naming the member at fault) and copied."""
    read_metadata(document, service_name="")
    document = copy.deepcopy(document)
    return Metadata(list(document.get("types") or []), [_op(entry) for entry in document.get("operations") or []])


def _is_system(meta_type: Mapping[str, Any]) -> bool:
    """`IgnoreSystemType`: .NET's own types are never written, nor types deriving from Array."""
    return (meta_type.get("namespace") or "").startswith("System") or (meta_type.get("inherits") or {}).get("name") == "Array"


def _base_first(types: list[MetaType]) -> list[MetaType]:
    """`CreateSortedTypeList`: every type after the base class it inherits."""
    by_key = {key(t): t for t in types}
    result: list[MetaType] = []
    seen: set[Key] = set()

    def add(meta_type: MetaType | None) -> None:
        if meta_type is None or key(meta_type) in seen:
            return
        inherits = meta_type.get("inherits")
        if inherits is not None:
            add(by_key.get(key(inherits)))
        if key(meta_type) not in seen:
            seen.add(key(meta_type))
            result.append(meta_type)

    for meta_type in types:
        add(meta_type)
    return result


def _dependencies(meta_type: MetaType, op: Op | None) -> list[str]:
    """The type names `OrderTypesByDeps` pushes for a type: its return marker's, base's and members'."""
    found: list[str] = []

    def push(name: str) -> None:
        name = name.rsplit("[", 1)[0] if name.endswith("[]") else name
        if name not in found:
            found.append(name)

    marker = op.return_type if op is not None else None
    if marker is not None:
        for name in marker.get("genericArgs") or [marker["name"]]:
            push(name)
    inherits = meta_type.get("inherits")
    if inherits is not None:
        for name in inherits.get("genericArgs") or []:
            push(name)
        push(inherits["name"])
    for prop in meta_type.get("properties") or []:
        for name in prop.get("genericArgs") or [prop["type"]]:
            push(name)
    return found


def _by_dependencies(types: list[MetaType], ops: Mapping[Key, Op]) -> list[MetaType]:
    """`OrderTypesByDeps`: before each type, the types it names that were not yet considered."""
    deps = {t["name"]: _dependencies(t, ops.get(key(t))) for t in types}
    by_name: dict[str, MetaType] = {}
    for meta_type in types:
        by_name.setdefault(meta_type["name"], meta_type)
    considered: set[str] = set()
    ordered: list[MetaType] = []

    def dependencies_of(meta_type: MetaType) -> Iterator[MetaType]:
        for name in deps.get(meta_type["name"], []):
            if name not in by_name or name in considered:
                continue
            considered.add(name)
            yield from dependencies_of(by_name[name])
            yield by_name[name]

    for meta_type in types:
        for dependency in dependencies_of(meta_type):
            if dependency not in ordered:
                ordered.append(dependency)
        if meta_type not in ordered:
            ordered.append(meta_type)
        considered.add(meta_type["name"])
    return ordered


def all_types(metadata: Metadata) -> list[MetaType]:
    """Every type to declare, in declaration order: the document's types (bases first), then the
    responses, then the requests (`GetAllTypesOrdered`), reordered by their dependencies."""
    metadata.types = [t for t in metadata.types if not _is_system(t)]
    metadata.operations = [op for op in metadata.operations if not _is_system(op.request)]
    ordered = _base_first(metadata.types)
    keys = {key(t) for t in ordered}
    candidates = [op.response for op in metadata.operations if op.response is not None]
    candidates += [op.request for op in metadata.operations]
    for meta_type in candidates:
        if key(meta_type) not in keys and not _is_system(meta_type):
            keys.add(key(meta_type))
            ordered.append(meta_type)
    return _by_dependencies(ordered, {key(op.request): op for op in metadata.operations})


def is_required(prop: Mapping[str, Any]) -> bool:
    """`IsRequired()`: declared required, or a value type that is not `Nullable<T>`."""
    return bool(prop.get("isRequired")) or (bool(prop.get("isValueType")) and prop["type"] != "Nullable`1")


def is_collection(prop: Mapping[str, Any]) -> bool:
    """`IsEnumerable()`: a list, an array or a dictionary."""
    return prop["type"] in COLLECTION_TYPES or "[" in prop["type"] or prop["type"] in DICTIONARY_TYPES


def initialises_collection(prop: Mapping[str, Any]) -> bool:
    """Whether a required list or dictionary member starts empty instead of unset (the generators'
    `initializer`; `InitializeCollections` is off by default)."""
    return bool(prop.get("isRequired")) and is_collection(prop) and prop["type"] not in _INTERFACE_COLLECTIONS


def property_type_name(prop: Mapping[str, Any], types: list[MetaType]) -> str:
    """`GetTypeName`: a struct that is neither .NET's nor an enum is written as a string."""
    if not prop.get("isValueType") or prop.get("isEnum"):
        return str(prop["type"])
    if (prop.get("namespace") or "").startswith("System"):
        args = prop.get("genericArgs") or []
        if prop["type"] != "Nullable`1" or len(args) != 1:
            return str(prop["type"])
        declared = next((p for t in types for p in t.get("properties") or [] if p["type"] == args[0]), None)
        system = declared is not None and (declared.get("namespace") or "").startswith("System")
        return "String" if declared is not None and not system and not declared.get("isEnum") else str(prop["type"])
    return "String"


def escaped(text: str) -> str:
    """`ToEscapedString`: a double-quoted string literal."""
    table = {'"': '\\"', "\\": "\\\\", "\0": "\\0", "\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n",
             "\r": "\\r", "\t": "\\t", "\v": "\\v"}
    return '"' + "".join(table.get(char, char) for char in text) + '"'


def route_comments(routes: list[MetaType], prefix: str) -> list[str]:
    """`// @Route("/path", "VERBS")`: a route as the generators write it, in the language's comment."""
    lines = []
    for route in routes:
        args = [escaped(route["path"])] + ([escaped(route["verbs"])] if route.get("verbs") else [])
        lines.append(f"{prefix} @Route({', '.join(args)})")
    return lines


def options_header(options: Options, prefix: str, settings: list[tuple[str, str]]) -> list[str]:
    """The `Options:` block's lines: date, version, tip and base URL, then every setting with the
    comment prefix that marks it as the server's default."""
    lines = [
        f"Date: {options.date.strftime('%Y-%m-%d %H:%M:%S')}",
        f"Version: {options.version}",
        f"Tip: {OPTIONS_TIP.format(prefix)}",
        f"BaseUrl: {options.base_url}",
        "",
    ]
    return lines + [f"{prefix}{name}: {value}" for name, value in settings]


def enum_member_value(meta_type: Mapping[str, Any], index: int) -> str | None:
    """`GetEnumMemberValue`: the member's `[EnumMember(Value)]`, when the document lists them."""
    values = meta_type.get("enumMemberValues") or []
    return str(values[index]) if index < len(values) and values[index] is not None else None
