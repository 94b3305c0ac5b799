"""`GET /types/python`: the DTOs as ServiceStack's `PythonGenerator` writes them.

A port of `ServiceStack/NativeTypes/Python/PythonGenerator.cs` with the options `NativeTypesService`
gives `/types/python`: the triple-quoted `Options:` header, the default imports (`from servicestack
import *` brings `IReturn`, `IReturnVoid`, the verb interfaces, `ResponseStatus` and the
Authenticate DTOs, which are therefore not written again), then every type as a
`@dataclass_json(letter_case=LetterCase.CAMEL, undefined=Undefined.EXCLUDE) @dataclass` class with
snake_case members, `Optional[...]` unless required; a generic type derives from `Generic[T]`, an
enum from `str, Enum` (`IntEnum` with values), and a request DTO from `IReturn[T]` (or
`IReturnVoid`) and its verb interface, under its `# @Route(...)` comments.
"""

from __future__ import annotations

from typing import Any

from evokit.contract.metadata import camel_case
from evokit.contract.native import model
from evokit.contract.native.model import MetaType, Op, Options, key, safe_token
from evokit.contract.service import TypeRef, parse_type

_ALIASES = {
    "String": "str", "Boolean": "bool", "DateTime": "datetime.datetime", "DateOnly": "datetime.datetime",
    "DateTimeOffset": "datetime.datetime", "TimeSpan": "datetime.timedelta", "TimeOnly": "datetime.timedelta",
    "Guid": "str", "Char": "str", "Byte": "int", "Int16": "int", "Int32": "int", "Int64": "int", "UInt16": "int",
    "UInt32": "int", "UInt64": "int", "Single": "float", "Double": "float", "Decimal": "Decimal", "IntPtr": "int",
    "List": "List", "Byte[]": "bytes", "Stream": "bytes", "HttpWebResponse": "bytes", "IDictionary": "Dict",
    "OrderedDictionary": "Dict", "Uri": "str", "Type": "str",
}
_DEFAULTS = {
    "Boolean": "False", "DateTime": "datetime.datetime(1, 1, 1)", "DateOnly": "datetime.datetime(1, 1, 1)",
    "DateTimeOffset": "datetime.datetime(1, 1, 1)", "TimeSpan": "datetime.timedelta()",
    "TimeOnly": "datetime.timedelta()", "Byte": "0", "Int16": "0", "Int32": "0", "Int64": "0", "UInt16": "0",
    "UInt32": "0", "UInt64": "0", "Single": "0.0", "Double": "0.0", "Decimal": "decimal.Decimal(0)", "IntPtr": "0",
    "List": "field(default_factory=list)", "Dictionary": "field(default_factory=dict)",
}
_KEYWORDS = frozenset({
    "and", "as", "assert", "break", "class", "continue", "def", "del", "elif", "else", "except", "False",
    "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "None", "nonlocal", "not", "or",
    "pass", "raise", "return", "True", "try", "while", "with", "yield",
})
_KEY_TYPES = frozenset({"str", "bool", "int"})
DEFAULT_IMPORTS = (
    "datetime", "decimal", "marshmallow.fields:*", "servicestack:*", "typing:*", "dataclasses:dataclass/field",
    "dataclasses_json:dataclass_json/LetterCase/Undefined/config", "enum:Enum/IntEnum",
)
DATA_CLASS = "@dataclass"
DATA_CLASS_JSON = "@dataclass_json(letter_case=LetterCase.CAMEL, undefined=Undefined.EXCLUDE)"
# NativeTypesService.ReturnInterfaces, BuiltinInterfaces and BuiltInClientDtos: the `servicestack`
# package defines them, so /types/python leaves them out.
LIBRARY_TYPES = frozenset({
    "IReturn`1", "IReturnVoid", "IGet", "IPost", "IPut", "IDelete", "IPatch", "IOptions", "IMeta", "IHasSessionId",
    "IHasBearerToken", "IHasVersion", "ICreateDb`1", "IUpdateDb`1", "IPatchDb`1", "IDeleteDb`1", "ISaveDb`1",
    "ResponseStatus", "ResponseError", "EmptyResponse", "IdResponse", "StringResponse", "StringsResponse", "QueryBase",
    "QueryData`1", "QueryDb`1", "QueryDb`2", "QueryResponse`1", "KeyValuePair`2", "Tuple`1", "Tuple`2", "Tuple`3",
    "Tuple`4", "Authenticate", "AuthenticateResponse", "Register", "RegisterResponse", "AssignRoles",
    "AssignRolesResponse", "UnAssignRoles", "UnAssignRolesResponse", "CancelRequest", "CancelRequestResponse",
    "UpdateEventSubscriber", "UpdateEventSubscriberResponse", "GetEventSubscribers", "GetApiKeys",
    "GetApiKeysResponse", "RegenerateApiKeys", "RegenerateApiKeysResponse", "UserApiKey", "ConvertSessionToToken",
    "ConvertSessionToTokenResponse", "GetAccessToken", "GetAccessTokenResponse", "NavItem", "GetNavItems",
    "GetNavItemsResponse", "MetadataApp", "GetFile", "FileContent", "StreamFiles", "StreamServerEvents", "AuditBase",
    "BackgroundJobBase", "BackgroundJobOptions", "BackgroundJob", "JobSummary", "ScheduledTask", "CompletedJob",
    "FailedJob", "WorkerStats",
})
_INDENT = "    "


