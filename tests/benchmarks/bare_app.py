"""The ceiling: a bare Flask app whose one PATCH route returns a fixed JSON body.

Served by the mock's own WSGI server (`--server mock`) or by waitress (`--server waitress`), it
measures what Flask and the server cost before the mock adds any behaviour.
"""

from __future__ import annotations

import argparse
import json

from flask import Flask, Response

FIXED_BODY = json.dumps(
    {
        "accountId": "acc-1",
        "accountName": "Acme Corp",
        "purpose": "benchmark",
        "id": "bench-1",
        "dateCreated": "2024-05-01T10:00:00Z",
        "dateLastModified": "2024-05-01T10:00:00Z",
        "createdBy": "u-1",
        "lastModifiedBy": "u-1",
    },
    separators=(",", ":"),
)


def create_bare_app() -> Flask:
    app = Flask("bare")

    @app.patch("/ai/sessions/<session_id>")
    def patch(session_id: str) -> Response:
        return Response(FIXED_BODY, content_type="application/json; charset=utf-8")

    return app


app = create_bare_app()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--server", choices=["mock", "waitress"], required=True)
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--threads", type=int, default=8, help="waitress's worker threads")
    args = parser.parse_args()
    if args.server == "waitress":
        import waitress

        waitress.serve(app, host="127.0.0.1", port=args.port, threads=args.threads, _quiet=True)
    else:
        from evokit.mockserver.core.config import MockConfig
        from evokit.mockserver.http.serve import serve_wsgi

        serve_wsgi(app, MockConfig(port=args.port))


if __name__ == "__main__":
    main()
