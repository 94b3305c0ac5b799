"""The control plane under `/__mock/`: inspect and reset the mock's state. No auth, plain JSON.

Kept apart from the contract's routes; tests and the verifier use it to pick credentials and to
start from known data. (Seeding, deleting, a request journal and faults will join it here.)
"""

from __future__ import annotations

from flask import Blueprint, Response

from contract.formats import jsonfmt
from mockserver.fixtures import user_document
from mockserver.web import state

PREFIX = "/__mock"

blueprint = Blueprint("control", __name__, url_prefix=PREFIX)


def _json(value: object) -> Response:
    return Response(jsonfmt.dumps(value).encode("utf-8"), content_type="application/json; charset=utf-8")


@blueprint.get("/sessions")
def sessions() -> Response:
    """Every stored AISessionInfo, in wire order."""
    return _json([dict(record) for record in state().store.all()])


@blueprint.get("/users")
def users() -> Response:
    """The fixture users with their passwords and roles, as `users.json` spells them."""
    return _json([user_document(user) for user in state().users.users])


@blueprint.post("/reset")
def reset() -> Response:
    """Back to the fixtures; every auth session ends."""
    mock = state()
    mock.reset()
    return _json({"sessions": len(mock.fixtures.sessions), "users": len(mock.users.users)})
