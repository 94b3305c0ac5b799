"""Redocly CLI (`recommended`) and Spectral (`spectral:oas`) report nothing on either committed
OpenAPI profile; and each is seen to report a document that breaks its rules, so a silent linter
(or a misread report) cannot pass for a clean document."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.tools.support import HERE, PROFILES, node_tools, run_tool

__all__ = ["node_tools"]
pytestmark = pytest.mark.slow


def redocly_problems(tools: Path, *documents: Path) -> list[dict[str, Any]]:
    done = run_tool(tools, "redocly", ["lint", "--config", str(HERE / "redocly.yaml"), "--format", "json",
                                       *map(str, documents)])
    reports = json_stream(done.stdout)
    assert len(reports) == len(documents), done.stderr  # one report per document, one after the other
    problems: list[dict[str, Any]] = []
    for report in reports:
        assert len(report["problems"]) == report["totals"]["errors"] + report["totals"]["warnings"]
        problems += report["problems"]
    assert done.returncode == (1 if any(r["totals"]["errors"] for r in reports) else 0), done.stderr
    return problems


def json_stream(text: str) -> list[Any]:
    """The JSON values written one after the other in `text`."""
    decoder, values, index = json.JSONDecoder(), [], 0
    while text[index:].strip():
        index += len(text[index:]) - len(text[index:].lstrip())
        value, index = decoder.raw_decode(text, index)
        values.append(value)
    return values


def spectral_problems(tools: Path, tmp_path: Path, *documents: Path) -> list[dict[str, Any]]:
    output = tmp_path / "spectral.json"
    # Every severity, hints included, counts as a problem.
    done = run_tool(tools, "spectral", ["lint", "--ruleset", str(HERE / ".spectral.yaml"), "--format", "json",
                                        "--output", str(output), "--fail-severity", "hint", *map(str, documents)])
    problems: list[dict[str, Any]] = json.loads(output.read_text(encoding="utf-8"))
    assert done.returncode == (1 if problems else 0), done.stderr
    return problems


def test_both_committed_profiles_lint_clean(node_tools: Path, tmp_path: Path) -> None:
    documents = [PROFILES[name] for name in sorted(PROFILES)]
    assert redocly_problems(node_tools, *documents) == []
    assert spectral_problems(node_tools, tmp_path, *documents) == []


def test_both_linters_report_a_document_that_breaks_their_rules(node_tools: Path, tmp_path: Path) -> None:
    broken = json.loads(PROFILES["json-only"].read_text(encoding="utf-8"))
    del broken["servers"], broken["info"]["license"], broken["info"]["contact"]
    for methods in broken["paths"].values():
        for spec in methods.values():
            spec.pop("description", None)
    path = tmp_path / "broken.json"
    path.write_text(json.dumps(broken), encoding="utf-8")
    assert {p["ruleId"] for p in redocly_problems(node_tools, path)} >= {"no-empty-servers", "info-license"}
    assert {p["code"] for p in spectral_problems(node_tools, tmp_path, path)} >= {
        "oas3-api-servers", "info-contact", "operation-description",
    }
