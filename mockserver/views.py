"""The Flask views that are not the operation's: the OpenAPI and MetadataTypes documents.

The operation's own routes are answered by `mockserver.dispatch` in front of Flask, through the
same pure `handle_operation` the tests drive; the Authenticate service lives in `authviews` and
the control plane in `control`.
"""

from __future__ import annotations

from flask import Response

from mockserver.web import state


def openapi_view() -> Response:
    """The committed OpenAPI document, as the contract package holds it."""
    return Response(state().contract.openapi_text, content_type="application/json; charset=utf-8")


def metadata_view() -> Response:
    """ServiceStack's `GET /types/metadata`: the contract as a MetadataTypes document, the source
    ServiceStack's DTO generators (and `evokit contract build --metadata URL`) read."""
    return Response(state().contract.metadata_text, content_type="application/json; charset=utf-8")
