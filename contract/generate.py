"""The generator: a `Service` in, the contract's documents out.

`generate(service)` is pure and deterministic: the same service always gives byte-identical files,
which is what lets a test regenerate them and compare against the committed copies, and what makes
the round trip through ServiceStack's metadata exact.
"""

from __future__ import annotations

import json
from typing import Any

from evokit.contract.openapi_auth import AUTH_TAG, auth_paths
from evokit.contract.openapi_parts import (
    QUERY_VERBS,
    error_response,
    forbidden,
    parameters,
    request_body,
    response_formats,
    unauthorized,
)
from evokit.contract.openapi_parts import content as media_content
from evokit.contract.profiles import JSON_ONLY_FILE, json_only
from evokit.contract.schemas import Schema, TypeTable, schema_bundle, schema_name
from evokit.contract.service import Service, ServiceOperation
from evokit.contract.servicestack import (
    AUTHENTICATE_REQUEST,
    AUTHENTICATE_RESPONSE,
    PREDEFINED_ROUTES,
    SESSION_COOKIE,
    SUPERUSER_ROLE,
)

SCHEMAS_FILE = "schemas.json"
OPENAPI_FILE = "openapi.json"
BUNDLE_ID = "urn:evokit:contract:schemas"

# A route without verbs answers every verb (ServiceStack's `[Route]`); these are the ones documented.
EVERY_VERB = ("GET", "POST", "PUT", "DELETE", "PATCH")
GENERATED_NOTE = "Generated from ServiceStack DTOs; do not edit, run `evokit contract build`."
# Where the tools find a server by default: the mock's own address (`evokit mock`).
DEFAULT_SERVER = {"url": "http://127.0.0.1:5000", "description": "The evokit mock (`evokit mock`)"}
CONTACT = {"name": "evokit maintainers"}
# The kit ships no licence of its own; the service described is Evo Voice's.
LICENSE = {"name": "Proprietary", "identifier": "LicenseRef-Proprietary"}
# How each kind of route reads the request and picks the answer's format (sections 1.1, 2, 6).
ROUTE_NOTES = {
    "user": "The service's own route. A body is read by its Content-Type (JSON, a form or JSV); path "
    "variables, then the query string, override it. The answer's format follows a `.ext` suffix, "
    "`?format=` or `Accept`, in that order; JSON otherwise.",
    "api": "ServiceStack's pre-defined route `/api/{operation}`: a body that is not a form is read as "
    "JSON whatever its Content-Type, query values only fill what the body left out, and the answer "
    "is JSON unless `?format=` names another format (`Accept` is not read).",
    "reply": "ServiceStack's pre-defined route `/{format}/reply/{operation}`: a body that is not a form "
    "is read in the route's format, query values only fill what the body left out, and the answer "
    "is in the route's format unless `?format=` names another.",
}


def generate(service: Service) -> dict[str, str]:
    """The generated files, by file name, as text ready to write: the schema bundle, and the
    OpenAPI document in its two profiles, every format and JSON only."""
    bundle = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": BUNDLE_ID,
        "title": f"{service.name} DTOs",
        "$defs": schema_bundle(service, lambda name: f"#/$defs/{name}"),
    }
    components = schema_bundle(service, lambda name: f"#/components/schemas/{name}")
    document = openapi_document(service, components)
    return {
        SCHEMAS_FILE: dump(bundle),
        OPENAPI_FILE: dump(document),
        JSON_ONLY_FILE: dump(json_only(document)),
    }


def _user_entries(op: ServiceOperation) -> list[tuple[str, str, str | None]]:
    """(path, method, the route's verbs as ServiceStack lists them) for each user-route operation."""
    entries = []
    for route in op.routes:
        verbs = ",".join(route.verbs) if route.verbs else None
        for method in route.verbs or EVERY_VERB:
            entries.append((route.path, method, verbs))
    return entries


