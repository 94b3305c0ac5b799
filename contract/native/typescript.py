"""`GET /types/typescript`: the DTOs as ServiceStack's `TypeScriptGenerator` writes them.

A port of `ServiceStack/NativeTypes/TypeScript/TypeScriptGenerator.cs` with the options
`NativeTypesService` gives `/types/typescript` (`ExportAsTypes`, ServiceStack's own types added,
descriptions as comments): the `/* Options: ... */` header, `// @ts-nocheck`, the `IReturn<T>`,
`IReturnVoid` and verb interfaces, then every type as an exported class (an enum as an `enum`),
each with a `Partial<T>` constructor; a request DTO carries its `// @Route(...)` comments,
`implements IReturn<T>` (or `IReturnVoid`) and its verb interface, and `getTypeName()`,
`getMethod()` and `createResponse()`, which `@servicestack/client` calls.
"""

from __future__ import annotations

from typing import Any

from evokit.contract.metadata import camel_case
from evokit.contract.native import model
from evokit.contract.native.model import MetaType, Op, Options, key, safe_token
from evokit.contract.service import TypeRef, parse_type

_ALIASES = {
    "String": "string", "Boolean": "boolean", "DateTime": "string", "DateOnly": "string",
    "DateTimeOffset": "string", "TimeSpan": "string", "TimeOnly": "string", "Guid": "string", "Char": "string",
    "Byte": "number", "Int16": "number", "Int32": "number", "Int64": "number", "UInt16": "number",
    "UInt32": "number", "UInt64": "number", "Single": "number", "Double": "number", "Decimal": "number",
    "IntPtr": "number", "List": "Array", "Byte[]": "string", "Stream": "string", "HttpWebResponse": "Blob",
    "IDictionary": "any", "OrderedDictionary": "any", "Uri": "string", "Type": "string",
}
_RETURN_ALIASES = {"Byte[]": "Blob", "Stream": "Blob", "HttpWebResponse": "Blob"}
# What `createResponse()` returns for a type that `new` cannot build.
_PRIMITIVE_DEFAULTS = {"string": "''", "boolean": "false", "number": "0"}
_ARRAY_TYPES = frozenset({"List`1", "IEnumerable`1", "ICollection`1", "HashSet`1", "Queue`1", "Stack`1", "IEnumerable"})
_DICTIONARY_TYPES = frozenset({"Dictionary`2", "IDictionary`2", "IOrderedDictionary`2", "OrderedDictionary",
                               "StringDictionary", "IDictionary", "IOrderedDictionary"})
_KEY_TYPES = frozenset({"string", "boolean", "number"})
_INDENT = "    "
# `NativeTypesService.ReturnInterfaces`: declared first whenever ServiceStack's types are added.
_RETURN_INTERFACES: tuple[MetaType, ...] = (
    {"name": "IReturn`1", "namespace": "ServiceStack", "genericArgs": ["T"], "isInterface": True},
    {"name": "IReturnVoid", "namespace": "ServiceStack", "isInterface": True},
)


def _alias(name: str) -> str:
    """`TypeAlias`: a .NET name as TypeScript writes it."""
    name = name.lstrip("'")
    if name == "Byte[]":
        return _ALIASES[name]
    if "[" in name:
        return _alias(name.split("[", 1)[0]) + "[]" * name.count("[")
    return _ALIASES.get(name) or safe_token(name.split("`", 1)[0].rsplit(".", 1)[-1])


def _key_type(name: str) -> str:
    return name if name in _KEY_TYPES else "string"


def _convert(ref: TypeRef) -> str:
    """`ConvertFromCSharp`: a generic argument's type expression."""
    if ref.is_array:
        return _convert(ref.args[0]) + "[]"
    bare = ref.bare_name
    if bare == "Nullable" and ref.args:
        return _alias(str(ref.args[0]))
    if bare == "List" and ref.args:
        return _convert(ref.args[0]) + "[]"
    if bare == "Dictionary" and len(ref.args) == 2:
        return "{ [index:" + _key_type(_convert(ref.args[0])) + "]: " + _convert(ref.args[1]) + "; }"
    text = _alias(ref.name if bare != "Tuple" else f"Tuple`{len(ref.args)}")
    return text + (f"<{','.join(_convert(arg) for arg in ref.args)}>" if ref.args else "")


def _generic_arg(text: str) -> str:
    return _convert(parse_type(text.lstrip("'")))


