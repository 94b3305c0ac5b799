"""Deliberately broken variants of the kit's mock, each breaking one rule of the contract.

Each variant is the real mock (`evokit.mockserver.create_app`) behind a small WSGI middleware that
rewrites the request or the answer, or the mock built with a broken seam (its store or clock).
`BROKEN` lists them with the rule each one breaks; the verifier must name that rule.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import parse_qsl, urlencode

from werkzeug.datastructures import Headers

from evokit.contract import load_contract
from evokit.contract.formats import jsv
from evokit.mockserver.core.config import DEFAULT_FIXTURES
from tests.verify.wsgi import (
    BrokenStore,
    Reply,
    Request,
    WsgiApp,
    call,
    middleware,
    mock,
    on_json_200,
    on_json_errors,
    on_reply,
    rewrite_json_body,
)

TRACE = "   at Voice.Api.AI.AISessionService.Patch(PatchAISession request) in /src/AISessionService.cs:line 42"


@dataclass(frozen=True)
class BrokenServer:
    """A variant of the mock and the rule it breaks (`severity` of that rule decides the exit)."""

    name: str
    rule: str
    description: str
    build: Callable[[], WsgiApp]
    # What the verifier is asked to check: the PATCH for sections 1-7, the family suite for section 8
    # (a run of either finds the rule; both would only double the test's time).
    scope: tuple[str, ...] = ("--operation", "PatchAISession")


BROKEN: list[BrokenServer] = []
FAMILY_SCOPE = ("--suite", "family")


def broken(
    rule: str, description: str, scope: tuple[str, ...] | None = None
) -> Callable[[Callable[[], WsgiApp]], Callable[[], WsgiApp]]:
    def register(build: Callable[[], WsgiApp]) -> Callable[[], WsgiApp]:
        extra = {} if scope is None else {"scope": scope}
        BROKEN.append(BrokenServer(build.__name__, rule, description, build, **extra))
        return build

    return register


# --- section 1 --------------------------------------------------------------------------------------


@broken("status-codes", "answers an Accept it cannot serve with 406 instead of 200 JSON")
def not_acceptable() -> WsgiApp:
    def before(request: Request) -> Reply | None:
        if request.is_operation and request.header("Accept") == "image/png":
            return Reply(406, Headers({"Content-Type": "text/plain", "Vary": "Accept"}), b"Not Acceptable")
        return None

    return middleware(mock(), before=before)


@broken("wire-order", "writes JSON members in alphabetical order")
def sorted_members() -> WsgiApp:
    def after(request: Request, reply: Reply) -> None:
        body = reply.json()
        if request.is_operation and reply.status == 200 and body is not None:
            reply.set_json(dict(sorted(body.items())))

    return middleware(mock(), after=after)


# --- section 1.1 ------------------------------------------------------------------------------------

PREDEFINED = ("/api/", "/json/reply/", "/jsv/reply/")


def _predefined(request: Request) -> bool:
    return request.is_operation and request.path.lower().startswith(PREDEFINED)


@broken("predefined-format", "answers /api/ in the format Accept asks for, as the user route does")
def predefined_reads_accept() -> WsgiApp:
    def before(request: Request) -> None:
        accept = request.header("Accept") or ""
        query = request.environ.get("QUERY_STRING", "")
        if _predefined(request) and "format=" not in query.lower() and accept.startswith("application/xml"):
            request.environ["QUERY_STRING"] = f"{query}&format=xml".lstrip("&")

    return middleware(mock(), before=before)


@broken("predefined-body", "ignores a pre-defined route's body sent without a Content-Type it reads")
def predefined_ignores_untyped_body() -> WsgiApp:
    def before(request: Request) -> None:
        content_type = request.header("Content-Type") or ""
        if _predefined(request) and not content_type.startswith(("application/j", "application/x-www")):
            request.body = b""

    return middleware(mock(), before=before)


@broken("predefined-query", "lets the query win over the body on the pre-defined routes")
def predefined_query_wins() -> WsgiApp:
    def before(request: Request) -> None:
        body = request.json()
        if _predefined(request) and body is not None:
            for key, value in parse_qsl(request.environ.get("QUERY_STRING", "")):
                if key.lower() in ("purpose", "sessionid"):
                    body[next((k for k in body if k.lower() == key.lower()), key)] = value
            request.body = json.dumps(body).encode()

    return middleware(mock(), before=before)


@broken("response-size", "pads every XML answer with two megabytes of whitespace")
def oversized_xml() -> WsgiApp:
    def after(request: Request, reply: Reply) -> None:
        if request.is_operation and reply.media_type == "application/xml":
            reply.data += b" " * (2 * 1024 * 1024)  # twice what the verifier reads of an answer

    return middleware(mock(), after=after)


# --- section 2 --------------------------------------------------------------------------------------


@broken("body-content-types", "ignores bodies sent as text/json")
def no_text_json() -> WsgiApp:
    def before(request: Request) -> None:
        if (request.header("Content-Type") or "").startswith("text/json"):
            request.environ["CONTENT_TYPE"] = "text/plain"

    return middleware(mock(), before=before)


@broken("unknown-content-type-ignored", "reads bodies without a known Content-Type as JSON")
def sniffs_json() -> WsgiApp:
    def before(request: Request) -> None:
        if request.body.startswith(b"{") and (request.header("Content-Type") or "text/plain") == "text/plain":
            request.environ["CONTENT_TYPE"] = "application/json"

    return middleware(mock(), before=before)


@broken("path-over-body", "lets the body's sessionId win over the path's")
def body_id_wins() -> WsgiApp:
    def before(request: Request) -> None:
        body = request.json()
        if request.is_operation and request.path.startswith("/ai/sessions/") and body and body.get("sessionId"):
            request.environ["PATH_INFO"] = f"/ai/sessions/{body['sessionId']}"

    return middleware(mock(), before=before)


@broken("query-over-body", "lets the body's purpose win over ?purpose=")
def body_purpose_wins() -> WsgiApp:
    def before(request: Request) -> None:
        if request.is_operation and request.body:
            query = [(k, v) for k, v in parse_qsl(request.environ.get("QUERY_STRING", "")) if k.lower() != "purpose"]
            request.environ["QUERY_STRING"] = urlencode(query)

    return middleware(mock(), before=before)


@broken("property-names", "matches property names case-sensitively")
def case_sensitive_names() -> WsgiApp:
    def change(body: dict[str, Any]) -> None:
        for name in [k for k in body if k.lower() == "purpose" and k != "purpose"]:
            del body[name]

    return rewrite_json_body(change)


@broken("lenient-values", "stores a number sent as purpose as a decimal (123 -> 123.0)")
def decimal_numbers() -> WsgiApp:
    def change(body: dict[str, Any]) -> None:
        if isinstance(body.get("purpose"), int) and not isinstance(body.get("purpose"), bool):
            body["purpose"] = str(float(body["purpose"]))

    return rewrite_json_body(change)


@broken("malformed-body", "names a malformed body's error RequestBindingException for callers with credentials")
def wrong_serialization_code() -> WsgiApp:
    def after(request: Request, reply: Reply) -> None:
        if request.is_operation and reply.status == 400 and request.header("Authorization"):
            reply.data = reply.data.replace(b"SerializationException", b"RequestBindingException")

    return middleware(mock(), after=after)


@broken("malformed-before-auth", "checks credentials before reading the body")
def auth_before_body() -> WsgiApp:
    def before(request: Request) -> Reply | None:
        malformed = request.body.strip()[:1] not in (b"", b"{")
        if request.is_operation and request.header("Authorization") is None and malformed:
            return Reply(401, Headers({"WWW-Authenticate": 'basic realm="/auth/basic"', "Vary": "Accept"}))
        return None

    return middleware(mock(), before=before)


# --- section 3 --------------------------------------------------------------------------------------


@broken("anonymous-401", "answers anonymous callers 403 Forbidden")
def anonymous_forbidden() -> WsgiApp:
    def after(request: Request, reply: Reply) -> None:
        if reply.status == 401 and not reply.data:
            reply.status, reply.data = 403, b"Forbidden"
            reply.headers["Content-Type"] = "text/plain"
            del reply.headers["WWW-Authenticate"]

    return middleware(mock(), after=after)


@broken("www-authenticate", "sends no WWW-Authenticate challenge")
def no_challenge() -> WsgiApp:
    return on_reply(lambda request, reply: reply.headers.remove("WWW-Authenticate"))


@broken("www-authenticate-realm", "challenges with another realm")
def other_realm() -> WsgiApp:
    def after(request: Request, reply: Reply) -> None:
        if "WWW-Authenticate" in reply.headers:
            reply.headers["WWW-Authenticate"] = 'Basic realm="Evo Voice"'

    return middleware(mock(), after=after)


@broken("bad-credentials", "treats wrong credentials like none (empty 401)")
def bad_credentials_empty() -> WsgiApp:
    def after(request: Request, reply: Reply) -> None:
        if request.is_operation and reply.status == 401 and reply.data:
            reply.data = b""
            del reply.headers["Content-Type"]
            reply.headers["WWW-Authenticate"] = 'basic realm="/auth/basic"'

    return middleware(mock(), after=after)


@broken("forbidden-403", "answers a missing role with a JSON error instead of text")
def forbidden_json() -> WsgiApp:
    def after(request: Request, reply: Reply) -> None:
        if reply.status == 403:
            reply.headers["Content-Type"] = "application/json; charset=utf-8"
            reply.set_json({"responseStatus": {"errorCode": "Forbidden", "message": "Forbidden", "errors": []}})

    return middleware(mock(), after=after)


CONTRACT = load_contract()
SUPERUSER = CONTRACT.superuser_role
ROLE = CONTRACT.operation("PatchAISession").required_roles[0]


def _users() -> dict[str, list[str]]:
    users = json.loads((DEFAULT_FIXTURES / "users.json").read_text(encoding="utf-8"))
    return {user["userName"]: user["roles"] for user in users}


@broken("superuser-admin", "does not treat the Admin role as a superuser")
def admin_not_superuser() -> WsgiApp:
    roles = _users()

    def before(request: Request) -> Reply | None:
        user = request.user()
        well_formed = request.body.strip()[:1] in (b"", b"{")
        if request.is_operation and user and SUPERUSER in roles.get(user, ()) and well_formed:
            return Reply(403, Headers({"Content-Type": "text/plain", "Vary": "Accept"}), b"Forbidden")
        return None

    return middleware(mock(), before=before)


@broken("check-order", "looks the session up before checking the role (404 before 403)")
def not_found_before_role() -> WsgiApp:
    app = mock()
    roles = _users()
    admin = "Basic " + base64.b64encode(b"sysadmin:sysadmin").decode()

    def before(request: Request) -> Reply | None:
        user, body = request.user(), request.json()
        if request.is_operation and body is not None and user in roles and not {SUPERUSER, ROLE} & set(roles[user]):
            body.pop("purpose", None)  # the look-up must not change anything
            looked_up = call(app, Request({**request.environ, "HTTP_AUTHORIZATION": admin}, json.dumps(body).encode()))
            if looked_up.status == 404:
                return looked_up
        return None

    return middleware(app, before=before)


@broken("session-auth", "ignores the X-ss-id header")
def no_x_ss_id() -> WsgiApp:
    def before(request: Request) -> None:
        request.environ.pop("HTTP_X_SS_ID", None)

    return middleware(mock(), before=before)


# --- section 4 --------------------------------------------------------------------------------------


@broken("not-found-404", "answers unknown ids with 200 and an empty object")
def not_found_as_ok() -> WsgiApp:
    def after(request: Request, reply: Reply) -> None:
        if request.is_operation and reply.status == 404:
            reply.status = 200
            reply.headers["Content-Type"] = "application/json; charset=utf-8"
            reply.set_json({})

    return middleware(mock(), after=after)


@broken("update-response", "leaves the purpose out of the update's answer")
def answer_without_purpose() -> WsgiApp:
    def change(body: dict[str, Any], request: Request) -> None:
        sent = request.json() or {}
        if "purpose" in sent:
            body.pop("purpose", None)

    return on_json_200(change)


@broken("partial-update", "clears the purpose when a PATCH carries none")
def absent_clears() -> WsgiApp:
    def change(body: dict[str, Any]) -> None:
        body.setdefault("purpose", "")

    return rewrite_json_body(change)


@broken("stored-exactly", "trims the purpose")
def trims_purpose() -> WsgiApp:
    def before(request: Request) -> None:
        content_type = request.header("Content-Type") or ""
        if not request.is_operation:
            return
        if "json" in content_type and (body := request.json()) and isinstance(body.get("purpose"), str):
            body["purpose"] = body["purpose"].strip()
            request.body = json.dumps(body).encode()
        elif "jsv" in content_type and request.body.startswith(b"{"):
            value = jsv.loads_object(request.body.decode())
            purpose = value.get("purpose")
            if isinstance(purpose, str):
                value["purpose"] = purpose.strip()
                request.body = jsv.dumps(value).encode()
        elif "form" in content_type:
            pairs = [(k, v.strip() if k.lower() == "purpose" else v) for k, v in parse_qsl(request.body.decode())]
            request.body = urlencode(pairs).encode()

    return middleware(mock(), before=before)


@broken("empty-purpose", "treats an empty purpose as absent")
def empty_is_absent() -> WsgiApp:
    def change(body: dict[str, Any]) -> None:
        if body.get("purpose") == "":
            del body["purpose"]

    return rewrite_json_body(change)


@broken("immutable-fields", "changes accountId on every PATCH")
def moving_account() -> WsgiApp:
    return mock(store=BrokenStore(lambda old, new: new.update(accountId=old["accountId"] + "0")))


@broken("date-last-modified", "does not move dateLastModified")
def frozen_modified() -> WsgiApp:
    def keep(old: dict[str, str], new: dict[str, str]) -> None:
        if "dateLastModified" in old:
            new["dateLastModified"] = old["dateLastModified"]

    return mock(store=BrokenStore(keep))


@broken("date-format", "writes dates as /Date(ms)/")
def wcf_dates() -> WsgiApp:
    def change(body: dict[str, Any], request: Request) -> None:
        moment = datetime.fromisoformat(body["dateLastModified"][:26] + "+00:00")
        body["dateLastModified"] = f"/Date({int(moment.timestamp() * 1000)})/"

    return on_json_200(change)


@broken("last-modified-by", "writes the caller's user name as lastModifiedBy")
def user_name_as_modifier() -> WsgiApp:
    return on_json_200(lambda body, request: body.update(lastModifiedBy=request.user() or "?"))


@broken("no-null", "writes null for members it has no value for")
def nulls_written() -> WsgiApp:
    return on_json_errors(lambda status: status.setdefault("meta", None))


# --- section 5 --------------------------------------------------------------------------------------


@broken("error-shape", "leaves out an empty errors list")
def no_errors_list() -> WsgiApp:
    return on_json_errors(lambda status: status.pop("errors", None) if status.get("errors") == [] else None)


@broken("no-stack-trace", "includes a stackTrace in errors")
def stack_trace() -> WsgiApp:
    return on_json_errors(lambda status: status.update(stackTrace=TRACE))


@broken("no-server-error", "fails with 500 on a long purpose")
def long_purpose_crash() -> WsgiApp:
    def before(request: Request) -> Reply | None:
        if request.is_operation and len(request.body) > 2000:
            return Reply(500, Headers({"Content-Type": "text/plain", "Vary": "Accept"}), b"Internal Server Error")
        return None

    return middleware(mock(), before=before)


# --- section 6 --------------------------------------------------------------------------------------


@broken("response-format", "labels JSV answers text/jsv")
def jsv_content_type() -> WsgiApp:
    def after(request: Request, reply: Reply) -> None:
        if reply.media_type == "application/jsv":
            reply.headers["Content-Type"] = "text/jsv"

    return middleware(mock(), after=after)


@broken("accept-text-jsv", "answers Accept: text/jsv in JSV, as the seed's sample suggests")
def text_jsv_accepted() -> WsgiApp:
    def before(request: Request) -> None:
        if request.header("Accept") == "text/jsv":
            request.environ["HTTP_ACCEPT"] = "application/jsv"

    return middleware(mock(), before=before)


@broken("schema", "writes accountName as a number in JSON")
def numeric_account_name() -> WsgiApp:
    return on_json_200(lambda body, request: body.update(accountName=12345))


def _quote_all(value: object) -> str:
    if isinstance(value, dict):
        return "{" + ",".join(f"{k}:{_quote_all(v)}" for k, v in value.items() if v is not None) + "}"
    if isinstance(value, list):
        return "[" + ",".join(_quote_all(v) for v in value) + "]"
    return '"' + str(value).replace('"', '""') + '"'


@broken("jsv-wire", "quotes every JSV string, needed or not")
def jsv_overquoted() -> WsgiApp:
    def after(request: Request, reply: Reply) -> None:
        if request.is_operation and reply.media_type == "application/jsv" and reply.data.startswith(b"{"):
            reply.data = _quote_all(jsv.loads_object(reply.data.decode())).encode()

    return middleware(mock(), after=after)


# --- section 7 --------------------------------------------------------------------------------------


@broken("vary-accept", "sends no Vary header")
def no_vary() -> WsgiApp:
    return on_reply(lambda request, reply: reply.headers.remove("Vary"))


@broken("cors", "answers preflight requests 401 and sends no CORS headers")
def no_cors() -> WsgiApp:
    def before(request: Request) -> Reply | None:
        if request.environ["REQUEST_METHOD"] == "OPTIONS":
            return Reply(401, Headers({"Vary": "Accept", "WWW-Authenticate": 'basic realm="/auth/basic"'}))
        return None

    def after(request: Request, reply: Reply) -> None:
        for name in [key for key, _ in reply.headers.items() if key.lower().startswith("access-control-")]:
            reply.headers.remove(name)

    return middleware(mock(), before=before, after=after)


@broken("x-powered-by", "sends no X-Powered-By header")
def no_powered_by() -> WsgiApp:
    return on_reply(lambda request, reply: reply.headers.remove("X-Powered-By"))


def by_name() -> dict[str, BrokenServer]:
    """The broken servers by name."""
    return {server.name: server for server in BROKEN}


def names() -> Iterator[str]:
    """Names of every broken server, in definition order."""
    return (server.name for server in BROKEN)


# Section 8's broken servers register themselves here, after `broken` exists.
from tests.verify import broken_family  # noqa: E402, F401
