"""The mock with N sessions in its store: how PATCH latency and memory scale with the data.

`python -m tests.benchmarks.big_store --sessions 1000000 --port P` builds the mock from its default
fixtures, adds N synthetic sessions through the store seam (loading them as a fixture file would
measure JSON parsing, not the store), and serves it on the mock's own server.
"""

from __future__ import annotations

import argparse

from evokit.mockserver import create_app
from evokit.mockserver.core.config import MockConfig
from evokit.mockserver.http.serve import serve, state_of

SESSION_PREFIX = "bench-"


def synthetic_session(index: int) -> dict[str, str]:
    """A realistic session with distinct strings, so memory per session is not flattered by sharing."""
    return {
        "accountId": f"acc-{index % 1000:04d}",
        "accountName": f"Account {index % 1000}",
        "purpose": f"Answer calls for line {index} and book appointments",
        "id": f"{SESSION_PREFIX}{index}",
        "dateCreated": "2024-05-01T10:00:00.0000000Z",
        "dateLastModified": "2024-05-01T10:00:00.0000000Z",
        "createdBy": "u-1",
        "lastModifiedBy": "u-1",
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sessions", type=int, required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    config = MockConfig(port=args.port)
    app = create_app(config)
    mock = state_of(app)
    for index in range(args.sessions):
        record = mock.rules.record(synthetic_session(index))
        mock.store.put(record["id"], record)
    serve(config, app=app)


if __name__ == "__main__":
    main()