def _strip_nullable(text: str) -> str:
    """`StripNullable`: `Nullable<X>` inside a cooked type becomes `X`."""
    start = text.lower().find("nullable")
    if start < 0:
        return text
    depth, inner = 1, start + len("nullable") + 1
    for index in range(inner, len(text)):
        depth += {"<": 1, ">": -1}.get(text[index], 0)
        if depth == 0:
            return text[:start] + text[inner:index] + text[index + 1:]
    return text


def ts_type(name: str, generic_args: list[str] | None) -> str:
    """`Type(type, genericArgs)`: `List`1` of `String` is `string[]`, `Nullable`1` of `Int32` is `number?`."""
    if generic_args is not None:
        if name == "Nullable`1":
            return f"{_generic_arg(generic_args[0])}?"
        if name == "Nullable`1[]":
            return _generic_arg(generic_args[0]) + "[]"
        if name in _ARRAY_TYPES:
            return _strip_nullable(f"{_generic_arg(generic_args[0])}[]")
        if name in _DICTIONARY_TYPES:
            return "{ [index:" + _key_type(_generic_arg(generic_args[0])) + "]: " + _generic_arg(generic_args[1]) + "; }"
        if "`" in name:
            args = ", ".join(arg if arg.startswith("{") or "<{" in arg else _generic_arg(arg) for arg in generic_args)
            type_name, suffix = _alias(name), ""
            if type_name.endswith("[]"):
                type_name, suffix = type_name[:-2], "[]"
            return f"{type_name}<{args}>{suffix}"
    else:
        name = _strip_nullable(name)
    return _alias(name)


def _type_of(ref: dict[str, Any]) -> str:
    return ts_type(ref["name"], ref.get("genericArgs"))


def _comment(description: str | None) -> list[str]:
    """`AppendComments`. CR and LF are dropped, as `SafeComment` does; a `*/` would end the comment
    early, so it is broken up, where ServiceStack would write code that does not compile."""
    if not description:
        return []
    text = description.replace("\r", "").replace("\n", "").replace("*/", "*\\/")
    return [f"/** @description {text} */"]


def _implements(op: Op) -> str | None:
    """The return marker of a request (`ImplementsFn`, with `AddReturnMarker` on)."""
    if op.returns_void:
        return "IReturnVoid"
    if op.return_type is not None:
        alias = _RETURN_ALIASES.get(op.return_type["name"])
        return ts_type("IReturn`1", [alias or _type_of(op.return_type)])
    if op.response is not None:
        return ts_type("IReturn`1", [ts_type(op.response["name"], op.response.get("genericArgs"))])
    return None


def _create_response(marker: str | None) -> str:
    if marker is None or not marker.startswith("IReturn<"):
        return "public createResponse() {}"
    returned = marker.split("<", 1)[1][:-1]
    default = "{}" if returned == "any" else _PRIMITIVE_DEFAULTS.get(returned)
    if returned.endswith("[]"):
        default = f"new Array<{returned[:-2]}>()"
    return f"public createResponse() {{ return {default or f'new {returned}()'}; }}"


def _enum(meta_type: MetaType) -> list[str]:
    lines = [f"export enum {ts_type(meta_type['name'], meta_type.get('genericArgs'))}", "{"]
    values = meta_type.get("enumValues")
    for index, name in enumerate(meta_type.get("enumNames") or []):
        member = model.enum_member_value(meta_type, index)
        value = values[index] if values else None
        text = f"'{member}'" if member is not None else (f"'{name}'" if value is None else value)
        lines.append(f"{_INDENT}{safe_token(name)} = {text},")
    return [*lines, "}"]


def _properties(meta_type: MetaType, types: list[MetaType], modifier: str) -> list[str]:
    """`AddProperties`: one line per member, optional (`?`) unless required; a member after one
    with a `// @DataMember` is spaced from it."""
    lines: list[str] = []
    spaced = False
    for prop in meta_type.get("properties") or []:
        if spaced:
            lines.append("")
        cooked = ts_type(model.property_type_name(prop, types), prop.get("genericArgs")).removesuffix("?")
        optional = "" if model.is_required(prop) else "?"
        alias = (prop.get("dataMember") or {}).get("name")
        lines += _comment(prop.get("description"))
        spaced = bool(alias)
        if alias:  # `AppendDataMember`
            lines.append(f"// @DataMember(Name={model.escaped(alias)})")
        initializer = ""
        if model.initialises_collection(prop):
            initializer = " = {}" if prop["type"] in model.DICTIONARY_TYPES else " = []"
        name = safe_token(alias or camel_case(safe_token(prop["name"])))
        lines.append(f"{modifier}{name}{optional}: {cooked}{initializer};")
    return lines


