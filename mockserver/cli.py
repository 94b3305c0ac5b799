"""`evokit mock`: parse the options, build a `MockConfig`, call `serve`. Nothing else.

Registered through the `evokit.commands` entry point `mock`. Exit codes: 0 after a clean stop,
2 for a configuration or fixture problem (one line on stderr, no traceback), 1 when the server
cannot listen (the address is taken, for instance).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from mockserver.config import (
    DEFAULT_FIXTURES,
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_THREADS,
    MockConfig,
)
from mockserver.errors import ConfigError, FixtureError

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
        help=f"Python threads serving requests (default: {DEFAULT_THREADS})",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Serve until interrupted."""
    # The server stack (Flask, Granian) loads only when the command runs, not when it registers.
    from mockserver.serve import serve

    try:
        config = MockConfig(
            host=args.host,
            port=args.port,
            fixtures=args.fixtures,
            max_body_bytes=args.max_body_bytes,
            threads=args.threads,
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