def snake_case(name: str) -> str:
    """ServiceStack.Text's `ToLowercaseUnderscore`: camelCase, then `_` before each other capital."""
    return "".join(c if c.isdigit() or c.islower() or c == "_" else "_" + c.lower() for c in camel_case(name))


def _member_name(name: str) -> str:
    """`PropertyStyle`: snake_case, with `_` after a keyword or a built-in type's name."""
    styled = snake_case(safe_token(name))
    return styled + "_" if styled in _KEYWORDS or styled in _ALIASES.values() else styled


def _alias(name: str) -> str:
    name = name.lstrip("'")
    if name == "Byte[]":
        return _ALIASES[name]
    if "[" in name:
        return f"List[{_alias(name.split('[', 1)[0])}]"
    return _ALIASES.get(name) or safe_token(name.split("`", 1)[0].rsplit(".", 1)[-1])


def _key_type(name: str) -> str:
    return name if name in _KEY_TYPES else "str"


def _convert(ref: TypeRef) -> str:
    """`ConvertFromCSharp`: a generic argument's type expression."""
    if ref.is_array:
        return f"List[{_convert(ref.args[0])}]"
    bare = ref.bare_name
    if bare == "Nullable" and ref.args:
        return _alias(str(ref.args[0]))
    if bare == "List" and ref.args:
        return f"List[{_convert(ref.args[0])}]"
    if bare == "Dictionary" and len(ref.args) == 2:
        return f"Dict[{_key_type(_convert(ref.args[0]))}, {_convert(ref.args[1])}]"
    return _alias(ref.name) + (f"[{', '.join(_convert(arg) for arg in ref.args)}]" if ref.args else "")


def _generic_arg(text: str) -> str:
    return _convert(parse_type(text.lstrip("'")))


def py_type(name: str, generic_args: list[str] | None) -> str:
    """`Type(type, genericArgs)`: `List`1` of `String` is `List[str]`, `Nullable`1` of `Int32` is
    `Optional[int]`, `ListResponse`1` of `AISessionInfo` is `ListResponse[AISessionInfo]`."""
    if generic_args is not None:
        if name == "Nullable`1":
            return f"Optional[{_generic_arg(generic_args[0])}]"
        if name == "Nullable`1[]":
            return f"List[Optional[{_generic_arg(generic_args[0])}]]"
        if name in model.DICTIONARY_TYPES:
            return f"Dict[{_key_type(_generic_arg(generic_args[0]))}, {_generic_arg(generic_args[1])}]"
        if name in model.COLLECTION_TYPES:
            return f"List[{_generic_arg(generic_args[0])}]"
        if "`" in name:
            return f"{_alias(name)}[{', '.join(_generic_arg(arg) for arg in generic_args)}]"
    return _alias(name)


def _type_of(ref: dict[str, Any]) -> str:
    return py_type(ref["name"], ref.get("genericArgs"))


def _docs(description: str | None) -> list[str]:
    """`AppendTripleDocs`, CR and LF dropped as `SafeComment` does. A backslash or a `\"\"\"` would
    end or bend the string, so they are escaped, where ServiceStack would write broken code."""
    if not description:
        return []
    text = description.replace("\r", "").replace("\n", "").replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    return ['"""', text, '"""']


def _enum_member(name: str) -> str:
    """`EnumNameFormat`: UPPER_CASE."""
    if "_" in name:
        return name.upper()
    return _member_name(name).upper() if any(c.islower() for c in name) else name


def _enum(meta_type: MetaType) -> list[str]:
    values = meta_type.get("enumValues")
    base = "IntEnum" if meta_type.get("isEnumInt") or values is not None else "str, Enum"
    body = _docs(meta_type.get("description")) + ([""] if meta_type.get("description") else [])
    names = meta_type.get("enumNames")
    for index, name in enumerate(names or []):
        member = model.enum_member_value(meta_type, index)
        value = values[index] if values else None
        text = f"'{member}'" if member is not None else (f"'{name}'" if value is None else value)
        body.append(f"{_enum_member(safe_token(name))} = {text}")
    if names is None:
        body.append("pass")
    return [f"class {py_type(meta_type['name'], meta_type.get('genericArgs'))}({base}):", *_indented(body)]


