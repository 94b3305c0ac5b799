"""The pieces every OpenAPI operation of the contract is built from: bodies, answers, parameters.

Pure functions of the model. A body is described as it is sent: JSON and XML with the DTO's
schema (XML through the schemas' `xml` objects), JSV and CSV as text, since no OpenAPI tool reads
them as objects. The DTO behind a text body stays known to the kit through `x-servicestack.dto`
on its media type, the same extension the anonymous 401, which has no body at all, carries.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from evokit.contract.formats.media import FORM_MEDIA_TYPE, Format
from evokit.contract.schemas import TypeTable
from evokit.contract.service import ServiceOperation, TypeRef
from evokit.contract.servicestack import ERROR_DTO, WWW_AUTHENTICATE

Spec = dict[str, Any]

# Section 2: the bodies the service reads. JSON first: a code generator that picks one content
# type picks the first.
REQUEST_MEDIA_TYPES = (Format.JSON.media_type, FORM_MEDIA_TYPE, Format.JSV.media_type)
# Formats whose schema is the DTO's own; the others are text.
OBJECT_FORMATS = frozenset({Format.JSON, Format.XML})
# Verbs whose request DTO is read from the query string, not a body (ServiceStack binds both, but
# clients send no body with them).
QUERY_VERBS = frozenset({"GET", "DELETE"})
TEXT_PLAIN = "text/plain"


def ref(name: str) -> dict[str, str]:
    """A reference to a component schema."""
    return {"$ref": f"#/components/schemas/{name}"}


def _text_name(fmt: Format) -> str:
    return "JSV" if fmt is Format.JSV else fmt.name


def media(fmt: Format, dto: str) -> Spec:
    """The media type object of a response body holding `dto` in `fmt`."""
    if fmt in OBJECT_FORMATS:
        return {"schema": ref(dto)}
    return {
        "schema": {"type": "string", "description": f"The {dto} in ServiceStack's {_text_name(fmt)} text"},
        "x-servicestack": {"dto": dto},
    }


def content(formats: Iterable[Format], dto: str) -> Spec:
    """One media type object per format, in the formats' order."""
    return {fmt.media_type: media(fmt, dto) for fmt in formats}


def request_body(dto: str) -> Spec:
    """The optional request body: ServiceStack reads an empty one as an empty DTO (section 2). A
    JSV body keeps the DTO's schema, as XML does: the kit's fuzzers write it with their JSV codec."""
    return {
        "required": False,
        "description": f"The {dto} request DTO",
        "content": {media_type: {"schema": ref(dto)} for media_type in REQUEST_MEDIA_TYPES},
    }


def response_formats(fmt: str | None) -> list[Format]:
    """The formats a route answers in: its own, or every one (section 6)."""
    return [f for f in Format if fmt is None or f.value == fmt]


def error_response(description: str, formats: list[Format]) -> Spec:
    return {"description": description, "content": content(formats, ERROR_DTO)}


def unauthorized(formats: list[Format], *, anonymous: bool) -> Spec:
    """The 401. An anonymous caller gets it with no body at all, so where that can happen no body
    is documented (a tool would read the empty body as broken JSON); the wrong-credentials 401 is an
    `ErrorResponse` in the negotiated format, which `x-servicestack.dto` names for the kit."""
    headers = {"WWW-Authenticate": {
        "description": f"The Basic challenge, e.g. `{WWW_AUTHENTICATE}`", "schema": {"type": "string"},
    }}
    if not anonymous:
        return {**error_response("Wrong credentials: an ErrorResponse with errorCode Unauthorized", formats),
                "headers": headers}
    return {
        "description": "Not authenticated: no body, and a WWW-Authenticate challenge. With wrong "
        "credentials instead: an ErrorResponse with errorCode Unauthorized, in the negotiated format",
        "headers": headers,
        "x-servicestack": {"dto": ERROR_DTO},
    }


def forbidden() -> Spec:
    """The 403: ServiceStack's plain-text answer (section 3)."""
    return {
        "description": "Authenticated without a required role: a plain-text answer starting with Forbidden",
        "content": {TEXT_PLAIN: {"schema": {"type": "string", "pattern": "^Forbidden"}}},
    }


def parameters(table: TypeTable, op: ServiceOperation, path: str, method: str) -> list[Spec]:
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
            param: Spec = {"name": name, "in": "query", "required": False,
                           "description": prop.description, "schema": schema}
            if schema.get("type") == "array":  # section 8: `specificIds=a,b`, ServiceStack's default
                param.update(style="form", explode=False)
            params.append(param)
    return params
