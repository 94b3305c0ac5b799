"""`create_app(config)`: the Flask app of the mock, its routes and its error handling.

Routes: the operation's routes are answered by `OperationDispatcher` in front of Flask (see
`evokit.mockserver.http.dispatch`); Flask serves `GET /openapi.json`, ServiceStack's native types routes
(`GET /types`, `/types/metadata`, `/types/typescript`, `/types/python`), the Authenticate
service, the control plane under `/__mock/`, and its own 404/405 for every other path. Every failure is rendered in the
contract's error shape in the negotiated format (section 5); a bug becomes a 500 ResponseStatus
without a trace, the last resort.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from flask import Flask, Response, request
from werkzeug.exceptions import HTTPException

from evokit.contract.formats import DEFAULT_REGISTRY, CodecRegistry, Format, FormatError
from evokit.contract.model import Contract
from evokit.contract.profiles import FULL, JSON_ONLY, JSON_ONLY_FILE
from evokit.mockserver.auth import views as authviews
from evokit.mockserver.control import routes as control
from evokit.mockserver.control.journal import JournalEntry
from evokit.mockserver.http import middleware
from evokit.mockserver.auth.caller import AuthSession
from evokit.mockserver.auth.service import new_session_id
from evokit.mockserver.core.backend import Backend
from evokit.mockserver.core.config import MockConfig
from evokit.mockserver.http.dispatch import OperationDispatcher
from evokit.mockserver.core.errors import HttpFailure, InternalError, from_status
from evokit.mockserver.http.exchange import NOT_FOUND_MESSAGE
from evokit.mockserver.core.operation import Record
from evokit.mockserver.core.state import build_state, utc_now
from evokit.mockserver.core.store import Store
from evokit.mockserver.http.views import metadata_view, native_types_view, openapi_view, type_links_view
from evokit.mockserver.http.web import EXTENSION, response_codec, state, to_response

log = logging.getLogger(__name__)


def _render(failure: HttpFailure) -> Response:
    """`failure` in the negotiated format; JSON if that format cannot write it."""
    try:
        return to_response(failure.reply(response_codec()))
    except FormatError:
        log.exception("cannot encode %s in the negotiated format; answering JSON", failure.error_code)
        return to_response(failure.reply(state().registry.for_format(Format.JSON)))


def _http_exception(error: HTTPException) -> Response | HTTPException:
    """Flask's own 404/405 (and a body the WSGI layer refused) in the contract's error shape."""
    if error.code is None or error.code < 400:
        return error  # redirects keep Flask's response
    message = NOT_FOUND_MESSAGE if error.code == 404 else (error.description or error.name)
    failure = from_status(error.code, message)
    if error.code == 405 and getattr(error, "valid_methods", None):
        failure.headers["Allow"] = ", ".join(error.valid_methods or ())  # type: ignore[attr-defined]
    return _render(failure)


def _unexpected(error: Exception) -> Response:
    log.exception("unhandled error on %s %s", request.method, request.path)
    return _render(InternalError("An unexpected error occurred", error_code=type(error).__name__))


def _vary(response: Response) -> Response:
    # Section 7: every response. Set directly: `response.vary` parses and rebuilds the header.
    vary = response.headers.get("Vary")
    if vary is None:
        response.headers["Vary"] = "Accept"
    elif "accept" not in vary.lower():
        response.headers["Vary"] = f"{vary}, Accept"
    return response


def create_app(
    config: MockConfig | None = None,
    *,
    contract: Contract | None = None,
    store: Store[Record] | None = None,
    sessions: Store[AuthSession] | None = None,
    clock: Callable[[], datetime] = utc_now,
    session_ids: Callable[[], str] = new_session_id,
    registry: CodecRegistry = DEFAULT_REGISTRY,
    backend: Backend | None = None,
    access_log: Callable[[JournalEntry], None] | None = None,
) -> Flask:
    """Build the mock's Flask app; raises `FixtureError` for fixtures it cannot serve.

    Every keyword is a seam with a default: the contract, the two stores, the clock, the session
    id generator, the codec registry and the backend holding the state (by default the one
    `config.store` names; raises `StoreUnreachable` if that store does not answer).
    `access_log` is called with every answered request.
    """
    config = config or MockConfig()
    mock = build_state(
        config, contract=contract, store=store, sessions=sessions, clock=clock,
        session_ids=session_ids, registry=registry, backend=backend,
    )
    app = Flask(__name__)
    app.extensions[EXTENSION] = mock

    for path, profile in (("/openapi.json", FULL), (f"/{JSON_ONLY_FILE}", JSON_ONLY)):
        app.add_url_rule(path, endpoint=f"openapi:{profile}", view_func=openapi_view, methods=["GET"],
                         defaults={"profile": profile})
    app.add_url_rule("/types", endpoint="type_links", view_func=type_links_view, methods=["GET"])
    app.add_url_rule("/types/metadata", endpoint="metadata", view_func=metadata_view, methods=["GET"])
    # `/types/typescript`, `/types/python`; Werkzeug tries the static `/types/metadata` first.
    app.add_url_rule("/types/<language>", endpoint="native_types", view_func=native_types_view, methods=["GET"])
    app.register_blueprint(authviews.blueprint)
    if config.control:  # `--no-control`: its paths are unknown paths (404)
        app.register_blueprint(control.blueprint)

    app.register_error_handler(HttpFailure, _render)
    app.register_error_handler(HTTPException, _http_exception)
    app.register_error_handler(Exception, _unexpected)
    app.after_request(_vary)
    app.wsgi_app = OperationDispatcher(mock, app.wsgi_app)  # type: ignore[method-assign]
    # Cross-cutting WSGI layers (journal, headers and CORS, control token, faults): keep this last,
    # so they wrap whatever answers the request.
    middleware.install(app, mock, access_log=access_log)
    return app
