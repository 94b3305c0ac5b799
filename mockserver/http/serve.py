"""`serve(config)`: run the mock on Granian, a Rust HTTP server with a WSGI interface.

Granian's public `Server` on a GIL build of Python is its multi-process server: a supervisor that
forks worker processes. The mock's state is in memory, so it must live in exactly one process, and
a supervisor beside it would double the resident memory for nothing. Granian's threaded server
(`MTServer`, meant for free-threaded builds) runs its worker in the calling process instead: the
Rust runtime does the network I/O on its own threads and hands requests to a pool of Python
threads. It works as well under the GIL, where Granian only refuses it by a check; `_OneProcess`
skips that check. Should a Granian release move that check, `serve` falls back to the
multi-process server with a single worker, which is still correct, only heavier.

`--workers N` needs a shared store (`--store redis://...`, checked by the config), and then is
Granian's multi-process server with N workers forked from the process that built the app.
"""

from __future__ import annotations

import gc
import logging
import os
import socket
import sys
from collections.abc import Callable
from typing import Any, TextIO

from flask import Flask
from granian.constants import HTTPModes, Interfaces
from granian.log import LogLevels
from granian.server import MPServer
from granian.server.mt import MTServer

from evokit.mockserver.http.accesslog import AccessLog, wants_colour
from evokit.mockserver.http.app import create_app
from evokit.mockserver.core.backend import store_line
from evokit.mockserver.http.banner import banner
from evokit.mockserver.http.slots import pool_size
from evokit.mockserver.core.config import MockConfig
from evokit.mockserver.core.reload import FixtureWatcher
from evokit.mockserver.http.web import state


def _server_class() -> type[Any]:
    """The one-process server, or Granian's multi-process one if the check it skips has moved."""
    if not hasattr(MTServer, "_check_gil"):
        return MPServer

    class _OneProcess(MTServer):
        """Granian's threaded server, allowed on a GIL build (see the module docstring)."""

        def _check_gil(self) -> None:
            return None

        def serve(self, *args: Any, **kwargs: Any) -> None:
            # Skip MTServer.serve, which only warns that free-threading is experimental.
            super(MTServer, self).serve(*args, **kwargs)

    return _OneProcess


def describe(config: MockConfig, app: Flask) -> str:
    """What the server prints on start: where it listens, the fixture users to log in with, a few
    session ids, the options that are not the default, and a first call to try."""
    mock = state_of(app)
    text = banner(
        config, operations=len(mock.entries), sessions=mock.fixtures.sessions, users=mock.users.users,
        fixtures=str(mock.fixtures.directory),
    )
    if not (mock.backend.shared or config.workers > 1):
        return text
    headline, _, rest = text.partition("\n")
    return "\n".join((headline, store_line(mock, config.workers), rest))


def state_of(app: Flask) -> Any:
    """The `MockState` of `app`, outside a request."""
    with app.app_context():
        return state()


def ensure_free(host: str, port: int) -> None:
    """Raise `OSError` (EADDRINUSE) if something already listens on `host:port`.

    Granian binds with SO_REUSEPORT, so a second mock on a taken port would start and share the
    port with the first, each with its own state. A probe bound with SO_REUSEADDR only still fails
    while another socket listens there, yet ignores connections lingering in TIME_WAIT.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))


class _PoolSizeNotice(logging.Filter):
    """Drops Granian's notice that the thread pool is large for the cores: the pool is large on
    purpose (sleeping requests wait in it, see `slots`); `ServingSlots` bounds the work."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not record.getMessage().startswith("Configuration allows spawning up to")


logging.getLogger("_granian").addFilter(_PoolSizeNotice())


def build_server(config: MockConfig, *, threads: int | None = None) -> Any:
    """A Granian server for `config`, not yet serving, with `threads` Python threads (default:
    `config.threads`)."""
    options: dict[str, Any] = {
        "address": config.host,
        "port": config.port,
        "interface": Interfaces.WSGI,
        "workers": config.workers,
        "blocking_threads": threads or config.threads,
        "http": HTTPModes.http1,
        "log_level": LogLevels.warning,
    }
    if config.backlog:
        options["backpressure"] = config.backlog
    # N workers: Granian's supervisor forks N processes that share the socket (and the app built
    # before the fork); their state agrees only through a shared store, which the config demands.
    server_class = MPServer if config.workers > 1 else _server_class()
    return server_class("evokit.mockserver:create_app", **options)


def serve_wsgi(app: Callable[..., Any], config: MockConfig, *, on_listening: Callable[[], None] | None = None,
               threads: int | None = None) -> None:
    """Serve any WSGI app on the mock's server, configured by `config`, until SIGINT or SIGTERM.

    The benchmark serves its bare Flask ceiling through this, so both run on the same server.
    """
    ensure_free(config.host, config.port)
    # Everything loaded so far lives as long as the process: keep it out of the collector's scans,
    # which otherwise walk the whole import graph on every full collection.
    gc.collect()
    gc.freeze()
    server = build_server(config, threads=threads)
    if on_listening is not None:
        server.on_startup(on_listening)
    server.serve(target_loader=lambda *args, **kwargs: app, wrap_loader=False)


def serve(
    config: MockConfig,
    *,
    out: TextIO | None = None,
    app: Flask | None = None,
    on_listening: Callable[[], None] | None = None,
) -> None:
    """Serve the mock until SIGINT or SIGTERM. Must run on the main thread (signal handlers).

    The app is built (fixtures loaded and checked) before anything listens, so a bad fixture stops
    start-up with `FixtureError`; the banner is printed once the socket is bound, then one access-log
    line per request (unless `config.quiet`, or an `app` built elsewhere), and a last line on stop.
    """
    out = out or sys.stdout
    access_log = None
    if app is None:
        access_log = None if config.quiet else AccessLog(out, colour=wants_colour(out, os.environ))
        app = create_app(config, access_log=access_log)
    text = describe(config, app)
    watcher = FixtureWatcher(state_of(app), report=lambda line: print(line, file=out, flush=True)) if config.reload else None
    started = False

    def listening() -> None:
        nonlocal started
        started = True
        print(text, file=out, flush=True)
        for helper in (access_log, watcher):
            if helper is not None:
                helper.start()
        if on_listening is not None:
            on_listening()

    try:
        # The working threads are counted by the app's `ServingSlots`; the rest of the pool holds
        # the requests that sleep (`--latency`, faults), so delays do not stack.
        serve_wsgi(app, config, on_listening=listening, threads=pool_size(config.threads))
    finally:
        if watcher is not None:
            watcher.stop()
        if access_log is not None:
            access_log.close()
        if started:
            # With worker processes each writes its own lines; this process counts none of them.
            served = f" after {access_log.count} request(s)" if access_log is not None and config.workers == 1 else ""
            print(f"evokit mock: stopped{served}", file=out, flush=True)
