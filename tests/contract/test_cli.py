"""`evokit contract build|check`, driven in-process with captured streams."""

from __future__ import annotations

import io
import json
import shutil
import tomllib
from pathlib import Path

import pytest

from evokit.contract.build import DEFAULT_OUTPUT
from evokit.contract.cli import main
from tests.contract.pages import SEED_TEXT, seed_with, write_page


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_build_writes_into_an_empty_folder_and_then_is_a_no_op(tmp_path: Path) -> None:
    code, out, _ = run("contract", "build", "--output", str(tmp_path))
    assert code == 0 and "3 file(s) changed" in out
    assert (tmp_path / "openapi.json").read_text() == (DEFAULT_OUTPUT / "openapi.json").read_text()
    assert run("contract", "build", "--output", str(tmp_path))[1].endswith("0 file(s) changed)\n")


def test_build_on_a_malformed_page_reports_the_line_without_traceback(tmp_path: Path) -> None:
    page = write_page(tmp_path, seed_with("    sessionId;", "    sessionId"))
    code, _, err = run("contract", "build", "--page", str(page), "--output", str(tmp_path / "out"))
    assert code == 1
    assert err.startswith(f"evokit: {page}:") and "expected a property declaration" in err
    assert "Traceback" not in err


def test_check_passes_on_the_committed_contract_and_fixtures() -> None:
    code, out, err = run("contract", "check")
    assert (code, err) == (0, "")
    assert "valid" in out


def test_check_reports_every_problem_in_fixtures_and_stale_files(tmp_path: Path) -> None:
    output = tmp_path / "generated"
    shutil.copytree(DEFAULT_OUTPUT, output)
    schemas = output / "schemas.json"
    schemas.write_text(schemas.read_text().replace("The ID of the object", "An id"))  # stale but usable
    fixtures = tmp_path / "fixtures"
    fixtures.mkdir()
    (fixtures / "AISessionInfo.json").write_text(json.dumps([{"id": "a"}, {"id": 7, "purpose": None}]))
    (fixtures / "notes.json").write_text("not a DTO file, ignored")
    page = write_page(tmp_path, SEED_TEXT)
    code, _, err = run("contract", "check", "--page", str(page), "--output", str(output), "--fixtures", str(fixtures))
    assert code == 1
    assert "run `evokit contract build`" in err
    assert f"{fixtures / 'users.json'}: file not found" in err  # required, as the mock requires it
    assert "AISessionInfo.json: $[1].id: " in err and "AISessionInfo.json: $[1].purpose: " in err
    assert "AISessionInfo.json: $[0]" not in err


def test_usage_errors_exit_2() -> None:
    assert run("contract", "frobnicate")[0] == 2
    assert run()[0] == 2


def test_check_on_an_unreadable_contract_says_so(tmp_path: Path) -> None:
    output = tmp_path / "generated"
    shutil.copytree(DEFAULT_OUTPUT, output)
    (output / "schemas.json").write_text("{}\n")
    code, _, err = run("contract", "check", "--output", str(output), "--fixtures", str(tmp_path))
    assert code == 1
    assert "schemas.json: not a generated contract" in err and "Traceback" not in err


def test_build_from_the_metadata_document_alone_gives_the_committed_contract(tmp_path: Path) -> None:
    from evokit.contract.build import DEFAULT_METADATA

    document = tmp_path / "served.json"
    document.write_text(DEFAULT_METADATA.read_text())
    code, out, err = run("contract", "build", "--metadata", str(document), "--output", str(tmp_path / "out"))
    assert (code, err) == (0, "")
    for name in ("openapi.json", "schemas.json"):
        assert (tmp_path / "out" / name).read_text() == (DEFAULT_OUTPUT / name).read_text()


def test_an_unreachable_metadata_url_is_one_line_without_traceback(tmp_path: Path) -> None:
    from tests.mockserver.server import free_port

    url = f"http://127.0.0.1:{free_port()}/types/metadata"
    code, _, err = run("contract", "build", "--metadata", url, "--timeout", "2", "--output", str(tmp_path))
    assert code == 1
    assert err.startswith(f"evokit: {url}: unreachable") and err.count("\n") == 1
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(("text", "expected"), [
    ('{"types": [', "not JSON"),
    ('{"operations": [{"request": {"name": 7}}]}', "operations[0].request.name: expected a string, got 7"),
])
def test_an_unreadable_metadata_file_is_one_line(tmp_path: Path, text: str, expected: str) -> None:
    document = tmp_path / "bad.json"
    document.write_text(text)
    code, _, err = run("contract", "check", "--metadata", str(document), "--output", str(DEFAULT_OUTPUT))
    assert code == 1 and expected in err and err.count("\n") <= 2 and "Traceback" not in err


@pytest.mark.parametrize("command", ["build", "check"])
@pytest.mark.parametrize("option", ["--page", "--metadata"])
def test_a_missing_source_file_is_one_line_and_exit_2(tmp_path: Path, command: str, option: str) -> None:
    missing = tmp_path / "missing.txt"
    code, out, err = run("contract", command, option, str(missing), "--output", str(tmp_path / "out"))
    assert code == 2
    assert err == f"evokit contract {command}: {option} {missing}: no such file\n"
    assert not (tmp_path / "out").exists()


def test_the_library_names_an_unreadable_page_in_one_line(tmp_path: Path) -> None:
    from evokit.contract.build import BuildPaths, build
    from evokit.contract.errors import SourceFileError

    with pytest.raises(SourceFileError, match="cannot read the DTO page"):
        build(BuildPaths(page=tmp_path / "missing.txt", output=tmp_path / "out"))


@pytest.mark.parametrize("flag", ["--version", "-V"])
def test_version_is_the_installed_distributions(flag: str, capsys: pytest.CaptureFixture[str]) -> None:
    declared = tomllib.loads((Path(__file__).resolve().parents[2] / "pyproject.toml").read_text())["project"]["version"]
    assert main([flag]) == 0
    assert capsys.readouterr().out == f"evokit {declared}\n"


@pytest.mark.parametrize("command", [[], ["contract"], ["contract", "build"], ["contract", "check"], ["mock"], ["verify"]],
                         ids=lambda c: " ".join(c) or "evokit")
def test_every_command_has_a_description_and_an_example(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*command, "--help"]) == 0
    text = capsys.readouterr().out
    description = text.split("\n\n")[1]
    assert description.strip() and not description.lstrip().startswith(("options:", "positional"))
    assert f"example: evokit {' '.join(command)}".rstrip() in text
