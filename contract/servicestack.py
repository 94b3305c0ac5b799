"""What ServiceStack itself contributes to every operation, as data the generator reads.

The DTO page describes the service's own types and routes. The framework adds its error DTOs, its
authentication DTOs, its pre-defined routes, its formats and its superuser role; CONTRACT.md
sections 1, 3, 5 and 6 record them. They are written here once, in the same `DtoClass` form the
readers produce (`evokit.contract.service`), so the generator treats them exactly like the service's own.
"""

from __future__ import annotations

from evokit.contract.service import DtoType, Property, parse_type

# The .NET namespace of ServiceStack's own DTOs; a source's types in it are the framework's, which
# this module defines (a server's /types/metadata lists them too, e.g. the Authenticate service).
FRAMEWORK_NAMESPACE = "ServiceStack"


def _props(*triples: tuple[str, str, str]) -> tuple[Property, ...]:
    return tuple(Property(name, parse_type(type_), description) for name, type_, description in triples)


def _dto(name: str, properties: tuple[Property, ...]) -> DtoType:
    return DtoType(name, FRAMEWORK_NAMESPACE, properties=properties)


# ServiceStack.Interfaces: ResponseError, ResponseStatus and the ErrorResponse wrapper (section 5).
FRAMEWORK_DTOS: tuple[DtoType, ...] = (
    _dto("ResponseError", _props(
        ("errorCode", "String", "The error code, e.g. the failed validator's name"),
        ("fieldName", "String", "The name of the field the error is about"),
        ("message", "String", "A human-readable description of the error"),
        ("meta", "Dictionary<String,String>", "Additional data about the error"),
    )),
    _dto("ResponseStatus", _props(
        ("errorCode", "String", "The error code: the exception's type name or an explicit code"),
        ("message", "String", "A human-readable description of the error"),
        ("stackTrace", "String", "The server's stack trace; only written in debug mode"),
        ("errors", "List<ResponseError>", "Field errors; always present, possibly empty"),
        ("meta", "Dictionary<String,String>", "Additional data about the error"),
    )),
    _dto("ErrorResponse", _props(
        ("responseStatus", "ResponseStatus", "What went wrong"),
    )),
    _dto("Authenticate", _props(
        ("provider", "String", "The auth provider: `credentials` for a user name and password"),
        ("userName", "String", "The user's name"),
        ("password", "String", "The user's password"),
        ("rememberMe", "Boolean", "Keep the session beyond the browser session (sets ss-pid, ss-opt=perm)"),
    )),
    _dto("AuthenticateResponse", _props(
        ("userId", "String", "The user's id"),
        ("sessionId", "String", "The auth session id, also sent as the ss-id cookie"),
        ("userName", "String", "The user's name"),
        ("displayName", "String", "The user's display name"),
        ("bearerToken", "String", "A bearer token, when the server issues one"),
        ("roles", "List<String>", "The user's roles"),
        ("permissions", "List<String>", "The user's permissions"),
        ("responseStatus", "ResponseStatus", "Present on failure"),
    )),
)

ERROR_DTO = "ErrorResponse"
AUTHENTICATE_REQUEST = "Authenticate"
AUTHENTICATE_RESPONSE = "AuthenticateResponse"

# RoleNames.Admin: a user holding it passes every role check (section 3).
SUPERUSER_ROLE = "Admin"

# XML namespaces (section 6): DataContract derives a class's from its .NET namespace; ServiceStack's
# own types carry its types namespace.
SERVICESTACK_NAMESPACE = "http://schemas.servicestack.net/types"
DATA_CONTRACT_PREFIX = "http://schemas.datacontract.org/2004/07/"


def xml_namespace(namespace: str | None) -> str:
    """The XML namespace DataContractSerializer writes a class of this .NET namespace in."""
    if namespace is None or namespace == FRAMEWORK_NAMESPACE:
        return SERVICESTACK_NAMESPACE
    return DATA_CONTRACT_PREFIX + namespace


# Pre-defined routes every operation answers on (section 1): (path template, route kind, format).
PREDEFINED_ROUTES: tuple[tuple[str, str, str | None], ...] = (
    ("/api/{operation}", "api", None),
    ("/json/reply/{operation}", "reply", "json"),
    ("/jsv/reply/{operation}", "reply", "jsv"),
)

# Section 3: what an anonymous caller is told, and how.
WWW_AUTHENTICATE = 'basic realm="/auth/basic"'
SESSION_COOKIE = "ss-id"
