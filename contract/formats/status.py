"""ServiceStack's error DTOs, the one layout the codecs know themselves.

An error answer is an `ErrorResponse { ResponseStatus }` (CONTRACT.md section 5). These types belong
to the framework, not to the Evo Voice schema, so their layout is fixed here, read from
ServiceStack's `ErrorResponse.cs`, `ResponseStatus.cs` and `ResponseError.cs`: every member is a
`[DataMember(Order = n)]`, and DataContract writes explicit orders in that order (not
alphabetically). `ServiceStack.Interfaces` maps the CLR namespace `ServiceStack` to the contract
namespace `http://schemas.servicestack.net/types` (`[assembly: ContractNamespace]`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from evokit.contract.formats.errors import EncodeError
from evokit.contract.formats.shape import DtoShape, Member

SERVICESTACK_NAMESPACE = "http://schemas.servicestack.net/types"
# DataContractSerializer's namespace for Dictionary<string, string> (KeyValueOfstringstring items).
ARRAYS_NAMESPACE = "http://schemas.microsoft.com/2003/10/Serialization/Arrays"


def _members(*names: str) -> tuple[Member, ...]:
    return tuple(Member(name, name[0].upper() + name[1:], SERVICESTACK_NAMESPACE) for name in names)


_STATUS_MEMBERS = _members("errorCode", "message", "stackTrace", "errors", "meta")
_ERROR_MEMBERS = _members("errorCode", "fieldName", "message", "meta")

RESPONSE_STATUS = DtoShape("ResponseStatus", SERVICESTACK_NAMESPACE, _STATUS_MEMBERS, _STATUS_MEMBERS)
RESPONSE_ERROR = DtoShape("ResponseError", SERVICESTACK_NAMESPACE, _ERROR_MEMBERS, _ERROR_MEMBERS)
ERROR_RESPONSE = DtoShape(
    "ErrorResponse", SERVICESTACK_NAMESPACE, _members("responseStatus"), _members("responseStatus")
)

# Members that are not strings: `errors` is a List<ResponseError>, `meta` a Dictionary<string, string>.
LIST_MEMBERS = {"errors": RESPONSE_ERROR}
MAP_MEMBERS = frozenset({"meta"})


def _text(value: object, path: str) -> str:
    if not isinstance(value, str):
        raise EncodeError(f"expected a string, got {type(value).__name__}", path=path)
    return value


def _meta(value: object, path: str) -> dict[str, str]:
    if not isinstance(value, Mapping):
        raise EncodeError(f"expected a mapping of strings, got {type(value).__name__}", path=path)
    return {_text(key, path): _text(item, f"{path}.{key}") for key, item in value.items()}


def _normalize(value: Mapping[str, object], shape: DtoShape, path: str) -> dict[str, object]:
    result: dict[str, object] = {}
    for member, item in shape.present(value):
        where = f"{path}.{member.name}"
        if member.name in MAP_MEMBERS:
            result[member.name] = _meta(item, where)
        elif member.name in LIST_MEMBERS:
            if not isinstance(item, Sequence) or isinstance(item, str):
                raise EncodeError(f"expected a list, got {type(item).__name__}", path=where)
            result[member.name] = [
                _normalize(_mapping(entry, f"{where}[{i}]"), LIST_MEMBERS[member.name], f"{where}[{i}]")
                for i, entry in enumerate(item)
            ]
        else:
            result[member.name] = _text(item, where)
    return result


def _mapping(value: object, path: str) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise EncodeError(f"expected a mapping, got {type(value).__name__}", path=path)
    return value


def normalize_status(status: Mapping[str, object]) -> dict[str, object]:
    """A ResponseStatus in wire shape: DataMember order, None members dropped, types checked.

    `status` is the inner object (`{"errorCode": ..., "message": ..., "errors": [...]}`), not the
    `{"responseStatus": ...}` wrapper; unknown keys and wrong types raise `EncodeError`.
    """
    return _normalize(_mapping(status, "responseStatus"), RESPONSE_STATUS, "responseStatus")