def _class(meta_type: MetaType, types: list[MetaType], op: Op | None) -> list[str]:
    inherits = meta_type.get("inherits")
    extends = _declaration(inherits) if inherits else None
    marker = _implements(op) if op is not None else None
    interfaces = [marker] if marker else []
    interfaces += [_type_of(ref) for ref in meta_type.get("implements") or []]
    is_class = not meta_type.get("isInterface")
    type_name = ts_type(meta_type["name"], meta_type.get("genericArgs"))
    extend = f" extends {extends}" if extends else ""
    if interfaces:
        extend += (" implements " if is_class else (", " if extend else " extends ")) + ", ".join(interfaces)
    body: list[str] = []
    if meta_type["name"] == "IReturn`1":
        body.append("createResponse(): T;")
    elif meta_type["name"] == "IReturnVoid":
        body.append("createResponse(): void;")
    body += _properties(meta_type, types, "public " if is_class else "")
    if is_class:
        call_super = ""
        if inherits:
            call_super = "super(); " if extend.startswith((" extends Array<", " extends Dictionary<")) else "super(init); "
        body += ["", f"public constructor(init?: Partial<{type_name}>) {{ {call_super}(Object as any).assign(this, init); }}"]
    if op is not None:
        body.append(f"public getTypeName() {{ return '{safe_token(meta_type['name'])}'; }}")
        if op.method:
            body.append(f"public getMethod() {{ return '{op.method}'; }}")
        body.append(_create_response(marker))
    declaration = f"export {'class' if is_class else 'interface'} {type_name}{extend}"
    return [declaration, "{", *(_INDENT + line if line else "" for line in body), "}"]


def _declaration(ref: dict[str, Any]) -> str:
    """`DeclarationType`: a base class, with `Array<T>` where `T[]` cannot stand in `extends`."""
    name, args = ref["name"], ref.get("genericArgs")
    cooked = _strip_nullable(f"Array<{_generic_arg(args[0])}>") if args and name in _ARRAY_TYPES else ts_type(name, args)
    if cooked.startswith("{"):
        return "any"
    return f"Array<{cooked.split('[', 1)[0]}>" if "[" in cooked else cooked


def _interfaces(metadata: model.Metadata) -> list[MetaType]:
    """`ResolveMetadataTypes` with ServiceStack's types added: the return markers, then each verb
    interface a type implements, declared as empty interfaces."""
    declared = {t["name"] for t in metadata.types}
    found: list[MetaType] = list(_RETURN_INTERFACES)
    responses = [op.response for op in metadata.operations if op.response is not None]
    implementers = [*metadata.types, *responses, *(op.request for op in metadata.operations)]
    for meta_type in implementers:
        for ref in meta_type.get("implements") or []:
            if ref["name"] in model.VERB_INTERFACES.values() and ref["name"] not in declared:
                declared.add(ref["name"])
                found.append({"name": ref["name"], "namespace": "ServiceStack", "isInterface": True})
    return found


def typescript(document: Any, *, options: Options) -> str:
    """The `dtos.ts` of a MetadataTypes document, as `GET /types/typescript` answers it."""
    metadata = model.read(document)
    metadata.types = [*_interfaces(metadata), *metadata.types]
    types = model.all_types(metadata)
    ops = {key(op.request): op for op in metadata.operations}
    settings = [
        ("GlobalNamespace", ""), ("MakePropertiesOptional", "False"), ("AddServiceStackTypes", "True"),
        ("AddResponseStatus", "False"), ("AddImplicitVersion", ""), ("AddDescriptionAsComments", "True"),
        ("IncludeTypes", ""), ("ExcludeTypes", ""), ("DefaultImports", ""),
    ]
    lines = ["/* Options:", *model.options_header(options, "//", settings), "*/", "", "// @ts-nocheck"]
    for meta_type in types:
        op = ops.get(key(meta_type))
        lines += ["", *_comment(meta_type.get("description"))]
        if op is not None:
            lines += model.route_comments(op.routes, "//")
        lines += _enum(meta_type) if meta_type.get("isEnum") else _class(meta_type, types, op)
    return "\n".join(lines) + "\n\n"
