"""The Markdown report: the run's outcome as a page a CI system shows as an artifact.

A headline with the verdict and the counts, a table of every rule with its status, then each root
finding with what it led to, and the commands that reproduce them.
"""

from __future__ import annotations

from pathlib import Path

from evokit.contract.verify.report.events import Event, RunFinished
from evokit.contract.verify.report.findings import Finding
from evokit.contract.verify.report.result import FAILED, NOT_RUN, PASSED, WARNED, RunResult
from evokit.contract.verify.rules.table import RULES

STATUS_WORDS = {PASSED: "passed", FAILED: "**failed**", WARNED: "warned", NOT_RUN: "not run"}


class MarkdownReporter:
    """Writes `as_markdown(result)` to `path` when the run ends."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def handle(self, event: Event) -> None:
        """Write the report on `RunFinished`."""
        if isinstance(event, RunFinished):
            self.path.write_text(as_markdown(event.result), encoding="utf-8")


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def _fence(text: str) -> list[str]:
    fence = "````" if "```" in text else "```"
    return [fence, text, fence]


def _finding(result: RunResult, finding: Finding) -> list[str]:
    lines = [
        f"### {finding.severity.value.upper()} {finding.rule.label} on `{finding.route}` [{finding.kind}]"
        + (f" (x{finding.occurrences})" if finding.occurrences > 1 else ""),
        "",
        f"- rule: {finding.rule.summary}",
        f"- expected: {_cell(finding.expected)}",
        f"- observed: {_cell(finding.observed)}",
    ]
    if finding.example:
        lines += ["", "Minimal example:", "", *_fence(finding.example)]
    if finding.curl:
        lines += ["", "Reproduce:", "", *_fence(finding.curl)]
    consequences = result.consequences_of(finding)
    if consequences:
        lines += ["", f"Led to {len(consequences)} more finding(s), not judged on their own:", ""]
        lines += [f"- {f.rule.label} on `{f.route}`: expected {_cell(f.expected)}, saw {_cell(f.observed)}"
                  for f in consequences]
    return lines + [""]


def as_markdown(result: RunResult) -> str:
    """The report's text."""
    verdict = {0: "passed", 1: "failed", 130: "interrupted"}.get(result.exit_code, "failed")
    counts = {status: sum(1 for s in result.rule_status.values() if s == status)
              for status in (PASSED, FAILED, WARNED, NOT_RUN)}
    lines = [
        f"# evokit verify: {verdict}",
        "",
        f"`{result.base_url}`, seed {result.seed}, suites {', '.join(result.suites)}: "
        f"{result.requests} requests in {result.seconds:.1f}s.",
        "",
        f"{len(result.failures)} failure(s), {len(result.warnings)} warning(s), {len(result.errors)} error(s); "
        f"rules: {counts[PASSED]} passed, {counts[FAILED]} broken, {counts[WARNED]} warned, "
        f"{counts[NOT_RUN]} not run.",
    ]
    if result.stopped:
        lines += ["", f"The run stopped early: {result.stopped}."]
    lines += ["", "| rule | section | status | note |", "|---|---|---|---|"]
    lines += [f"| `{rule.id}` | {rule.section} | {STATUS_WORDS[result.rule_status[rule.id]]} | "
              f"{_cell(result.skipped.get(rule.id, ''))} |" for rule in RULES.values()]
    if result.causes:
        lines += ["", "## Findings", ""]
        for finding in result.causes:
            lines += _finding(result, finding)
    for check, error in result.errors:
        lines += ["", f"- check `{check}` crashed: {_cell(error)}"]
    for problem in result.restore_problems:
        lines += ["", f"- not restored: {_cell(problem)}"]
    return "\n".join(lines).rstrip() + "\n"
