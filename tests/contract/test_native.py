"""The DTO generators of `evokit.contract.native`: ServiceStack's TypeScript and Python output, read from
the contract's own MetadataTypes document; what compiles and runs is proven in `tests/clients`."""

from __future__ import annotations

import copy
import importlib.util
import json
import re
import sys
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import servicestack  # type: ignore[import-untyped]
from servicestack import IReturn, IReturnVoid  # type: ignore[import-untyped]

from evokit.contract import MetadataError, NativeTypesError
from evokit.contract.metadata import metadata_types
from evokit.contract.model import load_contract
from evokit.contract.native import LANGUAGES, Options, python, type_links, typescript
from evokit.contract.native.python import py_type, snake_case
from evokit.contract.native.typescript import ts_type

CONTRACT = load_contract()
DOCUMENT: dict[str, Any] = json.loads(json.dumps(metadata_types(CONTRACT)))
OPTIONS = Options(base_url="http://127.0.0.1:5000", date=datetime(2024, 5, 1, 10, 0, 0))
TS = typescript(DOCUMENT, options=OPTIONS)
PY = python(DOCUMENT, options=OPTIONS)


def user_route(name: str) -> tuple[str, str]:
    route = CONTRACT.operation(name).user_route
    return route.path, route.method


def single_verb(name: str) -> str | None:
    """The verb a request DTO is sent with: its user routes' one verb, or none for any verb."""
    methods = {r.method for r in CONTRACT.operation(name).routes if r.kind == "user"}
    return methods.pop() if len(methods) == 1 else None


def ts_class(name: str) -> str:
    """One declaration of the TypeScript file, from its `export` to its closing brace."""
    match = re.search(rf"^export (?:class|interface|enum) {re.escape(name)}(?!\w).*?^}}$", TS, re.M | re.S)
    assert match, f"{name} is not declared"
    return match.group(0)


