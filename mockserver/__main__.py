"""`python -m evokit.mockserver [options]`: the `evokit mock` command without loading the other commands.

Starts faster and lighter than `evokit mock`, whose parser imports every installed subcommand.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from evokit.mockserver.cli import register


def main(argv: Sequence[str] | None = None) -> int:
    """Parse the `mock` options from `argv` and serve; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m evokit.mockserver", add_help=False)
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["mock", *(sys.argv[1:] if argv is None else argv)])
    return int(args.handler(args, sys.stdout, sys.stderr))


if __name__ == "__main__":
    sys.exit(main())
