"""`evokit verify`: parse the options, build a `VerifyConfig`, run `verify`, map the result to an
exit status (0 no rule broken, 1 a rule broken, 2 usage error or a server that cannot be verified)."""

from __future__ import annotations

import argparse
import secrets
from pathlib import Path
from typing import TextIO

from contract.verify.config import (
    DEFAULT_MAX_EXAMPLES,
    DEFAULT_TIMEOUT,
    SUITES,
    VerifyConfig,
)
from contract.verify.errors import VerifyError
from contract.verify.events import Handler
from contract.verify.result import EXIT_USAGE


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add the `verify` command to the `evokit` sub-parsers."""
    parser = subparsers.add_parser(
        "verify",
        help="check a server against the PatchAISession contract",
        description="Check a live server (or the kit's mock) against every client-observable rule of the "
        "contract. Without --admin-auth/--user-auth/--session-id, they are read from the kit's mock.",
    )
    parser.add_argument("--base-url", help="the server's base URL, e.g. http://127.0.0.1:5000")
    parser.add_argument("--admin-auth", metavar="HEADER_VALUE", help="Authorization value (or user:password) of a SystemAdministrator")
    parser.add_argument("--user-auth", metavar="HEADER_VALUE", help="Authorization value (or user:password) of a user without the role")
    parser.add_argument("--superuser-auth", metavar="HEADER_VALUE",
                        help="Authorization value (or user:password) of a user holding Admin "
                        "(optional; enables the superuser rule)")
    parser.add_argument("--mock-token", metavar="TOKEN",
                        help="control token of a kit mock started with --control-token (read for the defaults)")
    parser.add_argument("--session-id", action="append", default=[], metavar="ID", dest="session_ids",
                        help="an existing session the run may modify (repeat; purposes are restored)")
    parser.add_argument("--seed", type=int, help="seed for every random choice (default: random, printed)")
    parser.add_argument("--max-examples", type=int, default=DEFAULT_MAX_EXAMPLES,
                        help=f"examples per property or state-machine run (default {DEFAULT_MAX_EXAMPLES})")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds per request")
    parser.add_argument("--suite", action="append", choices=SUITES, dest="suites",
                        help="run only this suite (repeat; default: all)")
    parser.add_argument("--no-shrink", action="store_true", help="report failing examples without minimising them")
    parser.add_argument("--quiet", action="store_true", help="no progress lines, only the summary")
    parser.add_argument("--junit-xml", type=Path, metavar="PATH", help="write a JUnit XML report")
    parser.add_argument("--json-report", type=Path, metavar="PATH", help="write a JSON report")
    reference = parser.add_argument_group("the rules reference (no server needed)")
    reference.add_argument("--list-rules", action="store_true", help="list every rule: id, section, severity, summary")
    reference.add_argument("--format", choices=("text", "markdown"), default="text",
                           help="--list-rules as text (default) or as the Markdown of docs/rules.md")
    reference.add_argument("--explain", metavar="RULE", help="what a rule means, what checks it, and examples")
    parser.set_defaults(handler=run)


def _reference(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from contract.verify import rulebook
    from contract.verify.registry import load_checks
    from contract.verify.rules import RULES

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


def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    """Handle `evokit verify`."""
    from contract.verify.reporters import JsonReporter, JUnitReporter, TextReporter
    from contract.verify.runner import verify

    if args.list_rules or args.explain is not None:
        return _reference(args, out, err)
    if not args.base_url:
        print("evokit verify: --base-url is required (or --list-rules, --explain RULE)", file=err)
        return EXIT_USAGE
    try:
        config = VerifyConfig(
            base_url=args.base_url,
            admin_auth=args.admin_auth,
            user_auth=args.user_auth,
            superuser_auth=args.superuser_auth,
            mock_token=args.mock_token,
            session_ids=tuple(args.session_ids),
            seed=args.seed if args.seed is not None else secrets.randbelow(2**32),
            max_examples=args.max_examples,
            timeout=args.timeout,
            suites=tuple(args.suites) if args.suites else SUITES,
            junit_xml=args.junit_xml,
            json_report=args.json_report,
            shrink=not args.no_shrink,
        )
    except VerifyError as exc:
        print(f"evokit verify: {exc}", file=err)
        return EXIT_USAGE
    handlers: list[Handler] = [TextReporter(out, progress=not args.quiet)]
    if config.junit_xml is not None:
        handlers.append(JUnitReporter(config.junit_xml))
    if config.json_report is not None:
        handlers.append(JsonReporter(config.json_report))
    try:
        result = verify(config, handlers=handlers)
    except VerifyError as exc:
        print(f"evokit verify: {exc}", file=err)
        return EXIT_USAGE
    return result.exit_code
