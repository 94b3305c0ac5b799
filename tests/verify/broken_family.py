"""Broken variants of the mock for section 8: each breaks one rule of the family beside the PATCH.
They register with `broken_servers.BROKEN`, which imports this module at its end."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import parse_qsl, urlencode

from werkzeug.datastructures import Headers

from evokit.mockserver.core.config import DEFAULT_FIXTURES
from tests.verify.broken_servers import FAMILY_SCOPE, broken
from tests.verify.wsgi import Reply, Request, WsgiApp, call, middleware, mock

SYSADMIN_BASIC = "Basic c3lzYWRtaW46c3lzYWRtaW4="  # sysadmin:sysadmin, the fixtures' SystemAdministrator
SESSION_PATH = re.compile(r"^/ai/sessions/([^/.]+)$")


def _is(request: Request, method: str, pattern: str) -> bool:
    return request.environ["REQUEST_METHOD"] == method and re.fullmatch(pattern, request.path) is not None


def _query(request: Request) -> dict[str, str]:
    return dict(parse_qsl(request.environ.get("QUERY_STRING", ""), keep_blank_values=True))


def _set_query(request: Request, values: dict[str, str]) -> None:
    request.environ["QUERY_STRING"] = urlencode(values)


def _dropping_query(method: str, pattern: str, *names: str) -> WsgiApp:
    """The mock, ignoring some query parameters of one route (as if they were not bound)."""

    def before(request: Request) -> None:
        if _is(request, method, pattern):
            _set_query(request, {k: v for k, v in _query(request).items() if k.lower() not in names})

    return middleware(mock(), before=before)


def _json_200(method: str, pattern: str, change: Any) -> WsgiApp:
    def after(request: Request, reply: Reply) -> None:
        body = reply.json()
        if _is(request, method, pattern) and reply.status == 200 and body is not None:
            change(body)
            reply.set_json(body)

    return middleware(mock(), after=after)


@broken("family-create", "creates the session without the purpose it was sent", FAMILY_SCOPE)
def create_drops_purpose() -> WsgiApp:
    def before(request: Request) -> None:
        body = request.json()
        if _is(request, "POST", "/ai/sessions") and body is not None:
            body.pop("purpose", None)
            request.body = json.dumps(body).encode()

    return middleware(mock(), before=before)


@broken("last-modified-by", "writes another user's id as createdBy of a new session", FAMILY_SCOPE)
def created_by_someone_else() -> WsgiApp:
    return _json_200("POST", "/ai/sessions", lambda body: body.update(createdBy="65f1a0c2e4b0a1d2c3e4f5ff"))


@broken("family-create-account", "creates a session for an unknown accountId, on the first account instead", FAMILY_SCOPE)
def creates_for_unknown_account() -> WsgiApp:
    accounts = [account["id"] for account in json.loads((DEFAULT_FIXTURES / "accounts.json").read_text())]

    def before(request: Request) -> None:
        body = request.json()
        if _is(request, "POST", "/ai/sessions") and body is not None and body.get("accountId") not in (None, *accounts):
            body["accountId"] = accounts[0]
            request.body = json.dumps(body).encode()

    return middleware(mock(), before=before)


@broken("family-delete", "answers DELETE with 204 and keeps the session", FAMILY_SCOPE)
def delete_keeps_session() -> WsgiApp:
    def before(request: Request) -> Reply | None:
        if _is(request, "DELETE", SESSION_PATH.pattern):
            return Reply(204, Headers({"Vary": "Accept", "Access-Control-Allow-Origin": "*",
                                       "X-Powered-By": "ServiceStack/8.0"}))
        return None

    return middleware(mock(), before=before)


@broken("family-state", "serves GET /ai/sessions/{id} from a cache that a PATCH does not clear", FAMILY_SCOPE)
def stale_get_cache() -> WsgiApp:
    cache: dict[str, Reply] = {}

    def before(request: Request) -> Reply | None:
        if _is(request, "GET", SESSION_PATH.pattern) and not _query(request) and request.path in cache:
            cached = cache[request.path]
            return Reply(cached.status, Headers(list(cached.headers.items())), cached.data)
        return None

    def after(request: Request, reply: Reply) -> None:
        if _is(request, "GET", SESSION_PATH.pattern) and not _query(request) and reply.status == 200:
            cache[request.path] = Reply(reply.status, Headers(list(reply.headers.items())), reply.data)

    return middleware(mock(), before=before, after=after)


@broken("list-paging", "counts one page too few in totalPages", FAMILY_SCOPE)
def short_total_pages() -> WsgiApp:
    def change(body: dict[str, Any]) -> None:
        if body.get("totalPages", 0) > 1:
            body["totalPages"] -= 1

    return _json_200("GET", "/ai/sessions", change)


@broken("list-filter", "ignores the accountIds filter", FAMILY_SCOPE)
def ignores_account_filter() -> WsgiApp:
    return _dropping_query("GET", "/ai/sessions", "accountids")


@broken("list-sort", "ignores sortOrder", FAMILY_SCOPE)
def ignores_sort_order() -> WsgiApp:
    return _dropping_query("GET", "/ai/sessions", "sortorder")


@broken("list-bad-request", "reads countPerPage 0 or below as the default page size", FAMILY_SCOPE)
def lenient_page_size() -> WsgiApp:
    def before(request: Request) -> None:
        query = _query(request)
        if _is(request, "GET", "/ai/sessions") and query.get("countPerPage", "1").lstrip("-").isdigit() \
                and int(query.get("countPerPage", "1")) < 1:
            del query["countPerPage"]
            _set_query(request, query)

    return middleware(mock(), before=before)


@broken("apply-actions", "writes a log when applying a session with nothing pending", FAMILY_SCOPE)
def apply_logs_nothing() -> WsgiApp:
    def change(body: dict[str, Any]) -> None:
        members = list(body.items())
        body.clear()
        for name, value in members:  # the log in its wire place, after purpose (and actions)
            body[name] = value
            if name == ("actions" if "actions" in dict(members) else "purpose"):
                body["log"] = "Applied 0 actions"

    return _json_200("POST", r"/ai/sessions/[^/]+/apply", change)


@broken("clear-actions", "answers 200 with the session for deleting an action it does not have", FAMILY_SCOPE)
def delete_unknown_action() -> WsgiApp:
    app = mock()

    def after(request: Request, reply: Reply) -> None:
        if _is(request, "DELETE", r"/ai/sessions/[^/]+/actions/[^/]+") and reply.status == 404:
            session = {**request.environ, "REQUEST_METHOD": "GET", "PATH_INFO": request.path.rsplit("/actions/", 1)[0]}
            read = call(app, Request(session, b""))
            if read.status == 200:  # the session exists: only the action was missing
                reply.status, reply.headers, reply.data = read.status, read.headers, read.data

    return middleware(app, after=after)


@broken("usage-range", "ignores startDate and endDate", FAMILY_SCOPE)
def usage_ignores_dates() -> WsgiApp:
    def before(request: Request) -> None:
        if request.path == "/ai/usage":
            _set_query(request, {k: v for k, v in _query(request).items() if k.lower() not in ("startdate", "enddate")})

    return middleware(mock(), before=before)


@broken("auth-status", "answers an authenticated GET /auth/status with 204", FAMILY_SCOPE)
def auth_status_empty() -> WsgiApp:
    def after(request: Request, reply: Reply) -> None:
        if _is(request, "GET", "/auth/status") and reply.status == 200:
            reply.status, reply.data = 204, b""
            reply.headers.remove("Content-Type")

    return middleware(mock(), after=after)


@broken("auth-status-anonymous", "answers an anonymous GET /auth/status with 401", FAMILY_SCOPE)
def auth_status_anonymous_401() -> WsgiApp:
    def before(request: Request) -> Reply | None:
        if _is(request, "GET", "/auth/status") and request.header("Authorization") is None:
            return Reply(401, Headers({"Vary": "Accept", "Access-Control-Allow-Origin": "*",
                                       "WWW-Authenticate": 'basic realm="/auth/basic"', "X-Powered-By": "ServiceStack/8.0"}))
        return None

    return middleware(mock(), before=before)


@broken("anonymous-401", "lists sessions to anonymous callers", FAMILY_SCOPE)
def anonymous_list() -> WsgiApp:
    def before(request: Request) -> None:
        if _is(request, "GET", "/ai/sessions") and request.header("Authorization") is None:
            request.environ["HTTP_AUTHORIZATION"] = SYSADMIN_BASIC

    return middleware(mock(), before=before)


@broken("response-format", "answers GET /ai/sessions.xml in JSON", FAMILY_SCOPE)
def list_suffix_ignored() -> WsgiApp:
    def before(request: Request) -> None:
        if request.environ["REQUEST_METHOD"] == "GET" and request.path == "/ai/sessions.xml":
            request.environ["PATH_INFO"] = "/ai/sessions"

    return middleware(mock(), before=before)
