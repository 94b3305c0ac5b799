"""Hand-built shapes and sample values for the format tests (testing only; the kit builds its shapes
from the generated schema)."""

from __future__ import annotations

from evokit.contract.formats import DtoShape, Member

SERVICESTACK_TYPES = "http://schemas.servicestack.net/types"
VOICE_API = "http://schemas.datacontract.org/2004/07/Voice.Api"
VOICE_API_AI = "http://schemas.datacontract.org/2004/07/Voice.Api.AI"

# (wire name, declaring class's namespace) in wire order: AISessionInfo's own, then EntityInfo's.
_WIRE = (
    ("accountId", VOICE_API_AI),
    ("accountName", VOICE_API_AI),
    ("purpose", VOICE_API_AI),
    ("id", VOICE_API),
    ("dateCreated", VOICE_API),
    ("dateLastModified", VOICE_API),
    ("createdBy", VOICE_API),
    ("lastModifiedBy", VOICE_API),
)
# DataContract order: the base class EntityInfo first, each class alphabetically.
_XML_ORDER = (
    "createdBy",
    "dateCreated",
    "dateLastModified",
    "id",
    "lastModifiedBy",
    "accountId",
    "accountName",
    "purpose",
)


def ai_session_info_shape() -> DtoShape:
    """AISessionInfo (EntityInfo + accountId, accountName, purpose), written out by hand."""
    members = {name: Member(name, name[0].upper() + name[1:], namespace) for name, namespace in _WIRE}
    return DtoShape(
        name="AISessionInfo",
        xml_namespace=VOICE_API_AI,
        members=tuple(members.values()),
        xml_members=tuple(members[name] for name in _XML_ORDER),
    )


SHAPE = ai_session_info_shape()
WIRE_NAMES = tuple(name for name, _ in _WIRE)

SESSION: dict[str, object] = {
    "accountId": "acc-1",
    "accountName": "Acme Corp",
    "purpose": "Triage inbound calls",
    "id": "sess-1",
    "dateCreated": "2024-05-01T10:00:00Z",
    "dateLastModified": "2024-05-02T11:30:00Z",
    "createdBy": "user-1",
    "lastModifiedBy": "user-2",
}

NOT_FOUND: dict[str, object] = {
    "errorCode": "NotFound",
    "message": "AI session 'sess-9' was not found",
    "errors": [],
}

VALIDATION: dict[str, object] = {
    "errorCode": "ValidationException",
    "message": "Purpose is too long",
    "errors": [
        {"errorCode": "MaxLength", "fieldName": "purpose", "message": "Too long", "meta": {"max": "4000"}}
    ],
    "meta": {"traceId": "t-1"},
}


def typed_shape(name: str, *members: tuple[str, str]) -> DtoShape:
    """A flat shape of `(wire name, schema type)` members, XML names PascalCase, for reading typed
    scalars the way ServiceStack.Text's test models declare them."""
    built = tuple(Member(prop, prop[:1].upper() + prop[1:], SERVICESTACK_TYPES, kind) for prop, kind in members)
    return DtoShape(name, SERVICESTACK_TYPES, built, built)
