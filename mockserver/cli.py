"""`evokit mock`: parse the options, build a `MockConfig`, call `serve`. Nothing else.

Registered through the `evokit.commands` entry point `mock`. Exit codes: 0 after a clean stop,
2 for a configuration or fixture problem (one line on stderr, no traceback), 1 when the server
cannot listen (the address is taken, for instance).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from mockserver.core.config import (
    DEFAULT_FIXTURES,
    DEFAULT_JOURNAL_SIZE,
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_THREADS,
    MockConfig,
    parse_latency,
)
from mockserver.core.errors import ConfigError, FixtureError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add `evokit mock` to the `evokit` parser."""
    parser = subparsers.add_parser("mock", help="serve the PatchAISession mock server")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: 127.0.0.1)")
    parser.add_argument("--port", type=int, default=5000, help="port to listen on (default: 5000)")
    parser.add_argument(
        "--fixtures", type=Path, default=DEFAULT_FIXTURES,
        help="folder with users.json and AISessionInfo.json (default: the repository's fixtures/)",
    )
    parser.add_argument(
        "--max-body-bytes", type=int, default=DEFAULT_MAX_BODY_BYTES,
        help=f"largest request body accepted; larger ones get 413 (default: {DEFAULT_MAX_BODY_BYTES})",
    )
    parser.add_argument(
        "--threads", type=int, default=DEFAULT_THREADS,
        help=f"Python threads serving requests (default: {DEFAULT_THREADS}); a delayed request holds one",
    )
    frontend = parser.add_argument_group("frontend development")
    frontend.add_argument(
        "--cors-origin", action="append", default=[], metavar="ORIGIN",
        help="allow only this origin (repeatable), echoed with credentials allowed, instead of '*'",
    )
    frontend.add_argument("--no-cors", dest="cors", action="store_false", help="send no CORS headers; OPTIONS is routed")
    frontend.add_argument("--no-control", dest="control", action="store_false", help="no control plane under /__mock/")
    frontend.add_argument(
        "--control-token", metavar="TOKEN", help="require 'X-Mock-Token: TOKEN' on every control call (401 otherwise)",
    )
    frontend.add_argument(
        "--journal-size", type=int, default=DEFAULT_JOURNAL_SIZE, metavar="N",
        help=f"recent requests kept for GET /__mock/requests; 0 keeps none (default: {DEFAULT_JOURNAL_SIZE})",
    )
    frontend.add_argument(
        "--latency", metavar="MS|MIN-MAX",
        help="delay every request but OPTIONS and control calls, fixed or drawn from a range (milliseconds)",
    )
    daily = parser.add_argument_group("daily use")
    daily.add_argument("--quiet", action="store_true", help="no access log: only the banner and the stop line")
    daily.add_argument("--reload", action="store_true", help="re-read the fixture files when they change, without a restart")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Serve until interrupted."""
    # The server stack (Flask, Granian) loads only when the command runs, not when it registers.
    from mockserver.http.serve import serve

    try:
        config = MockConfig(
            host=args.host,
            port=args.port,
            fixtures=args.fixtures,
            max_body_bytes=args.max_body_bytes,
            threads=args.threads,
            cors=args.cors,
            cors_origins=tuple(args.cors_origin),
            control=args.control,
            control_token=args.control_token,
            journal_size=args.journal_size,
            latency_ms=parse_latency(args.latency) if args.latency is not None else None,
            quiet=args.quiet,
            reload=args.reload,
        )
        serve(config, out=out)
    except (ConfigError, FixtureError) as exc:
        print(f"evokit mock: {exc}", file=err)
        return EXIT_USAGE
    except OSError as exc:
        print(f"evokit mock: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=err)
        return EXIT_FAILED
    except KeyboardInterrupt:
        pass
    return EXIT_OK
