"""`evokit contract check`: the committed contract is current, valid OpenAPI, every example matches
its schema, and a fixture folder is one the mock will serve (`evokit.contract.fixtures_check`, the very
validation the mock runs at start-up). Every problem is collected, not just the first."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from evokit.contract.build import BuildPaths, check_current
from evokit.contract.errors import ContractError
from evokit.contract.fixtures_check import check_fixture_folder
from evokit.contract.model import Contract, read_contract


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the committed contract or a fixture, and where."""

    where: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def check(paths: BuildPaths = BuildPaths(), fixtures: Path | None = None) -> list[Problem]:
    """Every problem found; an empty list means the contract and the fixtures are sound.

    Raises `FixtureFolderError` when `fixtures` is no fixture folder at all (missing, a file,
    empty, holding none of the fixture files)."""
    problems: list[Problem] = []
    try:
        check_current(paths)
    except ContractError as exc:
        problems.append(Problem(str(paths.output), str(exc)))
    try:
        contract = read_contract(paths.output)
    except ContractError as exc:
        return [*problems, Problem(str(paths.output), str(exc))]
    # Before the OpenAPI validation, the slowest step, so that a mistyped --fixtures ends the check at once.
    fixture_list = fixture_problems(contract, fixtures) if fixtures is not None else []
    try:
        validate(dict(contract.openapi))
    except OpenAPIValidationError as exc:
        problems.append(Problem("openapi.json", f"invalid OpenAPI 3.1: {exc.message}"))
    problems.extend(_example_problems(contract))
    return problems + fixture_list


def _examples(node: Any, where: str) -> Iterator[tuple[str, Any, Any]]:
    """(location, schema, example) for every `example`/`examples` beside a schema in the document."""
    if isinstance(node, dict):
        schema = node.get("schema")
        if schema is not None and "example" in node:
            yield where, schema, node["example"]
        for name, example in (node.get("examples") or {}).items() if schema is not None else ():
            yield f"{where}/examples/{name}", schema, example.get("value")
        for key, child in node.items():
            yield from _examples(child, f"{where}/{key}")
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from _examples(child, f"{where}/{index}")


def _example_problems(contract: Contract) -> list[Problem]:
    problems = []
    for where, schema, example in _examples(contract.openapi, "openapi.json#"):
        ref = schema.get("$ref", "")
        if ref.startswith("#/components/schemas/"):
            name = ref.rsplit("/", 1)[-1]
            problems.extend(Problem(where, str(v)) for v in contract.violations(name, example))
    return problems


def fixture_problems(contract: Contract, directory: Path) -> list[Problem]:
    """Every problem of the fixture folder `directory`, each at its file and JSON path."""
    return [
        Problem(str(directory / problem.file), f"{problem.path}: {problem.message}" if problem.path else problem.message)
        for problem in check_fixture_folder(directory, contract)
    ]
