"""The `evokit` command. It only parses arguments, calls the library and maps results to exit codes.

Subcommands register themselves through the `evokit.commands` entry-point group, so this module
never imports the mock server: each entry point is a function that adds its parser to the
sub-parsers and sets `handler(args, out, err) -> int` as the parser's default.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from importlib.metadata import PackageNotFoundError, entry_points, version
from pathlib import Path
from typing import TextIO

from evokit.contract.build import BuildPaths
from evokit.contract.errors import ContractError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2
Handler = Callable[[argparse.Namespace, TextIO, TextIO], int]
REPO_FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
DISTRIBUTION = "evokit"


def kit_version() -> str:
    """The installed distribution's version, from its metadata (one source: pyproject.toml)."""
    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown (not installed)"


def register_contract_commands(subparsers: argparse._SubParsersAction) -> None:
    """Add `evokit contract build` and `evokit contract check`."""
    parser = subparsers.add_parser(
        "contract", help="generate and check the contract", description="Generate and check the contract.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="example: evokit contract check",
    )
    commands = parser.add_subparsers(dest="contract_command", required=True, metavar="COMMAND")
    for name, handler, help_text, example in (
        ("build", _build, "regenerate contract/generated/ from the DTO page and the metadata document",
         "evokit contract build --metadata http://127.0.0.1:5000/types/metadata"),
        ("check", _check, "check the committed contract, its examples and the fixtures",
         "evokit contract check --fixtures ./my-fixtures"),
    ):
        sub = commands.add_parser(
            name, help=help_text, description=help_text[0].upper() + help_text[1:] + ".",
            formatter_class=argparse.RawDescriptionHelpFormatter, epilog=f"example: {example}",
        )
        sub.add_argument("--page", type=Path, default=BuildPaths.page, help="the DTO page to read")
        sub.add_argument(
            "--metadata", default=str(BuildPaths.metadata), metavar="FILE|URL",
            help="the ServiceStack MetadataTypes document to read: a file, or a URL such as "
            "http://HOST/types/metadata (default: the AI-session family's)",
        )
        sub.add_argument("--timeout", type=float, default=BuildPaths.timeout, help="seconds to wait for a URL")
        sub.add_argument("--output", type=Path, default=BuildPaths.output, help="the generated files' folder")
        sub.set_defaults(handler=handler)
    commands.choices["check"].add_argument(
        "--fixtures", type=Path, default=None, metavar="DIR",
        help="fixture folder to hold to the mock's rules (default: the repository's fixtures/)",
    )


class _UsageError(Exception):
    """A command-line input that cannot work: one line, exit status 2."""


def _paths(args: argparse.Namespace) -> BuildPaths:
    from evokit.contract.build import is_url

    metadata = args.metadata if is_url(args.metadata) else Path(args.metadata)
    # Named inputs are proven before any work, so a typo is one line and not a half-done build.
    for option, path in (("--page", args.page), ("--metadata", metadata)):
        if isinstance(path, Path) and not path.is_file():
            what = "is a folder, not a file" if path.is_dir() else "no such file"
            raise _UsageError(f"{option} {path}: {what}")
    return BuildPaths(args.page, args.output, metadata, args.timeout)


# The handlers import their machinery when run: `evokit mock` starts through this module, and the
# OpenAPI validator alone would add a fifth of a second and 20 MiB to its start-up.
def _build(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from evokit.contract.build import build

    changed = build(_paths(args))
    for path in changed:
        print(f"wrote {path}", file=out)
    print(f"contract up to date ({len(changed)} file(s) changed)", file=out)
    return EXIT_OK


def _check(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from evokit.contract.check import check
    from evokit.contract.fixtures_check import FixtureFolderError

    # A folder named on the command line must be one; only the default may be absent (an
    # installed package has no fixtures/ beside it), and then the summary says it was not checked.
    fixtures = args.fixtures if args.fixtures is not None else REPO_FIXTURES if REPO_FIXTURES.is_dir() else None
    try:
        problems = check(_paths(args), fixtures)
    except FixtureFolderError as exc:
        raise _UsageError(f"--fixtures {exc}") from None
    for problem in problems:
        print(problem, file=err)
    if problems:
        print(f"contract check: {len(problems)} problem(s)", file=err)
        return EXIT_FAILED
    checked = f"fixtures in {fixtures} valid" if fixtures is not None else "no fixture folder checked (--fixtures DIR)"
    print(f"contract check: OpenAPI document valid, generated files current, examples valid, {checked}", file=out)
    return EXIT_OK


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The `evokit` parser with every installed subcommand, or only `command`'s when it is one.

    Loading one subcommand keeps `evokit mock` from importing the verifier (and Hypothesis and
    Schemathesis with it) just to start a server.
    """
    parser = argparse.ArgumentParser(
        prog="evokit", description="Contract, mock server and verifier for PatchAISession",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="example: evokit mock --port 5000   (evokit COMMAND --help for each command)",
    )
    parser.add_argument("-V", "--version", action="version", version=f"evokit {kit_version()}")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    entries = sorted(entry_points(group="evokit.commands"), key=lambda e: e.name)
    if any(entry.name == command for entry in entries):
        entries = [entry for entry in entries if entry.name == command]
    registered = False
    for entry in entries:
        try:
            register = entry.load()
        except ImportError as exc:  # one broken plugin must not take the other commands down
            print(f"evokit: command {entry.name!r} unavailable: {exc}", file=sys.stderr)
            continue
        register(subparsers)
        registered |= entry.name == "contract"
    if not registered and command in (None, "contract"):  # a source tree without the package's metadata
        register_contract_commands(subparsers)
    return parser


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Run `evokit` with `argv`; returns the exit status instead of exiting."""
    out = out or sys.stdout
    err = err or sys.stderr
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser(argv[0] if argv else None)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits on --help and on usage errors
        return int(exc.code or 0) and EXIT_USAGE
    try:
        return int(args.handler(args, out, err))
    except _UsageError as exc:
        print(f"evokit {' '.join(argv[:2])}: {exc}", file=err)
        return EXIT_USAGE
    except ContractError as exc:
        print(f"evokit: {exc}", file=err)
        return EXIT_FAILED
