"""The Flask side of every view: reading the request into plain data, writing a `Reply` out.

Everything here is adapter code; the rules live in the pure modules it calls.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from flask import Response, current_app, request

from evokit.contract.formats import Codec, DtoShape, Format, FormatError, predefined_format
from evokit.mockserver.auth.caller import session_id_from
from evokit.mockserver.auth.cookies import crosses_sites, set_cookie_header
from evokit.mockserver.http.binding import RequestParts
from evokit.mockserver.core.errors import PayloadTooLarge
from evokit.mockserver.http.exchange import negotiated
from evokit.mockserver.core.replies import Cookie, Reply, dto_reply
from evokit.mockserver.core.state import MockState

EXTENSION = "evokit.mock"
log = logging.getLogger(__name__)


def state() -> MockState:
    """The current app's `MockState`."""
    return current_app.extensions[EXTENSION]  # type: ignore[no-any-return]


def response_format() -> Format:
    """The negotiated response format of this request."""
    return negotiated(request.path, request.query_string, request.headers.get("Accept"))


def response_codec() -> Codec:
    """The codec of the negotiated format."""
    return state().registry.for_format(response_format())


def dto_response(value: Mapping[str, object], shape: DtoShape, *, cookies: tuple[Cookie, ...] = ()) -> Response:
    """A DTO in the negotiated format; in JSON if that format cannot write it (an XML list, say),
    because a 200 in the wrong format beats a 500 (section 5)."""
    try:
        return to_response(dto_reply(response_codec(), value, shape, cookies=cookies))
    except FormatError:
        log.exception("cannot encode %s in the negotiated format; answering JSON", shape.name)
        return to_response(dto_reply(state().registry.for_format(Format.JSON), value, shape, cookies=cookies))


def read_body(limit: int) -> bytes:
    """The request body, at most `limit` bytes; larger bodies raise `PayloadTooLarge` (413).

    A declared Content-Length over the limit is refused before anything is read.
    """
    declared = request.content_length
    if declared is not None and declared > limit:
        raise PayloadTooLarge(limit)
    body = request.stream.read(limit + 1)
    if len(body) > limit:
        raise PayloadTooLarge(limit)
    return body


def request_parts(body: bytes, path_params: dict[str, str] | None = None) -> RequestParts:
    """What of this request goes into a DTO (section 2)."""
    return RequestParts(
        body=body,
        content_type=request.headers.get("Content-Type"),
        path_params=path_params or {},
        query=request.query_string,
        predefined=predefined_format(request.path),
    )


def session_id() -> str | None:
    """The session id the request presents (`X-ss-id` header or cookie, section 3)."""
    return session_id_from(request.headers, request.cookies, state().contract.session_cookie)  # type: ignore[arg-type]


def to_response(reply: Reply) -> Response:
    """A Flask response for `reply`; cookies are HttpOnly on path `/` (section 3), and made to
    cross sites for a browser page of another origin (`evokit.mockserver.auth.cookies`)."""
    response = Response(reply.body, status=reply.status)
    if reply.content_type is None:
        del response.headers["Content-Type"]
    else:
        response.headers["Content-Type"] = reply.content_type
    for name, value in reply.headers.items():
        response.headers[name] = value
    if reply.cookies:
        cross_site = crosses_sites(request.headers.get("Origin"), request.host, request.scheme)
        for cookie in reply.cookies:
            response.headers.add("Set-Cookie", set_cookie_header(cookie, cross_site=cross_site))
    return response
