"""The OpenAPI document as tools read it: bodies as sent, the two profiles, `required` where the
contract guarantees a member, derived classes as `allOf`, and the live copy a server serves."""

from __future__ import annotations

import json

from evokit.contract.build import DEFAULT_OUTPUT
from evokit.contract.model import load_contract
from evokit.contract.profiles import JSON_ONLY_FILE, MAX_EXAMPLES, json_only, live_document

CONTRACT = load_contract()
FULL = dict(CONTRACT.openapi)
JSON_ONLY = json.loads((DEFAULT_OUTPUT / JSON_ONLY_FILE).read_text(encoding="utf-8"))
USER_ROUTE = "/ai/sessions/{sessionId}"


def test_text_formats_are_strings_naming_their_dto_and_json_comes_first() -> None:
    patch = FULL["paths"][USER_ROUTE]["patch"]
    answer = patch["responses"]["200"]["content"]
    assert list(answer) == ["application/json", "application/jsv", "application/xml", "text/csv"]
    assert answer["application/json"]["schema"] == answer["application/xml"]["schema"] == {
        "$ref": "#/components/schemas/AISessionInfo"}
    for media in ("application/jsv", "text/csv"):
        assert answer[media]["schema"]["type"] == "string"
        assert answer[media]["x-servicestack"] == {"dto": "AISessionInfo"}
    assert list(patch["requestBody"]["content"])[0] == "application/json"


def test_the_anonymous_401_has_no_body_where_an_anonymous_caller_can_get_it() -> None:
    assert "content" not in FULL["paths"][USER_ROUTE]["patch"]["responses"]["401"]
    # A login's 401 always has a body: wrong credentials.
    assert "application/json" in FULL["paths"]["/auth/credentials"]["post"]["responses"]["401"]["content"]


def test_the_json_only_profile_is_generated_from_the_full_one() -> None:
    assert JSON_ONLY == json.loads(json.dumps(json_only(FULL)))
    media = {m for methods in JSON_ONLY["paths"].values() for spec in methods.values()
             for answer in spec["responses"].values() for m in answer.get("content", {})}
    assert media == {"application/json", "text/plain"}
    assert not [path for path in JSON_ONLY["paths"] if path.startswith("/jsv/")]
    assert set(JSON_ONLY["paths"]) < set(FULL["paths"])


def test_required_only_where_the_contract_guarantees_the_member() -> None:
    schemas = FULL["components"]["schemas"]
    assert schemas["EntityInfo"]["required"] == ["id"]
    assert "required" not in schemas["PatchAISession"]
    assert CONTRACT.schema("AISessionInfo")["required"] == ["id"]
    assert CONTRACT.violations("AISessionInfo", {"purpose": "x"})  # no id: not an AISessionInfo
    assert CONTRACT.violations("AISessionInfo", {"id": "a"}) == []  # every other member may be absent
    assert CONTRACT.schema("ResponseStatus")["required"] == ["errorCode", "errors"]


def test_a_derived_class_is_an_all_of_over_its_base_and_reads_back_flat() -> None:
    info = FULL["components"]["schemas"]["AISessionInfo"]
    base, own = info["allOf"]
    assert base == {"$ref": "#/components/schemas/EntityInfo"} and "properties" not in info
    assert list(own["properties"])[:3] == ["accountId", "accountName", "purpose"] and "id" not in own["properties"]
    assert CONTRACT.properties("AISessionInfo")[-5:] == (
        "id", "dateCreated", "dateLastModified", "createdBy", "lastModifiedBy")


def test_the_document_has_what_linters_ask_for() -> None:
    assert FULL["servers"] and FULL["info"]["license"] and FULL["info"]["contact"]
    declared = {tag["name"] for tag in FULL["tags"]}
    for methods in FULL["paths"].values():
        for spec in methods.values():
            assert spec["description"] and set(spec["tags"]) <= declared


def test_a_live_document_carries_the_servers_ids_and_leaves_the_original_alone() -> None:
    ids = [f"{n:024x}" for n in range(MAX_EXAMPLES + 5)]
    live = live_document(FULL, server_url="http://127.0.0.1:8080/", session_ids=ids)
    assert live["servers"] == [{"url": "http://127.0.0.1:8080", "description": "This server"}]
    param = live["paths"][USER_ROUTE]["patch"]["parameters"][0]
    assert [e["value"] for e in param["examples"].values()] == ids[:MAX_EXAMPLES]
    body = live["paths"]["/api/PatchAISession"]["patch"]["requestBody"]["content"]["application/json"]
    assert body["examples"]["session1"]["value"] == {"sessionId": ids[0]}
    assert "examples" not in FULL["paths"][USER_ROUTE]["patch"]["parameters"][0]
    assert FULL["servers"] != live["servers"]
