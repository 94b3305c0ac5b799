"""The generator: schemas derived from the page, and the OpenAPI document around them."""

from __future__ import annotations

import json
import re

import pytest
import schemathesis
from openapi_spec_validator import validate

from evokit.contract.dto_page import parse_dto_page
from evokit.contract.errors import DtoPageError
from evokit.contract.generate import OPENAPI_FILE, SCHEMAS_FILE, generate
from evokit.contract.page_service import service_from_page
from evokit.contract.schemas import flattened
from tests.contract.pages import SEED_TEXT, seed_with

GENERATED = generate(service_from_page(parse_dto_page(SEED_TEXT)))
BUNDLE = json.loads(GENERATED[SCHEMAS_FILE])
OPENAPI = json.loads(GENERATED[OPENAPI_FILE])


def seed_descriptions(before_class: str) -> dict[str, str]:
    """Property descriptions read straight off the page text (up to a class), independently of the parser."""
    pairs = re.findall(r"@description (.+?) \*/\n\s+(\w+);", SEED_TEXT.split(f"export class {before_class}")[0])
    return {name: text for text, name in pairs}


def flat(name: str) -> dict:
    """A bundle schema with its bases' members merged in, as `Contract.schema` gives it."""
    return flattened(BUNDLE["$defs"][name], lambda ref: BUNDLE["$defs"][ref.rsplit("/", 1)[-1]])


def test_ai_session_info_has_the_seeds_eight_string_properties_in_wire_order() -> None:
    schema = flat("AISessionInfo")
    sample_order = re.findall(r"^\t(\w+): String,?$", SEED_TEXT.split("HTTP/1.1 200 OK")[1], re.M)
    assert list(schema["properties"]) == sample_order
    assert len(sample_order) == 8
    descriptions = seed_descriptions(before_class="PatchAISession")
    for name, prop in schema["properties"].items():
        assert prop["type"] == "string"
        assert prop["description"] == descriptions[name]


def test_patch_ai_session_has_session_id_and_purpose() -> None:
    schema = BUNDLE["$defs"]["PatchAISession"]
    assert list(schema["properties"]) == ["sessionId", "purpose"]
    assert schema["description"] == "Update a specific session"


def test_error_schemas_follow_servicestack() -> None:
    defs = BUNDLE["$defs"]
    assert defs["ErrorResponse"]["properties"]["responseStatus"]["allOf"] == [{"$ref": "#/$defs/ResponseStatus"}]
    status = defs["ResponseStatus"]["properties"]
    assert list(status) == ["errorCode", "message", "stackTrace", "errors", "meta"]
    assert status["errors"]["items"] == {"$ref": "#/$defs/ResponseError"}
    assert list(defs["ResponseError"]["properties"]) == ["errorCode", "fieldName", "message", "meta"]


def test_generation_is_deterministic() -> None:
    assert generate(service_from_page(parse_dto_page(SEED_TEXT))) == GENERATED
    for text in GENERATED.values():
        assert text.endswith("}\n")


def test_openapi_document_is_valid_and_schemathesis_loads_it() -> None:
    validate(OPENAPI)
    schema = schemathesis.openapi.from_dict(OPENAPI)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert sorted(op.path for op in operations if "Authenticate" not in op.path and "/auth" not in op.path) == [
        "/ai/sessions/{sessionId}",
        "/api/PatchAISession",
        "/json/reply/PatchAISession",
        "/jsv/reply/PatchAISession",
    ]


def test_user_route_documents_auth_formats_and_errors() -> None:
    operation = OPENAPI["paths"]["/ai/sessions/{sessionId}"]["patch"]
    assert operation["x-required-roles"] == ["SystemAdministrator"]
    assert operation["security"] == [{"basicAuth": []}, {"sessionCookie": []}]
    assert [p["name"] for p in operation["parameters"]] == ["sessionId"]
    assert set(operation["requestBody"]["content"]) == {
        "application/json", "application/jsv", "application/x-www-form-urlencoded",
    }
    responses = operation["responses"]
    assert set(responses["200"]["content"]) == {"application/json", "application/jsv", "application/xml", "text/csv"}
    assert "WWW-Authenticate" in responses["401"]["headers"]
    assert set(responses["403"]["content"]) == {"text/plain"}
    assert set(responses) == {"200", "400", "401", "403", "404", "413"}
    # The anonymous 401 has no body; the wrong-credentials one is named for the kit's decoders.
    assert "content" not in responses["401"]
    assert responses["401"]["x-servicestack"] == {"dto": "ErrorResponse"}
    schemes = OPENAPI["components"]["securitySchemes"]
    assert schemes["sessionCookie"] == {**schemes["sessionCookie"], "in": "cookie", "name": "ss-id"}


def test_reply_route_answers_only_its_format() -> None:
    operation = OPENAPI["paths"]["/jsv/reply/PatchAISession"]["patch"]
    assert set(operation["responses"]["200"]["content"]) == {"application/jsv"}
    assert "parameters" not in operation


def test_page_without_a_matching_response_dto_is_rejected() -> None:
    page = parse_dto_page(seed_with("\tcreatedBy: String,", "\tcreator: String,"))
    with pytest.raises(DtoPageError, match="no DTO matches the sample response"):
        service_from_page(page)
