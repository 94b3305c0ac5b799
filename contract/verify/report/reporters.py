"""Reporters: small handlers over the event stream, and the text of a finding they share.

JUnit XML and JSON are written once, when the run has finished; the live text on a terminal or a
pipe is `progress.TextReporter`, the Markdown report `markdown_report.MarkdownReporter`.
"""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

from evokit.contract.verify.report.events import Event, RunFinished
from evokit.contract.verify.report.findings import NO_EXAMPLE, SERVER_ERROR_RULE, Finding
from evokit.contract.verify.report.result import FAILED, NOT_RUN, WARNED, RunResult
from evokit.contract.verify.rules.table import RULES

# Long purposes make long commands: the terminal shows the start, the JSON report all of it.
MAX_CURL = 600
REPORT_VERSION = 1


def _indented(text: str) -> str:
    """Multi-line text (Schemathesis's messages) with its later lines under the first."""
    lines = [line for line in text.splitlines() if line.strip()] or [""]
    return "\n            ".join(lines)


def describe(finding: Finding) -> str:
    """A finding as a few lines of text."""
    lines = [
        f"{finding.severity.value.upper()} {finding.rule.label} on {finding.route} [{finding.kind}]"
        + (f" (x{finding.occurrences})" if finding.occurrences > 1 else ""),
        f"  rule:     {finding.rule.summary}",
        f"  expected: {_indented(finding.expected)}",
        f"  observed: {_indented(finding.observed)}",
    ]
    if finding.example and finding.example != NO_EXAMPLE:
        lines.append("  minimal example:")
        lines.extend(f"    {line}" for line in finding.example.splitlines())
    if finding.curl:
        curl = finding.curl
        if len(curl) > MAX_CURL:
            curl = curl[:MAX_CURL] + " ... (cut here; in full in --json-report)"
        lines.append(f"  reproduce: {curl}")
    return "\n".join(lines)


# Consequences are folded to one line each: their root tells the story.
MAX_CONSEQUENCE = 160


def one_line(finding: Finding) -> str:
    """A finding on one line, cut at `MAX_CONSEQUENCE` characters."""
    line = (f"{finding.rule.label} on {finding.route} [{finding.kind}]"
            + (f" (x{finding.occurrences})" if finding.occurrences > 1 else "")
            + f": expected {finding.expected}, saw {finding.observed}")
    line = " ".join(line.split())
    return line if len(line) <= MAX_CONSEQUENCE else line[: MAX_CONSEQUENCE - 3] + "..."


def story(result: RunResult, cause: Finding) -> str:
    """A root finding and, folded under it, every finding that follows from it."""
    text = describe(cause)
    if len(cause.seen_on) > 1:
        text += "\n  seen on:  " + ", ".join(cause.seen_on)
    consequences = result.consequences_of(cause)
    if consequences:
        text += (f"\n  led to {len(consequences)} more finding(s), not judged on their own "
                 "(they rest on this answer):")
        text += "".join(f"\n    - {one_line(finding)}" for finding in consequences)
    return text


def cause_order(finding: Finding) -> tuple[bool, str, str, str]:
    # Server errors lead: whatever they caused is folded under them.
    return (finding.rule.id != SERVER_ERROR_RULE, finding.severity.value, finding.rule.section, finding.rule.id)


class JsonReporter:
    """The whole result as one JSON document, written when the run ends."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def handle(self, event: Event) -> None:
        """Write the report on `RunFinished`."""
        if isinstance(event, RunFinished):
            self.path.write_text(json.dumps(as_json(event.result), indent=2, ensure_ascii=False), encoding="utf-8")


def as_json(result: RunResult) -> dict[str, object]:
    """The JSON report's document."""
    return {
        "version": REPORT_VERSION,
        "baseUrl": result.base_url,
        "seed": result.seed,
        "exitCode": result.exit_code,
        "requests": result.requests,
        "seconds": round(result.seconds, 3),
        "suites": list(result.suites),
        "rules": [
            {"id": rule.id, "section": rule.section, "severity": rule.severity.value,
             "summary": rule.summary, "status": result.rule_status[rule.id],
             "reason": result.skipped.get(rule.id)}
            for rule in RULES.values()
        ],
        "causes": len(result.causes),
        "findings": [finding.as_dict() for finding in result.findings],
        "errors": [{"check": check, "error": error} for check, error in result.errors],
        "notRestored": list(result.restore_problems),
    }


class JUnitReporter:
    """JUnit XML: one test case per rule (class = contract section), written when the run ends.

    A broken rule is a `<failure>`; a warning keeps the case passing and goes to `<system-out>`;
    a rule no check ran is `<skipped>`; a crashed check is an `<error>` case of its own.
    """

    def __init__(self, path: Path) -> None:
        self.path = path

    def handle(self, event: Event) -> None:
        """Write the XML on `RunFinished`."""
        if isinstance(event, RunFinished):
            ElementTree.ElementTree(as_junit(event.result)).write(self.path, encoding="utf-8", xml_declaration=True)


def as_junit(result: RunResult) -> ElementTree.Element:
    """The JUnit `<testsuites>` element of a result."""
    suite = ElementTree.Element("testsuite", name="evokit-verify", time=f"{result.seconds:.3f}")
    by_rule: dict[str, list[Finding]] = {}
    for finding in result.causes:
        by_rule.setdefault(finding.rule.id, []).append(finding)
    counts = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for rule in RULES.values():
        case = ElementTree.SubElement(suite, "testcase", classname=f"evokit.contract.section{rule.section}", name=rule.id)
        counts["tests"] += 1
        status = result.rule_status[rule.id]
        text = "\n\n".join(story(result, f) for f in by_rule.get(rule.id, ()))
        if status == FAILED:
            counts["failures"] += 1
            failure = ElementTree.SubElement(case, "failure", message=rule.summary, type="contract-failure")
            failure.text = text
        elif status == WARNED:
            ElementTree.SubElement(case, "system-out").text = text
        elif status == NOT_RUN:
            counts["skipped"] += 1
            ElementTree.SubElement(case, "skipped", message=result.skipped.get(rule.id, "no check of this rule ran"))
    for check, error in result.errors:
        case = ElementTree.SubElement(suite, "testcase", classname="evokit.checks", name=check)
        ElementTree.SubElement(case, "error", message=error)
        counts["tests"] += 1
        counts["errors"] += 1
    for name, value in counts.items():
        suite.set(name, str(value))
    root = ElementTree.Element("testsuites")
    root.append(suite)
    return root
