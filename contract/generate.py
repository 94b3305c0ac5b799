"""The generator: a `Service` in, the contract's documents out.

`generate(service)` is pure and deterministic: the same service always gives byte-identical files,
which is what lets a test regenerate them and compare against the committed copies, and what makes
the round trip through ServiceStack's metadata exact.
"""

from __future__ import annotations

import json
from typing import Any

from contract.formats.media import FORM_MEDIA_TYPE, Format
from contract.schemas import Schema, TypeTable, schema_bundle, schema_name
from contract.service import Service, ServiceOperation, TypeRef
from contract.servicestack import (
    AUTHENTICATE_REQUEST,
    AUTHENTICATE_RESPONSE,
    ERROR_DTO,
    PREDEFINED_ROUTES,
    SESSION_COOKIE,
    SUPERUSER_ROLE,
    WWW_AUTHENTICATE,
)

SCHEMAS_FILE = "schemas.json"
OPENAPI_FILE = "openapi.json"
BUNDLE_ID = "urn:evokit:contract:schemas"

# Section 2: the bodies the service reads; section 6: the formats it answers in.
REQUEST_MEDIA_TYPES = (Format.JSON.media_type, Format.JSV.media_type, FORM_MEDIA_TYPE)
# A route without verbs answers every verb (ServiceStack's `[Route]`); these are the ones documented.
EVERY_VERB = ("GET", "POST", "PUT", "DELETE", "PATCH")
# Verbs whose request DTO is read from the query string, not a body (ServiceStack binds both, but
# clients send no body with them).
QUERY_VERBS = frozenset({"GET", "DELETE"})
GENERATED_NOTE = "Generated from ServiceStack DTOs; do not edit, run `evokit contract build`."


def generate(service: Service) -> dict[str, str]:
    """The generated files, by file name, as text ready to write."""
    bundle = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": BUNDLE_ID,
        "title": f"{service.name} DTOs",
        "$defs": schema_bundle(service, lambda name: f"#/$defs/{name}"),
    }
    components = schema_bundle(service, lambda name: f"#/components/schemas/{name}")
    return {
        SCHEMAS_FILE: dump(bundle),
        OPENAPI_FILE: dump(openapi_document(service, components)),
    }


def _user_entries(op: ServiceOperation) -> list[tuple[str, str, str | None]]:
    """(path, method, the route's verbs as ServiceStack lists them) for each user-route operation."""
    entries = []
    for route in op.routes:
        verbs = ",".join(route.verbs) if route.verbs else None
        for method in route.verbs or EVERY_VERB:
            entries.append((route.path, method, verbs))
    return entries


