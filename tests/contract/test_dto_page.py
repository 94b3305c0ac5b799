"""The DTO page reader on the seed page and on malformed pages."""

from __future__ import annotations

import pytest

from evokit.contract.dto_page import parse_dto_page
from evokit.contract.errors import DtoPageError
from tests.contract.pages import SEED_TEXT, line_of, seed_with


def test_seed_page_operation_and_auth() -> None:
    page = parse_dto_page(SEED_TEXT)
    assert (page.service, page.operation) == ("Evo Voice", "PatchAISession")
    assert page.description == "Update a specific session"
    assert page.requires_authentication
    assert page.required_roles == ("SystemAdministrator",)
    assert [(r.method, r.path) for r in page.routes] == [("PATCH", "/ai/sessions/{sessionId}")]


def test_seed_page_classes_keep_declaration_order_and_inheritance() -> None:
    page = parse_dto_page(SEED_TEXT)
    assert [(c.name, c.base) for c in page.classes] == [
        ("EntityInfo", None),
        ("AISessionInfo", "EntityInfo"),
        ("PatchAISession", None),
    ]
    entity = page.dto("EntityInfo")
    assert [p.name for p in entity.properties] == ["id", "dateCreated", "dateLastModified", "createdBy", "lastModifiedBy"]
    assert entity.properties[0].description == "The ID of the object"
    assert all(p.type == "string" for c in page.classes for p in c.properties)


def test_seed_page_sample_response_fields() -> None:
    page = parse_dto_page(SEED_TEXT)
    assert page.sample_response_fields[:3] == ("accountId", "accountName", "purpose")
    assert len(page.sample_response_fields) == 8


MALFORMED = {
    "missing route": (
        seed_with("PATCH/ai/sessions/{sessionId}\n", ""),
        "The following routes are available",
        "no route follows the route list heading",
    ),
    "unknown type": (
        seed_with("@type {string}\n     * @description The purpose for this AI session", "@type {Purpose}\n     * @description The purpose for this AI session"),
        "    purpose;",  # the property line of AISessionInfo.purpose
        "unknown type {Purpose}",
    ),
    "class never closed": (
        seed_with("    purpose;\n}\nexport class PatchAISession", "    purpose;\nexport class PatchAISession"),
        "export class PatchAISession",  # where the next class starts inside the unclosed one
        "unexpected line in class AISessionInfo",
    ),
    "malformed class header": (
        seed_with("export class PatchAISession {", "export class PatchAISession extends {"),
        "export class PatchAISession",
        "malformed class declaration",
    ),
    "property without semicolon": (
        seed_with("    sessionId;", "    sessionId"),
        "    sessionId",
        "expected a property declaration",
    ),
    "comment without type": (
        seed_with("* @type {string}\n     * @description The ID of the object", "* @description The ID of the object"),
        "/**\n     * @description The ID of the object",  # the comment's first line
        "no @type",
    ),
    "unknown base class": (
        seed_with("extends EntityInfo", "extends BaseInfo"),
        "export class AISessionInfo",
        "extends BaseInfo, which the page does not define",
    ),
    "not a DTO page": ("Hello\n\nworld\n", "world", "'<back to all web services' link"),
}


@pytest.mark.parametrize("case", list(MALFORMED), ids=list(MALFORMED))
def test_malformed_page_names_the_line(case: str) -> None:
    text, line_marker, message = MALFORMED[case]
    with pytest.raises(DtoPageError) as caught:
        parse_dto_page(text, source="page.txt")
    error = caught.value
    expected_line = line_of(text, line_marker)
    if case == "unknown type":  # the unknown type is reported on the property that carries it
        expected_line = [n for n, l in enumerate(text.splitlines(), 1) if l == line_marker][0]
    assert message in error.message
    assert error.line == expected_line
    assert str(error).startswith(f"page.txt:{expected_line}: ")


def test_empty_page_is_an_error_not_a_traceback() -> None:
    with pytest.raises(DtoPageError, match="page ends where the service name was expected"):
        parse_dto_page("")
