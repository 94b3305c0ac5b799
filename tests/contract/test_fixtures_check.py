"""`evokit.contract.fixtures_check`: one kind of fixture problem per case, every problem of a folder
listed, and a path that is no fixture folder refused in one line."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from evokit.contract.cli import REPO_FIXTURES, main
from evokit.contract.fixture_rules import FixtureProblem
from evokit.contract.fixtures_check import FixtureFolderError, check_fixture_folder, read_fixture_folder
from evokit.contract.model import load_contract
from tests.contract.fixture_cases import ACCOUNTS, CASES, NOT_FOLDERS, SESSIONS, USAGE, USERS, Case, write_folder

CONTRACT = load_contract()


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_the_repository_fixtures_have_no_problem() -> None:
    folder = read_fixture_folder(REPO_FIXTURES, CONTRACT)
    assert folder.problems == ()
    assert set(folder.documents) == {USERS, SESSIONS, ACCOUNTS, USAGE}
    assert all(folder.documents[name] for name in folder.documents)  # every file is used, none empty


@pytest.mark.parametrize("case", CASES, ids=[case.id for case in CASES])
def test_each_kind_of_problem_is_found_where_it_is(tmp_path: Path, case: Case) -> None:
    problems = check_fixture_folder(write_folder(tmp_path / "fixtures", case.edits), CONTRACT)
    assert [(problem.file, problem.path) for problem in problems] == case.expected
    assert all(problem.message and "\n" not in problem.message for problem in problems)


def test_every_problem_of_every_file_is_listed_not_the_first(tmp_path: Path) -> None:
    broken = [case for case in CASES if case.expected and all(path for _, path in case.expected)]
    by_file: dict[str, Case] = {}
    for case in broken:  # one case a file, whose edits do not overlap
        by_file.setdefault(next(iter(case.edits)), case)
    edits = {name: edit for case in by_file.values() for name, edit in case.edits.items()}
    problems = check_fixture_folder(write_folder(tmp_path / "fixtures", edits), CONTRACT)
    expected = [pair for case in by_file.values() for pair in case.expected]
    assert sorted((problem.file, problem.path) for problem in problems) == sorted(expected)
    assert len({problem.file for problem in problems}) == 4


def test_optional_files_may_be_absent(tmp_path: Path) -> None:
    folder = read_fixture_folder(write_folder(tmp_path / "fixtures", {ACCOUNTS: None, USAGE: None}), CONTRACT)
    assert folder.problems == ()
    assert (folder.documents[ACCOUNTS], folder.documents[USAGE]) == ([], [])


def test_accounts_named_by_sessions_are_known_without_accounts_json(tmp_path: Path) -> None:
    documents = read_fixture_folder(REPO_FIXTURES, CONTRACT).documents
    named = {session["accountId"] for session in documents[SESSIONS]}
    only_listed = next(account["id"] for account in documents[ACCOUNTS] if account["id"] not in named)

    def name_both(users: list[dict[str, object]]) -> list[dict[str, object]]:
        users[0]["accountIds"] = [sorted(named)[0], only_listed]
        return users

    assert check_fixture_folder(write_folder(tmp_path / "with", {USERS: name_both}), CONTRACT) == []
    problems = check_fixture_folder(write_folder(tmp_path / "without", {USERS: name_both, ACCOUNTS: None}), CONTRACT)
    assert [(problem.file, problem.path) for problem in problems] == [(USERS, "$[0].accountIds[1]")]


def test_a_problem_reads_file_path_message() -> None:
    assert str(FixtureProblem(USERS, "$[0].roles", "expected a list")) == f"{USERS}: $[0].roles: expected a list"
    assert str(FixtureProblem(USERS, "", "file not found")) == f"{USERS}: file not found"


@pytest.mark.parametrize("kind", sorted(NOT_FOLDERS))
def test_a_path_that_is_no_fixture_folder_is_refused(tmp_path: Path, kind: str) -> None:
    path = NOT_FOLDERS[kind](tmp_path)
    with pytest.raises(FixtureFolderError) as caught:
        check_fixture_folder(path, CONTRACT)
    assert caught.value.directory == path and "\n" not in str(caught.value)


# The command line.

def test_check_passes_on_the_repository_fixtures_and_names_them() -> None:
    code, out, err = run("contract", "check", "--fixtures", str(REPO_FIXTURES))
    assert (code, err) == (0, "")
    assert f"fixtures in {REPO_FIXTURES} valid" in out


@pytest.mark.parametrize("kind", sorted(NOT_FOLDERS))
def test_check_refuses_a_path_that_is_no_fixture_folder_in_one_line(tmp_path: Path, kind: str) -> None:
    path = NOT_FOLDERS[kind](tmp_path)
    code, out, err = run("contract", "check", "--fixtures", str(path))
    assert (code, out) == (2, "")
    assert err.startswith(f"evokit contract check: --fixtures {path}: ") and err.count("\n") == 1
    assert "valid" not in err


def test_check_lists_every_problem_of_a_broken_folder_and_exits_1(tmp_path: Path) -> None:
    cases = [case for case in CASES if case.id in ("user roles not a list", "duplicate session ids", "usage bad date")]
    edits = {name: edit for case in cases for name, edit in case.edits.items()}
    folder = write_folder(tmp_path / "fixtures", edits)
    code, out, err = run("contract", "check", "--fixtures", str(folder))
    assert (code, out) == (1, "")
    *lines, summary = err.splitlines()
    expected = [f"{folder / name}: {path}: " for case in cases for name, path in case.expected]
    assert len(lines) == len(expected)
    assert all(any(line.startswith(start) for line in lines) for start in expected)
    assert summary == f"contract check: {len(expected)} problem(s)"


def test_check_without_a_default_folder_says_fixtures_were_not_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An installed package has no fixtures/ beside it: the check passes, but never as "fixtures valid".
    monkeypatch.setattr("evokit.contract.cli.REPO_FIXTURES", tmp_path / "absent")
    code, out, err = run("contract", "check")
    assert (code, err) == (0, "")
    assert out.rstrip().endswith("no fixture folder checked (--fixtures DIR)")
