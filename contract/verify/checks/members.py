"""The DTO members the rules talk about, found in the contract instead of spelled out by each check.

The patchable member (`purpose`) is the one the request and response DTOs share besides the id;
the id parameter is the user route's path variable; the immutable members are the response's
members that the update does not maintain. Only the names CONTRACT.md itself uses for the members
the update maintains (section 4) and for the login (section 3) are written here, and they are
checked against the contract when the run starts.
"""

from __future__ import annotations

from dataclasses import dataclass

from evokit.contract.errors import ContractError
from evokit.contract.model import Contract, Operation

# Section 4: the EntityInfo members the update maintains, and the one that names the session.
ID, CREATED, MODIFIED, MODIFIED_BY = "id", "dateCreated", "dateLastModified", "lastModifiedBy"
# Section 3: the login's members (Authenticate) and what its answer calls the user and the session.
AUTHENTICATE, AUTHENTICATE_RESPONSE = "Authenticate", "AuthenticateResponse"
USER_NAME, PASSWORD, USER_ID, AUTH_SESSION_ID = "userName", "password", "userId", "sessionId"


@dataclass(frozen=True)
class Members:
    """Names of the members the checks read and write."""

    session_id: str
    purpose: str
    id: str
    created: str
    modified: str
    modified_by: str
    immutable: tuple[str, ...]
    user_name: str
    password: str
    user_id: str
    auth_session_id: str

    @classmethod
    def from_contract(cls, contract: Contract, operation: Operation) -> Members:
        """Find the members; raises `ContractError` when the contract lacks one the rules need."""
        request, response = contract.properties(operation.request), contract.properties(operation.response)
        session_id = operation.user_route.path_params[0]
        patchable = [name for name in request if name in response and name != session_id]
        needed = {
            operation.response: (ID, CREATED, MODIFIED, MODIFIED_BY),
            AUTHENTICATE: (USER_NAME, PASSWORD),
            AUTHENTICATE_RESPONSE: (USER_ID, AUTH_SESSION_ID),
        }
        missing = [f"{dto}.{name}" for dto, names in needed.items() for name in names
                   if name not in contract.properties(dto)]
        if missing or len(patchable) != 1 or session_id not in request:
            raise ContractError(f"the contract lacks members the rules need: {missing or patchable}")
        maintained = {patchable[0], MODIFIED, MODIFIED_BY}
        return cls(
            session_id=session_id,
            purpose=patchable[0],
            id=ID,
            created=CREATED,
            modified=MODIFIED,
            modified_by=MODIFIED_BY,
            immutable=tuple(name for name in response if name not in maintained),
            user_name=USER_NAME,
            password=PASSWORD,
            user_id=USER_ID,
            auth_session_id=AUTH_SESSION_ID,
        )
