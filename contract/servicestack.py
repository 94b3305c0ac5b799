"""What ServiceStack itself contributes to every operation, as data the generator reads.

The DTO page describes the service's own types and routes. The framework adds its error DTOs, its
authentication DTOs, its pre-defined routes, its formats and its superuser role; CONTRACT.md
sections 1, 3, 5 and 6 record them. They are written here once, in the same `DtoClass` form the
page reader produces, so the generator treats them exactly like the page's own DTOs.
"""

from __future__ import annotations

from contract.dto_page import DtoClass, DtoProperty


def _props(*triples: tuple[str, str, str]) -> tuple[DtoProperty, ...]:
    return tuple(DtoProperty(name, type_, description) for name, type_, description in triples)


# ServiceStack.Interfaces: ResponseError, ResponseStatus and the ErrorResponse wrapper (section 5).
FRAMEWORK_DTOS: tuple[DtoClass, ...] = (
    DtoClass("ResponseError", None, _props(
        ("errorCode", "string", "The error code, e.g. the failed validator's name"),
        ("fieldName", "string", "The name of the field the error is about"),
        ("message", "string", "A human-readable description of the error"),
        ("meta", "{ [index:string]: string; }", "Additional data about the error"),
    )),
    DtoClass("ResponseStatus", None, _props(
        ("errorCode", "string", "The error code: the exception's type name or an explicit code"),
        ("message", "string", "A human-readable description of the error"),
        ("stackTrace", "string", "The server's stack trace; only written in debug mode"),
        ("errors", "ResponseError[]", "Field errors; always present, possibly empty"),
        ("meta", "{ [index:string]: string; }", "Additional data about the error"),
    )),
    DtoClass("ErrorResponse", None, _props(
        ("responseStatus", "ResponseStatus", "What went wrong"),
    )),
    DtoClass("Authenticate", None, _props(
        ("provider", "string", "The auth provider: `credentials` for a user name and password"),
        ("userName", "string", "The user's name"),
        ("password", "string", "The user's password"),
        ("rememberMe", "boolean", "Keep the session beyond the browser session (sets ss-pid, ss-opt=perm)"),
    )),
    DtoClass("AuthenticateResponse", None, _props(
        ("userId", "string", "The user's id"),
        ("sessionId", "string", "The auth session id, also sent as the ss-id cookie"),
        ("userName", "string", "The user's name"),
        ("displayName", "string", "The user's display name"),
        ("bearerToken", "string", "A bearer token, when the server issues one"),
        ("roles", "string[]", "The user's roles"),
        ("permissions", "string[]", "The user's permissions"),
        ("responseStatus", "ResponseStatus", "Present on failure"),
    )),
)

ERROR_DTO = "ErrorResponse"
AUTHENTICATE_REQUEST = "Authenticate"
AUTHENTICATE_RESPONSE = "AuthenticateResponse"

# RoleNames.Admin: a user holding it passes every role check (section 3).
SUPERUSER_ROLE = "Admin"

# .NET DataContract namespaces of the service's types (section 6); the page cannot show them.
SERVICESTACK_NAMESPACE = "http://schemas.servicestack.net/types"
DATA_CONTRACT_NAMESPACES: dict[str, str] = {
    "EntityInfo": "http://schemas.datacontract.org/2004/07/Voice.Api",
    "AISessionInfo": "http://schemas.datacontract.org/2004/07/Voice.Api.AI",
    "PatchAISession": "http://schemas.datacontract.org/2004/07/Voice.Api.AI",
}


# Pre-defined routes every operation answers on (section 1): (path template, route kind, format).
PREDEFINED_ROUTES: tuple[tuple[str, str, str | None], ...] = (
    ("/api/{operation}", "api", None),
    ("/json/reply/{operation}", "reply", "json"),
    ("/jsv/reply/{operation}", "reply", "jsv"),
)

# Section 3: what an anonymous caller is told, and how.
WWW_AUTHENTICATE = 'basic realm="/auth/basic"'
SESSION_COOKIE = "ss-id"
