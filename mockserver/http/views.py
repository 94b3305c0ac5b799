"""The Flask views that are not the operation's: the OpenAPI document and ServiceStack's native
types routes (`/types`, `/types/metadata`, `/types/typescript`, `/types/python`).

The operation's own routes are answered by `evokit.mockserver.http.dispatch` in front of Flask, through the
same pure `handle_operation` the tests drive; the Authenticate service lives in `authviews` and
the control plane in `control`. Like ServiceStack's `NativeTypesService`, the native types routes
need no authentication.
"""

from __future__ import annotations

import json

from flask import Response, request
from werkzeug.exceptions import NotFound

from evokit.contract.profiles import JSON_ONLY, json_only, live_document
from evokit.mockserver.core.operation import ID
from evokit.mockserver.http.web import state

TEXT = "text/plain; charset=utf-8"


def _base_url() -> str:
    """`Request.GetBaseUrl()`: where the client reached the mock, which the links and the DTOs'
    `BaseUrl:` line name (and `npx @servicestack/cli typescript-ref` updates from)."""
    return request.host_url.rstrip("/")


def openapi_view(profile: str) -> Response:
    """The contract's OpenAPI document in `profile` (full, or JSON only), made live: this server's
    URL as its server and the stored sessions' ids as examples of `sessionId`, so that the tools a
    team points at the mock (Schemathesis, Postman, generated clients) reach real sessions."""
    mock = state()
    document = dict(mock.contract.openapi)
    if profile == JSON_ONLY:
        document = json_only(document)
    ids = [str(record[ID]) for record in mock.store.all()]
    live = live_document(document, server_url=request.host_url, session_ids=sorted(ids))
    return Response(json.dumps(live, ensure_ascii=False, separators=(",", ":")),
                    content_type="application/json; charset=utf-8")


def metadata_view() -> Response:
    """ServiceStack's `GET /types/metadata`: the contract as a MetadataTypes document, the source
    ServiceStack's DTO generators (and `evokit contract build --metadata URL`) read."""
    return Response(state().contract.metadata_text, content_type="application/json; charset=utf-8")


def type_links_view() -> Response:
    """ServiceStack's `GET /types`: the native types routes by language, in its order (Flask's
    `jsonify` would sort them)."""
    from evokit.contract.native import type_links  # the generators load on first use, not at start-up

    links = json.dumps(type_links(_base_url()), separators=(",", ":"))
    return Response(links, content_type="application/json; charset=utf-8")


def native_types_view(language: str) -> Response:
    """`GET /types/typescript` and `GET /types/python`: the contract's DTOs in that language, as
    "Add ServiceStack Reference" fetches them; another language is an unknown path (404)."""
    from evokit.contract.native import Options
    from evokit.contract.native.links import GENERATED, generate

    if language not in GENERATED:
        raise NotFound()
    mock = state()
    options = Options(base_url=_base_url(), date=mock.clock())
    text = generate(language, json.loads(mock.contract.metadata_text), options=options)
    return Response(text, content_type=TEXT)
