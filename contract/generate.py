"""The generator: a parsed DTO page in, the contract's documents out.

`generate(page)` is pure and deterministic: the same page always gives byte-identical files, which
is what lets a test regenerate them and compare against the committed copies.
"""

from __future__ import annotations

import json
from typing import Any

from contract.dto_page import DtoPage
from contract.errors import DtoPageError
from contract.formats.media import FORM_MEDIA_TYPE, Format
from contract.schemas import Schema, all_classes, resolved_properties, schema_bundle
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


def response_dto(page: DtoPage) -> str:
    """The response DTO: the class whose resolved properties are the sample response's, in order."""
    classes = all_classes(page.classes)
    wanted = list(page.sample_response_fields)
    for dto in page.classes:
        if [prop.name for _, prop in resolved_properties(dto, classes)] == wanted:
            return dto.name
    raise DtoPageError(f"no DTO matches the sample response fields {wanted}", line=1)


def generate(page: DtoPage) -> dict[str, str]:
    """The generated files, by file name, as text ready to write."""
    classes = all_classes(page.classes)
    if page.operation not in classes:
        raise DtoPageError(f"the page defines no request DTO class {page.operation}", line=1)
    descriptions = {page.operation: page.description}
    bundle = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": BUNDLE_ID,
        "title": f"{page.service}: {page.operation} DTOs",
        "$defs": schema_bundle(classes, descriptions, lambda name: f"#/$defs/{name}"),
    }
    components = schema_bundle(classes, descriptions, lambda name: f"#/components/schemas/{name}")
    return {
        SCHEMAS_FILE: dump(bundle),
        OPENAPI_FILE: dump(openapi_document(page, components)),
    }


def openapi_document(page: DtoPage, components: dict[str, Schema]) -> dict[str, Any]:
    """The OpenAPI 3.1 document: the page's routes and ServiceStack's pre-defined ones."""
    response = response_dto(page)
    paths: dict[str, Any] = {}
    for route in page.routes:
        operation = _operation(page, response, route.path, kind="user", fmt=None)
        paths.setdefault(route.path, {})[route.method.lower()] = operation
    method = page.routes[0].method.lower()
    for template, kind, fmt in PREDEFINED_ROUTES:
        path = template.format(operation=page.operation)
        paths.setdefault(path, {})[method] = _operation(page, response, path, kind=kind, fmt=fmt)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": f"{page.service}: {page.operation}",
            "version": "1.0.0",
            "description": (
                f"{page.description}. Generated from the ServiceStack DTO page of {page.operation}; "
                "do not edit, run `evokit contract build`."
            ),
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


def _operation(page: DtoPage, response: str, path: str, *, kind: str, fmt: str | None) -> dict[str, Any]:
    path_params = [segment[1:-1] for segment in path.split("/") if segment.startswith("{")]
    request = all_classes(page.classes)[page.operation]
    descriptions = {prop.name: prop.description for prop in request.properties}
    response_formats = [f for f in Format if fmt is None or f.value == fmt]
    error_content = {f.media_type: {"schema": _ref(ERROR_DTO)} for f in response_formats}
    operation: dict[str, Any] = {
        "operationId": page.operation if kind == "user" else f"{page.operation}_{fmt or kind}_{kind}",
        "summary": page.description,
        "tags": [page.service],
        "parameters": [
            {
                "name": name,
                "in": "path",
                "required": True,
                "description": descriptions.get(name, ""),
                "schema": {"type": "string"},
            }
            for name in path_params
        ],
        "requestBody": {
            "required": False,
            "content": {media_type: {"schema": _ref(page.operation)} for media_type in REQUEST_MEDIA_TYPES},
        },
        "responses": {
            "200": {
                "description": f"The updated {response}",
                "content": {f.media_type: {"schema": _ref(response)} for f in response_formats},
            },
            "400": {"description": "The request could not be read (SerializationException)", "content": error_content},
            "401": {
                "description": "Not authenticated: empty body and a WWW-Authenticate challenge; or wrong "
                "credentials: an ErrorResponse with errorCode Unauthorized",
                "headers": {
                    "WWW-Authenticate": {
                        "description": f"The Basic challenge, e.g. `{WWW_AUTHENTICATE}`",
                        "schema": {"type": "string"},
                    }
                },
                # The wrong-credentials 401 is an exception, so it is written in the negotiated
                # format like every other error (section 5); the anonymous one has no body.
                "content": error_content,
            },
            "403": {
                "description": "Authenticated without a required role",
                "content": {"text/plain": {"schema": {"type": "string", "pattern": "^Forbidden"}}},
            },
            "404": {"description": "No session has this id", "content": error_content},
            "413": {"description": "The request body is larger than the server accepts", "content": error_content},
        },
        "x-servicestack": {"operation": page.operation, "route": kind, "format": fmt},
    }
    if page.requires_authentication:
        operation["security"] = [{"basicAuth": []}, {"sessionCookie": []}]
        operation["x-required-roles"] = list(page.required_roles)
    if page.any_of_roles:
        operation["x-required-any-role"] = list(page.any_of_roles)
    if not path_params:
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
