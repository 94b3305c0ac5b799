"""The rules reference, drawn from the rule table, its notes and the check registry: the text of
`evokit verify --list-rules` and `--explain RULE`, and `docs/rules.md` (`--list-rules --format markdown`).

Pure functions from the registry to text, so the CLI, the generated document and the tests agree.
"""

from __future__ import annotations

from collections.abc import Iterable

from evokit.contract.verify.checks.registry import Check, CheckRegistry, Scope
from evokit.contract.verify.rules.notes import NOTES
from evokit.contract.verify.rules.table import RULES, Rule

DOC_TITLE = "# The verifier's rules"
REGENERATE = "evokit verify --list-rules --format markdown > docs/rules.md"


def checks_of(rule: Rule, registry: CheckRegistry) -> list[Check]:
    """The registered checks that may report `rule`, in registration order."""
    return [check for check in registry if rule in check.rules]


def _described(check: Check) -> str:
    """The first paragraph of the check's docstring, on one line."""
    paragraph = (check.function.__doc__ or check.name).strip().split("\n\n", 1)[0]
    return " ".join(paragraph.split())


def _where(check: Check) -> str:
    if check.scope is Scope.RESPONSE:
        return "every answer of every suite"
    return f"suite `{check.suite}`"


def list_text(registry: CheckRegistry) -> str:
    """One line per rule: id, section, failure or warning, summary."""
    width = max(len(rule.id) for rule in RULES.values())
    lines = [f"{rule.id:<{width}}  §{rule.section:<4} {rule.severity.value:<8} {rule.summary}"
             for rule in RULES.values()]
    return "\n".join(lines) + f"\n\n{len(RULES)} rules; `evokit verify --explain RULE` tells more of one.\n"


def explain(rule: Rule, registry: CheckRegistry) -> str:
    """What a rule means, which checks judge it, and an answer that breaks it and one that keeps it."""
    note = NOTES[rule.id]
    lines = [
        f"{rule.id} (CONTRACT.md section {rule.section}, {rule.severity.value})",
        f"  {rule.summary}",
        "",
        *_wrapped(note.meaning, "  "),
        "",
        "checked by:",
        *(f"  {check.name} ({_where(check)}): {_described(check)}" for check in checks_of(rule, registry)),
        "",
        "a violation:",
        *_wrapped(note.violation, "  "),
        "a pass:",
        *_wrapped(note.passing, "  "),
    ]
    return "\n".join(lines) + "\n"


def _wrapped(text: str, indent: str, width: int = 96) -> Iterable[str]:
    line = indent
    for word in text.split():
        if len(line) + len(word) + 1 > width and line.strip():
            yield line.rstrip()
            line = indent
        line += word + " "
    if line.strip():
        yield line.rstrip()


def markdown(registry: CheckRegistry) -> str:
    """The whole reference as Markdown: a table of every rule, then a section per rule."""
    lines = [
        DOC_TITLE,
        "",
        "Every finding of `evokit verify` names one of these rules and the section of the contract that",
        "states it. A rule the contract marks *assumed* (a framework default the live service may not",
        "follow) is a **warning**; any other is a **failure**, which fails the run (exit 1).",
        "",
        f"Generated from the verifier's rule registry by `{REGENERATE}`;",
        "a test fails when this file is not current.",
        "",
        "| rule | section | severity | summary |",
        "|---|---|---|---|",
        *(f"| [`{rule.id}`](#{rule.id}) | {rule.section} | {rule.severity.value} | {_cell(rule.summary)} |"
          for rule in RULES.values()),
    ]
    for rule in RULES.values():
        note = NOTES[rule.id]
        lines += [
            "",
            f"## {rule.id}",
            "",
            f"Section {rule.section}, {rule.severity.value}. {note.meaning}",
            "",
            "Checked by:",
            "",
            *(f"- `{check.name}` ({_where(check)}): {_described(check)}" for check in checks_of(rule, registry)),
            "",
            f"- A violation: {note.violation}",
            f"- A pass: {note.passing}",
        ]
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")
