"""The MetadataTypes source: reading, merging with the page, writing back, and the typed errors."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from openapi_spec_validator import validate

from evokit.contract.build import DEFAULT_METADATA, DEFAULT_OUTPUT, SERVICE_NAME, parse_json
from evokit.contract.dto_page import parse_dto_page
from evokit.contract.errors import ContractError, MetadataError, MetadataSourceError, SourceConflictError
from evokit.contract.generate import OPENAPI_FILE, SCHEMAS_FILE, generate
from evokit.contract.merge import merge
from evokit.contract.metadata import metadata_types, read_metadata
from evokit.contract.model import read_contract
from evokit.contract.page_service import service_from_page
from evokit.contract.service import Service, parse_type
from tests.contract.pages import SEED_TEXT

DOCUMENT: dict[str, Any] = json.loads(DEFAULT_METADATA.read_text(encoding="utf-8"))
CONTRACT = read_contract(DEFAULT_OUTPUT)
OPENAPI = CONTRACT.openapi
FAMILY = ("ListAISessions", "GetAISession", "NewAISession", "PatchAISession", "DeleteAISession", "ApplyAISession",
          "ClearAISessionActions", "DeleteAISessionAction", "GetAIUsage", "GetAuthStatus")


def read(document: Any) -> Service:
    return read_metadata(document, service_name=SERVICE_NAME)


def operation_index(name: str) -> int:
    return next(i for i, op in enumerate(DOCUMENT["operations"]) if op["request"]["name"] == name)


def type_index(name: str) -> int:
    return next(i for i, dto in enumerate(DOCUMENT["types"]) if dto["name"] == name)


def only_patch(service: Service) -> Service:
    """The source's PatchAISession operation alone, with the source's types."""
    operation = service.operation("PatchAISession")
    assert operation is not None
    return Service(service.name, (operation,), service.types)


def test_the_page_and_the_document_give_the_same_patch_ai_session() -> None:
    page, document = service_from_page(parse_dto_page(SEED_TEXT)), read(DOCUMENT)
    assert page.operation("PatchAISession") == document.operation("PatchAISession")
    from_page = json.loads(generate(only_patch(page))[OPENAPI_FILE])
    from_document = json.loads(generate(only_patch(document))[OPENAPI_FILE])
    for name in ("PatchAISession", "EntityInfo", "ErrorResponse"):
        assert from_page["components"]["schemas"][name] == from_document["components"]["schemas"][name]
    assert from_page["paths"] == from_document["paths"]
    # The response grew after the seed (section 8): the page's members, the same, plus actions and log.
    # (its own members: the second part of its `allOf` over EntityInfo)
    page_info, document_info = (doc["components"]["schemas"]["AISessionInfo"]["allOf"][1]["properties"]
                                for doc in (from_page, from_document))
    assert {name: document_info[name] for name in page_info} == page_info


def test_the_contract_written_as_metadata_builds_the_same_contract_byte_for_byte() -> None:
    document = json.loads(json.dumps(metadata_types(CONTRACT)))  # through JSON, as the mock serves it
    files = generate(read(document))
    for name in (SCHEMAS_FILE, OPENAPI_FILE):
        assert files[name] == (DEFAULT_OUTPUT / name).read_text(encoding="utf-8")
    assert document == DOCUMENT  # the committed source is exactly what ServiceStack's shape gives


def test_every_family_operation_is_on_its_user_route_and_the_predefined_ones() -> None:
    validate(dict(OPENAPI))
    assert sorted(CONTRACT.operations) == sorted(FAMILY)
    for name in FAMILY:
        kinds = {(route.kind, route.format) for route in CONTRACT.operation(name).routes}
        assert kinds == {("user", None), ("api", None), ("reply", "json"), ("reply", "jsv")}, name
    assert {r.method for r in CONTRACT.operation("GetAIUsage").routes} == {"GET", "POST", "PUT", "DELETE", "PATCH"}


def test_delete_answers_204_without_a_body_and_reads_the_query() -> None:
    spec = OPENAPI["paths"]["/ai/sessions/{sessionId}"]["delete"]
    assert spec["responses"]["204"] == {"description": "Done; the operation returns nothing"}
    assert "200" not in spec["responses"] and "requestBody" not in spec
    assert CONTRACT.operation("DeleteAISession").response is None
    listing = OPENAPI["paths"]["/ai/sessions"]["get"]
    query = {p["name"]: p for p in listing["parameters"]}
    assert list(query) == ["accountIds", "page", "countPerPage", "all", "specificIds", "sortField", "sortOrder",
                           "simplifiedPaging"]
    assert query["specificIds"]["explode"] is False  # comma-separated (section 8)
    assert query["sortOrder"]["schema"] == {"$ref": "#/components/schemas/SortOrders"}
    assert CONTRACT.schema("SortOrders")["enum"] == ["Ascend", "Descend"]


def test_generics_are_closed_per_use() -> None:
    listed = CONTRACT.schema("ListResponseOfAISessionInfo")
    assert listed["properties"]["items"]["items"] == {"$ref": "#/$defs/AISessionInfo"}
    assert listed["x-dto"]["type"] == "ListResponse<AISessionInfo>"
    assert CONTRACT.operation("ListAISessions").response == "ListResponseOfAISessionInfo"
    assert CONTRACT.schema("ListAISessions")["x-dto"]["lineage"] == ["ListRequestOfAISessionInfo", "ListAISessions"]
    assert CONTRACT.schema("ListAISessions")["properties"]["page"]["type"] == "integer"


def test_get_auth_status_needs_no_credentials() -> None:
    spec = OPENAPI["paths"]["/auth/status"]["get"]
    assert {} in spec["security"] and "403" not in spec["responses"]  # anyone may call it
    assert not CONTRACT.operation("GetAuthStatus").requires_authentication
    assert set(spec["responses"]) >= {"200", "204"}  # null for an anonymous caller (section 8)


def test_ai_session_info_has_the_later_members_after_purpose() -> None:
    assert CONTRACT.properties("AISessionInfo")[:5] == ("accountId", "accountName", "purpose", "actions", "log")


def test_the_openapi_of_one_operation_holds_only_its_routes() -> None:
    paths = CONTRACT.openapi_of("PatchAISession")["paths"]
    assert sorted(paths) == ["/ai/sessions/{sessionId}", "/api/PatchAISession", "/json/reply/PatchAISession",
                             "/jsv/reply/PatchAISession"]
    assert all(set(methods) == {"patch"} for methods in paths.values())


def broken(change: Any) -> dict[str, Any]:
    document = copy.deepcopy(DOCUMENT)
    change(document)
    return document


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d["operations"][3]["request"]["properties"][1].update(type=7),
     "operations[3].request.properties[1].type: expected a string, got 7"),
    (lambda d: d["types"][type_index("EntityInfo")]["properties"][0].update(type="Widget"),
     "types[7].properties[0].type: unknown type Widget"),
    (lambda d: d.update(types={}), "types: expected an array, got an object"),
    (lambda d: d["operations"][0].pop("request"), "operations[0].request: missing; expected an object"),
    (lambda d: d["operations"][0]["routes"][0].update(path=None), "operations[0].routes[0].path: missing"),
    (lambda d: d["types"][type_index("EntityInfo")]["properties"].append({"name": "Id", "type": "String"}),
     "types[7].properties[5].name: id is declared twice (first at properties[0])"),
    (lambda d: d["operations"][0]["request"].update(name=["x"]),
     "operations[0].request.name: expected a string, got an array"),
], ids=["wrong-type", "unknown-type", "not-a-list", "missing", "null", "twice", "array-for-name"])
def test_an_unreadable_document_names_the_member_at_fault(change: Any, message: str) -> None:
    with pytest.raises(MetadataError) as caught:
        read(broken(change))
    assert message in str(caught.value) and "\n" not in str(caught.value)
    assert isinstance(caught.value, ContractError)


def test_the_example_path_from_the_documentation() -> None:
    with pytest.raises(MetadataError) as caught:
        read(broken(lambda d: d["operations"][3]["request"]["properties"][1].update(type=7)))
    assert (caught.value.path, caught.value.message) == (
        "operations[3].request.properties[1].type", "expected a string, got 7")


@pytest.mark.parametrize("text", ['{"types": [', "[1, 2", "", "types: []"])
def test_malformed_or_truncated_json_is_a_one_line_error(text: str) -> None:
    with pytest.raises(MetadataSourceError, match=r"^doc: not JSON: .* at line \d+ column \d+$"):
        parse_json(text, "doc")


def test_a_root_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(MetadataError, match=r"^\$: expected an object, got an array$"):
        read([])


def test_the_page_and_a_disagreeing_document_conflict() -> None:
    index = operation_index("PatchAISession")
    document = broken(lambda d: d["operations"][index]["routes"][0].update(verbs="PUT"))
    with pytest.raises(SourceConflictError, match="operation PatchAISession: the DTO page says routes"):
        merge(service_from_page(parse_dto_page(SEED_TEXT)), read(document))


def test_type_expressions_read_back_as_written() -> None:
    for text in ("String", "List<String>", "ListResponse<AISessionInfo>", "Dictionary<String,List<Int32>>",
                 "String[]", "Nullable<SortOrders>"):
        assert str(parse_type(text)) == text
    assert parse_type("List<T>").name == "List`1"
