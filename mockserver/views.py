"""The Flask views that are not the operation's: the OpenAPI and MetadataTypes documents.

The operation's own routes are answered by `mockserver.dispatch` in front of Flask, through the
same pure `handle_operation` the tests drive; the Authenticate service lives in `authviews` and
the control plane in `control`.
"""

from __future__ import annotations

import json

from flask import Response, request

from contract.profiles import JSON_ONLY, json_only, live_document
from mockserver.operation import ID
from mockserver.web import state


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
