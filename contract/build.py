"""Writing and checking the generated files: the only I/O around the pure generator."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from contract.dto_page import read_dto_page
from contract.errors import StaleContractError
from contract.generate import generate

PACKAGE_DIR = Path(__file__).resolve().parent
DEFAULT_PAGE = PACKAGE_DIR / "dtos" / "PatchAISession.txt"
DEFAULT_OUTPUT = PACKAGE_DIR / "generated"


@dataclass(frozen=True)
class BuildPaths:
    """Where the DTO page is read from and the generated files are written to."""

    page: Path = DEFAULT_PAGE
    output: Path = DEFAULT_OUTPUT


def render(paths: BuildPaths = BuildPaths()) -> dict[Path, str]:
    """The generated files' paths and contents, computed without writing anything."""
    files = generate(read_dto_page(paths.page))
    return {paths.output / name: text for name, text in sorted(files.items())}


def build(paths: BuildPaths = BuildPaths()) -> list[Path]:
    """Regenerate the contract; returns the files whose content changed."""
    changed = []
    for path, text in render(paths).items():
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
            changed.append(path)
    return changed


def check_current(paths: BuildPaths = BuildPaths()) -> None:
    """Raise `StaleContractError` when a committed file differs from what the page generates."""
    stale = [
        path.name
        for path, text in render(paths).items()
        if not path.exists() or path.read_text(encoding="utf-8") != text
    ]
    if stale:
        raise StaleContractError(stale)