@pytest.fixture(scope="module")
def dtos(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    """The Python file imported as a module, as a frontend developer's `dtos.py` would be."""
    path = tmp_path_factory.mktemp("native") / "evokit_dtos.py"
    path.write_text(PY, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("evokit_dtos", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["evokit_dtos"] = module  # as an import would: dataclasses look the module up there
    spec.loader.exec_module(module)
    yield module
    sys.modules.pop("evokit_dtos", None)


def test_the_typescript_header_is_servicestacks_options_block() -> None:
    assert TS.startswith(
        "/* Options:\nDate: 2024-05-01 10:00:00\nVersion: 8.0\n"
        'Tip: To override a DTO option, remove "//" prefix before updating\nBaseUrl: http://127.0.0.1:5000\n\n'
        "//GlobalNamespace: \n//MakePropertiesOptional: False\n//AddServiceStackTypes: True\n")
    assert "\n*/\n\n// @ts-nocheck\n\nexport interface IReturn<T>\n{\n    createResponse(): T;\n}\n" in TS


def test_the_python_header_is_servicestacks_options_block() -> None:
    assert PY.startswith('""" Options:\nDate: 2024-05-01 10:00:00\nVersion: 8.0\n'
                         'Tip: To override a DTO option, remove "#" prefix before updating\n'
                         "BaseUrl: http://127.0.0.1:5000\n\n#GlobalNamespace: \n")
    assert '\n#DataClassJson: \n"""\n\nimport datetime\nimport decimal\n' in PY
    assert "\nfrom servicestack import *\nfrom typing import *\n" in PY


@pytest.mark.parametrize("name", sorted(CONTRACT.operations))
def test_every_operation_is_a_typescript_request_dto_with_its_route_and_verb(name: str) -> None:
    declaration = ts_class(name)
    path, _ = user_route(name)
    verb = single_verb(name)
    route = f'// @Route("{path}", "{verb}")' if verb else f'// @Route("{path}")'
    assert f"{route}\nexport class {name} " in TS
    assert f"public getTypeName() {{ return '{name}'; }}" in declaration
    response = CONTRACT.operation(name).response
    marker = "IReturnVoid" if response is None else "IReturn<"
    assert f" implements {marker}" in declaration.splitlines()[0]
    if verb:
        assert f"public getMethod() {{ return '{verb}'; }}" in declaration
        assert declaration.splitlines()[0].endswith(", I" + verb.capitalize())
    else:  # any verb: ServiceStack names no method, and the client picks one
        assert "getMethod" not in declaration


@pytest.mark.parametrize("name", sorted(CONTRACT.operations))
def test_every_operation_is_a_python_request_dto_with_its_route_and_verb(name: str, dtos: ModuleType) -> None:
    path, _ = user_route(name)
    verb = single_verb(name)
    route = f'# @Route("{path}", "{verb}")' if verb else f'# @Route("{path}")'
    assert re.search(rf"^{re.escape(route)}\n@dataclass_json\(.*\)\n@dataclass\nclass {name}\(", PY, re.M)
    request = getattr(dtos, name)
    returns_void = CONTRACT.operation(name).response is None
    assert issubclass(request, IReturnVoid if returns_void else IReturn)
    verbs = {v: getattr(servicestack, "I" + v.capitalize()) for v in ("GET", "POST", "PUT", "PATCH", "DELETE")}
    assert [v for v, marker in verbs.items() if issubclass(request, marker)] == ([verb] if verb else [])


def test_typescript_writes_inheritance_and_closed_generics_as_servicestack_does() -> None:
    assert ts_class("AISessionInfo").startswith("export class AISessionInfo extends EntityInfo\n")
    assert "{ super(init); (Object as any).assign(this, init); }" in ts_class("AISessionInfo")
    assert ts_class("ListAISessions").splitlines()[0] == (
        "export class ListAISessions extends ListRequest<AISessionInfo> "
        "implements IReturn<ListResponse<AISessionInfo>>, IGet")
    assert "public createResponse() { return new ListResponse<AISessionInfo>(); }" in ts_class("ListAISessions")
    assert "    public items?: T[];" in ts_class("ListResponse<T>")
    assert "public createResponse() {}" in ts_class("DeleteAISession")


def test_typescript_members_optional_unless_a_value_type_and_enums_as_enums() -> None:
    request = ts_class("ListRequest<T>")
    assert "    public page: number;" in request  # Int32: a value type is always sent
    assert "    public all?: boolean;" in request  # Nullable<Boolean>
    assert "    public sortOrder?: SortOrders;" in request
    assert "    public specificIds?: string[];" in request
    assert "    public meta?: { [index:string]: string; };" in ts_class("ResponseStatus")
    assert ts_class("SortOrders") == "export enum SortOrders\n{\n    Ascend = 'Ascend',\n    Descend = 'Descend',\n}"
    assert "/** @description The ID of the object */\n    public id?: string;" in ts_class("EntityInfo")


def test_typescript_declares_each_type_after_what_it_names() -> None:
    order = [m.group(1) for m in re.finditer(r"^export (?:class|interface|enum) (\w+)", TS, re.M)]
    for before, after in (("EntityInfo", "AISessionInfo"), ("AISessionActionInfo", "AISessionInfo"),
                          ("SortOrders", "ListRequest"), ("ListRequest", "ListAISessions"),
                          ("IPatch", "PatchAISession"), ("AuthenticateResponse", "Authenticate")):
        assert order.index(before) < order.index(after), (before, after)
    assert len(order) == len(set(order))


def test_python_loads_and_its_dtos_read_and_write_camel_case_json(dtos: ModuleType) -> None:
    session = dtos.AISessionInfo.from_json(
        '{"id":"A","purpose":"Triage","actions":[{"id":"1","canBeApplied":true}],"unknown":1}')
    assert isinstance(session, dtos.EntityInfo)
    assert (session.id, session.purpose, session.actions[0].can_be_applied) == ("A", "Triage", True)
    request = dtos.ListAISessions(page=2, sort_order=dtos.SortOrders.DESCEND, account_ids=["acc-1"])
    assert isinstance(request, dtos.ListRequest)
    written = json.loads(request.to_json())
    assert (written["page"], written["sortOrder"], written["accountIds"]) == (2, "Descend", ["acc-1"])
    assert set(written) <= {camel for camel in CONTRACT.properties("ListAISessions")}


def test_python_writes_members_as_servicestack_does() -> None:
    assert "class ListRequest(Generic[T]):\n" in PY and "class ListResponse(Generic[T]):\n" in PY
    assert "\nT = TypeVar('T')\n\n\n@dataclass_json" in PY
    assert "    page: int = 0\n" in PY and "    all: Optional[bool] = None\n" in PY
    assert "    items: Optional[List[T]] = None\n" in PY
    assert "class ListAISessions(ListRequest[AISessionInfo], IReturn[ListResponse[AISessionInfo]], IGet):" in PY
    assert "class DeleteAISession(IReturnVoid, IDelete):" in PY
    assert "class SortOrders(str, Enum):\n    ASCEND = 'Ascend'\n    DESCEND = 'Descend'\n" in PY
    # The servicestack package defines these; the file imports them instead.
    for name in ("ResponseStatus", "ResponseError", "Authenticate", "AuthenticateResponse", "IReturn"):
        assert not re.search(rf"^class {name}\b", PY, re.M)


@pytest.mark.parametrize(("name", "args", "typescript_type", "python_type"), [
    ("String", None, "string", "str"),
    ("Int32", None, "number", "int"),
    ("Boolean", None, "boolean", "bool"),
    ("DateTime", None, "string", "datetime.datetime"),
    ("Nullable`1", ["Int32"], "number?", "Optional[int]"),
    ("List`1", ["String"], "string[]", "List[str]"),
    ("String[]", None, "string[]", "List[str]"),
    ("Dictionary`2", ["String", "Int32"], "{ [index:string]: number; }", "Dict[str, int]"),
    ("Dictionary`2", ["Guid", "List<String>"], "{ [index:string]: string[]; }", "Dict[str, List[str]]"),
    ("ListResponse`1", ["AISessionInfo"], "ListResponse<AISessionInfo>", "ListResponse[AISessionInfo]"),
    ("KeyValuePair`2", ["String", "Int64"], "KeyValuePair<string, number>", "KeyValuePair[str, int]"),
])
def test_type_names_as_each_generator_writes_them(name: str, args: list[str] | None, typescript_type: str,
                                                  python_type: str) -> None:
    assert (ts_type(name, args), py_type(name, args)) == (typescript_type, python_type)


@pytest.mark.parametrize(("name", "expected"), [
    ("SessionId", "session_id"), ("Id", "id"), ("AIMinutes", "ai_minutes"), ("ID", "id"), ("Page2", "page2"),
])
def test_member_names_are_servicestacks_snake_case(name: str, expected: str) -> None:
    assert snake_case(name) == expected


def broken(change: Callable[[dict[str, Any]], object]) -> dict[str, Any]:
    document = copy.deepcopy(DOCUMENT)
    change(document)
    return document


def op_index(name: str) -> int:
    return next(i for i, op in enumerate(DOCUMENT["operations"]) if op["request"]["name"] == name)


def test_a_declared_interface_or_method_wins_over_the_routes() -> None:
    index = op_index("GetAIUsage")

    def declare(document: dict[str, Any]) -> None:
        document["operations"][index]["request"]["implements"] = [{"name": "IPost", "namespace": "ServiceStack"}]

    assert "export class GetAIUsage implements IReturn<AIUsage>, IPost" in typescript(broken(declare), options=OPTIONS)
    assert "public getMethod() { return 'POST'; }" in typescript(broken(declare), options=OPTIONS)
    with_method = broken(lambda d: d["operations"][index].update(method="PUT"))
    assert "public getMethod() { return 'PUT'; }" in typescript(with_method, options=OPTIONS)


def test_a_route_with_two_verbs_names_no_method() -> None:
    index = op_index("PatchAISession")
    document = broken(lambda d: d["operations"][index]["routes"][0].update(verbs="PUT,PATCH"))
    text = typescript(document, options=OPTIONS)
    declaration = re.search(r"^export class PatchAISession .*?^}$", text, re.M | re.S)
    assert declaration and "getMethod" not in declaration.group(0)
    assert declaration.group(0).startswith("export class PatchAISession implements IReturn<AISessionInfo>\n")


def test_a_base_class_listed_after_its_subclass_is_still_declared_first() -> None:
    def move_entity_info_last(document: dict[str, Any]) -> None:
        types = document["types"]
        types.append(types.pop(next(i for i, t in enumerate(types) if t["name"] == "EntityInfo")))

    text = typescript(broken(move_entity_info_last), options=OPTIONS)
    assert text.index("export class EntityInfo\n") < text.index("export class AISessionInfo extends EntityInfo")


def test_the_generators_are_pure() -> None:
    before = copy.deepcopy(DOCUMENT)
    assert typescript(DOCUMENT, options=OPTIONS) == TS and python(DOCUMENT, options=OPTIONS) == PY
    assert DOCUMENT == before


@pytest.mark.parametrize("generator", [typescript, python], ids=["typescript", "python"])
def test_a_name_that_is_not_a_token_is_refused(generator: Callable[..., str]) -> None:
    document = broken(lambda d: d["types"][-1]["enumNames"].append('x"); alert(1); ("'))
    with pytest.raises(NativeTypesError):
        generator(document, options=OPTIONS)


@pytest.mark.parametrize("generator", [typescript, python], ids=["typescript", "python"])
def test_an_unreadable_document_names_the_member_at_fault(generator: Callable[..., str]) -> None:
    document = broken(lambda d: d["operations"][0]["request"].update(name=7))
    with pytest.raises(MetadataError) as caught:
        generator(document, options=OPTIONS)
    assert caught.value.path == "operations[0].request.name"


def test_descriptions_cannot_end_the_comment_or_docstring_they_are_written_in(tmp_path: Path) -> None:
    index = op_index("PatchAISession")
    document = broken(lambda d: d["operations"][index]["request"].update(description='a */ b """ c \\d'))
    assert "/** @description a *\\/ b" in typescript(document, options=OPTIONS)
    path = tmp_path / "described.py"
    path.write_text(python(document, options=OPTIONS), encoding="utf-8")
    compile(path.read_text(encoding="utf-8"), str(path), "exec")  # a SyntaxWarning is an error here


def test_the_types_index_links_every_generated_language() -> None:
    links = type_links("http://127.0.0.1:5000")
    assert links == {name: f"http://127.0.0.1:5000/types/{path}" for name, path, _ in LANGUAGES}
    assert list(links) == ["Metadata", "TypeScript", "Python"]
