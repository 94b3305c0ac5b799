"""The start-up line that says where a shared state lives and what this start did with it."""

from __future__ import annotations

from typing import Any


def store_line(mock: Any, workers: int) -> str:
    """`state: ...` for the banner: the store, the number of workers, and whether the fixtures
    were loaded or the sessions already there were kept (`--reset-on-start` forces a load)."""
    processes = f"{workers} worker processes" if workers > 1 else "1 process"
    if mock.fixtures_loaded:
        done = f"fixtures loaded ({len(mock.fixtures.sessions)} sessions)"
    else:
        done = f"kept the {len(mock.store)} sessions already there (--reset-on-start loads the fixtures)"
    return f"state: {mock.backend.description}, {processes}; {done}"
