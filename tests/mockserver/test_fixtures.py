"""Fixture files: the repository's are valid; a bad folder stops start-up with every problem, the very
problems `evokit contract check` lists, so the two refuse exactly the same folders."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from evokit.contract.cli import main
from evokit.contract.fixtures_check import check_fixture_folder
from evokit.mockserver.http.app import create_app
from evokit.mockserver.core.config import DEFAULT_FIXTURES, MockConfig
from evokit.mockserver.core.errors import SHOWN_FIXTURE_PROBLEMS as SHOWN_PROBLEMS, FixtureError
from tests.contract.fixture_cases import CASES, NOT_FOLDERS, Case, write_folder
from tests.mockserver.support import CONTRACT, OP, SESSIONS, USERS


def test_repository_fixtures_are_rich_enough() -> None:
    assert 6 <= len(SESSIONS) <= 10 and len({s["accountId"] for s in SESSIONS}) >= 2
    assert all(CONTRACT.violations(OP.response, s) == [] for s in SESSIONS)
    purposes = "".join(s.get("purpose", "") for s in SESSIONS)
    assert all(char in purposes for char in ':,"{}[]\n') and any(ord(c) > 127 for c in purposes)
    assert any(len(s) < len(CONTRACT.properties(OP.response)) for s in SESSIONS)  # some fields absent
    names = {u["userName"]: u["roles"] for u in USERS}
    assert {"sysadmin", "admin", "manager", "customer"} <= set(names)
    assert CONTRACT.superuser_role in names["admin"] and OP.required_roles[0] in names["sysadmin"]


def mock_refusal(path: Path) -> FixtureError | None:
    """Why the mock refuses to start on `path`, or None when it starts."""
    try:
        create_app(MockConfig(fixtures=path))
    except FixtureError as exc:
        return exc
    return None


def check_exit(path: Path) -> int:
    """`evokit contract check --fixtures PATH`'s exit status."""
    return main(["contract", "check", "--fixtures", str(path)], out=io.StringIO(), err=io.StringIO())


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_a_broken_folder_stops_start_up_with_every_problem_on_one_line(tmp_path: Path, case: Case) -> None:
    target = write_folder(tmp_path / "fixtures", case.edits)
    refusal = mock_refusal(target)
    assert refusal is not None and refusal.path == target and "\n" not in str(refusal)
    assert refusal.problems == tuple(check_fixture_folder(target, CONTRACT))  # the one validation
    assert [(problem.file, problem.path) for problem in refusal.problems] == case.expected
    assert str(refusal.problems[0]) in str(refusal)


def test_many_problems_show_the_first_few_and_count_the_rest(tmp_path: Path) -> None:
    target = write_folder(tmp_path / "fixtures", {"users.json": lambda users: [{"colour": index} for index in range(10)]})
    refusal = mock_refusal(target)
    assert refusal is not None and len(refusal.problems) > SHOWN_PROBLEMS
    line = str(refusal)
    assert line.startswith(f"{target}: {len(refusal.problems)} problems: ") and "\n" not in line
    assert all(str(problem) in line for problem in refusal.problems[:SHOWN_PROBLEMS])
    assert str(refusal.problems[SHOWN_PROBLEMS]) not in line
    assert line.endswith(f"(and {len(refusal.problems) - SHOWN_PROBLEMS} more)")


@pytest.mark.parametrize("kind", sorted(NOT_FOLDERS))
def test_a_path_that_is_no_fixture_folder_stops_start_up(tmp_path: Path, kind: str) -> None:
    path = NOT_FOLDERS[kind](tmp_path)
    refusal = mock_refusal(path)
    assert refusal is not None and refusal.path == path and refusal.problems == ()
    assert "\n" not in str(refusal)


AGREEMENT = {
    "the repository's": lambda tmp: DEFAULT_FIXTURES,
    "without the optional files": lambda tmp: write_folder(tmp / "f", {"accounts.json": None, "usage.json": None}),
    **{f"not a folder: {kind}": build for kind, build in NOT_FOLDERS.items()},
    **{case.id: (lambda tmp, case=case: write_folder(tmp / "f", case.edits)) for case in CASES},
}


@pytest.mark.parametrize("name", list(AGREEMENT))
def test_the_mock_refuses_a_folder_iff_contract_check_does(tmp_path: Path, name: str) -> None:
    path = AGREEMENT[name](tmp_path)
    assert (mock_refusal(path) is not None) == (check_exit(path) != 0)


def test_the_repository_fixtures_pass_both() -> None:
    assert mock_refusal(DEFAULT_FIXTURES) is None and check_exit(DEFAULT_FIXTURES) == 0


def test_cli_exits_2_with_one_line_and_no_traceback(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    target = write_folder(tmp_path / "fixtures", {"users.json": "nope"})
    code = main(["mock", "--port", "1", "--fixtures", str(target)], out=out, err=err)
    assert code == 2 and out.getvalue() == ""
    lines = err.getvalue().splitlines()
    assert len(lines) == 1 and lines[0].startswith("evokit mock: ") and "users.json: not JSON" in lines[0]


@pytest.mark.parametrize("argv", [["--port", "0"], ["--port", "70000"], ["--threads", "0"], ["--max-body-bytes", "0"]])
def test_cli_rejects_bad_options_with_exit_2(argv: list[str]) -> None:
    err = io.StringIO()
    assert main(["mock", *argv], out=io.StringIO(), err=err) == 2
    assert err.getvalue().startswith("evokit mock: invalid mock configuration: ")