def _refs(node: Any) -> set[str]:
    """The component schemas `node` references, directly."""
    if isinstance(node, dict):
        found = {node["$ref"].rsplit("/", 1)[-1]} if isinstance(node.get("$ref"), str) else set()
        return found.union(*(_refs(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(_refs(item) for item in node))
    return set()


def used_schemas(paths: dict[str, Any], components: dict[str, Schema]) -> dict[str, Schema]:
    """The component schemas the operations reach, in name order: a GET's request DTO, whose
    members are query parameters, is left out (the schema bundle keeps every DTO)."""
    used: set[str] = set()
    pending = _refs(paths)
    while pending:
        name = pending.pop()
        if name not in used:
            used.add(name)
            pending |= _refs(components[name])
    return {name: components[name] for name in sorted(used)}


def openapi_document(service: Service, components: dict[str, Schema]) -> dict[str, Any]:
    """The OpenAPI 3.1 document: every operation on its user routes and ServiceStack's pre-defined
    ones, and ServiceStack's Authenticate service."""
    table = TypeTable(service)
    paths: dict[str, Any] = {}
    for op in service.operations:
        entries = _user_entries(op)
        methods = list(dict.fromkeys(method for _, method, _ in entries))
        for index, (path, method, verbs) in enumerate(entries):
            op_id = op.name if len(entries) == 1 else f"{op.name}_{index}_{method.lower()}"
            spec = _operation(service, table, op, path, method, op_id, kind="user", fmt=None)
            spec["x-servicestack"]["verbs"] = verbs
            paths.setdefault(path, {})[method.lower()] = spec
        for template, kind, fmt in PREDEFINED_ROUTES:
            path = template.format(operation=op.name)
            for method in methods:
                op_id = f"{op.name}_{fmt or kind}_{kind}" + (f"_{method.lower()}" if len(methods) > 1 else "")
                paths.setdefault(path, {})[method.lower()] = _operation(
                    service, table, op, path, method, op_id, kind=kind, fmt=fmt
                )
    paths.update(auth_paths())
    return {
        "openapi": "3.1.0",
        "info": {
            "title": service.name,
            "version": "1.0.0",
            "description": GENERATED_NOTE,
            "contact": CONTACT,
            "license": LICENSE,
            "x-servicestack": {"superuserRole": SUPERUSER_ROLE, "sessionCookie": SESSION_COOKIE},
        },
        "servers": [DEFAULT_SERVER],
        "tags": [
            {"name": service.name, "description": f"The {service.name} service's operations"},
            {"name": AUTH_TAG, "description": "ServiceStack's Authenticate service: log in, who is logged in, log out"},
        ],
        "paths": paths,
        "components": {
            "schemas": used_schemas(paths, components),
            "securitySchemes": {
                "basicAuth": {"type": "http", "scheme": "basic", "description": "HTTP Basic on each request"},
                "sessionCookie": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": SESSION_COOKIE,
                    "description": f"The auth session from POST /auth/credentials ({AUTHENTICATE_REQUEST} -> "
                    f"{AUTHENTICATE_RESPONSE}); also accepted in the X-ss-id header",
                },
            },
        },
    }


def _responses(op: ServiceOperation, response: str | None, fmt: str | None) -> dict[str, Any]:
    formats = response_formats(fmt)
    responses: dict[str, Any] = {}
    if response is None:  # a void service: ServiceStack answers 204 with no body (section 8)
        responses["204"] = {"description": "Done; the operation returns nothing"}
    else:
        responses["200"] = {"description": f"The {response}", "content": media_content(formats, response)}
        if not op.requires_auth:  # an anonymous caller may get a null result, written as 204 (section 8)
            responses["204"] = {"description": "The operation returned null"}
    responses["400"] = error_response("The request could not be read (SerializationException)", formats)
    responses["401"] = unauthorized(formats, anonymous=op.requires_auth)
    if op.required_roles or op.any_of_roles:
        responses["403"] = forbidden()
    if any("{" in route.path for route in op.routes):  # it addresses something by id (section 4)
        responses["404"] = error_response("Nothing has the id the request names", formats)
    responses["413"] = error_response("The request body is larger than the server accepts", formats)
    return responses


def _operation(
    service: Service, table: TypeTable, op: ServiceOperation, path: str, method: str, op_id: str,
    *, kind: str, fmt: str | None,
) -> dict[str, Any]:
    response = schema_name(op.response) if op.response is not None else None
    operation: dict[str, Any] = {
        "operationId": op_id,
        "summary": op.description,
        "description": f"{op.description} ({op.name}). {ROUTE_NOTES[kind]}",
        "tags": [service.name],
        "parameters": parameters(table, op, path, method),
        "responses": _responses(op, response, fmt),
        "x-servicestack": {"operation": op.name, "route": kind, "format": fmt, "response": response},
    }
    if method not in QUERY_VERBS:
        operation["requestBody"] = request_body(op.name)
    if op.requires_auth:
        operation["security"] = [{"basicAuth": []}, {"sessionCookie": []}]
        operation["x-required-roles"] = list(op.required_roles)
    else:  # anyone may call it; credentials, when sent, are still checked (section 8)
        operation["security"] = [{}, {"basicAuth": []}, {"sessionCookie": []}]
    if op.any_of_roles:
        operation["x-required-any-role"] = list(op.any_of_roles)
    if not operation["parameters"]:
        operation.pop("parameters")
    return operation


def dump(document: Any) -> str:
    """Canonical JSON text: keys sorted except inside `ORDERED_MAPS`."""
    return json.dumps(_canonical(document), indent=2, ensure_ascii=False) + "\n"


# Maps whose order means something: `properties` is the wire order, `content` the media types'
# preference (JSON first, which generators that pick one take).
ORDERED_MAPS = frozenset({"properties", "content"})


def _canonical(value: Any, keep_order: bool = False) -> Any:
    if isinstance(value, dict):
        keys = list(value) if keep_order else sorted(value)
        return {key: _canonical(value[key], keep_order=(key in ORDERED_MAPS and not keep_order)) for key in keys}
    if isinstance(value, list):
        return [_canonical(item) for item in value]
    return value