def _properties(meta_type: MetaType, types: list[MetaType]) -> list[str]:
    """`AddProperties`: `name: Type = default`, then the member's description."""
    lines: list[str] = []
    props = meta_type.get("properties") or []
    for index, prop in enumerate(props):
        cooked = py_type(model.property_type_name(prop, types), prop.get("genericArgs"))
        default = " = None"
        if model.initialises_collection(prop):
            default = " = field(default_factory=dict)" if prop["type"] in model.DICTIONARY_TYPES else \
                " = field(default_factory=list)"
        elif not model.is_required(prop) or prop["type"] not in _DEFAULTS:
            cooked = cooked if cooked.startswith("Optional[") else f"Optional[{cooked}]"
        else:
            default = " = " + _DEFAULTS[prop["type"]]
        name = _member_name(prop["name"])
        if name.endswith("_"):  # the wire keeps the name the keyword took
            default = f" = field(metadata=config(field_name='{name.rstrip('_')}'), default{default.replace(' = ', '=')})"
        lines.append(f"{name}: {cooked}{default}")
        lines += _docs(prop.get("description"))
        if prop.get("description") and index != len(props) - 1:
            lines.append("")
    return lines


def _self_reference(type_name: str, base: str) -> str:
    """`ConvertSelfReferences`: `class C(IReturn["C"])`, as a class cannot name itself yet."""
    if "[" not in base:
        return base
    head, rest = base.split("[", 1)
    arg = rest.split("]", 1)[0]
    return f'{head}["{arg}"{rest[len(arg):]}' if arg == type_name else base


def _marker(op: Op) -> str | None:
    if op.returns_void:
        return "IReturnVoid"
    returned = _type_of(op.return_type) if op.return_type is not None else (
        _type_of(op.response) if op.response is not None else None)
    if returned is None:
        return None
    request = op.request["name"]
    if returned == request or f"[{request}]" in returned:
        returned = returned.replace(request, f'"{request}"')
    return f"IReturn[{returned}]"


def _class(meta_type: MetaType, types: list[MetaType], op: Op | None) -> list[str]:
    inherits = meta_type.get("inherits")
    extend = _declaration(inherits) if inherits else ""
    if extend:
        extend = _self_reference(meta_type["name"], extend)
    marker = _marker(op) if op is not None else None
    interfaces = ([marker] if marker else []) + [_type_of(ref) for ref in meta_type.get("implements") or []]
    if interfaces:
        extend += (", " if extend else "") + ", ".join(_self_reference(meta_type["name"], i) for i in interfaces)
    type_name = py_type(meta_type["name"], meta_type.get("genericArgs"))
    lines: list[str] = []
    if "[" in type_name:  # `ClassType`: a generic definition derives from Generic[T]
        head, params = type_name.split("[", 1)
        lines += [f"{param.strip()} = TypeVar('{param.strip()}')" for param in params.rsplit("]", 1)[0].split(",")]
        lines += ["", ""]
        class_name = f"{head}(Generic[{params}{', ' if extend else ''}{extend})"
    else:
        class_name = type_name + (f"({extend})" if extend else "")
    if not meta_type.get("isInterface"):
        lines += [DATA_CLASS_JSON, DATA_CLASS]
    body = _docs(meta_type.get("description")) + ([""] if meta_type.get("description") else [])
    body += _properties(meta_type, types)
    if not meta_type.get("properties"):
        body.append("pass")
    return [*lines, f"class {class_name}:", *_indented(body)]


def _declaration(ref: dict[str, Any]) -> str:
    """`DeclarationType`: a base class."""
    name, args = ref["name"], ref.get("genericArgs")
    if args and name in model.DICTIONARY_TYPES:
        return f"Dict[{_generic_arg(args[0])},{_generic_arg(args[1])}]"
    if args and name in model.COLLECTION_TYPES:
        return f"List[{_generic_arg(args[0])}]"
    return py_type(name, args)


def _indented(lines: list[str]) -> list[str]:
    return [_INDENT + line if line else "" for line in lines]


def _imports() -> list[str]:
    lines = []
    for spec in DEFAULT_IMPORTS:
        module, _, names = spec.partition(":")
        lines.append(f"from {module} import {names.replace('/', ', ')}" if names else f"import {module}")
    return lines


def python(document: Any, *, options: Options) -> str:
    """The `dtos.py` of a MetadataTypes document, as `GET /types/python` answers it."""
    metadata = model.read(document)
    metadata.drop(LIBRARY_TYPES)
    types = model.all_types(metadata)
    ops = {key(op.request): op for op in metadata.operations}
    settings = [
        ("GlobalNamespace", ""), ("AddServiceStackTypes", "True"), ("AddResponseStatus", "False"),
        ("AddImplicitVersion", ""), ("AddDescriptionAsComments", "True"), ("IncludeTypes", ""), ("ExcludeTypes", ""),
        ("DefaultImports", ",".join(DEFAULT_IMPORTS)), ("DataClass", ""), ("DataClassJson", ""),
    ]
    lines = ['""" Options:', *model.options_header(options, "#", settings), '"""', "", *_imports()]
    lines.append("Object = TypeVar('Object')")  # PythonGenerator.AfterImports
    for meta_type in types:
        op = ops.get(key(meta_type))
        lines += ["", ""]  # PEP 8's two lines between classes
        if op is not None:
            lines += model.route_comments(op.routes, "#")
        lines += _enum(meta_type) if meta_type.get("isEnum") else _class(meta_type, types, op)
    return "\n".join(lines) + "\n\n"
