"""Reporters: small handlers over the event stream. Text to a stream, JUnit XML, and JSON.

The text reporter shows progress as one line per suite (a dot every `DOT_EVERY` requests) and a
summary of the findings; the file reporters write once, when the run has finished.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TextIO
from xml.etree import ElementTree

from contract.verify.events import (
    CheckErrored,
    Event,
    ExchangeDone,
    FindingReported,
    RunFinished,
    RunStarted,
    SuiteFinished,
    SuiteStarted,
)
from contract.verify.findings import SERVER_ERROR_RULE, Finding
from contract.verify.result import FAILED, NOT_RUN, WARNED, RunResult
from contract.verify.rules import RULES

DOT_EVERY = 20
# Long purposes make long commands: the terminal shows the start, the JSON report all of it.
MAX_CURL = 600
REPORT_VERSION = 1


def describe(finding: Finding) -> str:
    """A finding as a few lines of text."""
    lines = [
        f"{finding.severity.value.upper()} {finding.rule.label} on {finding.route} [{finding.kind}]"
        + (f" (x{finding.occurrences})" if finding.occurrences > 1 else ""),
        f"  rule:     {finding.rule.summary}",
        f"  expected: {finding.expected}",
        f"  observed: {finding.observed}",
    ]
    if finding.example:
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


def _one_line(finding: Finding) -> str:
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
        text += "".join(f"\n    - {_one_line(finding)}" for finding in consequences)
    return text


def _cause_order(finding: Finding) -> tuple[bool, str, str, str]:
    # Server errors lead: whatever they caused is folded under them.
    return (finding.rule.id != SERVER_ERROR_RULE, finding.severity.value, finding.rule.section, finding.rule.id)


class TextReporter:
    """Progress and summary as plain text on `stream` (a terminal or a captured buffer)."""

    def __init__(self, stream: TextIO, *, progress: bool = True) -> None:
        self.stream = stream
        self.progress = progress
        self.found = 0

    def _write(self, text: str) -> None:
        self.stream.write(text)
        self.stream.flush()

    def handle(self, event: Event) -> None:
        """Write what this event means for a reader."""
        if isinstance(event, RunStarted):
            self._write(f"evokit verify {event.config.base_url} (seed {event.config.seed}, "
                        f"max examples {event.config.max_examples}); sessions: {', '.join(event.sessions)}\n")
            for note in event.notes:
                self._write(f"note: {note}\n")
        elif isinstance(event, SuiteStarted) and self.progress:
            self.found = 0
            self._write(f"{event.suite:<13}")
        elif isinstance(event, ExchangeDone) and self.progress and event.count % DOT_EVERY == 0:
            self._write(".")
        elif isinstance(event, FindingReported):
            self.found += 1
        elif isinstance(event, CheckErrored):
            self._write(f"\nerror in check {event.check}: {event.error}\n")
        elif isinstance(event, SuiteFinished) and self.progress:
            self._write(f" {event.requests} requests, {event.seconds:.1f}s, {self.found} new finding(s)\n")
        elif isinstance(event, RunFinished):
            self._summary(event.result)

    def _summary(self, result: RunResult) -> None:
        for cause in sorted(result.causes, key=_cause_order):
            self._write("\n" + story(result, cause) + "\n")
        for check, error in result.errors:
            self._write(f"\nERROR check {check} crashed: {error}\n")
        for problem in result.restore_problems:
            self._write(f"\nnot restored: {problem}\n")
        not_run = [rule_id for rule_id, status in result.rule_status.items() if status == NOT_RUN]
        for rule_id in not_run:
            reason = result.skipped.get(rule_id, "no check of it in the suites run")
            self._write(f"{'' if rule_id != not_run[0] else chr(10)}not run: {RULES[rule_id].label} ({reason})\n")
        counts = {status: sum(1 for s in result.rule_status.values() if s == status)
                  for status in (FAILED, WARNED, NOT_RUN)}
        consequences = len(result.findings) - len(result.causes)
        self._write(
            f"\n{len(result.failures)} failure(s), {len(result.warnings)} warning(s), {len(result.errors)} error(s); "
            f"causes: {len(result.causes)} (with {consequences} consequence(s) under them); "
            f"rules: {len(RULES)} ({counts[FAILED]} broken, {counts[WARNED]} warned, {counts[NOT_RUN]} not run); "
            f"{result.requests} requests in {result.seconds:.1f}s\n"
        )


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
        case = ElementTree.SubElement(suite, "testcase", classname=f"contract.section{rule.section}", name=rule.id)
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
