"""evokit's mock server: ServiceStack's PatchAISession as the contract describes it, in one process.

`create_app(config)` builds the Flask app; `serve(config)` runs it on a production WSGI server.
The names below load on first use, so `evokit` can register the `mock` command without importing
Flask and the server for its other commands.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from evokit.mockserver.http.app import create_app
    from evokit.mockserver.core.config import MockConfig
    from evokit.mockserver.core.errors import ConfigError, FixtureError, HttpFailure, MockError
    from evokit.mockserver.http.serve import serve
    from evokit.mockserver.core.store import InMemoryStore, Store

_EXPORTS = {
    "Backend": "evokit.mockserver.core.backend",
    "RedisStore": "evokit.mockserver.shared.store",
    "ConfigError": "evokit.mockserver.core.errors",
    "FixtureError": "evokit.mockserver.core.errors",
    "HttpFailure": "evokit.mockserver.core.errors",
    "InMemoryStore": "evokit.mockserver.core.store",
    "MockConfig": "evokit.mockserver.core.config",
    "MockError": "evokit.mockserver.core.errors",
    "Store": "evokit.mockserver.core.store",
    "create_app": "evokit.mockserver.http.app",
    "serve": "evokit.mockserver.http.serve",
}

__all__ = ["Backend", "RedisStore", "ConfigError", "FixtureError", "HttpFailure", "InMemoryStore", "MockConfig", "MockError", "Store", "create_app", "serve"]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'evokit.mockserver' has no attribute {name!r}")
    return getattr(import_module(_EXPORTS[name]), name)
