"""DtoShape: checked on creation, and the member views the codecs rely on."""

from __future__ import annotations

import pytest

from evokit.contract.formats import DtoShape, EncodeError, Member

from .shapes import SHAPE, VOICE_API, VOICE_API_AI, ai_session_info_shape

A = Member("a", "A", VOICE_API_AI)
B = Member("b", "B", VOICE_API)


def test_hand_built_shape_matches_the_contract_orders() -> None:
    shape = ai_session_info_shape()
    assert [m.name for m in shape.members][:3] == ["accountId", "accountName", "purpose"]
    assert [m.xml_name for m in shape.xml_members] == [
        "CreatedBy",
        "DateCreated",
        "DateLastModified",
        "Id",
        "LastModifiedBy",
        "AccountId",
        "AccountName",
        "Purpose",
    ]
    assert shape == SHAPE


@pytest.mark.parametrize(
    ("members", "xml_members"),
    [((A, A), (A, A)), ((A, B), (A,)), ((A,), (B,))],
    ids=["duplicate", "missing-in-xml-order", "different-members"],
)
def test_inconsistent_shapes_are_rejected(
    members: tuple[Member, ...], xml_members: tuple[Member, ...]
) -> None:
    with pytest.raises(ValueError, match="DtoShape X"):
        DtoShape("X", VOICE_API_AI, members, xml_members)


@pytest.mark.parametrize("name", ["", None], ids=["empty", "none"])
def test_member_names_must_be_non_empty(name: str) -> None:
    with pytest.raises(ValueError, match=r"Member\.name"):
        Member(name, "X", VOICE_API)


def test_present_orders_skips_none_and_rejects_unknown_keys() -> None:
    value = {"purpose": "p", "id": "s", "createdBy": None}
    assert [m.name for m, _ in SHAPE.present(value)] == ["purpose", "id"]
    assert [m.name for m, _ in SHAPE.present(value, xml=True)] == ["id", "purpose"]
    with pytest.raises(EncodeError, match="'sessionId'"):
        SHAPE.present({"sessionId": "x"})


@pytest.mark.parametrize("header", ["purpose", "Purpose", "PURPOSE"])
def test_lookup_accepts_wire_and_xml_names_in_any_case(header: str) -> None:
    member = SHAPE.lookup(header)
    assert member is not None and member.name == "purpose"
    assert SHAPE.lookup("sessionId") is None


def test_member_kind_is_a_json_schema_type_or_none() -> None:
    assert Member("n", "N", VOICE_API, "number").kind == "number"
    assert Member("n", "N", VOICE_API).kind is None
    with pytest.raises(ValueError, match=r"Member\.kind"):
        Member("n", "N", VOICE_API, "double")


def test_contract_shapes_carry_the_schema_types() -> None:
    from evokit.contract.model import load_contract

    members = {m.name: m.kind for m in load_contract().shape("AuthenticateResponse").members}
    assert (members["userId"], members["roles"], members["responseStatus"]) == ("string", "array", None)
