"""The control plane under `/__mock/`: inspect and shape the mock's state. Plain JSON, no user auth.

Kept apart from the contract's routes; frontend tests, the verifier and people use it to pick
credentials, start from known data, watch what their app sent, and make the backend slow or failing:

| call | answer |
|---|---|
| `GET /__mock/users` | the fixture users with passwords and roles |
| `GET /__mock/sessions` | every stored AISessionInfo, in wire order |
| `POST /__mock/sessions` | seed one AISessionInfo (`seeding`): 201, 400 with every problem, 409 if the id exists |
| `GET` / `DELETE /__mock/sessions/{id}` | one session; 200 / 204, 404 if absent |
| `POST /__mock/reset` | fixtures back, auth sessions ended, faults removed, journal emptied |
| `GET` / `DELETE /__mock/requests` | the journal of recent requests (`journal`), oldest first / empty it |
| `POST` / `GET` / `DELETE /__mock/faults` | add a fault (`faults`): 201 / list them / remove all |
| `DELETE /__mock/faults/{id}` | remove one; 204, 404 if absent |

Errors come in the contract's error shape (section 5), like the service's own. `--no-control`
leaves the blueprint out (its paths are then unknown paths, 404); `--control-token` is checked by
the `ControlGate` middleware before any of these views runs.
"""

from __future__ import annotations

from urllib.parse import quote

from flask import Blueprint, Response, request

from evokit.contract.formats import DecodeError, jsonfmt
from evokit.mockserver.core.errors import Conflict, NotFound, PayloadTooLarge, SerializationFailure
from evokit.mockserver.control.faults import parse_fault
from evokit.mockserver.core.fixtures import user_document
from evokit.mockserver.core.operation import ID
from evokit.mockserver.control.plane import PREFIX, plane_of
from evokit.mockserver.control.seeding import seed_record
from evokit.mockserver.http.web import state

__all__ = ["PREFIX", "blueprint"]

blueprint = Blueprint("control", __name__, url_prefix=PREFIX)


def _json(value: object, status: int = 200) -> Response:
    return Response(jsonfmt.dumps(value).encode("utf-8"), status=status, content_type="application/json; charset=utf-8")


def _no_content() -> Response:
    response = Response(status=204)
    del response.headers["Content-Type"]
    return response


def _json_body() -> object:
    """The request body as strict JSON (an empty body is `{}`), at most `--max-body-bytes` long."""
    limit = state().config.max_body_bytes
    if request.content_length is not None and request.content_length > limit:
        raise PayloadTooLarge(limit)
    body = request.stream.read(limit + 1)
    if len(body) > limit:
        raise PayloadTooLarge(limit)
    if not body.strip():
        return {}
    try:
        return jsonfmt.loads(body)
    except DecodeError as exc:
        raise SerializationFailure(f"The control plane reads JSON bodies: {exc}") from None


@blueprint.get("/sessions")
def sessions() -> Response:
    """Every stored AISessionInfo, in wire order."""
    return _json([dict(record) for record in state().store.all()])


@blueprint.post("/sessions")
def seed_session() -> Response:
    """Store one AISessionInfo, checked against the contract; its generated members filled in."""
    mock = state()
    record = seed_record(_json_body(), contract=mock.contract, rules=mock.rules, now=mock.clock())
    session_id = record[ID]
    if not mock.store.insert(session_id, record):  # check-then-insert in one step, for every process
        raise Conflict(f"AI session '{session_id}' already exists")
    response = _json(dict(record), status=201)
    response.headers["Location"] = f"{PREFIX}/sessions/{quote(session_id, safe='')}"
    return response


@blueprint.get("/sessions/<session_id>")
def session(session_id: str) -> Response:
    """One stored AISessionInfo."""
    record = state().store.get(session_id)
    if record is None:
        raise NotFound(f"AI session '{session_id}' not found")
    return _json(dict(record))


@blueprint.delete("/sessions/<session_id>")
def delete_session(session_id: str) -> Response:
    """Remove one stored AISessionInfo."""
    if not state().store.delete(session_id):
        raise NotFound(f"AI session '{session_id}' not found")
    return _no_content()


@blueprint.get("/users")
def users() -> Response:
    """The fixture users with their passwords and roles, as `users.json` spells them."""
    return _json([user_document(user) for user in state().users.users])


@blueprint.post("/reset")
def reset() -> Response:
    """Back to the start: the fixtures, no auth session, no fault, an empty journal."""
    mock = state()
    mock.reset()
    plane_of().reset()
    return _json({"sessions": len(mock.fixtures.sessions), "users": len(mock.users.users)})


@blueprint.get("/requests")
def requests_made() -> Response:
    """The journal: the most recent requests, oldest first."""
    return _json([entry.to_wire() for entry in plane_of().journal.entries()])


@blueprint.delete("/requests")
def clear_requests() -> Response:
    """Empty the journal."""
    plane_of().journal.clear()
    return _no_content()


@blueprint.post("/faults")
def add_fault() -> Response:
    """Put a fault in force; answers it with its id."""
    fault = plane_of().faults.add(parse_fault(_json_body()))
    response = _json(fault.to_wire(), status=201)
    response.headers["Location"] = f"{PREFIX}/faults/{fault.fault_id}"
    return response


@blueprint.get("/faults")
def faults() -> Response:
    """Every fault, with what is left of `times` and how often each fired."""
    return _json(plane_of().faults.listed())


@blueprint.delete("/faults")
def clear_faults() -> Response:
    """Remove every fault."""
    plane_of().faults.clear()
    return _no_content()


@blueprint.delete("/faults/<fault_id>")
def delete_fault(fault_id: str) -> Response:
    """Remove one fault."""
    if not plane_of().faults.remove(fault_id):
        raise NotFound(f"No fault '{fault_id}'")
    return _no_content()