def openapi_document(service: Service, components: dict[str, Schema]) -> dict[str, Any]:
    """The OpenAPI 3.1 document: every operation on its user routes and ServiceStack's pre-defined ones."""
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
    return {
        "openapi": "3.1.0",
        "info": {
            "title": service.name,
            "version": "1.0.0",
            "description": GENERATED_NOTE,
            "x-servicestack": {"superuserRole": SUPERUSER_ROLE, "sessionCookie": SESSION_COOKIE},
        },
        "paths": paths,
        "components": {
            "schemas": components,
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


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _parameters(table: TypeTable, op: ServiceOperation, path: str, method: str) -> list[dict[str, Any]]:
    """Path variables, and for a query verb every other request property as a query parameter."""
    path_params = [segment[1:-1] for segment in path.split("/") if segment.startswith("{")]
    request = {prop.name: (prop, closed) for _, prop, closed in table.resolved(TypeRef(op.name))}
    params = []
    for name in path_params:
        prop = request.get(name)
        params.append({
            "name": name, "in": "path", "required": True,
            "description": prop[0].description if prop else "", "schema": {"type": "string"},
        })
    if method in QUERY_VERBS:
        for name, (prop, closed) in request.items():
            if name in path_params:
                continue
            schema = table.type_schema(closed, lambda n: f"#/components/schemas/{n}")
            param: dict[str, Any] = {"name": name, "in": "query", "required": False,
                                     "description": prop.description, "schema": schema}
            if schema.get("type") == "array":  # section 8: `specificIds=a,b`, ServiceStack's default
                param.update(style="form", explode=False)
            params.append(param)
    return params


def _responses(op: ServiceOperation, response: str | None, fmt: str | None) -> dict[str, Any]:
    response_formats = [f for f in Format if fmt is None or f.value == fmt]
    error_content = {f.media_type: {"schema": _ref(ERROR_DTO)} for f in response_formats}
    responses: dict[str, Any] = {}
    if response is None:  # a void service: ServiceStack answers 204 with no body (section 8)
        responses["204"] = {"description": "Done; the operation returns nothing"}
    else:
        responses["200"] = {
            "description": f"The {response}",
            "content": {f.media_type: {"schema": _ref(response)} for f in response_formats},
        }
        if not op.requires_auth:  # an anonymous caller may get a null result, written as 204 (section 8)
            responses["204"] = {"description": "The operation returned null"}
    responses["400"] = {"description": "The request could not be read (SerializationException)", "content": error_content}
    responses["401"] = {
        "description": "Not authenticated: empty body and a WWW-Authenticate challenge; or wrong "
        "credentials: an ErrorResponse with errorCode Unauthorized"
        if op.requires_auth else "Wrong credentials: an ErrorResponse with errorCode Unauthorized",
        "headers": {
            "WWW-Authenticate": {
                "description": f"The Basic challenge, e.g. `{WWW_AUTHENTICATE}`",
                "schema": {"type": "string"},
            }
        },
        # The wrong-credentials 401 is an exception, so it is written in the negotiated format
        # like every other error (section 5); the anonymous one has no body.
        "content": error_content,
    }
    if op.required_roles or op.any_of_roles:
        responses["403"] = {
            "description": "Authenticated without a required role",
            "content": {"text/plain": {"schema": {"type": "string", "pattern": "^Forbidden"}}},
        }
    if any("{" in route.path for route in op.routes):  # it addresses something by id (section 4)
        responses["404"] = {"description": "Nothing has the id the request names", "content": error_content}
    responses["413"] = {"description": "The request body is larger than the server accepts", "content": error_content}
    return responses


def _operation(
    service: Service, table: TypeTable, op: ServiceOperation, path: str, method: str, op_id: str,
    *, kind: str, fmt: str | None,
) -> dict[str, Any]:
    response = schema_name(op.response) if op.response is not None else None
    operation: dict[str, Any] = {
        "operationId": op_id,
        "summary": op.description,
        "tags": [service.name],
        "parameters": _parameters(table, op, path, method),
        "responses": _responses(op, response, fmt),
        "x-servicestack": {"operation": op.name, "route": kind, "format": fmt, "response": response},
    }
    if method not in QUERY_VERBS:
        operation["requestBody"] = {
            "required": False,
            "content": {media_type: {"schema": _ref(op.name)} for media_type in REQUEST_MEDIA_TYPES},
        }
    if op.requires_auth:
        operation["security"] = [{"basicAuth": []}, {"sessionCookie": []}]
        operation["x-required-roles"] = list(op.required_roles)
    if op.any_of_roles:
        operation["x-required-any-role"] = list(op.any_of_roles)
    if not operation["parameters"]:
        operation.pop("parameters")
    return operation


def dump(document: Any) -> str:
    """Canonical JSON text: keys sorted except inside `properties`, whose order is the wire order."""
    return json.dumps(_canonical(document), indent=2, ensure_ascii=False) + "\n"


def _canonical(value: Any, keep_order: bool = False) -> Any:
    if isinstance(value, dict):
        keys = list(value) if keep_order else sorted(value)
        return {key: _canonical(value[key], keep_order=(key == "properties" and not keep_order)) for key in keys}
    if isinstance(value, list):
        return [_canonical(item) for item in value]
    return value
