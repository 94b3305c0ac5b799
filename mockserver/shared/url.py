"""What `--store` and `--store-prefix` accept, checked without loading the Redis client.

`memory` (the default) keeps the state in the process; `redis://HOST[:PORT][/DB]` (or `rediss://`
for TLS, `redis://:PASSWORD@HOST` or `redis://USER:PASSWORD@HOST` with credentials) puts it on a
Redis or Valkey server, the URL form redis-py and every Redis client read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

MEMORY = "memory"
DEFAULT_PREFIX = "evokit:"
DEFAULT_REDIS_PORT = 6379
SCHEMES = ("redis", "rediss")
# A key prefix is printable ASCII without spaces: it appears in `redis-cli` commands people type.
_PREFIX = re.compile(r"[\x21-\x7e]{1,64}")


@dataclass(frozen=True)
class StoreUrl:
    """A parsed `redis://` URL; `display` is the URL without its password, for banners and errors."""

    url: str
    host: str
    port: int
    db: int
    display: str


def parse_store_url(text: str) -> StoreUrl:
    """The Redis URL `text`; raises `ValueError` with one line saying what is wrong."""
    try:
        parts = urlsplit(text)
        port = parts.port or DEFAULT_REDIS_PORT
    except ValueError:
        raise ValueError(f"store must be 'memory' or redis://HOST:PORT/DB, got {text!r} (bad port)") from None
    if parts.scheme not in SCHEMES or not parts.hostname:
        raise ValueError(f"store must be 'memory' or redis://HOST:PORT/DB, got {text!r}")
    database = parts.path.strip("/") or "0"
    if not database.isdigit() or parts.query or parts.fragment:
        raise ValueError(f"the database of a store URL is a number (redis://HOST:PORT/0), got {text!r}")
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    user = f"{parts.username}@" if parts.username else ""
    return StoreUrl(text, parts.hostname, port, int(database), f"{parts.scheme}://{user}{host}:{port}/{int(database)}")


def store_problems(store: object, prefix: object) -> list[str]:
    """What is wrong with a `store` and `prefix` pair; empty when they are usable."""
    problems = []
    if not isinstance(store, str):
        problems.append(f"store must be 'memory' or redis://HOST:PORT/DB, got {store!r}")
    elif store != MEMORY:
        try:
            parse_store_url(store)
        except ValueError as exc:
            problems.append(str(exc))
    if not isinstance(prefix, str) or _PREFIX.fullmatch(prefix) is None:
        problems.append(f"store prefix must be 1 to 64 visible ASCII characters without spaces, got {prefix!r}")
    return problems
