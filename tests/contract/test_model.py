"""The `Contract` object: lookups, cached validators, every violation reported, codec shapes."""

from __future__ import annotations

import pytest

from evokit.contract import UnknownDtoError, load_contract

CONTRACT = load_contract()


def test_load_contract_is_read_once() -> None:
    assert load_contract() is CONTRACT


def test_validators_are_compiled_once_with_a_format_checker() -> None:
    validator = CONTRACT.validator("AISessionInfo")
    assert CONTRACT.validator("AISessionInfo") is validator
    assert validator.format_checker is not None


def test_violations_lists_every_error_with_its_path() -> None:
    found = CONTRACT.violations("AISessionInfo", {"id": 1, "purpose": None, "accountId": "a"})
    assert [(v.path, "string" in v.message) for v in found] == [("$.id", True), ("$.purpose", True)]


def test_nested_error_shape_is_checked_through_references() -> None:
    good = {"responseStatus": {"errorCode": "NotFound", "message": "m", "errors": []}}
    assert CONTRACT.violations("ErrorResponse", good) == []
    bad = {"responseStatus": {"errorCode": "NotFound", "errors": [{"fieldName": 3}]}}
    assert [v.path for v in CONTRACT.violations("ErrorResponse", bad)] == ["$.responseStatus.errors[0].fieldName"]


def test_unknown_names_raise_a_typed_error() -> None:
    with pytest.raises(UnknownDtoError, match="the contract defines: .*AISessionInfo"):
        CONTRACT.schema("AISession")
    with pytest.raises(UnknownDtoError):
        CONTRACT.operation("RenameAISession")


def test_operation_routes_and_roles() -> None:
    operation = CONTRACT.operation("PatchAISession")
    assert (operation.request, operation.response) == ("PatchAISession", "AISessionInfo")
    assert operation.required_roles == ("SystemAdministrator",)
    assert operation.user_route.path_params == ("sessionId",)
    assert {(r.kind, r.format) for r in operation.routes} == {("user", None), ("api", None), ("reply", "json"), ("reply", "jsv")}
    assert CONTRACT.superuser_role == "Admin"


def test_xml_shape_puts_base_members_first_in_ordinal_order() -> None:
    shape = CONTRACT.shape("AISessionInfo")
    assert [m.xml_name for m in shape.xml_members] == [
        "CreatedBy", "DateCreated", "DateLastModified", "Id", "LastModifiedBy",
        "AccountId", "AccountName", "Actions", "Log", "Purpose",  # section 8 added Actions and Log
    ]
    assert [m.name for m in shape.members] == list(CONTRACT.properties("AISessionInfo"))
    assert {m.xml_namespace for m in shape.xml_members[:5]} == {"http://schemas.datacontract.org/2004/07/Voice.Api"}
    assert shape.xml_namespace == shape.xml_members[-1].xml_namespace
