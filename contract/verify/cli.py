"""`evokit verify`: parse the options, build a `VerifyConfig`, run `verify`, map the result to an
exit status: 0 no rule broken, 1 a rule broken, 2 usage error or a server that cannot be verified,
130 interrupted (Ctrl-C).

Every option can also come from an `EVOKIT_*` environment variable named after it
(`--admin-auth` from `EVOKIT_ADMIN_AUTH`), so a CI job keeps its secrets out of the command line,
or from the `[verify]` table of a config file (`evokit.contract.envopts`); the command line wins over the
variable, the variable over the file.
"""

from __future__ import annotations

import argparse
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TextIO

from evokit.contract import envopts
from evokit.contract.verify.config import (
    DEFAULT_MAX_EXAMPLES,
    DEFAULT_MAX_RESPONSE_BYTES,
    DEFAULT_TIMEOUT,
    DEFAULT_WAIT,
    SUITES,
    VerifyConfig,
)
from evokit.contract.verify.errors import UsageError, VerifyError
from evokit.contract.verify.report.events import Handler
from evokit.contract.verify.report.result import EXIT_INTERRUPTED, EXIT_USAGE

# Options of the reference, not of a run: they are not read from the environment.
NOT_FROM_ENV = frozenset({"list_rules", "explain", "format", "help"})


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the `verify` command to the `evokit` sub-parsers."""
    parser = subparsers.add_parser(
        "verify",
        help="check a server against the AI-session contract",
        description="Check a live server (or the kit's mock) against every client-observable rule of the "
        "contract. Without --admin-auth/--user-auth/--session-id, they are read from the kit's mock. "
        "Every option can also be set as EVOKIT_<OPTION> (EVOKIT_BASE_URL, EVOKIT_ADMIN_AUTH, ...) or in "
        "[tool.evokit.verify] of ./pyproject.toml or [verify] of ./evokit.toml; the command line wins.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="example: evokit verify --base-url http://127.0.0.1:5000 --seed 7 --junit-xml report.xml",
    )
    add = parser.add_argument
    add("--base-url", help="the server's base URL, e.g. http://127.0.0.1:5000")
    add("--admin-auth", metavar="HEADER_VALUE", help="Authorization value (or user:password) of a SystemAdministrator")
    add("--user-auth", metavar="HEADER_VALUE", help="Authorization value (or user:password) of a user without the role")
    add("--superuser-auth", metavar="HEADER_VALUE",
        help="Authorization value (or user:password) of a user holding Admin (optional; enables the superuser rule)")
    add("--mock-token", metavar="TOKEN",
        help="control token of a kit mock started with --control-token (read for the defaults)")
    add("--session-id", action="append", metavar="ID", dest="session_ids",
        help="an existing session the run may modify (repeat; purposes are restored; "
        "EVOKIT_SESSION_ID takes a comma-separated list)")
    add("--seed", type=int, help="seed for every random choice (default: random, printed)")
    add("--max-examples", type=int, help=f"examples per property or state-machine run (default {DEFAULT_MAX_EXAMPLES})")
    add("--timeout", type=float, help=f"seconds per request (default {DEFAULT_TIMEOUT:g})")
    add("--wait", type=float, metavar="SECONDS",
        help=f"retry the first connection for this long, for a server still starting (default {DEFAULT_WAIT:g})")
    add("--max-response-bytes", type=int, metavar="N",
        help=f"read at most this much of one answer; a larger one is a finding (default {DEFAULT_MAX_RESPONSE_BYTES})")
    add("--suite", action="append", choices=SUITES, dest="suites", help="run only this suite (repeat; default: all)")
    add("--operation", action="append", metavar="NAME", dest="operations",
        help="check only this operation, e.g. PatchAISession (repeat; default: every operation of the contract)")
    add("--read-only", action="store_true",
        help="send only requests that change nothing: the reads of the family (for servers where writes are not allowed)")
    add("--max-failures", type=int, metavar="N", help="stop after N broken rules (the rest are reported not run)")
    add("-x", "--exitfirst", action="store_true", help="stop at the first broken rule (--max-failures 1)")
    add("--no-shrink", action="store_true", help="report failing examples without minimising them")
    add("--quiet", action="store_true", help="one updating progress line instead of one per suite")
    add("--junit-xml", type=Path, metavar="PATH", help="write a JUnit XML report")
    add("--json-report", type=Path, metavar="PATH", help="write a JSON report")
    add("--markdown-report", type=Path, metavar="PATH", help="write a Markdown report (a readable CI artifact)")
    reference = parser.add_argument_group("the rules reference (no server needed)")
    reference.add_argument("--list-rules", action="store_true", help="list every rule: id, section, severity, summary")
    reference.add_argument("--format", choices=("text", "markdown"), default="text",
                           help="--list-rules as text (default) or as the Markdown of docs/rules.md")
    reference.add_argument("--explain", metavar="RULE", help="what a rule means, what checks it, and examples")
    options = envopts.options_of(parser, exclude=NOT_FROM_ENV)
    parser.set_defaults(handler=run, env_options=options, env_defaults=envopts.defer_defaults(parser, options))


def from_environment(args: argparse.Namespace, environ: Mapping[str, str], *, folder: Path | None = None) -> None:
    """Fill every option the command line left unset from its `EVOKIT_*` variable, else from the
    `[verify]` table of a config file in `folder` (`evokit.contract.envopts`)."""
    table = envopts.config_table("verify", folder) if folder is not None else None
    envopts.fill(args, args.env_options, environ=environ, table=table, defaults=args.env_defaults)


def _reference(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from evokit.contract.verify.rules import book as rulebook
    from evokit.contract.verify.checks.registry import load_checks
    from evokit.contract.verify.rules.table import RULES

    registry = load_checks()
    if args.explain is not None:
        rule = RULES.get(args.explain)
        if rule is None:
            print(f"evokit verify: unknown rule {args.explain!r}; `evokit verify --list-rules` lists them", file=err)
            return EXIT_USAGE
        out.write(rulebook.explain(rule, registry))
    else:
        out.write(rulebook.markdown(registry) if args.format == "markdown" else rulebook.list_text(registry))
    return 0


def config_from(args: argparse.Namespace) -> VerifyConfig:
    """The run's `VerifyConfig` from parsed (and environment-filled) options."""
    if not args.base_url:
        raise UsageError("--base-url (or EVOKIT_BASE_URL) is required, unless --list-rules or --explain RULE")
    max_failures = 1 if args.exitfirst else args.max_failures
    return VerifyConfig(
        base_url=args.base_url,
        admin_auth=args.admin_auth,
        user_auth=args.user_auth,
        superuser_auth=args.superuser_auth,
        mock_token=args.mock_token,
        session_ids=tuple(args.session_ids or ()),
        seed=args.seed if args.seed is not None else secrets.randbelow(2**32),
        max_examples=_or(args.max_examples, DEFAULT_MAX_EXAMPLES),
        timeout=_or(args.timeout, DEFAULT_TIMEOUT),
        wait=_or(args.wait, DEFAULT_WAIT),
        max_response_bytes=_or(args.max_response_bytes, DEFAULT_MAX_RESPONSE_BYTES),
        suites=tuple(args.suites) if args.suites else SUITES,
        operations=tuple(args.operations or ()),
        read_only=args.read_only,
        junit_xml=args.junit_xml,
        json_report=args.json_report,
        markdown_report=args.markdown_report,
        max_failures=max_failures,
        shrink=not args.no_shrink,
    )


