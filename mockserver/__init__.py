"""evokit's mock server: ServiceStack's PatchAISession as the contract describes it, in one process.

`create_app(config)` builds the Flask app; `serve(config)` runs it on a production WSGI server.
The names below load on first use, so `evokit` can register the `mock` command without importing
Flask and the server for its other commands.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mockserver.app import create_app
    from mockserver.config import MockConfig
    from mockserver.errors import ConfigError, FixtureError, HttpFailure, MockError
    from mockserver.serve import serve
    from mockserver.store import InMemoryStore, Store

_EXPORTS = {
    "ConfigError": "mockserver.errors",
    "FixtureError": "mockserver.errors",
    "HttpFailure": "mockserver.errors",
    "InMemoryStore": "mockserver.store",
    "MockConfig": "mockserver.config",
    "MockError": "mockserver.errors",
    "Store": "mockserver.store",
    "create_app": "mockserver.app",
    "serve": "mockserver.serve",
}

__all__ = ["ConfigError", "FixtureError", "HttpFailure", "InMemoryStore", "MockConfig", "MockError", "Store", "create_app", "serve"]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'mockserver' has no attribute {name!r}")
    return getattr(import_module(_EXPORTS[name]), name)
