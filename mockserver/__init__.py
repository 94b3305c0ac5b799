"""evokit's mock server: ServiceStack's PatchAISession as the contract describes it, in one process.

`create_app(config)` builds the Flask app; `serve(config)` runs it on a production WSGI server.
The names below load on first use, so `evokit` can register the `mock` command without importing
Flask and the server for its other commands.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mockserver.http.app import create_app
    from mockserver.core.config import MockConfig
    from mockserver.core.errors import ConfigError, FixtureError, HttpFailure, MockError
    from mockserver.http.serve import serve
    from mockserver.core.store import InMemoryStore, Store

_EXPORTS = {
    "Backend": "mockserver.core.backend",
    "RedisStore": "mockserver.shared.store",
    "ConfigError": "mockserver.core.errors",
    "FixtureError": "mockserver.core.errors",
    "HttpFailure": "mockserver.core.errors",
    "InMemoryStore": "mockserver.core.store",
    "MockConfig": "mockserver.core.config",
    "MockError": "mockserver.core.errors",
    "Store": "mockserver.core.store",
    "create_app": "mockserver.http.app",
    "serve": "mockserver.http.serve",
}

__all__ = ["Backend", "RedisStore", "ConfigError", "FixtureError", "HttpFailure", "InMemoryStore", "MockConfig", "MockError", "Store", "create_app", "serve"]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'mockserver' has no attribute {name!r}")
    return getattr(import_module(_EXPORTS[name]), name)
