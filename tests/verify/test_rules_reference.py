"""The rules reference: `--list-rules`, `--explain RULE` and `docs/rules.md`, all from the registry."""

from __future__ import annotations

from pathlib import Path

import pytest

from evokit.contract.verify.rules.notes import NOTES
from evokit.contract.verify.rules.book import REGENERATE
from evokit.contract.verify.rules.table import RULES
from tests.verify.servers import run_cli

DOC = Path(__file__).resolve().parents[2] / "docs" / "rules.md"


def test_every_rule_has_a_note_and_every_note_a_rule() -> None:
    assert sorted(NOTES) == sorted(RULES)


def test_list_rules_names_every_rule_with_its_section_and_severity() -> None:
    code, out, err = run_cli("verify", "--list-rules")
    assert (code, err) == (0, "")
    lines = {line.split()[0]: line.split() for line in out.splitlines() if line and line.split()[0] in RULES}
    assert sorted(lines) == sorted(RULES)
    for rule in RULES.values():
        assert lines[rule.id][1:3] == [f"§{rule.section}", rule.severity.value]


@pytest.mark.parametrize("rule_id", list(RULES))
def test_explain_tells_meaning_checks_and_examples(rule_id: str) -> None:
    code, out, err = run_cli("verify", "--explain", rule_id)
    assert (code, err) == (0, "")
    assert out.startswith(f"{rule_id} (CONTRACT.md section {RULES[rule_id].section}, ")
    checked_by = out.split("checked by:\n", 1)[1].split("\n\n", 1)[0]
    assert checked_by.strip(), out  # some check judges every rule
    assert "a violation:" in out and "a pass:" in out


def test_explain_of_an_unknown_rule_is_one_line_and_exit_2() -> None:
    code, out, err = run_cli("verify", "--explain", "no-such-rule")
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "no-such-rule" in err


def test_docs_rules_md_is_current() -> None:
    code, out, _ = run_cli("verify", "--list-rules", "--format", "markdown")
    assert code == 0
    assert DOC.read_text(encoding="utf-8") == out, f"docs/rules.md is stale: run `{REGENERATE}`"


def test_a_run_still_needs_a_base_url() -> None:
    code, _, err = run_cli("verify")
    assert code == 2 and "--base-url" in err
