"""The committed generated files are exactly what the DTO page generates."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from evokit.contract.build import (
    DEFAULT_OUTPUT,
    DEFAULT_PAGE,
    BuildPaths,
    build,
    check_current,
)
from evokit.contract.errors import StaleContractError


def test_committed_contract_is_current() -> None:
    try:
        check_current()
    except StaleContractError as exc:
        pytest.fail(str(exc))  # the message says: run `evokit contract build`


@pytest.fixture
def copied_output(tmp_path: Path) -> BuildPaths:
    output = tmp_path / "generated"
    shutil.copytree(DEFAULT_OUTPUT, output)
    return BuildPaths(DEFAULT_PAGE, output)


def test_a_hand_edit_is_caught_with_the_fix_in_the_message(copied_output: BuildPaths) -> None:
    openapi = copied_output.output / "openapi.json"
    openapi.write_text(openapi.read_text(encoding="utf-8").replace("SystemAdministrator", "Manager"), encoding="utf-8")
    with pytest.raises(StaleContractError, match=r"run `evokit contract build`") as caught:
        check_current(copied_output)
    assert caught.value.stale == ["openapi.json"]


def test_a_missing_file_is_stale_and_build_restores_it(copied_output: BuildPaths) -> None:
    (copied_output.output / "schemas.json").unlink()
    with pytest.raises(StaleContractError):
        check_current(copied_output)
    assert [p.name for p in build(copied_output)] == ["schemas.json"]
    check_current(copied_output)
    assert build(copied_output) == []
