"""The seed DTO page and ways to break it, for the parser and generator tests."""

from __future__ import annotations

from pathlib import Path

from evokit.contract.build import DEFAULT_PAGE

SEED_TEXT = DEFAULT_PAGE.read_text(encoding="utf-8")


def line_of(text: str, needle: str) -> int:
    """1-based number of the line where the first occurrence of `needle` starts."""
    index = text.find(needle)
    if index < 0:
        raise AssertionError(f"{needle!r} not in page")
    return text.count("\n", 0, index) + 1


def seed_with(old: str, new: str, count: int = 1) -> str:
    """The seed page with `old` replaced by `new` (which must occur)."""
    assert old in SEED_TEXT, old
    return SEED_TEXT.replace(old, new, count)


def write_page(directory: Path, text: str) -> Path:
    path = directory / "Page.txt"
    path.write_text(text, encoding="utf-8")
    return path
