"""`evokit mock`: parse the options (the command line, then `EVOKIT_*` variables, then a config
file: `evokit.mockserver.core.sources`), build a `MockConfig`, call `serve`. Nothing else.

Registered through the `evokit.commands` entry point `mock`. Exit codes: 0 after a clean stop,
2 for a configuration or fixture problem (one line on stderr, no traceback), 1 when the server
cannot listen (the address is taken, for instance) or its `--store` does not answer.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TextIO

from evokit.contract import envopts
from evokit.mockserver.core import sources
from evokit.mockserver.core.config import (
    DEFAULT_FIXTURES,
    DEFAULT_JOURNAL_SIZE,
    DEFAULT_MAX_BODY_BYTES,
    DEFAULT_THREADS,
)
from evokit.mockserver.core.errors import ConfigError, FixtureError, StoreUnreachable
from evokit.mockserver.shared.url import DEFAULT_PREFIX, MEMORY

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add `evokit mock` to the `evokit` parser."""
    parser = subparsers.add_parser(
        "mock", help="serve the PatchAISession mock server",
        description="Serve the AI-session operations of the Evo Voice API in memory, from fixture files. "
        "Every option can also be set as EVOKIT_<OPTION> (EVOKIT_PORT, EVOKIT_FIXTURES, ...) or in "
        "[tool.evokit.mock] of ./pyproject.toml or [mock] of ./evokit.toml; the command line wins, then "
        "the variable, then the file.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="example: evokit mock --port 5000 --cors-origin http://localhost:5173 --latency 100-400",
    )
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
        help=f"requests worked on at once (default: {DEFAULT_THREADS}); a delayed request waits without holding one",
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
    shared = parser.add_argument_group("shared state (many processes, restarts)")
    shared.add_argument(
        "--store", default=MEMORY, metavar="memory|redis://HOST:PORT/DB",
        help="where the state lives: this process's memory (default) or a Redis shared by every mock on it",
    )
    shared.add_argument(
        "--store-prefix", default=DEFAULT_PREFIX, metavar="PREFIX",
        help=f"the Redis key prefix, so several mocks can share one server (default: {DEFAULT_PREFIX})",
    )
    shared.add_argument(
        "--workers", type=int, default=1, metavar="N",
        help="server processes on one port (default: 1); more than 1 needs --store redis://...",
    )
    shared.add_argument(
        "--reset-on-start", action="store_true",
        help="load the fixtures even when the store already holds data (otherwise only into an empty one)",
    )
    daily = parser.add_argument_group("daily use")
    daily.add_argument("--quiet", action="store_true", help="no access log: only the banner and the stop line")
    daily.add_argument("--reload", action="store_true", help="re-read the fixture files when they change, without a restart")
    # Last: every option above may also come from a variable or the config file (`evokit.contract.envopts`).
    options = envopts.options_of(parser)
    parser.set_defaults(handler=run, env_options=options, env_defaults=envopts.defer_defaults(parser, options))


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Serve until interrupted."""
    # The server stack (Flask, Granian) loads only when the command runs, not when it registers.
    from evokit.mockserver.http.serve import serve

    try:
        sources.resolve(args, os.environ, Path.cwd())
        config = sources.config_from(args)
        serve(config, out=out)
    except (ConfigError, FixtureError, envopts.OptionSourceError) as exc:
        print(f"evokit mock: {exc}", file=err)
        return EXIT_USAGE
    except StoreUnreachable as exc:
        print(f"evokit mock: {exc}", file=err)
        return EXIT_FAILED
    except OSError as exc:
        print(f"evokit mock: cannot listen on {args.host}:{args.port}: {exc.strerror or exc}", file=err)
        return EXIT_FAILED
    except KeyboardInterrupt:
        pass
    return EXIT_OK
