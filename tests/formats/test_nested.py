"""Lists of DTOs (`Member.item`): the family's `ListResponse<AISessionInfo>`, `AIUsage` and a session's
`actions`, written and read back by every codec; XML writes each row as an element of its own."""

from __future__ import annotations

import pytest

from evokit.contract.formats import DEFAULT_REGISTRY, EncodeError, Format
from evokit.contract.formats.xml import parse
from evokit.contract.model import load_contract

CONTRACT = load_contract()

PAGE = {
    "items": [
        {
            "accountId": "a-1",
            "purpose": "triage <&> \"quoted\", with a comma",
            "id": "s-1",
            "actions": [{"id": "act-1", "functionName": "setPrompt", "canBeApplied": True}],
            "log": "applied setPrompt",
        },
        {"id": "s-2", "actions": []},
    ],
    "totalCount": 2,
    "totalPages": 1,
    "hasMorePages": False,
}
USAGE = {
    "accountUsage": [{"accountId": "a-1", "aiMinutes": 12}],
    "customerUsage": [{"accountId": "a-1", "customerId": "c-1", "aiMinutes": 7}],
}
CASES = [("ListResponseOfAISessionInfo", PAGE), ("AIUsage", USAGE)]


@pytest.mark.parametrize("fmt", [Format.JSON, Format.JSV, Format.XML, Format.CSV], ids=lambda f: f.value)
@pytest.mark.parametrize(("dto", "value"), CASES, ids=[dto for dto, _ in CASES])
def test_a_list_of_dtos_round_trips(fmt: Format, dto: str, value: dict[str, object]) -> None:
    codec = DEFAULT_REGISTRY.for_format(fmt)
    shape = CONTRACT.shape(dto)
    assert codec.decode_dto(codec.encode_dto(value, shape), shape) == value


def test_xml_writes_each_row_as_an_element_named_after_its_dto() -> None:
    shape = CONTRACT.shape("ListResponseOfAISessionInfo")
    root = parse(DEFAULT_REGISTRY.for_format(Format.XML).encode_dto(PAGE, shape))
    items = next(child for child in root if child.tag.endswith("}Items"))
    rows = list(items)
    assert [row.tag.rsplit("}", 1)[1] for row in rows] == ["AISessionInfo", "AISessionInfo"]
    item_namespace = CONTRACT.shape("AISessionInfo").xml_namespace
    assert all(row.tag.startswith(f"{{{item_namespace}}}") for row in rows)
    actions = next(child for child in rows[0] if child.tag.endswith("}Actions"))
    assert [row.tag.rsplit("}", 1)[1] for row in actions] == ["AISessionActionInfo"]


def test_a_row_that_is_not_an_object_is_refused_by_xml() -> None:
    shape = CONTRACT.shape("ListResponseOfAISessionInfo")
    with pytest.raises(EncodeError):
        DEFAULT_REGISTRY.for_format(Format.XML).encode_dto({"items": ["not a session"]}, shape)
