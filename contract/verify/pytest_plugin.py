"""pytest plugin: `pytest --evokit-base-url URL` verifies a server as test items, one per suite.

Without `--evokit-base-url` the plugin adds no item, no marker use and no warning, so it is safe to
load in every test run. Each item runs its suite (with every response check) through `verify` and
fails when a rule is broken; warnings (assumed defaults) are attached to the report instead, since
raising Python warnings would fail runs configured with `filterwarnings = error`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from evokit.contract.verify.config import DEFAULT_MAX_EXAMPLES, DEFAULT_TIMEOUT, SUITES, VerifyConfig

MARKER = "evokit"
# The one-line failure of a server that could not be reached, kept for the items after the first.
UNREACHABLE = pytest.StashKey[str]()


def pytest_addoption(parser: pytest.Parser) -> None:
    """The `--evokit-*` options."""
    group = parser.getgroup("evokit", "evokit: verify a server against the PatchAISession contract")
    group.addoption("--evokit-base-url", help="verify the server at this URL (adds one test item per suite)")
    group.addoption("--evokit-admin-auth", metavar="HEADER_VALUE", help="Authorization value of a SystemAdministrator")
    group.addoption("--evokit-user-auth", metavar="HEADER_VALUE", help="Authorization value of a user without it")
    group.addoption("--evokit-superuser-auth", metavar="HEADER_VALUE", help="Authorization value of an Admin user")
    group.addoption("--evokit-session-id", action="append", default=[], metavar="ID",
                    help="a session the run may modify (repeatable)")
    group.addoption("--evokit-seed", type=int, default=0, help="seed of the run (default 0)")
    group.addoption("--evokit-max-examples", type=int, default=DEFAULT_MAX_EXAMPLES,
                    help=f"examples per Hypothesis run (default {DEFAULT_MAX_EXAMPLES})")
    group.addoption("--evokit-timeout", type=float, default=DEFAULT_TIMEOUT, help="seconds per request")


def pytest_configure(config: pytest.Config) -> None:
    """Register the marker the items carry (`-m evokit` selects them); reject bad options early."""
    config.addinivalue_line("markers", f"{MARKER}: contract verification of a server (evokit verify)")
    if config.getoption("--evokit-base-url"):
        try:
            verify_config(config, SUITES)
        except ValueError as exc:
            raise pytest.UsageError(f"evokit: {exc}") from None


def verify_config(config: pytest.Config, suites: tuple[str, ...]) -> VerifyConfig:
    """The `VerifyConfig` the options describe (raises `UsageError`, a `ValueError`)."""
    option = config.getoption
    return VerifyConfig(
        base_url=option("--evokit-base-url"),
        admin_auth=option("--evokit-admin-auth"),
        user_auth=option("--evokit-user-auth"),
        superuser_auth=option("--evokit-superuser-auth"),
        session_ids=tuple(option("--evokit-session-id")),
        seed=option("--evokit-seed"),
        max_examples=option("--evokit-max-examples"),
        timeout=option("--evokit-timeout"),
        suites=suites,
    )


# First, so that `-m`/`-k` deselection (run afterwards by pytest) sees these items too.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    """Append one item per suite when a base URL was given."""
    if config.getoption("--evokit-base-url"):
        items.extend(EvokitCollector.from_parent(session, name="evokit-verify").collect())


class EvokitCollector(pytest.Collector):
    """The verification suites as items."""

    def collect(self) -> Iterator[pytest.Item]:
        for suite in SUITES:
            item = SuiteItem.from_parent(self, name=suite)
            item.add_marker(MARKER)
            yield item


class SuiteFailed(Exception):
    """The suite found broken rules, or could not run; the message is the short report."""


# An item's failure is a few lines: the broken rules, one line each. `evokit verify` with the same
# options gives the whole story (examples, curl commands) where a reader wants it.
MAX_FINDING_LINES = 5


def short_report(result: Any) -> str:
    """The root failures of a run, one line each, and the crashed checks."""
    from evokit.contract.verify.report.reporters import one_line

    lines = [f"FAILURE {one_line(finding)}" for finding in result.failures]
    if len(lines) > MAX_FINDING_LINES:
        lines = lines[:MAX_FINDING_LINES] + [f"... and {len(lines) - MAX_FINDING_LINES} more"]
    lines += [f"ERROR check {check} crashed: {error.splitlines()[0] if error else ''}" for check, error in result.errors]
    if result.stopped:
        lines.append(f"stopped early: {result.stopped}")
    return "\n".join(lines)


class SuiteItem(pytest.Item):
    """One suite of `evokit verify`, run against the configured server."""

    def runtest(self) -> None:
        from evokit.contract.verify.errors import ServerUnreachableError, VerifyError
        from evokit.contract.verify.report.reporters import story
        from evokit.contract.verify.run.runner import verify

        known = self.config.stash.get(UNREACHABLE, None)
        if known is not None:  # the server was not there for an earlier item: do not wait for it again
            raise SuiteFailed(known)
        try:
            result = verify(verify_config(self.config, (self.name,)))
        except VerifyError as exc:  # an unreachable server, refused credentials: one line, no traceback
            if isinstance(exc, ServerUnreachableError):
                self.config.stash[UNREACHABLE] = f"evokit: {exc}"
            raise SuiteFailed(f"evokit: {exc}") from None
        if result.warnings:
            self.add_report_section("call", "evokit warnings", "\n\n".join(story(result, f) for f in result.warnings))
        if result.failures or result.errors:
            raise SuiteFailed(short_report(result))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        """The findings, not a traceback through the verifier."""
        if isinstance(excinfo.value, SuiteFailed):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[str, int | None, str]:
        return "evokit", None, f"evokit verify: {self.name}"
