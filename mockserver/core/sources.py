"""Where `evokit mock`'s options come from: the command line, `EVOKIT_*` variables, a config file.

The mechanism is the kit's one (`evokit.contract.envopts`, shared with `evokit verify`): `--port` is also
`EVOKIT_PORT` and the key `port` of `[mock]` in `evokit.toml` or of `[tool.evokit.mock]` in
`pyproject.toml`; the command line wins over the variable, the variable over the file. This module
adds what only the mock knows: how to check one value on its own, so that a bad one is reported
with the source it came from, and how parsed options become a `MockConfig`.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from evokit.contract import envopts
from evokit.mockserver.core.config import MockConfig, parse_latency
from evokit.mockserver.core.errors import ConfigError

COMMAND = "mock"
# Options checked by building a `MockConfig` with that one field (dest -> field).
_FIELDS = {
    "host": "host", "port": "port", "max_body_bytes": "max_body_bytes", "threads": "threads",
    "journal_size": "journal_size", "control_token": "control_token",
}


def check_value(dest: str, value: Any) -> None:
    """Raise `ValueError` (a `ConfigError`) when one option's value cannot work on its own."""
    if dest == "latency":
        parse_latency(value)
    elif dest == "cors_origin":
        MockConfig(cors_origins=tuple(value))
    elif dest == "fixtures" and not Path(value).is_dir():
        raise ConfigError([f"fixture folder {value} not found"])
    elif dest in _FIELDS:
        MockConfig(**{_FIELDS[dest]: value})


def resolve(args: argparse.Namespace, environ: Mapping[str, str], folder: Path) -> dict[str, str]:
    """Fill the options the command line left unset; returns dest -> source of each filled one.

    Raises `envopts.OptionSourceError` (one line naming the source) for a value that cannot work.
    """
    table = envopts.config_table(COMMAND, folder)
    return envopts.fill(args, args.env_options, environ=environ, table=table, defaults=args.env_defaults,
                        check=check_value)


def config_from(args: argparse.Namespace) -> MockConfig:
    """The `MockConfig` of resolved options; raises `ConfigError` for a combination that cannot work."""
    return MockConfig(
        host=args.host,
        port=args.port,
        fixtures=args.fixtures,
        max_body_bytes=args.max_body_bytes,
        threads=args.threads,
        cors=args.cors,
        cors_origins=tuple(args.cors_origin or ()),
        control=args.control,
        control_token=args.control_token,
        journal_size=args.journal_size,
        latency_ms=parse_latency(args.latency) if args.latency is not None else None,
        quiet=args.quiet,
        reload=args.reload,
        store=args.store,
        store_prefix=args.store_prefix,
        workers=args.workers,
        reset_on_start=args.reset_on_start,
    )