def _or(value: Any, default: Any) -> Any:
    return default if value is None else value


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Handle `evokit verify`."""
    from evokit.contract.verify.report.progress import TextReporter
    from evokit.contract.verify.report.reporters import JsonReporter, JUnitReporter
    from evokit.contract.verify.run.runner import verify

    if args.list_rules or args.explain is not None:
        return _reference(args, out, err)
    try:
        from_environment(args, os.environ, folder=Path.cwd())
        config = config_from(args)
    except (VerifyError, envopts.OptionSourceError) as exc:
        print(f"evokit verify: {exc}", file=err)
        return EXIT_USAGE
    handlers: list[Handler] = [TextReporter(out, quiet=args.quiet)]
    if config.junit_xml is not None:
        handlers.append(JUnitReporter(config.junit_xml))
    if config.json_report is not None:
        handlers.append(JsonReporter(config.json_report))
    if config.markdown_report is not None:
        from evokit.contract.verify.report.markdown import MarkdownReporter

        handlers.append(MarkdownReporter(config.markdown_report))
    try:
        result = verify(config, handlers=handlers)
    except VerifyError as exc:
        print(f"evokit verify: {exc}", file=err)
        return EXIT_USAGE
    except KeyboardInterrupt:  # before the suites began: nothing was changed yet
        print("evokit verify: interrupted during set-up, before any purpose was changed", file=err)
        return EXIT_INTERRUPTED
    return result.exit_code
